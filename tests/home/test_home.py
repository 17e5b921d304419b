from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from home.models import GlossaryTerm, StandardPage
from members.models import Organisation
from ptce.models import SiteIdentity
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return Site.objects.get(is_default_site=True).root_page.specific


def add_page(home, slug: str, title: str, body: str = "", live: bool = True):
    page = StandardPage(slug=slug, title=title, body=body, live=live)
    home.add_child(instance=page)
    return page


def test_home_shows_identity_figures_members_and_coming_soon_parts(client, home):
    identity = SiteIdentity.load()
    identity.name, identity.territory = "PTCE des Rives", "Villeurbanne"
    identity.save()
    OrganisationFactory.create_batch(2, category=Organisation.Category.ESS)
    OrganisationFactory(
        category=Organisation.Category.COMPANY,
        legal_form="",
        name="Menuiserie Test",
        slug="menuiserie-test",
    )
    OrganisationFactory(
        status=Organisation.Status.APPLIED, name="Candidate", slug="candidate"
    )
    response = client.get("/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "<h1>PTCE des Rives" in html and "Villeurbanne" in html
    assert "<strong>3</strong> structures membres" in html
    figures = {f.key: f.value for f in response.context["figures"]}
    assert figures["members.structures"] == 3
    assert (figures["pooling.resources"], figures["pooling.hours"]) == (0, 0)
    cards = {c.key: c.context for c in response.context["cards"]}
    categories = cards["members.categories"]["by_category"]
    assert [(c.value, c.count) for c in categories] == [("ess", 2), ("company", 1)]
    assert 'href="/membres/structures/menuiserie-test/"' in html
    assert "Candidate" not in html  # applications are not members yet
    assert html.count("Bientôt disponible") == 1  # only the events are still to come
    assert f'href="{reverse("pooling:catalogue")}"' in html
    # News shows through its own card (news/home_blocks.py) once an item is published.
    for part in ("Ressources partagées", "Agenda", "Forum"):
        assert part in html
    assert f'href="{reverse("members:organisation_list")}"' in html


def test_home_empty_state_without_members(client):
    html = client.get("/").content.decode()
    assert "Aucune structure membre pour l’instant." in html


def test_home_query_count_does_not_grow_with_members(
    client, home, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(3)
    with django_assert_max_num_queries(50) as few:
        client.get("/")
    OrganisationFactory.create_batch(40)
    home.featured_count = 12
    home.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert len(response.context["featured_organisations"]) == 12


def test_home_body_gets_inline_glossary(client, home):
    GlossaryTerm.objects.create(term="PTCE", definition="Pôle territorial.")
    home.body = "<p>Le PTCE coopère.</p>"
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'href="/glossaire/#ptce"' in html
    assert "home/glossary.js" in html


def test_footer_links_legal_pages_only_when_set_and_live(client, home):
    legal = add_page(home, "mentions-legales", "Mentions légales")
    a11y = add_page(home, "accessibilite", "Accessibilité", live=False)
    html = client.get("/").content.decode()
    assert "/mentions-legales/" not in html
    identity = SiteIdentity.load()
    identity.legal_notice_page = legal
    identity.accessibility_page = a11y
    identity.accessibility_status = SiteIdentity.AccessibilityStatus.PARTIAL
    identity.save()
    html = client.get("/").content.decode()
    assert 'href="/mentions-legales/"' in html
    assert "/accessibilite/" not in html  # not published: no dead link
    a11y.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'href="/accessibilite/"' in html
    assert "Accessibilité\u00a0: partiellement conforme" in html


def test_standard_page_renders_with_one_h1(client, home):
    add_page(home, "le-ptce", "Le PTCE", body="<h2>Projet</h2><p>Texte</p>")
    response = Client().get("/le-ptce/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<h1") == 1 and "<h2>Projet</h2>" in html
