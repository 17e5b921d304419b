"""Site search: each app offers what it holds to the one search box of the site.

Contract — an app declares, in its own `search_providers.py`:

    from ptce.search_providers import Provider, SearchHit, register

    def search_resources(terms: list[str], *, user, limit: int) -> list[SearchHit]:
        ...  # only what `user` may see; published / visible items only

    register(Provider(key="resources", label=_("Ressources partagées"), order=30,
                      search=search_resources))

`terms` are already cleaned by `parse_terms` (no NUL byte, no quote, no operator,
lower-cased words): a provider matches every term, accent- and case-insensitively, and
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
_WORD = re.compile(r"\w+", re.UNICODE)


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


_registry: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    existing = _registry.get(provider.key)
    if existing is not None and existing != provider:
        raise ValueError(f"Search provider {provider.key!r} is registered twice.")
    _registry[provider.key] = provider
    return provider


def providers() -> list[Provider]:
    return sorted(_registry.values(), key=lambda p: (p.order, p.key))


def parse_terms(query: Any) -> list[str]:
    """A visitor's query as words: no NUL, quotes or operators; MAX_TERMS at most."""
    text = unicodedata.normalize("NFC", str(query or ""))[:MAX_QUERY_LENGTH]
    words = [word.casefold() for word in _WORD.findall(text.replace("\x00", " "))]
    unique = list(dict.fromkeys(word for word in words if word != "_"))
    return unique[:MAX_TERMS]


def fold(text: str) -> str:
    """Lower case, no accents ("Épicerie" → "epicerie"): for matching and sorting."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
