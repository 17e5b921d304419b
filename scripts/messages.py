"""Extract and compile the translation catalogues (`make messages`).

Extraction (makemessages) needs GNU gettext; compilation does not: every .po is
compiled to .mo with polib, so a machine without gettext can rebuild the committed .mo
files with `python scripts/messages.py --compile-only`.

Catalogues:
- locale/ at the repository root: templates/ and platform/config/;
- platform/<app>/locale/ for each app that has one: that app's own strings.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
PLATFORM = ROOT / "platform"
LANGUAGES = ("fr", "en")
# Folders the root catalogue never scans: apps keep their own catalogues, and the rest
# is tooling or local state.
ALWAYS_IGNORED = [
    ".venv",
    "venv",
    "tests",
    "bench",
    "docker",
    "scripts",
    "var",
    "node_modules",
    "build",
    "*.egg-info",
]


def app_dirs() -> list[Path]:
    """Apps under platform/ and at the top level (resources/, pooling/…), other than
    config (config's strings go to the root catalogue)."""
    platform_apps = [
        path
        for path in PLATFORM.iterdir()
        if path.is_dir() and path.name != "config" and not path.name.startswith(".")
    ]
    top_level_apps = [init.parent for init in ROOT.glob("*/apps.py")]
    return sorted({*platform_apps, *top_level_apps})


def makemessages(cwd: Path, ignore: list[str]) -> None:
    # django-admin, not `python -m django`: -m puts the working directory (an app
    # folder) first on sys.path, where an app's selectors.py shadows the standard
    # library's selectors module and Python fails before Django starts.
    command = [
        str(Path(sys.executable).with_name("django-admin")),
        "makemessages",
        "--no-obsolete",
        *(f"--locale={code}" for code in LANGUAGES),
        *(f"--ignore={pattern}" for pattern in ignore),
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    subprocess.run(command, cwd=cwd, env=env, check=True)


def extract() -> None:
    (ROOT / "locale").mkdir(exist_ok=True)
    ignored_apps = [str(path.relative_to(ROOT)) for path in app_dirs()]
    makemessages(ROOT, [*ignored_apps, *ALWAYS_IGNORED])
    for app in app_dirs():
        if (app / "locale").is_dir():
            makemessages(app, [])


def catalogues() -> list[Path]:
    found = list((ROOT / "locale").glob("*/LC_MESSAGES/django.po"))
    for app in app_dirs():
        found += app.glob("locale/*/LC_MESSAGES/django.po")
    return sorted(found)


# French typography: a non-breaking space before « : ; ! ? » and inside « guillemets »,
# so that a line never starts with a colon or a closing quote.
NBSP = "\u00a0"
_BEFORE = re.compile(r"[ \u202f](?=[:;!?»](?:\s|$|[<.,)]))")
_AFTER = re.compile(r"(?<=«)[ \u202f]")


def french_typography(text: str) -> str:
    return _AFTER.sub(NBSP, _BEFORE.sub(NBSP, text))


def _typeset(catalogue: polib.POFile) -> bool:
    changed = False
    for entry in catalogue:
        strings = entry.msgstr_plural if entry.msgid_plural else {None: entry.msgstr}
        for key, text in strings.items():
            fixed = french_typography(text)
            if fixed != text:
                changed = True
                if key is None:
                    entry.msgstr = fixed
                else:
                    entry.msgstr_plural[key] = fixed
    return changed


def compile_all() -> list[str]:
    """Compile each .po next to itself; return the French entries left to do.

    French catalogues are typeset first (see french_typography) and saved if changed.
    """
    todo = []
    for po_path in catalogues():
        catalogue = polib.pofile(str(po_path))
        if po_path.parts[-3] == "fr" and _typeset(catalogue):
            catalogue.save(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        if po_path.parts[-3] == "fr":
            relative = po_path.relative_to(ROOT)
            todo += [
                f"{relative}: untranslated {e.msgid!r}"
                for e in _untranslated(catalogue)
            ]
            todo += [
                f"{relative}: fuzzy {e.msgid!r}" for e in catalogue.fuzzy_entries()
            ]
        print(f"compiled {po_path.relative_to(ROOT)}")
    return todo


def _untranslated(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue.untranslated_entries() if "fuzzy" not in e.flags]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compile-only",
        action="store_true",
        help="only compile .po to .mo with polib (no gettext needed)",
    )
    args = parser.parse_args()
    if not args.compile_only:
        extract()
    todo = compile_all()
    for line in todo:
        print(line, file=sys.stderr)
    if todo:
        print(f"{len(todo)} French entries to translate.", file=sys.stderr)
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
