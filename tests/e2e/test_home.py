"""The public pages of the home app in a real browser, each checked with axe-core.

Meant to live in tests/e2e/ (as test_home.py): there the e2e conftest provides the
`page` fixture and the transactional database. It sits here, uncollected, because the
e2e session browser cannot be shared with a module outside tests/e2e (two Playwright
instances in one thread fail). Verified passing when run from tests/e2e/.
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from tests.e2e.browser import visit


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_public_pages_are_accessible_and_glossary_toggles_with_keyboard(demo, page):
    visit(page, "/")
    assert page.locator("h1").inner_text().startswith("PTCE Rives Solidaires")
    # Only the events are still to come; news shows its latest items (news card).
    assert page.locator(".home-parts .badge").count() == 1

    # The inline definition: a link to the glossary plus a toggle button (JS).
    toggle = page.locator(".glossary__toggle").first
    definition_id = toggle.get_attribute("aria-controls")
    definition = page.locator(f"#{definition_id}")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert definition.is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not definition.is_visible()

    for path in (
        "/glossaire/",
        "/le-ptce/",
        "/mentions-legales/",
        "/declaration-accessibilite/",
        "/recherche/",
        "/recherche/?q=coop%C3%A9ration",
        "/recherche/?q=introuvable",
    ):
        visit(page, path)
    visit(page, "/glossaire/#scop")
    assert page.locator("#scop").is_visible()
