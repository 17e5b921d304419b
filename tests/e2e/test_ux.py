"""Finding one's way, one search, one's own account, announcements, and phones.

On the demo PTCE, in French, every page checked with axe. Screenshots of every page
type at 1280 and 375 px land in var/screenshots/ (look at them when changing layout).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from members.demo import (
    COORDINATOR_EMAIL,
    MEMBER_EMAIL,
    MODERATOR_EMAIL,
    REFERENT_EMAIL,
)
from members.models import Organisation, User
from notifications.models import Announcement, Notification
from tests.e2e.browser import after_navigation, follow, visit

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(transactional_db):
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)


@pytest.fixture
def as_person(open_page, live_server):
    """A page logged in as the demo person with this e-mail (session cookie)."""

    def as_person(email: str, *, viewport=DESKTOP):
        client = Client()
        client.force_login(User.objects.get(email=email))
        page = open_page()
        page.set_viewport_size(viewport)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return as_person


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)


def test_navigation_menu_footer_breadcrumbs(demo, page):
    visit(page, "/")
    menu = page.get_by_role("navigation", name="Menu principal")
    expect(menu.get_by_role("link", name="Le PTCE")).to_be_visible()
    expect(menu.get_by_role("link", name="Nous contacter")).to_be_visible()
    expect(page.locator("link[rel=icon]").first).to_have_attribute(
        "href", re.compile(r"favicon")
    )
    # The name once at the top: the header's brand, the heading says what it does.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Coopérer")
    expect(page.locator(".brand__logo")).to_be_visible()
    follow(page, menu.get_by_role("link", name="Le PTCE"))
    expect(menu.get_by_role("link", name="Le PTCE")).to_have_attribute(
        "aria-current", "page"
    )
    crumbs = page.get_by_role("navigation", name="Vous êtes ici")
    expect(crumbs.get_by_role("link", name="Accueil")).to_be_visible()
    expect(page.locator("main img")).to_have_count(2)
    footer = page.get_by_role("contentinfo")
    for name in ("Mentions légales", "Contact", "Charte du PTCE"):
        expect(footer.get_by_role("link", name=re.compile(name))).to_be_visible()
    expect(footer.get_by_role("link", name=re.compile("Accessibilité"))).to_be_visible()
    follow(page, footer.get_by_role("link", name="Contact", exact=True))
    expect(page.get_by_label("Votre message")).to_be_visible()
    page.get_by_label("Votre nom").fill("Inès")
    page.get_by_label("Votre adresse e-mail").fill("ines@exemple.fr")
    page.get_by_label("Votre message").fill("Bonjour, comment adhérer ?")
    follow(page, page.get_by_role("button", name="Envoyer le message"))
    expect(page.get_by_role("status")).to_contain_text("Merci")


# Words of an English interface: none may be left on a French page's chrome, search
# results or account form.
ENGLISH_UI = re.compile(
    r"\b(Member structures|Search|Log in|Log out|Sign up|My space|My account|My "
    r"bookings|Pooling|News|Glossary|Results?|Save|Submit|First name|Last name|Job "
    r"title|Phone|Notifications settings|Legal notice|Contact us)\b"
)


def _no_english(locator) -> None:
    found = sorted(set(ENGLISH_UI.findall(locator.inner_text())))
    assert not found, f"English on a French page: {found}"


def test_navigation_search_and_my_account_read_in_french(demo, as_person):
    """The browser asks for French (locale fr-FR, Accept-Language fr): the main
    navigation, the search page and Mon compte answer in French, typography included."""
    page = as_person(MEMBER_EMAIL)
    visit(page, "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    menu = page.get_by_role("navigation", name="Menu principal")
    for name in ("Structures membres", "Le PTCE", "Mutualisation", "Forum"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    header = page.locator("header.site-header")
    expect(
        header.get_by_role("searchbox", name="Rechercher dans le site")
    ).to_be_visible()
    expect(header.locator(".user-menu summary")).to_be_visible()
    _no_english(header)
    _no_english(page.get_by_role("contentinfo"))

    header.get_by_role("searchbox").fill("coopération")
    follow(page, header.get_by_role("button", name="Rechercher"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Recherche")
    expect(main.get_by_role("heading", name="Glossaire")).to_be_visible()
    expect(main.get_by_role("heading", name="Pages du site")).to_be_visible()
    _no_english(main)

    page.locator(".user-menu summary").click()
    follow(page, page.get_by_role("link", name="Mon compte"))
    expect(main.get_by_role("heading", level=1)).to_have_text("Mon compte")
    for label in ("Prénom", "Nom", "Fonction", "Téléphone"):
        expect(main.get_by_label(re.compile(rf"^{label}\b"))).to_be_visible()
    expect(main.get_by_role("button", name="Enregistrer")).to_be_visible()
    _no_english(main)


def test_one_search_over_structures_pages_and_glossary(demo, page):
    visit(page, "/")
    page.get_by_role("searchbox", name="Rechercher dans le site").fill("RECYCLERIE")
    follow(page, page.get_by_role("button", name="Rechercher"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Structures membres")).to_be_visible()
    expect(main.get_by_role("link", name="Recyclerie du Canal")).to_be_visible()
    expect(main).not_to_contain_text("Page standard")
    visit(page, reverse("home:search") + "?q=cooperation")
    expect(main.get_by_role("heading", name="Glossaire")).to_be_visible()
    expect(main.get_by_role("heading", name="Pages du site")).to_be_visible()
    # Punctuation never breaks it.
    visit(page, reverse("home:search") + '?q=ESS+"coop')
    visit(page, reverse("members:organisation_list") + "?q=velo")
    expect(main.get_by_role("heading", level=2).first).to_be_visible()


def test_a_member_edits_their_profile(demo, as_person):
    page = as_person(MEMBER_EMAIL)
    visit(page, "/")
    page.locator(".user-menu summary").click()
    follow(page, page.get_by_role("link", name="Mon compte"))
    page.get_by_label("Fonction").fill("Chargée de mission réemploi")
    page.get_by_label("Téléphone").fill("04 72 11 22 33")
    page.get_by_label(re.compile("M’afficher comme contact")).first.check()
    follow(page, page.get_by_role("button", name="Enregistrer"))
    expect(page.get_by_role("main")).to_contain_text("Votre compte est enregistré.")
    visit(page, "/membres/structures/recyclerie-du-canal/")
    expect(page.get_by_role("main")).to_contain_text("Chargée de mission réemploi")
    expect(page.get_by_role("link", name="04 72 11 22 33")).to_have_attribute(
        "href", "tel:+33472112233"
    )


def test_an_announcement_is_previewed_confirmed_and_readable(demo, as_person):
    coordinator = as_person(COORDINATOR_EMAIL)
    visit(coordinator, reverse("notifications:announcement"))
    coordinator.get_by_label("Titre").fill("Assemblée des membres")
    coordinator.get_by_label("Message").fill("Jeudi 12 à 18 h, salle du Canal.")
    follow(coordinator, coordinator.get_by_role("button", name="Prévisualiser"))
    people = User.objects.filter(is_active=True).count()
    expect(coordinator.get_by_role("heading", level=2).last).to_have_text(
        re.compile(rf"Envoyer à {people} personnes\s\?")
    )
    follow(
        coordinator, coordinator.get_by_role("button", name=re.compile("Oui, envoyer"))
    )
    # The demo has announcements of its own: this one is the newest.
    announcement = Announcement.objects.latest("sent_at", "id")
    member = as_person(MEMBER_EMAIL)
    visit(member, reverse("notifications:list"))
    follow(member, member.get_by_role("link", name=re.compile("Assemblée des membres")))
    expect(member).to_have_url(re.compile(announcement.get_absolute_url() + "$"))
    expect(member.get_by_role("main")).to_contain_text("salle du Canal")
    visit(member, reverse("notifications:announcement_list"))
    expect(member.get_by_role("link", name="Assemblée des membres")).to_be_visible()


def test_notifications_are_marked_read_one_then_all(demo, as_person):
    """The centre's one form: each unread item's button is named after it; pressing
    it marks that one (the bell follows), then « Tout marquer comme lu » the rest."""
    member = User.objects.get(email=MEMBER_EMAIL)
    Notification.objects.filter(recipient=member).delete()
    for text in ("Réunion du bureau", "Atelier réemploi"):
        Notification.objects.create(
            recipient=member, kind="notifications.announcement", text=text
        )
    page = as_person(MEMBER_EMAIL)
    visit(page, reverse("notifications:list"))
    main = page.get_by_role("main")
    expect(main.get_by_text("Non lue", exact=True)).to_have_count(2)
    follow(
        page,
        main.get_by_role("button", name="Marquer comme lue : Réunion du bureau"),
    )
    expect(main).to_contain_text("La notification est marquée comme lue.")
    expect(main.get_by_text("Non lue", exact=True)).to_have_count(1)
    expect(
        main.get_by_role("button", name=re.compile("Réunion du bureau"))
    ).to_have_count(0)
    expect(page.locator(".notification-bell .badge")).to_have_text("1")
    follow(page, main.get_by_role("button", name="Tout marquer comme lu"))
    expect(main).to_contain_text("Toutes vos notifications sont marquées comme lues.")
    expect(main.get_by_text("Non lue", exact=True)).to_have_count(0)
    expect(page.locator(".notification-bell .badge")).to_have_count(0)
    assert not Notification.objects.filter(recipient=member, read_at=None).exists()


# Every page type issue #8 asks to hold at 375 px, and who looks at it (a page a person
# cannot open would only show the login or a refusal). Names are the screenshots'.
PAGE_TYPES = (
    # (name, who, path factory)
    ("accueil", "visitor", lambda d: "/"),
    ("page", "visitor", lambda d: "/le-ptce/"),
    ("mentions", "visitor", lambda d: "/mentions-legales/"),
    ("contact", "visitor", lambda d: "/contact/"),
    ("connexion", "visitor", lambda d: reverse("account_login")),
    ("inscription", "visitor", lambda d: reverse("account_signup")),
    ("annuaire", "visitor", lambda d: reverse("members:organisation_list")),
    ("structure", "visitor", lambda d: d["organisation"].get_absolute_url()),
    ("recherche", "visitor", lambda d: reverse("home:search") + "?q=recyclerie"),
    ("glossaire", "visitor", lambda d: reverse("home:glossary")),
    ("actualites", "visitor", lambda d: d["news_index"].url),
    ("actualite", "visitor", lambda d: d["news_page"].url),
    ("forum", "visitor", lambda d: reverse("forum:forum_index")),
    ("sujet", "visitor", lambda d: d["thread"].get_absolute_url()),
    ("catalogue", "visitor", lambda d: reverse("pooling:catalogue")),
    ("ressource", "visitor", lambda d: d["resource"].get_absolute_url()),
    ("espace", "referent", lambda d: reverse("members:dashboard")),
    ("compte", "referent", lambda d: reverse("members:account")),
    (
        "gestion",
        "referent",
        lambda d: reverse("members:organisation_manage", args=[d["organisation"].slug]),
    ),
    ("retirer", "referent", lambda d: d["remove_url"]),
    ("notifications", "referent", lambda d: reverse("notifications:list")),
    ("preferences", "referent", lambda d: reverse("notifications:preferences")),
    ("annonces", "referent", lambda d: reverse("notifications:announcement_list")),
    ("annonce", "referent", lambda d: d["announcement"].get_absolute_url()),
    ("semaine", "referent", lambda d: reverse("pooling:week", args=[d["resource"].pk])),
    ("jour", "referent", lambda d: reverse("pooling:day")),
    (
        "reserver",
        "referent",
        lambda d: reverse("pooling:booking_create", args=[d["resource"].pk]),
    ),
    ("reservation", "referent", lambda d: d["booking"].get_absolute_url()),
    ("mes-reservations", "referent", lambda d: reverse("pooling:my_space")),
    ("demandes", "approver", lambda d: reverse("pooling:approvals")),
    ("releve", "coordinator", lambda d: reverse("pooling_ledger:index")),
    ("proposer-actualite", "referent", lambda d: reverse("news:submit")),
    ("moderation", "moderator", lambda d: reverse("forum:queue")),
    (
        "annonce-formulaire",
        "coordinator",
        lambda d: reverse("notifications:announcement"),
    ),
)


def _demo_objects() -> dict:
    from forum.models import Thread
    from news.models import NewsIndexPage, NewsPage
    from notifications.services import announcement_send
    from pooling.models import Booking
    from pooling.selectors import pending_for_approver
    from resources.models import Resource

    organisation = Organisation.objects.get(slug="recyclerie-du-canal")
    announcement = announcement_send(
        author=User.objects.get(email=COORDINATOR_EMAIL),
        title="Assemblée des membres",
        message="Jeudi à 18 h. Ordre du jour : https://exemple.org/ordre-du-jour",
    )
    approvers = [
        user
        for user in User.objects.filter(is_active=True).order_by("pk")
        if pending_for_approver(user).exists()
    ]
    assert approvers, "the demo should hold a booking awaiting approval"
    approver = approvers[0]
    return {
        "organisation": organisation,
        "announcement": announcement,
        "remove_url": reverse(
            "members:membership_remove",
            args=[organisation.memberships.exclude(user__email=REFERENT_EMAIL)[0].pk],
        ),
        "resource": Resource.objects.order_by("pk").first(),
        "booking": Booking.objects.filter(organisation=organisation).latest("pk"),
        "news_index": NewsIndexPage.objects.live().first(),
        "news_page": NewsPage.objects.live().first(),
        "thread": Thread.objects.filter(page__isnull=True).order_by("pk").first(),
        "emails": {
            "referent": REFERENT_EMAIL,
            "coordinator": COORDINATOR_EMAIL,
            "moderator": MODERATOR_EMAIL,
            "approver": approver.email,
        },
    }


def _fits(page, path: str, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{path} is {width}px wide"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_no_page_type_overflows_and_screenshots(demo, as_person, viewport):
    objects = _demo_objects()
    pages = {"visitor": as_person(MEMBER_EMAIL, viewport=viewport)}
    pages["visitor"].context.clear_cookies()
    for who, email in objects["emails"].items():
        pages[who] = as_person(email, viewport=viewport)
    for name, who, path_of in PAGE_TYPES:
        page, path = pages[who], path_of(objects)
        visit(page, path)
        _fits(page, path, viewport)
        shoot(page, name)
    # The announcement's second step: the preview and « Envoyer à N personnes ? ».
    page = pages["coordinator"]
    page.get_by_label("Titre").fill("Assemblée des membres")
    page.get_by_label("Message").fill("Jeudi 12 à 18 h, salle du Canal.")
    follow(page, page.get_by_role("button", name="Prévisualiser"))
    _fits(page, "annonce-apercu", viewport)
    shoot(page, "annonce-apercu")
    if viewport is PHONE:
        # The user menu opens without a raw disclosure triangle and stays on screen.
        page = pages["referent"]
        visit(page, "/")
        page.locator(".user-menu summary").click()
        after_navigation(page)
        _fits(page, "/ (menu ouvert)", viewport)
        shoot(page, "menu-ouvert")
