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

On a page, every value is read in **one** round trip to the cache: an app names
the values its header shows with `register(name)` (in its AppConfig.ready()), and
reads them with `request_value(request, name, compute)`. The first such read, or the
first read of the content version (`ptce.pagecache.request_content_version`), fetches
the content version and all registered values of the request's person with one
`get_many`; a value missing from the cache is computed when it is asked for, and
stored. The values are kept on the request for the person they were read for: if
`request.user` changes during the request (a login), they are read again. A value only
one page shows (`register(name, page="app:url-name")`) joins the batch on that page
only; elsewhere it costs nothing, and read anyway it is one more round trip.
No shared version key: on a loaded machine each round trip to Redis costs about as
much as a small query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import NoReverseMatch, get_script_prefix, reverse

TIMEOUT = 5 * 60
_PREFIX = "ptce:person"


_MISSING = object()
_registered: dict[str, int] = {}  # name → timeout
_pages: dict[str, str] = {}  # name → the URL name of the one page that reads it


def _keys(name: str, person_pks: Iterable[Any]) -> list[str]:
    return [f"{_PREFIX}:{name}:{pk}" for pk in {*person_pks}]


def register(name: str, *, timeout: int = TIMEOUT, page: str | None = None) -> None:
    """Read `name` with the page's other per-person values, in one round trip; with
    `page` (a URL name), on that page only."""
    _registered[name] = timeout
    if page is None:
        _pages.pop(name, None)
    else:
        _pages[name] = page


@lru_cache(maxsize=64)
def _path_info(url_name: str, urlconf: str, script_prefix: str) -> str | None:
    """The `request.path_info` of a page without arguments (None: no such page)."""
    try:
        path = reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None
    return "/" + path[len(script_prefix) :]


def _wanted(request) -> list[str]:
    """The registered names this request's page reads."""
    if not _pages:
        return list(_registered)
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    prefix = get_script_prefix()
    path_info = getattr(request, "path_info", None)
    return [
        name
        for name in _registered
        if name not in _pages or _path_info(_pages[name], urlconf, prefix) == path_info
    ]


def load(
    request, *, extra_keys: Iterable[str] = (), pk: Any = _MISSING
) -> dict[str, Any]:
    """One get_many: `extra_keys` (the content version) and, for a signed-in person,
    every registered value. Returns what the cache held for `extra_keys`.

    `pk`: the person, when the request's user is not loaded yet (ptce.auth reads
    their row in this same batch); the values are then used only if the user the
    request ends up with is that person (`request_value` checks)."""
    if pk is _MISSING:
        user = getattr(request, "user", None)
        pk = user.pk if user is not None and user.is_authenticated else None
    person_keys = {} if pk is None else {_keys(n, [pk])[0]: n for n in _wanted(request)}
    found = cache.get_many([*extra_keys, *person_keys])
    values = {name: found.get(key, _MISSING) for key, name in person_keys.items()}
    request._ptce_person = (pk, values)
    return {key: found[key] for key in extra_keys if key in found}


def request_value(
    request,
    name: str,
    compute: Callable[[], Any],
    *,
    timeout: int | None = None,
    fresh: Callable[[Any], bool] | None = None,
) -> Any:
    """`compute()`'s value for the request's person: from the page's one batched
    read when `name` is registered, else like `person_value()`. With `fresh`, a
    cached value it refuses (made for an older content version, say) is computed
    again and stored."""
    user = request.user
    if not user.is_authenticated:
        return compute()
    if not hasattr(request, "_ptce_person"):
        # The first read of the request: with the content version, in one get_many.
        from .pagecache import request_content_version

        request_content_version(request)
    pk, values = getattr(request, "_ptce_person", (None, {}))
    if pk != user.pk:  # loaded for someone else (a login during the request)
        load(request)
        pk, values = request._ptce_person
    timeout = timeout or _registered.get(name, TIMEOUT)
    value = values.get(name, _MISSING)
    if name not in values:  # not in the batch: unregistered, or another page's
        value = person_value(name, pk, compute, timeout=timeout)
    elif value is _MISSING or value is None:
        value = compute()
        cache.set(_keys(name, [pk])[0], value, timeout)
    if fresh is not None and not fresh(value):
        value = compute()
        cache.set(_keys(name, [pk])[0], value, timeout)
    values[name] = value
    return value


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


def person_forget(name: str | tuple[str, ...], person_pks: Iterable[Any]) -> None:
    """These people's `name` changed (or each of several names: one round trip):
    their next page recomputes it."""
    pks = {*person_pks}
    if not pks:
        return
    keys = [
        key
        for one in ((name,) if isinstance(name, str) else name)
        for key in _keys(one, pks)
    ]

    def forget() -> None:
        cache.delete_many(keys)

    forget()
    transaction.on_commit(forget)


def forget_when_groups_change(name: str, *, permissions: bool = False) -> None:
    """Forget `name` for whoever joins or leaves a group — `person.groups` or
    `group.user_set` changed, from either side — or loses one deleted; with
    `permissions`, also for whoever gains or loses a permission of their own. For a
    value that follows the person's groups (a role, a permission). Call once, from
    an AppConfig.ready()."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, pre_delete

    def changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        # Forward: instance is a person. Reverse: a group (or a permission), pk_set
        # its people; a reverse clear names nobody, so they are read before it.
        if not reverse:
            if action.startswith("post_"):
                person_forget(name, [instance.pk])
        elif action == "pre_clear":
            person_forget(name, instance.user_set.values_list("pk", flat=True))
        elif action.startswith("post_") and pk_set:
            person_forget(name, pk_set)

    def deleted(sender, instance, **kwargs) -> None:
        person_forget(name, instance.user_set.values_list("pk", flat=True))

    user_model = get_user_model()
    throughs = [user_model.groups.through]
    if permissions:
        throughs.append(user_model.user_permissions.through)
    for through in throughs:
        m2m_changed.connect(
            changed,
            sender=through,
            weak=False,
            dispatch_uid=f"ptce-person-{name}-{through._meta.label_lower}",
        )
    pre_delete.connect(
        deleted, sender=Group, weak=False, dispatch_uid=f"ptce-person-{name}-group"
    )
