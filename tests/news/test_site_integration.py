"""News across the site: the home card's stylesheet in the head, one search hit per
news item, feed autodiscovery on every page, « Actualités » and the forum in the menu.
"""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse
from taggit.models import Tag

from home.models import StandardPage
from news.demo import _index
from news.models import NewsIndexPage, NewsPage
from ptce.demo import DemoContext

pytestmark = pytest.mark.django_db


def page_html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == HTTPStatus.OK, response.status_code
    return response.content.decode()


def head_and_body(html: str) -> tuple[str, str]:
    end = html.index("</head>")
    return html[:end], html[end:]


# --- 2. the home card's stylesheet ----------------------------------------------
def test_home_news_card_stylesheet_is_in_the_head_not_the_body(client, make_news):
    make_news("Portes ouvertes")
    head, body = head_and_body(page_html(client, "/"))
    assert "Portes ouvertes" in body  # the card is shown
    assert 'href="/static/news/news.css"' in head
    assert head.count('href="/static/news/news.css"') == 1
    assert "<link" not in body
    assert "<style" not in body and " style=" not in body


def test_news_page_links_its_stylesheets_in_the_head(client, make_news):
    page = make_news("Portes ouvertes")
    head, body = head_and_body(page_html(client, page.url))
    assert 'id="forum"' in body  # the comments (forum app) are shown
    assert 'href="/static/forum/forum.css"' in head
    assert "<link" not in body


# --- 3. search: each news item once, in the news group --------------------------
def test_search_lists_a_news_item_once_in_the_news_group(client, home, make_news):
    page = make_news("Atelier vélo solidaire")
    other = StandardPage(title="Atelier vélo du quartier", slug="atelier")
    home.add_child(instance=other)
    other.save_revision().publish()
    html = page_html(client, reverse("home:search"), q="atelier vélo")
    assert html.count(f'href="{page.url}"') == 1
    news_group = html[html.index('id="resultats-news"') :]
    news_group = news_group[: news_group.index("</section>")]
    assert f'href="{page.url}"' in news_group
    # Other pages are still found, among the site's pages.
    pages_group = html[html.index('id="resultats-pages"') :]
    pages_group = pages_group[: pages_group.index("</section>")]
    assert f'href="{other.url}"' in pages_group
    assert f'href="{page.url}"' not in pages_group


# --- 4. feed autodiscovery on every page ----------------------------------------
@pytest.mark.parametrize(
    "url", ["/", reverse("members:organisation_list"), reverse("home:glossary")]
)
def test_every_page_advertises_the_news_feeds_in_its_head(client, news_index, url):
    head, body = head_and_body(page_html(client, url))
    rss = (
        '<link rel="alternate" type="application/rss+xml" '
        f'title="Actualités (RSS)" href="{news_index.url}flux/rss/">'
    )
    assert rss in head
    atom = f'title="Actualités (Atom)" href="{news_index.url}flux/atom/"'
    assert f'type="application/atom+xml" {atom}' in head
    assert "application/rss+xml" not in body


def test_news_pages_advertise_each_feed_once(client, news_index, make_news):
    page = make_news(tags=("vélo",))
    for url in (news_index.url, page.url):
        head, _ = head_and_body(page_html(client, url))
        assert head.count(f'href="{news_index.url}flux/rss/"') == 1
    slug = Tag.objects.get(name="vélo").slug
    head, _ = head_and_body(page_html(client, news_index.url, tag=slug))
    assert head.count("application/rss+xml") == 2  # all news, and this tag's


def test_no_feed_links_without_a_news_section(client):
    head, _ = head_and_body(page_html(client, "/"))
    assert "application/rss+xml" not in head


def test_feed_links_follow_the_news_section(client, news_index):
    page_html(client, "/")  # cached...
    news_index.unpublish()
    head, _ = head_and_body(page_html(client, "/"))
    assert "application/rss+xml" not in head  # ...until the content changes


# --- 5. « Actualités » and the forum in the main menu -----------------------------
def menu_of(html: str) -> str:
    start = html.index('class="site-nav"')
    return html[start : html.index("</nav>", start)]


def test_demo_news_index_and_forum_are_in_the_main_menu(client, home):
    index = _index(DemoContext(pages={"home": home}, log=lambda *args: None))
    assert index.show_in_menus
    item = NewsPage(title="Portes ouvertes", slug="portes-ouvertes", introduction="I.")
    index.add_child(instance=item)
    item.save_revision().publish()
    forum_url = reverse("forum:forum_index")
    menu = menu_of(page_html(client, "/"))
    assert f'<a href="{index.url}">Actualités</a>' in menu
    assert f'<a href="{forum_url}">Forum</a>' in menu
    # Current on the index and on its news items; the forum on its own pages.
    current = f'<a href="{index.url}" aria-current="page">Actualités</a>'
    assert current in menu_of(page_html(client, index.url))
    assert current in menu_of(page_html(client, item.url))
    forum_menu = menu_of(page_html(client, forum_url))
    assert f'<a href="{forum_url}" aria-current="page">Forum</a>' in forum_menu
    assert current not in forum_menu


def test_a_demo_loaded_earlier_gets_its_news_index_into_the_menu(client, home):
    old = NewsIndexPage(title="Actualités", slug="actualites", show_in_menus=False)
    home.add_child(instance=old)
    old.save_revision().publish()
    index = _index(DemoContext(pages={"home": home}, log=lambda *args: None))
    assert index.pk == old.pk and index.show_in_menus
    assert f'<a href="{index.url}">Actualités</a>' in menu_of(page_html(client, "/"))


def test_a_news_index_created_in_the_admin_is_in_menus_by_default():
    assert NewsIndexPage(title="Actualités", slug="actualites").show_in_menus
