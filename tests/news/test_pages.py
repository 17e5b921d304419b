"""The news index (filters, archive, pagination), a news page and its print view."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import GlossaryTerm
from news.models import NewsPage
from news.selectors import latest_news
from ptce import home_blocks

pytestmark = pytest.mark.django_db

PARIS = dt.timezone(dt.timedelta(hours=2))


def html(response) -> str:
    assert response.status_code == HTTPStatus.OK, response.status_code
    return response.content.decode()


def test_news_page_shows_date_breadcrumb_cosigners_tags_body_and_glossary(
    client, make_news, structures
):
    GlossaryTerm.objects.create(term="ESS", definition="Économie sociale et solidaire.")
    image = None
    from tests.news.conftest import make_image

    image = make_image("Figure")
    page = make_news(
        "Portes ouvertes",
        tags=("réemploi",),
        cosigners=structures[:2],
        published=dt.datetime(2014, 9, 22, 10, tzinfo=PARIS),
        image=True,
        body=[
            ("heading", {"text": "Un intertitre", "level": "h2"}),
            ("paragraph", "<p>Le pôle de l’ESS ouvre ses portes.</p>"),
            (
                "figure",
                {
                    "image": {
                        "image": image,
                        "decorative": False,
                        "alt_text": "Un vélo",
                    },
                    "caption": "Légende",
                },
            ),
            ("quote", {"quote": "Coopérer.", "attribution": "Camille"}),
        ],
    )
    content = html(client.get(page.url))
    assert "Publié le 22 septembre 2014" in content
    assert 'aria-label="Fil d’Ariane"' in content or "breadcrumb" in content
    assert '<a href="/actualites/">Actualités</a>' in content
    for organisation in structures[:2]:
        assert f'href="/membres/{organisation.slug}/"' in content or (
            organisation.get_absolute_url() in content
        )
    assert "réemploi" in content
    assert "<h2>Un intertitre</h2>" in content
    assert 'alt="Un vélo"' in content
    assert "<blockquote>" in content
    assert 'class="glossary__term"' in content  # the glossary marks "ESS"
    assert 'href="#forum"' in content  # comments (forum app) under every news item
    assert 'type="application/rss+xml"' in content


def test_print_view_is_a_clean_standalone_page(client, make_news):
    page = make_news("À imprimer")
    content = html(client.get(page.url + "impression/"))
    assert "news/print.css" in content
    assert "site-header" not in content
    assert "À imprimer" in content


def test_related_news_share_tags_and_exclude_drafts_and_self(client, make_news):
    page = make_news("Sujet", tags=("réemploi", "vélo"))
    best = make_news("Deux tags", tags=("réemploi", "vélo"))
    other = make_news("Un tag", tags=("vélo",))
    make_news("Rien en commun", tags=("énergie",))
    make_news("Brouillon", tags=("réemploi", "vélo"), live=False)
    content = html(client.get(page.url))
    section = content.split('id="related-title"')[1]
    assert section.index(best.title) < section.index(other.title)
    assert "Rien en commun" not in section
    assert "Brouillon" not in section
    assert ">Sujet<" not in section


def test_index_lists_live_news_newest_first_never_drafts(client, news_index, make_news):
    make_news("Ancienne", published=dt.datetime(2025, 1, 5, tzinfo=PARIS))
    make_news("Récente", published=dt.datetime(2026, 3, 5, tzinfo=PARIS))
    make_news("Brouillon", live=False)
    content = html(client.get(news_index.url))
    assert content.index("Récente") < content.index("Ancienne")
    assert "Brouillon" not in content


def test_index_filters_by_tag_structure_and_month(
    client, news_index, make_news, structures
):
    a = make_news(
        "Vélo", tags=("vélo",), published=dt.datetime(2026, 3, 5, tzinfo=PARIS)
    )
    b = make_news(
        "Jardin",
        cosigners=[structures[1]],
        published=dt.datetime(2026, 4, 5, tzinfo=PARIS),
    )
    from taggit.models import Tag

    tag = Tag.objects.get(name="vélo")
    content = html(client.get(news_index.url, {"tag": tag.slug}))
    assert a.title in content and b.title not in content
    content = html(client.get(news_index.url, {"structure": structures[1].slug}))
    assert b.title in content and a.title not in content
    content = html(client.get(news_index.url, {"mois": "2026-03"}))
    assert a.title in content and b.title not in content
    # Values no form offers are ignored, never an error.
    for bad in (
        {"mois": "2026-13"},
        {"mois": "x" * 10_000},
        {"structure": "inconnue"},
        {"page": "999"},
        {"page": "-1"},
    ):
        assert client.get(news_index.url, bad).status_code == HTTPStatus.OK
    # A NUL byte is refused before any view (a 400), never a server error.
    assert client.get(news_index.url, {"tag": "\x00"}).status_code == (
        HTTPStatus.BAD_REQUEST
    )


def test_archive_counts_months(client, news_index, make_news):
    make_news(published=dt.datetime(2025, 9, 22, 10, tzinfo=PARIS))
    make_news(published=dt.datetime(2025, 9, 23, 10, tzinfo=PARIS))
    make_news(published=dt.datetime(2026, 1, 2, 10, tzinfo=PARIS))
    make_news("Brouillon", live=False)
    content = html(client.get(news_index.url + "archives/"))
    assert "2025" in content and "2026" in content
    assert "?mois=2025-09" in content
    assert "2 actualités" in content


def test_index_paginates(client, news_index, make_news):
    for n in range(12):
        make_news(
            f"Numéro {n:02d}", published=dt.datetime(2026, 1, n + 1, tzinfo=PARIS)
        )
    first = html(client.get(news_index.url))
    second = html(client.get(news_index.url, {"page": 2}))
    assert "Numéro 11" in first and "Numéro 00" not in first
    assert "Numéro 00" in second and 'rel="prev"' in second


def _queries(client, url) -> int:
    """Queries of a warm visit: the first visit fills the caches the layout shares."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == HTTPStatus.OK
    return len(queries)


def test_query_counts_do_not_grow_with_the_number_of_news(
    client, news_index, make_news, structures
):
    def add(n):
        for _ in range(n):
            make_news(tags=("vélo", "réemploi"), cosigners=structures[:2], image=True)

    add(3)
    page = NewsPage.objects.live().last()
    client.get(news_index.url)  # renditions are created on the first view
    client.get(page.url)
    small_index, small_page = (
        _queries(client, news_index.url),
        _queries(client, page.url),
    )
    add(9)
    client.get(news_index.url)  # new content: warm the caches again, as above
    client.get(page.url)
    assert _queries(client, news_index.url) == small_index
    assert _queries(client, page.url) == small_page
    # Visitors: from the page cache (signed in: tests/news/test_page_cache.py).
    assert small_index == small_page == 0, (small_index, small_page)


def test_home_card_offers_the_three_latest_live_news(news_index, make_news):
    for n in range(4):
        make_news(f"N{n}", published=dt.datetime(2026, 1, n + 1, tzinfo=PARIS))
    make_news("Brouillon", live=False)
    (card,) = [c for c in home_blocks.cards() if c.key == "news"]
    context = card.context()
    assert [p.title for p in context["latest_news"]] == ["N3", "N2", "N1"]
    assert context["news_index"].pk == news_index.pk
    assert [p.title for p in latest_news()] == ["N3", "N2", "N1"]


def test_search_provider_finds_published_news_only(news_index, make_news):
    from ptce.search_providers import providers

    make_news("Atelier vélo solidaire")
    make_news("Atelier vélo secret", live=False)
    (provider,) = [p for p in providers() if p.key == "news"]
    hits = provider.search(["atelier", "vélo"], user=None, limit=10)
    assert [hit.title for hit in hits] == ["Atelier vélo solidaire"]


def test_unknown_routes_are_404(client, news_index, make_news):
    page = make_news()
    assert client.get(page.url + "inconnu/").status_code == HTTPStatus.NOT_FOUND
    draft = make_news(live=False)
    assert client.get(draft.url or "/actualites/" + draft.slug + "/").status_code == (
        HTTPStatus.NOT_FOUND
    )
    assert client.get(
        draft.url + "impression/"
        if draft.url
        else f"/actualites/{draft.slug}/impression/"
    ).status_code == (HTTPStatus.NOT_FOUND)
