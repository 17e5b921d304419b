from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail.models import Site

from home.models import ContactPage, GlossaryTerm, StandardPage
from ptce.models import SiteIdentity

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return Site.objects.get(is_default_site=True).root_page.specific


def add_page(parent, slug: str, title: str, *, menu: bool = True, **fields):
    page = StandardPage(slug=slug, title=title, show_in_menus=menu, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_main_menu_is_built_from_the_page_tree(client, home):
    ptce = add_page(home, "le-ptce", "Le PTCE")
    add_page(home, "cache", "Hors menu", menu=False)
    charter = add_page(ptce, "charte", "Notre charte", menu=False)
    html = client.get(ptce.url).content.decode()
    menu = html[html.index('class="site-nav"') : html.index("</nav>")]
    assert "Structures membres" in menu and "Le PTCE" in menu
    assert "Hors menu" not in menu
    assert f'<a href="{ptce.url}" aria-current="page">Le PTCE</a>' in menu
    # A section stays current on its inner pages, where breadcrumbs lead back.
    html = client.get(charter.url).content.decode()
    assert f'<a href="{ptce.url}" aria-current="page">Le PTCE</a>' in html
    crumbs = html[html.index('class="breadcrumbs"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert crumbs.index(">Accueil<") < crumbs.index(">Le PTCE<")
    assert '<span aria-current="page">Notre charte</span>' in crumbs


def test_directory_is_current_in_the_menu(client):
    html = client.get(reverse("members:organisation_list")).content.decode()
    url = reverse("members:organisation_list")
    assert f'<a href="{url}" aria-current="page">Structures membres</a>' in html


def test_footer_links_legal_pages_accessibility_and_contact(client, home):
    legal = add_page(home, "mentions-legales", "Mentions légales", menu=False)
    accessibility = add_page(home, "accessibilite", "Accessibilité", menu=False)
    contact = ContactPage(slug="contact", title="Nous écrire")
    home.add_child(instance=contact)
    contact.save_revision().publish()
    identity = SiteIdentity.load()
    identity.legal_notice_page = legal
    identity.accessibility_page = accessibility
    identity.address = "12 rue de la Coopération, Villeurbanne"
    identity.save()
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{legal.url}">Mentions légales</a>' in footer
    assert f'href="{accessibility.url}">Accessibilité\u00a0: non conforme</a>' in footer
    assert f'href="{contact.url}">Contact</a>' in footer
    assert "<address>12 rue de la Coopération, Villeurbanne</address>" in footer


def test_layout_has_a_fixed_number_of_queries(
    client, home, django_assert_max_num_queries
):
    for n in range(8):
        add_page(home, f"rubrique-{n}", f"Rubrique {n}")
    client.get("/")  # warm the glossary cache and the identity
    with django_assert_max_num_queries(25):
        response = client.get(reverse("home:glossary"))
    assert response.status_code == HTTPStatus.OK


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"].endswith("favicon.png")
    html = client.get(reverse("home:glossary")).content.decode()
    assert 'rel="icon"' in html


def test_home_page_names_the_ptce_once_at_the_top(client):
    identity = SiteIdentity.load()
    identity.name = "PTCE Rives Solidaires"
    identity.tagline = "Coopérer pour le territoire"
    identity.save()
    html = client.get("/").content.decode()
    main = html[html.index("<main") :]
    h1 = main[main.index("<h1") : main.index("</h1>")]
    # Once in the header; in the heading only for screen readers (visually hidden).
    assert 'class="visually-hidden">PTCE Rives Solidaires' in h1
    assert "Coopérer pour le territoire" in h1


def test_glossary_never_defines_names_or_addresses(client, home):
    GlossaryTerm.objects.create(term="PTCE", definition="Pôle territorial.")
    GlossaryTerm.objects.create(term="Coopération", definition="Travailler ensemble.")
    identity = SiteIdentity.load()
    identity.name = "PTCE Rives Solidaires"
    identity.address = "12 rue de la Coopération, 69100 Villeurbanne"
    identity.save()
    page = add_page(
        home,
        "mentions",
        "Mentions",
        menu=False,
        body=(
            "<h2>PTCE et coopération</h2><p>Éditeur : PTCE Rives Solidaires, 12 rue de "
            "la Coopération, 69100 Villeurbanne.</p><p>Un PTCE vit de coopération.</p>"
        ),
    )
    html = client.get(page.url).content.decode()
    article = html[html.index("<article") :]
    # Neither in the heading, the name nor the address: in the prose that follows.
    assert "<h2>PTCE et coopération</h2>" in article
    assert "Éditeur : PTCE Rives Solidaires, 12 rue de la Coopération" in article
    assert 'aria-describedby="glossaire-ptce' in article
    assert article.index("Un ") < article.index('aria-describedby="glossaire-ptce')


def test_glossary_never_defines_a_term_inside_the_ptce_legal_name(client, home):
    """ "Association PTCE Rives Solidaires" is the publisher's name in the legal
    notice: its "Association" is no occasion for a definition; the next one is."""
    GlossaryTerm.objects.create(term="Association", definition="Loi 1901.")
    identity = SiteIdentity.load()
    identity.name = "PTCE Rives Solidaires"
    identity.legal_name = "Association PTCE Rives Solidaires"
    identity.save()
    page = add_page(
        home,
        "mentions",
        "Mentions",
        menu=False,
        body=(
            "<p>Association PTCE Rives Solidaires (association loi 1901), 12 rue de "
            "la Coopération.</p>"
        ),
    )
    html = client.get(page.url).content.decode()
    article = html[html.index("<article") :]
    assert "<p>Association PTCE Rives Solidaires (" in article
    assert '(<span class="glossary"' in article  # the prose "association" after it
    assert article.count('aria-describedby="glossaire-association') == 1
