"""The import-linter contracts hold, and do fail on an import against the layers."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "lint_imports.py"
PRESENT = ("config", "ptce", "notifications", "members", "home")


def lint(root: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, str(SCRIPT)]
    if root is not None:
        command += ["--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


def tree(tmp_path: Path, modules: dict[str, str]) -> Path:
    """A repository-shaped tree: the apps of today under platform/, plus `modules`."""
    for name in PRESENT:
        (tmp_path / "platform" / name).mkdir(parents=True)
        (tmp_path / "platform" / name / "__init__.py").write_text("")
    # The import pyproject.toml's contracts allow by name must exist (or they fail).
    modules = {
        "platform/config/celery.py": "",
        "platform/home/health.py": "from config.celery import app\n",
        **modules,
    }
    for path, source in modules.items():
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        (file.parent / "__init__.py").touch()
        file.write_text(source)
    return tmp_path


def test_the_repository_keeps_its_layers():
    result = lint()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_tree_that_respects_the_layers_passes(tmp_path):
    root = tree(
        tmp_path,
        {
            "platform/members/services.py": "import notifications\nimport ptce\n",
            "pooling/services.py": "import resources\nimport members\n",
            "resources/models.py": "import members\n",
            "platform/home/views.py": "import members\n",
        },
    )
    result = lint(root)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("modules", "arrow"),
    [
        ({"platform/ptce/reverse.py": "import members\n"}, "ptce is not allowed"),
        (
            {"platform/notifications/reverse.py": "from home import views\n"},
            "notifications is not allowed to import home",
        ),
        # Apps that arrive later are checked as soon as they exist.
        (
            {"pooling/reverse.py": "import events\n", "events/models.py": ""},
            "pooling is not allowed to import events",
        ),
        (
            {"platform/members/reverse.py": "import forum\n", "forum/models.py": ""},
            "members is not allowed to import forum",
        ),
    ],
)
def test_an_import_against_the_layers_fails(tmp_path, modules, arrow):
    result = lint(tree(tmp_path, modules))
    assert result.returncode != 0
    assert arrow in result.stdout, result.stdout + result.stderr


def test_apps_are_discovered_not_listed():
    spec = importlib.util.spec_from_file_location("lint_imports", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(PRESENT) <= set(module.discover_apps())
    assert "tests" not in module.discover_apps()
