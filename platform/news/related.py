"""« Sur le même sujet »: items of any kind that share tags with a page.

Contract — another app (events, forum threads) adds its items by registering, in its
own module imported at start-up (e.g. from its AppConfig.ready):

    from news.related import RelatedProvider, register_related
    register_related(RelatedProvider(key="events", find=find_related_events))

where `find(tag_ids: list[int], *, exclude, limit: int) -> list[RelatedItem]` returns
published, public items carrying any of the taggit tags `tag_ids` (taggit's shared
Tag table is the common vocabulary), best first, in a fixed number of queries.
The page shows the best `limit` items of all providers, most shared tags first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class RelatedItem:
    title: str
    url: str
    kind: str | Promise
    date: datetime | None = None
    summary: str = ""
    shared_tags: int = 0
    key: str = ""  # "<provider>:<pk>": never the page being shown


@dataclass(frozen=True)
class RelatedProvider:
    key: str
    find: Callable[..., list[RelatedItem]]


_registry: dict[str, RelatedProvider] = {}


def register_related(provider: RelatedProvider) -> RelatedProvider:
    existing = _registry.get(provider.key)
    if existing is not None and existing != provider:
        raise ValueError(f"Related provider {provider.key!r} is registered twice.")
    _registry[provider.key] = provider
    return provider


def related_items(
    tag_ids: list[int], *, exclude: Any, limit: int = 3
) -> list[RelatedItem]:
    if not tag_ids or limit <= 0:
        return []
    found: list[RelatedItem] = []
    for provider in sorted(_registry.values(), key=lambda p: p.key):
        found.extend(provider.find(tag_ids, exclude=exclude, limit=limit))

    def rank(item: RelatedItem):
        stamp = item.date.timestamp() if item.date else 0
        return (-item.shared_tags, -stamp)

    return sorted(found, key=rank)[:limit]
