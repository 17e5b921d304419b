"""Check the layers between apps with import-linter (contracts in pyproject.toml).

import-linter wants every root package to exist, while apps arrive over time
(resources, pooling, events…). So this runs `lint-imports` with the contracts of
pyproject.toml's [tool.importlinter] and, as root packages, every app found in the
repository: each package at the top level or under platform/ (tests/ excepted). A
layer for an app that does not exist yet is written "(pooling)": optional until the
app arrives, checked from then on. Exit status: lint-imports'.

    python scripts/lint_imports.py                  # make lint runs this
    python scripts/lint_imports.py --root DIR       # another tree (tests use this)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT_ROOTS = (".", "platform")
NOT_APPS = frozenset({"tests"})


def discover_apps(root: Path = ROOT) -> list[str]:
    """Every package at the repository's import roots: the apps and config."""
    names = set()
    for import_root in IMPORT_ROOTS:
        for init in (root / import_root).glob("*/__init__.py"):
            names.add(init.parent.name)
    return sorted(names - NOT_APPS)


def _toml(options: dict, contracts: list[dict]) -> str:
    # JSON strings and arrays are valid TOML values: enough for import-linter's options.
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in options.items()]
    for contract in contracts:
        lines.append("[[tool.importlinter.contracts]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--pyproject", type=Path, default=ROOT / "pyproject.toml")
    args = parser.parse_args(argv)
    settings = tomllib.loads(args.pyproject.read_text())["tool"]["importlinter"]
    contracts = settings.pop("contracts")
    options = {**settings, "root_packages": discover_apps(args.root)}
    root = args.root.resolve()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(root / r) for r in IMPORT_ROOTS),
    }
    lint_imports = Path(sys.executable).with_name("lint-imports")
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "importlinter.toml"
        config.write_text(_toml(options, contracts))
        command = [str(lint_imports), str(config), "--no-cache"]
        return subprocess.run(command, cwd=root, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
