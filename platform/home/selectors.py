"""Reads for the public site: home page figures, glossary, search results."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.text import Truncator
from wagtail.models import Page

from members import selectors as members_selectors
from members.models import Organisation
from ptce import home_blocks

from .glossary import Entry, fold
from .models import GlossaryTerm

GLOSSARY_CACHE_KEY = "home:glossary:entries:v1"


@dataclass(frozen=True)
class ShownFigure:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class ShownCard:
    key: str
    template: str
    context: dict[str, Any]


def home_figures() -> list[ShownFigure]:
    """The key figures the apps registered (ptce.home_blocks), with their values."""
    return [ShownFigure(f.key, str(f.label), f.value()) for f in home_blocks.figures()]


def home_cards() -> list[ShownCard]:
    return [ShownCard(c.key, c.template, c.context()) for c in home_blocks.cards()]


def featured_organisations(*, limit: int) -> QuerySet[Organisation]:
    return members_selectors.featured_organisations(limit=limit)


def glossary_terms() -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.order_by("term")


def glossary_entries() -> list[Entry]:
    """Every term with its forms, cached until a term is saved or deleted."""
    entries = cache.get(GLOSSARY_CACHE_KEY)
    if entries is None:
        entries = [
            Entry(
                term=term.term,
                slug=term.slug,
                definition=term.definition,
                variants=tuple(term.variants),
                url=term.get_absolute_url(),
            )
            for term in glossary_terms()
        ]
        cache.set(GLOSSARY_CACHE_KEY, entries, timeout=None)
    return entries


def glossary_cache_clear() -> None:
    cache.delete(GLOSSARY_CACHE_KEY)


def glossary_by_letter() -> list[tuple[str, list[GlossaryTerm]]]:
    """Terms grouped under their initial (accents folded: "Économie" goes under E)."""
    groups: dict[str, list[GlossaryTerm]] = {}
    terms = sorted(glossary_terms(), key=lambda t: fold(t.term)[0])
    for term in terms:
        initial = fold(term.term[:1])[0].upper() or "#"
        groups.setdefault(initial if initial.isalpha() else "#", []).append(term)
    return sorted(groups.items())


@dataclass(frozen=True)
class SearchResult:
    page: Page
    type_label: str
    excerpt: str


def search_pages(query: str):
    """Live, public pages matching every word of `query` (Wagtail search backend)."""
    return Page.objects.live().public().specific().search(query, operator="and")


class _TextExtractor(HTMLParser):
    INLINE = frozenset(
        {
            "a",
            "abbr",
            "b",
            "code",
            "em",
            "i",
            "mark",
            "q",
            "s",
            "span",
            "strong",
            "sub",
            "sup",
            "u",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs=None):
        if tag not in self.INLINE:  # blocks and line breaks separate words
            self.parts.append(" ")

    handle_endtag = handle_starttag

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return " ".join("".join(extractor.parts).split())


def search_result(page: Page) -> SearchResult:
    """The page's type and a short excerpt: its description, introduction or body."""
    text = (
        page.search_description
        or getattr(page, "introduction", "")
        or html_to_text(str(getattr(page, "body", "") or ""))
    )
    return SearchResult(
        page=page,
        type_label=str(page._meta.verbose_name),
        excerpt=Truncator(" ".join(text.split())).words(40),
    )
