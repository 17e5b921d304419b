from __future__ import annotations

from django import template

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
