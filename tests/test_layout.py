"""The repository's import roots: platform/ holds apps but must never be a package."""

from __future__ import annotations

import importlib
import importlib.util
import platform
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]


def _discover_apps() -> list[str]:
    # The same discovery as pyproject.toml's package find and the layers check.
    script = ROOT / "scripts" / "lint_imports.py"
    spec = importlib.util.spec_from_file_location("lint_imports", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.discover_apps()


APPS = _discover_apps()


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


def test_apps_found_in_the_repository_are_installed():
    django_apps = [name for name in APPS if (_app_folder(name) / "apps.py").exists()]
    missing = [name for name in django_apps if name not in settings.INSTALLED_APPS]
    assert not missing, (
        f"Add to INSTALLED_APPS in platform/config/settings.py: {missing}"
    )
    assert {"ptce", "members", "notifications", "home"} <= set(django_apps)


def _app_folder(name: str) -> Path:
    top = ROOT / name
    return top if top.is_dir() else ROOT / "platform" / name
