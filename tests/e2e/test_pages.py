"""The public pages load in French, pass axe, and switch to English."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, follow, visit
from tests.factories import OrganisationFactory


def test_public_pages_are_french_and_accessible(page):
    organisation = OrganisationFactory(
        name="Atelier Partagé", description="Un atelier de réparation solidaire."
    )
    pages = {
        "/": None,
        reverse("members:organisation_list"): "Atelier Partagé",
        organisation.get_absolute_url(): "Atelier Partagé",
        reverse("home:search") + "?q=atelier": None,
        reverse("account_login"): None,
        reverse("account_signup"): None,
    }
    for path, expected_text in pages.items():
        visit(page, path)
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(
            page.get_by_role("link", name="Passer au contenu principal")
        ).to_have_count(1)
        expect(page.locator("h1")).to_have_count(1)
        if expected_text:
            expect(page.get_by_role("main")).to_contain_text(expected_text)


def test_directory_links_to_the_structure_profile(page):
    OrganisationFactory(name="Coopérative du Lien", slug="cooperative-du-lien")
    visit(page, reverse("members:organisation_list"))
    follow(page, page.get_by_role("link", name="Coopérative du Lien"))
    expect(page).to_have_url(re.compile(r"/membres/structures/cooperative-du-lien/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Coopérative du Lien")


def test_login_and_signup_forms_are_in_french(page):
    visit(page, reverse("account_login"))
    expect(page.get_by_label("Mot de passe")).to_be_visible()
    visit(page, reverse("account_signup"))
    expect(page.get_by_label("Prénom")).to_be_visible()
    expect(page.get_by_role("button", name="Créer mon compte")).to_be_visible()


def test_language_switcher_switches_to_english_and_back(page):
    visit(page, reverse("members:organisation_list"))
    follow(page, page.get_by_role("button", name="English"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Skip to main content")).to_have_count(1)
    # The choice sticks to the session, and the page the user was on is kept.
    expect(page).to_have_url(re.compile(r"/membres/structures/$"))
    visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    follow(page, page.get_by_role("button", name="Français"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    visit(page, "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Passer au contenu principal")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_accessibility_check_fails_on_a_violation(page):
    # The harness itself: a page with an unlabelled image must not pass.
    visit(page, "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<img src=\"/static/missing.png\">')"
    )
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        axe_check(page)
