"""The repository's import roots: platform/ holds apps but must never be a package."""

from __future__ import annotations

import importlib
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ["config", "members", "home", "notifications", "ptce", "resources", "pooling"]


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists(), (
        "platform/__init__.py would shadow the standard library's platform module"
    )


def test_standard_library_platform_module_still_works():
    assert platform.system()
    assert Path(platform.__file__).parent != ROOT / "platform"


def test_apps_import_by_their_own_names():
    for name in APPS:
        module = importlib.import_module(name)
        assert Path(module.__file__).is_relative_to(ROOT)


def test_apps_import_from_anywhere_through_the_editable_install(tmp_path):
    code = "import uuid, platform, config, members; print(platform.system())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
