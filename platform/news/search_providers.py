"""News items in the site search: published, public pages only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.search_providers import Provider, SearchHit, register

from .models import NewsPage
from .selectors import published_news


def search_news(terms: list[str], *, user, limit: int) -> list[SearchHit]:
    if not terms:
        return []
    results = published_news().search(" ".join(terms), operator="and")[:limit]
    return [
        SearchHit(title=page.title, url=page.url, summary=page.introduction)
        for page in results
    ]


# News items are found here, under « Actualités », not among the site's pages.
register(
    Provider(
        key="news",
        label=_("News"),
        order=40,
        search=search_news,
        page_types=(NewsPage,),
        shared=True,
    )
)
