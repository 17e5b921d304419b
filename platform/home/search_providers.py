"""Site pages and glossary terms in the site search."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ptce.search_providers import Provider, SearchHit, fold, fold_words, register

from . import selectors


def search_pages(terms: list[str], *, user, limit: int) -> list[SearchHit]:
    """Live, public pages holding every term (the Wagtail search backend)."""
    if not terms:
        return []
    return [
        SearchHit(title=result.page.title, url=result.page.url, summary=result.excerpt)
        for result in map(
            selectors.search_result, selectors.search_pages(terms)[:limit]
        )
    ]


def search_glossary(terms: list[str], *, user, limit: int) -> list[SearchHit]:
    """Terms whose forms or definition hold every term: cached entries, 0-1 query."""
    folded = [f" {fold(term)}" for term in terms]
    hits = []
    for entry in selectors.glossary_entries():
        text = fold_words(" ".join([*entry.variants, entry.definition]))
        if all(term in text for term in folded):
            hits.append(SearchHit(entry.term, entry.url, entry.definition))
    return hits[:limit]


register(
    Provider(
        key="pages", label=_("Site pages"), order=20, search=search_pages, shared=True
    )
)
register(
    Provider(
        key="glossary",
        label=_("Glossary"),
        order=90,
        search=search_glossary,
        shared=True,
    )
)
