"""Site search: each app offers what it holds to the one search box of the site.

Contract — an app declares, in its own `search_providers.py`:

    from ptce.search_providers import Provider, SearchHit, register

    def search_resources(terms: list[str], *, user, limit: int) -> list[SearchHit]:
        ...  # only what `user` may see; published / visible items only

    register(Provider(key="resources", label=_("Shared resources"), order=30,
                      search=search_resources))

`label` names the kind of thing found, as readers say it ("Structures membres",
"Actualités"), never a model name. Optionally `more_url(query) -> str` links to the
app's own, fuller search (the directory with its filters) when `limit` hits were found.
`shared=True` says the hits are the same for every person (they never depend on
`user`): the search page then keeps them per content version, language and query
(`ptce.pagecache.versioned`), and a repeated query costs no query. Leave it False
when what is found depends on who searches. When it depends only on which of a few
audiences the person belongs to (the forum: members read every forum, others the
public ones), give `audience(request) -> str` instead: the hits are kept per
audience too, and `search` must then return the same hits for everyone of one
audience. It is asked on every search: read it from the person's cached values
(`ptce.personcache.request_value`), not with a query.

A provider that lists Wagtail pages of its own types names them in `page_types`
(`page_types=(NewsPage,)`): the generic "site pages" provider leaves those types to it
(`page_types_listed_elsewhere()`), so each item is found once, in its own group.

`terms` are already cleaned by `parse_terms` (no NUL byte, no quote, no operator,
lower-cased words): a provider matches every term at the start of a word ("velo" finds
"Vélo", not "développement"), accent- and case-insensitively (`fold_words` helps), and
costs a fixed number of queries. The search page groups hits by provider, in `order`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 50
# Letters and digits only: "_" and every punctuation mark separate words.
_WORD = re.compile(r"[^\W_]+")
# French elision: "l'ESS", "d’accord", "qu'il" search for "ESS", "accord", "il".
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu)['’]", re.IGNORECASE)


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class Provider:
    key: str
    label: str | Promise
    search: Callable[..., list[SearchHit]]
    order: int = 100
    more_url: Callable[[str], str] | None = None
    page_types: tuple[type, ...] = ()
    shared: bool = False
    audience: Callable[[Any], str] | None = None


_registry: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    existing = _registry.get(provider.key)
    if existing is not None and existing != provider:
        raise ValueError(f"Search provider {provider.key!r} is registered twice.")
    _registry[provider.key] = provider
    return provider


def providers() -> list[Provider]:
    return sorted(_registry.values(), key=lambda p: (p.order, p.key))


def page_types_listed_elsewhere() -> tuple[type, ...]:
    """The Wagtail page types a provider lists itself (see `Provider.page_types`)."""
    found = [model for p in providers() for model in p.page_types]
    return tuple(dict.fromkeys(found))


def parse_terms(query: Any) -> list[str]:
    """A visitor's query as words: no NUL, quotes or operators; MAX_TERMS at most.

    The result is safe to hand to any backend as plain words: each term holds letters
    and digits only (NFC, case-folded, at most MAX_TERM_LENGTH characters), so no
    quote, wildcard, column filter or operator syntax survives.
    """
    text = unicodedata.normalize("NFC", str(query or "")).replace("\x00", " ")
    text = _ELISION.sub(" ", text[:MAX_QUERY_LENGTH])
    words = []
    for word in _WORD.findall(text):
        # casefold() may expand ("ß" → "ss") or decompose: normalise again.
        folded = unicodedata.normalize("NFC", word.casefold())[:MAX_TERM_LENGTH]
        words.extend(_WORD.findall(folded))
    return list(dict.fromkeys(words))[:MAX_TERMS]


def fold_words(text: str) -> str:
    """Folded words, each preceded by a space: " atelier velo lyon".

    Matching `" " + fold(term)` as a substring finds the words that *start* with the
    term ("velo" finds "Vélo", "vélos", not "développement"), with a plain LIKE that
    works alike on SQLite and PostgreSQL.
    """
    return "".join(f" {word}" for word in _WORD.findall(fold(text)))


def fold(text: str) -> str:
    """Lower case, no accents ("Épicerie" → "epicerie"): for matching and sorting."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
