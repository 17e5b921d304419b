from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Site

from home.models import GlossaryTerm, StandardPage
from members.models import Organisation
from tests.factories import OrganisationFactory

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


def groups(response) -> dict[str, list[str]]:
    return {g.key: [hit.title for hit in g.hits] for g in response.context["groups"]}


def test_results_show_an_excerpt_without_technical_labels(client, home):
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
    assert "Page standard" not in html and "Pages du site" in html
    assert "Le covoiturage solidaire entre structures." in html
    # The excerpt is text: no markup, and blocks do not run words together.
    assert "Atelier Un atelier de covoiturage partagé." in html
    assert "2 résultats" in html


def test_one_search_over_structures_pages_and_glossary(client, home):
    OrganisationFactory(name="La Recyclerie du canal", summary="Réemploi")
    OrganisationFactory(name="Candidate recyclerie", status=Organisation.Status.APPLIED)
    add_page(home, 1, body="<p>Visitez la recyclerie le samedi.</p>")
    GlossaryTerm.objects.create(
        term="Recyclerie", definition="Lieu de réemploi des objets."
    )
    response = search(client, q="RECYCLERIE")
    assert groups(response) == {
        "structures": ["La Recyclerie du canal"],
        "pages": ["Page 1"],
        "glossary": ["Recyclerie"],
    }
    html = response.content.decode()
    # Grouped by kind, in the providers' order, with the readers' words.
    assert (
        html.index("Structures membres")
        < html.index("Pages du site")
        < html.index("Glossaire</h2>")
    )


def test_search_is_word_by_word_accent_and_case_insensitive(client):
    OrganisationFactory(name="Atelier vélo", city="Lyon")
    OrganisationFactory(name="Agence de développement", city="Lyon")
    OrganisationFactory(name="Canal emploi", summary="Structure d’insertion")
    for query in ("velo", "VÉLO", "Vélo lyon", "atelier VELO"):
        assert groups(search(client, q=query)) == {"structures": ["Atelier vélo"]}
    assert groups(search(client, q="canal insertion")) == {
        "structures": ["Canal emploi"]
    }
    assert groups(search(client, q="vélo canal")) == {}


def test_many_structures_link_to_the_directory(client):
    for n in range(12):
        OrganisationFactory(name=f"Jardin partagé {n}")
    response = search(client, q="jardin")
    assert len(groups(response)["structures"]) == 10
    directory = reverse("members:organisation_list")
    assert f'href="{directory}?q=jardin"' in response.content.decode()


def test_unpublished_pages_are_not_found(client, home):
    page = StandardPage(slug="brouillon", title="Brouillon secret", live=False)
    home.add_child(instance=page)
    html = search(client, q="secret").content.decode()
    assert "Brouillon secret" not in html
    assert "empty-state" in html


def test_empty_query_and_no_results_states(client, home):
    html = search(client).content.decode()
    assert "empty-state" not in html and "search-result" not in html
    html = search(client, q="   ").content.decode()
    assert "empty-state" not in html
    html = search(client, q="introuvable").content.decode()
    assert "Rien ne correspond à «\u00a0introuvable\u00a0»" in html
    assert "empty-state" in html


def test_query_is_escaped(client, home):
    html = search(client, q='<script>alert("x")</script>').content.decode()
    assert '<script>alert("x")' not in html


@pytest.mark.parametrize(
    "query",
    ['ESS "coop', "d'accord \"", "\x00", "a\x00b", "*", "NEAR(", "x" * 100_000, "-"],
)
def test_punctuation_never_breaks_the_search(client, home, query):
    add_page(home, 1, body="<p>ESS coop d’accord</p>")
    assert search(client, q=query).status_code == expected_status(query)


def expected_status(query: str) -> HTTPStatus:
    # A NUL byte is refused before any view (ptce.middleware): a clear 400, never 500.
    return HTTPStatus.BAD_REQUEST if "\x00" in query else HTTPStatus.OK


def test_search_has_a_fixed_number_of_queries(
    client, home, django_assert_max_num_queries
):
    for n in range(15):
        OrganisationFactory(name=f"Recyclerie {n}")
        add_page(home, n, introduction="recyclerie")
    GlossaryTerm.objects.create(term="Recyclerie", definition="Réemploi.")
    with django_assert_max_num_queries(18):  # 5 of them: the layout's, cold
        response = search(client, q="recyclerie")
    assert response.status_code == HTTPStatus.OK


# Everything a visitor might type: punctuation, quotes, operators, NUL, accents.
QUERY_ALPHABET = st.sampled_from(
    list("\"'’«»()[]{}*^:+-~|&!?,.;/\\%_@#$=<>`\x00 \t")
    + ["AND", "OR", "NOT", "NEAR", "é", "ß", "ǅ", "²", "١", "ＥＳＳ", "coop", "ESS"]
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.lists(QUERY_ALPHABET, max_size=12).map("".join) | st.text(max_size=40))
def test_fuzzed_queries_never_fail(client, home, query):
    """On both databases (CI runs this file on PostgreSQL): 200, never a 500."""
    if not StandardPage.objects.exists():
        add_page(home, 1, body="<p>ESS coop « d’accord »</p>")
        OrganisationFactory(name="Coop ESS")
    assert search(client, q=query).status_code == expected_status(query)


def test_a_news_item_is_found_once_under_news_not_under_site_pages(client, home):
    """Each app offers its own pages: a news item is under « Actualités » only."""
    from news.models import NewsIndexPage, NewsPage

    index = NewsIndexPage(title="Actualités", slug="actualites", introduction="")
    home.add_child(instance=index)
    index.save_revision().publish()
    item = NewsPage(
        title="Atelier de réparation ouvert",
        slug="atelier",
        introduction="Un atelier de réparation partagé.",
        body=[("paragraph", "<p>Réparer plutôt que jeter.</p>")],
    )
    index.add_child(instance=item)
    item.save_revision().publish()
    add_page(home, 1, body="<p>L’atelier de réparation ouvre le samedi.</p>")
    found = groups(search(client, q="atelier reparation"))
    assert found["pages"] == ["Page 1"]
    assert found["news"] == ["Atelier de réparation ouvert"]
