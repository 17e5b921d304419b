"""News in a real browser: read the index, open an item, print it, find the feeds;
a member proposes an item and the référent of the structure co-signs it."""

from __future__ import annotations

import datetime as dt
import os
import re

from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Site

from members.models import Membership
from news.models import NewsIndexPage, NewsPage, NewsPageStructure
from news.selectors import cosign_task_states_for
from tests.e2e.browser import follow, visit
from tests.e2e.test_journey import log_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.news.conftest import make_image

SCREENSHOTS = os.environ.get("NEWS_SCREENSHOTS")  # a folder, to look at the pages
PARIS = dt.timezone(dt.timedelta(hours=2))


def shoot(page, name: str) -> None:
    if not SCREENSHOTS:
        return
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SCREENSHOTS}/news-{name}-{width}.png", full_page=True)


def news_site():
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = NewsIndexPage(
        title="Actualités", slug="actualites", introduction="Du pôle."
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    structure = OrganisationFactory(name="Recyclerie du Canal")
    for n, (title, day) in enumerate(
        [("Atelier de réparation partagé", 22), ("Assemblée générale", 10)]
    ):
        page = NewsPage(
            title=title,
            slug=f"actualite-{n}",
            introduction=f"{title} : l’introduction.",
            main_image=make_image(f"image-{n}"),
            body=[
                ("heading", {"text": "Ce qui change", "level": "h2"}),
                ("paragraph", "<p>Un atelier pour réparer ensemble.</p>"),
                (
                    "quote",
                    {"quote": "Réparer plutôt que jeter.", "attribution": "Inès"},
                ),
            ],
        )
        page.tags.add("réemploi")
        index.add_child(instance=page)
        page.save_revision().publish()
        NewsPageStructure.objects.create(page=page, organisation=structure)
        moment = dt.datetime(2014, 9, day, 10, tzinfo=PARIS)
        NewsPage.objects.filter(pk=page.pk).update(
            first_published_at=moment, last_published_at=moment
        )
    return index, structure


def test_visitor_reads_news_prints_one_and_finds_the_feeds(page):
    index, structure = news_site()
    visit(page, index.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités")
    assert page.locator(
        'head link[rel="alternate"][type="application/rss+xml"]'
    ).count()
    shoot(page, "index")
    follow(page, page.get_by_role("link", name="Atelier de réparation partagé"))
    expect(page.get_by_role("main")).to_contain_text("Publié le 22 septembre 2014")
    expect(page.get_by_role("link", name="Recyclerie du Canal")).to_be_visible()
    expect(page.get_by_role("navigation", name="Fil d’Ariane")).to_be_visible()
    expect(page.get_by_role("heading", name="Sur le même sujet")).to_be_visible()
    shoot(page, "page")
    follow(page, page.get_by_role("link", name="Impression"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Atelier de réparation partagé"
    )
    expect(page.get_by_role("button", name="Impression")).to_be_visible()
    shoot(page, "print")
    visit(page, index.url + "archives/")
    expect(page.get_by_role("heading", name="2014")).to_be_visible()
    follow(page, page.get_by_role("link", name=re.compile("^Septembre")))
    expect(page.get_by_role("main")).to_contain_text("2 actualités")
    response = page.request.get(index.url + "flux/rss/")
    assert response.ok and "Atelier de réparation partagé" in response.text()


def test_member_proposes_and_the_referent_cosigns(open_page):
    index, structure = news_site()
    member = UserFactory(password="Coop-Solidaire-2026")
    MembershipFactory(user=member, organisation=structure)
    referent = UserFactory(password="Coop-Solidaire-2026")
    MembershipFactory(
        user=referent, organisation=structure, role=Membership.Role.REFERENT
    )

    author = open_page()
    log_in(author, member.email, "Coop-Solidaire-2026")
    visit(author, reverse("news:submit"))
    follow(author, author.get_by_role("button", name="Envoyer pour validation"))
    expect(author.locator(".error-summary")).to_be_visible()  # empty form
    author.get_by_label("Titre").fill("Un atelier vélo dans les écoles")
    author.get_by_label("Introduction").fill("Apprendre à réparer son vélo.")
    author.get_by_label(re.compile(r"^Texte")).fill("Six séances.\n\nLe mercredi.")
    author.get_by_label("Mots-clés").fill("réemploi, éducation")
    shoot(author, "submit")
    follow(author, author.get_by_role("button", name="Envoyer pour validation"))
    expect(author.get_by_role("main")).to_contain_text("En attente de validation")
    shoot(author, "submissions")

    cosigner = open_page()
    log_in(cosigner, referent.email, "Coop-Solidaire-2026")
    visit(cosigner, reverse("news:cosign_list"))
    follow(
        cosigner, cosigner.get_by_role("link", name="Un atelier vélo dans les écoles")
    )
    expect(cosigner.get_by_role("main")).to_contain_text("Six séances.")
    cosigner.get_by_label("Demander des modifications").check()
    cosigner.get_by_label("Commentaire").fill("Précisez l’horaire.")
    shoot(cosigner, "cosign")
    follow(cosigner, cosigner.get_by_role("button", name="Envoyer ma décision"))
    assert cosign_task_states_for(user=referent) == []

    visit(author, reverse("news:submissions"))
    expect(author.get_by_role("main")).to_contain_text("Précisez l’horaire.")
    follow(author, author.get_by_role("link", name=re.compile("Corriger et renvoyer")))
    # Each paragraph is corrected in place (other blocks would be kept as they are).
    expect(author.get_by_label("Paragraphe 1")).to_have_value("Six séances.")
    author.get_by_label("Paragraphe 2").fill("Le mercredi à 14 h.")
    follow(author, author.get_by_role("button", name="Renvoyer pour validation"))
    expect(author.get_by_role("main")).to_contain_text("En attente de validation")
    (state,) = cosign_task_states_for(user=referent)
    body = str(state.revision.as_object().body)
    assert "Six séances." in body and "Le mercredi à 14 h." in body
