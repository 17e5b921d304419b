from __future__ import annotations

import datetime as dt
from http import HTTPStatus

import feedparser
import pytest
from taggit.models import Tag

pytestmark = pytest.mark.django_db

PARIS = dt.timezone(dt.timedelta(hours=2))


def parse(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.mark.parametrize(("kind", "version"), [("rss", "rss20"), ("atom", "atom10")])
def test_feeds_list_published_news_only(
    client, news_index, make_news, structures, kind, version
):
    make_news(
        "Portes ouvertes",
        tags=("réemploi",),
        cosigners=structures[:1],
        published=dt.datetime(2014, 9, 22, 10, tzinfo=PARIS),
    )
    make_news("Plus récente", published=dt.datetime(2026, 1, 2, 10, tzinfo=PARIS))
    make_news("Brouillon", live=False)
    response, feed = parse(client, f"{news_index.url}flux/{kind}/")
    assert feed.version == version
    assert [e.title for e in feed.entries] == ["Plus récente", "Portes ouvertes"]
    entry = feed.entries[1]
    assert entry.link.endswith("/actualites/actualite-1/")
    assert entry.published_parsed[:3] == (2014, 9, 22)
    assert [t.term for t in entry.tags] == ["réemploi"]
    assert entry.summary == "Introduction de Portes ouvertes."
    assert "Brouillon" not in response.content.decode()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_tag_feed_lists_that_tag_only(client, news_index, make_news, kind):
    make_news("Vélo", tags=("vélo",))
    make_news("Énergie", tags=("énergie",))
    make_news("Vélo caché", tags=("vélo",), live=False)
    slug = Tag.objects.get(name="vélo").slug
    _, feed = parse(client, f"{news_index.url}flux/{kind}/{slug}/")
    assert [e.title for e in feed.entries] == ["Vélo"]
    assert "vélo" in feed.feed.title


def test_unknown_tag_feed_is_404(client, news_index):
    assert client.get(f"{news_index.url}flux/rss/inconnu/").status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_pages_advertise_their_feeds(client, news_index, make_news):
    page = make_news(tags=("vélo",))
    slug = Tag.objects.get(name="vélo").slug
    for url in (news_index.url, page.url):
        content = client.get(url).content.decode()
        assert (
            '<link rel="alternate" type="application/rss+xml" '
            f'title="Actualités (RSS)" href="{news_index.url}flux/rss/">'
        ) in content
        assert 'type="application/atom+xml"' in content
    content = client.get(news_index.url, {"tag": slug}).content.decode()
    route = news_index.reverse_subpage("tag_feed", kwargs={"kind": "rss", "tag": slug})
    assert f'href="{news_index.url}{route}"' in content


def test_feed_query_count_is_fixed(client, news_index, make_news, structures):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        from django.core.cache import cache

        cache.clear()  # visitors' pages are cached (ptce.pagecache): measure the view
        with CaptureQueriesContext(connection) as queries:
            client.get(f"{news_index.url}flux/rss/")
        return len(queries)

    make_news(tags=("a", "b"), cosigners=structures)
    few = count()
    for _ in range(5):
        make_news(tags=("a", "b"), cosigners=structures)
    assert count() <= few <= 12  # no query per item
