"""Comments under a page, in a real browser and in French: a visitor comments,
confirms by e-mail, sees the comment pending, a moderator approves it, everybody sees
it; a rejected comment shows its reason to its author only. Every page is checked
with axe, and screenshots at 1280 and 375 px go to var/screenshots/forum/."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Site

from home.models import StandardPage
from members.permissions import MODERATORS_GROUP
from tests.e2e.browser import follow, visit
from tests.e2e.test_journey import log_in
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "motdepasse-solide-42"
CONFIRM = re.compile(r"/forum/confirmer/[^/\s]+/")
SHOTS = Path(django_settings.VAR_DIR) / "screenshots" / "forum"
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "forum" / "templates"


@pytest.fixture
def article(settings, monkeypatch):
    monkeypatch.setattr(StandardPage, "accepts_comments", True, raising=False)
    monkeypatch.setattr(
        StandardPage, "template", "forum_tests/commentable_page.html", raising=False
    )
    template = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**template, "DIRS": [*template["DIRS"], TEMPLATES_DIR]}]
    settings.FORUM_RATE_LIMITS = {"person": (100, 600), "address": (100, 600)}
    root = Site.objects.get(is_default_site=True).root_page
    page = StandardPage(
        title="Le Mois de l’ESS commence",
        slug="mois-ess",
        introduction="Un mois de rencontres entre structures du pôle.",
    )
    root.add_child(instance=page)
    page.save_revision().publish()
    return page


def confirmation_path(address: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in mail.outbox:
            if address in message.to:
                found = CONFIRM.search(message.body)
                assert found, message.body
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"no e-mail to {address}")


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def fill(page, body: str, *, name: str = "", email: str = ""):
    form = page.locator("form.forum-form")
    if name:
        form.get_by_label("Votre nom").fill(name)
        form.get_by_label("Votre adresse e-mail").fill(email)
    form.get_by_label("Votre message").fill(body)
    return form


def comment(page, body: str, **who: str) -> None:
    form = fill(page, body, **who)
    follow(page, form.get_by_role("button", name="Poster ce message"))


def test_visitor_comment_confirmed_then_approved(open_page, article, mailoutbox):
    moderator = UserFactory(first_name="Nora", last_name="Modère")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    visitor = open_page()

    visit(visitor, article.url)
    main = visitor.get_by_role("main")
    expect(main).to_contain_text("Ce forum est modéré a priori")
    expect(main).to_contain_text("Qui êtes-vous")
    form = fill(
        visitor,
        "{{Bravo}} pour ce programme !",
        name="Camille Visiteuse",
        email="camille@exemple.fr",
    )
    follow(visitor, form.get_by_role("button", name="Prévisualiser"))
    expect(visitor.locator(".forum-preview strong")).to_have_text("Bravo")
    shoot(visitor, "comment-preview")
    follow(
        visitor,
        visitor.locator("form.forum-form").get_by_role(
            "button", name="Poster ce message"
        ),
    )
    expect(visitor.get_by_role("main")).to_contain_text("en attente de validation")
    shoot(visitor, "comment-pending")

    visit(visitor, confirmation_path("camille@exemple.fr"))
    follow(visitor, visitor.get_by_role("button", name="Confirmer mon message"))
    expect(visitor.get_by_role("main")).to_contain_text("Votre message est confirmé")
    expect(visitor.locator("#forum")).to_contain_text("en attente de validation")

    passer_by = open_page()
    visit(passer_by, article.url)
    expect(passer_by.locator("#forum")).not_to_contain_text("Bravo")

    manager = open_page()
    log_in(manager, moderator.email, PASSWORD)
    expect(manager.locator(".forum-queue-link")).to_have_text("1 à modérer")
    visit(manager, reverse("forum:queue"))
    shoot(manager, "queue")
    follow(manager, manager.get_by_role("link", name="Décider"))
    follow(manager, manager.get_by_role("button", name="Valider"))

    visit(passer_by, article.url)
    expect(passer_by.locator("#forum")).to_contain_text("Bravo pour ce programme")
    expect(passer_by.locator("#forum strong", has_text="Bravo")).to_be_visible()
    expect(passer_by.locator("#forum")).not_to_contain_text("en attente")
    shoot(passer_by, "comment-published")


def test_rejected_comment_shows_its_reason_to_its_author_only(
    open_page, article, mailoutbox
):
    moderator = UserFactory(first_name="Nora", last_name="Modère")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    author = MembershipFactory().user
    writer = open_page()
    log_in(writer, author.email, PASSWORD)
    visit(writer, article.url)
    comment(writer, "Venez acheter nos produits !")
    expect(writer.locator("#forum")).to_contain_text("en attente de validation")

    manager = open_page()
    log_in(manager, moderator.email, PASSWORD)
    visit(manager, reverse("forum:queue"))
    follow(manager, manager.get_by_role("link", name="Décider"))
    manager.get_by_label("Motif donné à l’auteur ou l’autrice").fill(
        "Publicité : hors sujet pour cette actualité."
    )
    follow(manager, manager.get_by_role("button", name="Refuser"))
    expect(manager.get_by_role("main")).to_contain_text("Le message est refusé")

    visit(writer, article.url)
    expect(writer.locator("#forum")).to_contain_text("Publicité : hors sujet")
    shoot(writer, "comment-rejected")
    other = open_page()
    visit(other, article.url)
    expect(other.locator("#forum")).not_to_contain_text("Publicité")
    expect(other.locator("#forum")).not_to_contain_text("Venez acheter")
