from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ptce.pagecache import versioned

register = template.Library()


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


@register.simple_tag(takes_context=True)
def news_site_feed_links(context) -> str:
    """The news feeds' autodiscovery links, in the head of every page (base.html).

    The same for everyone: cached per language and content version, in the
    process's memory too (one query when cold, to find the live news index;
    nothing when there is none).
    """

    def build() -> str:
        from news.selectors import news_index

        return render_to_string(
            "news/includes/feed_links.html", {"index_page": news_index(), "tag": None}
        )

    html = versioned(
        context.get("request"), ("news:feed-links:v2", get_language()), build
    )
    return mark_safe(html)  # our own template's output, escaped there
