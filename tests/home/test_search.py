from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail.models import Site

from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return Site.objects.get(is_default_site=True).root_page.specific


def add_page(home, n: int, **fields):
    page = StandardPage(slug=f"page-{n}", title=f"Page {n}", **fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def search(client, **params):
    return client.get(reverse("home:search"), params)


def test_results_show_type_and_excerpt(client, home):
    add_page(
        home,
        1,
        introduction="Le covoiturage solidaire entre structures.",
        body="<p>Texte</p>",
    )
    add_page(
        home, 2, body="<h2>Atelier</h2><p>Un <b>atelier</b> de covoiturage partagé.</p>"
    )
    add_page(home, 3, body="<p>Rien à voir.</p>")
    response = search(client, q="covoiturage")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "Page 1" in html and "Page 2" in html and "Page 3" not in html
    assert "Page standard" in html  # the page type, in French
    assert "Le covoiturage solidaire entre structures." in html
    # The excerpt is text: no markup, and blocks do not run words together.
    assert "Atelier Un atelier de covoiturage partagé." in html
    assert "2 résultats" in html


def test_unpublished_pages_are_not_found(client, home):
    page = StandardPage(slug="brouillon", title="Brouillon secret", live=False)
    home.add_child(instance=page)
    html = search(client, q="secret").content.decode()
    assert "Brouillon secret" not in html
    assert "empty-state" in html


def test_empty_query_and_no_results_states(client, home):
    html = search(client).content.decode()
    assert "empty-state" not in html and "<ol" not in html
    html = search(client, q="   ").content.decode()
    assert "<ol" not in html
    html = search(client, q="introuvable").content.decode()
    assert (
        "Aucune page ne correspond à « introuvable »" in html or "introuvable" in html
    )
    assert "empty-state" in html


def test_results_are_paginated_and_keep_the_query(client, home):
    for n in range(12):
        add_page(home, n, introduction="Mutualisation de locaux")
    first = search(client, q="mutualisation").content.decode()
    assert first.count('class="search-result"') == 10
    assert "page=2&amp;q=mutualisation" in first
    second = search(client, q="mutualisation", page=2).content.decode()
    assert second.count('class="search-result"') == 2
    # A page number past the end shows the last page rather than an error.
    assert search(client, q="mutualisation", page=99).status_code == HTTPStatus.OK


def test_query_is_escaped(client, home):
    html = search(client, q='<script>alert("x")</script>').content.decode()
    assert '<script>alert("x")' not in html
