"""Small values shown to one person on every page, cached per person.

A signed-in page's header shows counts that are read on every request and change
rarely: unread notifications, booking requests awaiting my decision. Each costs a
query; cached, it costs one cache read. The app that owns a count reads it with
`person_value(name, person_pk, compute)` and, wherever it changes whose count,
forgets it with `person_forget(name, person_pks)`: at once and again at commit, so a
reader between the two can't keep the pre-commit value (the rule of
`ptce.pagecache`). `TIMEOUT` bounds the damage of a write that forgot to say so. A
cache outage degrades to computing the value each time
(`ptce.cache.ResilientRedisCache`).

One cache read per value and no shared version key: on a loaded machine each
round trip to Redis costs about as much as a small query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 5 * 60
_PREFIX = "ptce:person"


def _keys(name: str, person_pks: Iterable[Any]) -> list[str]:
    return [f"{_PREFIX}:{name}:{pk}" for pk in {*person_pks}]


def person_value(
    name: str, person_pk: Any, compute: Callable[[], Any], *, timeout: int = TIMEOUT
) -> Any:
    """`compute()`'s value for this person, from the cache when it is there."""
    (key,) = _keys(name, [person_pk])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def person_forget(name: str, person_pks: Iterable[Any]) -> None:
    """These people's `name` changed: their next page recomputes it."""
    pks = {*person_pks}
    if not pks:
        return

    def forget() -> None:
        cache.delete_many(_keys(name, pks))

    forget()
    transaction.on_commit(forget)
