"""Full-page screenshots of every page type, as a visitor and as each demo login.

For looking at the site by eye after a layout change (issue #8: French, 1280 px and
375 px). On the demo PTCE (same database as the server):

    DEBUG=1 .venv/bin/python manage.py migrate
    DEBUG=1 .venv/bin/python manage.py load_demo
    DEBUG=1 .venv/bin/python manage.py runserver 127.0.0.1:8150 --noreload &
    DEBUG=1 .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8150

Screenshots land in var/screenshots/review/<who>/<page>-<width>.png (not committed).
Each line printed is one page: who, width, HTTP status, scroll width (at 375 px it must
be 375: more means the page overflows), and English words seen on the French page.
Needs Playwright (a dev dependency) and Chromium on PATH. Logs in through the login
form, as a person would.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Common English words of a UI: a hint that a string escaped translation.
ENGLISH = re.compile(
    r"\b(the|and|your|with|Save|Submit|Cancel|Search|Log in|Sign up|Booking|"
    r"Resource|Previous|Next|Delete|Edit|Filter|Back|Send|Currently|Change|Clear)\b"
)


def page_types() -> tuple[dict[str, str], dict[str, str], str]:
    """{name: path} of every page type, read from the demo database (before the
    browser starts: Django's ORM refuses to run beside Playwright's event loop)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.urls import reverse

    from forum.models import Thread
    from members.demo import REFERENT_EMAIL
    from members.models import Membership
    from news.models import NewsIndexPage, NewsPage
    from notifications.models import Announcement
    from pooling.models import Booking
    from ptce.demo import DEMO_PASSWORD
    from resources.models import Resource

    referent = Membership.objects.filter(user__email=REFERENT_EMAIL).first()
    structure = referent.organisation if referent else None
    resource = Resource.objects.order_by("pk").first()
    booking = Booking.objects.filter(organisation=structure).order_by("-pk").first()
    thread = Thread.objects.filter(page__isnull=True).order_by("pk").first()
    news_index = NewsIndexPage.objects.live().first()
    news_page = NewsPage.objects.live().order_by("-first_published_at").first()
    announcement = Announcement.objects.order_by("-pk").first()
    public = {
        "accueil": "/",
        "page": "/le-ptce/",
        "mentions": "/mentions-legales/",
        "contact": "/contact/",
        "annuaire": reverse("members:organisation_list"),
        "structure": structure.get_absolute_url() if structure else "",
        "recherche": reverse("home:search") + "?q=recyclerie",
        "glossaire": reverse("home:glossary"),
        "actualites": news_index.url if news_index else "",
        "actualite": news_page.url if news_page else "",
        "forum": reverse("forum:forum_index"),
        "sujet": thread.get_absolute_url() if thread else "",
        "catalogue": reverse("pooling:catalogue"),
        "ressource": resource.get_absolute_url() if resource else "",
    }
    private = {
        "espace": reverse("members:dashboard"),
        "compte": reverse("members:account"),
        "gestion": reverse("members:organisation_manage", args=[structure.slug])
        if structure
        else "",
        "notifications": reverse("notifications:list"),
        "preferences": reverse("notifications:preferences"),
        "annonces": reverse("notifications:announcement_list"),
        "annonce": announcement.get_absolute_url() if announcement else "",
        "annonce-formulaire": reverse("notifications:announcement"),
        "semaine": reverse("pooling:week", args=[resource.pk]) if resource else "",
        "jour": reverse("pooling:day"),
        "reserver": reverse("pooling:booking_create", args=[resource.pk])
        if resource
        else "",
        "reservation": booking.get_absolute_url() if booking else "",
        "mes-reservations": reverse("pooling:my_space"),
        "demandes": reverse("pooling:approvals"),
        "releve": reverse("pooling_ledger:index"),
        "proposer-actualite": reverse("news:submit"),
        "moderation": reverse("forum:queue"),
    }
    private["connexion"] = reverse("account_login")  # only the visitor's are shot
    private["inscription"] = reverse("account_signup")
    return public, private, DEMO_PASSWORD


def log_in(page, base_url: str, path: str, email: str, password: str) -> None:
    page.goto(base_url + path)
    # The login form itself (the header has a search form and a language form).
    form = page.locator(f"main form[action='{path}']")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if page.url.endswith(path):
        sys.exit(f"could not log in as {email}")


def shoot(page, base_url, path, target: Path) -> str:
    response = page.goto(base_url + path)
    status = response.status if response else 0
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    text = page.locator("main").inner_text() if page.locator("main").count() else ""
    english = sorted(set(ENGLISH.findall(text)))
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return f"{status} scroll={width}" + (f" english={english}" if english else "")


def announcement_preview(page, base_url, target: Path) -> str:
    """The announcement form's second step: preview and « Envoyer à N personnes ? »
    (never sent)."""
    page.goto(base_url + "/notifications/annonce/")
    form = page.locator("main form")
    if not form.count():
        return "no form"
    form.locator("input[name=title]").fill("Assemblée des membres")
    form.locator("textarea[name=message]").fill(
        "Jeudi 12 à 18 h, salle du Canal. Ordre du jour : https://exemple.org/odj"
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(target), full_page=True)
    return f"preview scroll={width}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default=str(ROOT / "var" / "screenshots" / "review"))
    parser.add_argument(
        "--who", default="", help="comma-separated: visiteur, or a login's name part"
    )
    parser.add_argument("--pages", default="", help="comma-separated page names")
    parser.add_argument(
        "--widths", default="1280,375", help="comma-separated viewport widths"
    )
    args = parser.parse_args()
    public, private, password = page_types()
    login, signup = private.pop("connexion"), private.pop("inscription")
    from members.demo import (
        COORDINATOR_EMAIL,
        MEMBER_EMAIL,
        MODERATOR_EMAIL,
        REFERENT_EMAIL,
    )

    people = {"visiteur": None}
    for email in (MEMBER_EMAIL, REFERENT_EMAIL, COORDINATOR_EMAIL, MODERATOR_EMAIL):
        people[email.split("@")[0]] = email
    if args.who:
        people = {k: v for k, v in people.items() if k in args.who.split(",")}
    wanted = set(filter(None, args.pages.split(",")))

    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--lang=fr-FR"],
        )
        for who, email in people.items():
            for width in [int(w) for w in args.widths.split(",")]:
                context = browser.new_context(
                    locale="fr-FR",
                    extra_http_headers={"Accept-Language": "fr"},
                    viewport={"width": width, "height": 800},
                )
                page = context.new_page()
                pages = dict(public)
                if email:
                    log_in(page, args.base_url, login, email, password)
                    pages.update(private)
                else:
                    pages.update(connexion=login, inscription=signup)
                for name, path in pages.items():
                    if not path or (wanted and name not in wanted):
                        continue
                    target = out / who / f"{name}-{width}.png"
                    result = shoot(page, args.base_url, path, target)
                    print(f"{who:13} {width:5} {name:20} {path:45} {result}")
                if email and (not wanted or "annonce-apercu" in wanted):
                    target = out / who / f"annonce-apercu-{width}.png"
                    result = announcement_preview(page, args.base_url, target)
                    print(f"{who:13} {width:5} annonce-apercu {result}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
