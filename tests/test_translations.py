"""What French readers see is our catalogues' wording, not a homonym's from Django,
Wagtail or allauth (the first app in INSTALLED_APPS wins a shared msgid)."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[1]
# Apps under platform/ and at the top level (resources/, pooling/…), then the root.
CATALOGUES = sorted(
    [
        *ROOT.glob("platform/*/locale/fr/LC_MESSAGES/django.po"),
        *ROOT.glob("*/locale/fr/LC_MESSAGES/django.po"),
    ]
) + [ROOT / "locale/fr/LC_MESSAGES/django.po"]


def test_our_french_wording_wins_every_shared_msgid():
    lost = []
    with translation.override("fr"):
        for path in CATALOGUES:
            for entry in polib.pofile(str(path)):
                if entry.msgid_plural or not entry.msgstr:
                    continue
                shown = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if shown != entry.msgstr:
                    lost.append(
                        f"{path.parent.parent.parent.parent.name}: {entry.msgid!r} "
                        f"shows {shown!r}, not {entry.msgstr!r}"
                    )
    assert not lost, "\n".join(lost)


def _typography():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "messages_script", ROOT / "scripts/messages.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.french_typography


def test_french_typography_has_non_breaking_spaces():
    """« : ; ! ? » take a non-breaking space (`make messages` typesets them)."""
    typeset = _typography()
    wrong = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            texts = (
                entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            )
            wrong += [f"{path}: {text!r}" for text in texts if typeset(text) != text]
    assert not wrong, "\n".join(wrong)
    assert (
        typeset("Où ? « Ici » : là !") == "Où\u00a0? «\u00a0Ici\u00a0»\u00a0: là\u00a0!"
    )
