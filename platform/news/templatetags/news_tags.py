from __future__ import annotations

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ptce.pagecache import FRAGMENT_TIMEOUT, content_version

register = template.Library()

SITE_FEED_LINKS_CACHE_KEY = "news:feed-links:v1:{language}:{version}"


@register.simple_tag
def news_feed_url(index_page, kind: str = "rss", tag=None) -> str:
    """The URL of the RSS or Atom feed of all news, or of one tag's news."""
    if index_page is None:
        return ""
    if tag is not None:
        route = index_page.reverse_subpage(
            "tag_feed", kwargs={"kind": kind, "tag": getattr(tag, "slug", tag)}
        )
    else:
        route = index_page.reverse_subpage("feed", kwargs={"kind": kind})
    return index_page.url + route


@register.simple_tag
def news_route_url(page, name: str) -> str:
    return page.url + page.reverse_subpage(name)


@register.inclusion_tag("news/includes/feed_links.html")
def news_feed_links(index_page, tag=None):
    """<link rel="alternate"> for feed readers (autodiscovery), in the page head."""
    return {"index_page": index_page, "tag": tag}


@register.simple_tag
def news_site_feed_links() -> str:
    """The news feeds' autodiscovery links, in the head of every page (base.html).

    The same for everyone: cached per language and content version (one query
    when cold, to find the live news index; nothing when there is none).
    """
    key = SITE_FEED_LINKS_CACHE_KEY.format(
        language=get_language(), version=content_version() or "none"
    )
    html = cache.get(key)
    if html is None:
        from news.selectors import news_index

        html = render_to_string(
            "news/includes/feed_links.html", {"index_page": news_index(), "tag": None}
        )
        cache.set(key, html, timeout=FRAGMENT_TIMEOUT)
    return mark_safe(html)  # our own template's output, escaped there
