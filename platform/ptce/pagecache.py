"""Caching what does not depend on the person, invalidated by one content version.

- `content_version()` — a token that changes whenever published content changes: a
  page published, unpublished, moved or deleted, the PTCE identity, an image or a
  document saved, and whatever model an app registers with `invalidate_on_change()`
  (the glossary, member structures…). Every cached fragment and page has it in its
  key, so a change makes them all unreachable at once; nothing is ever deleted
  key by key, and the cache is never flushed.
- Template fragments, for everyone: Django's own `{% cache %}` tag with
  `content_version` (a context variable, see context_processors) among its keys:
      {% load cache %}
      {% cache 600 "footer" LANGUAGE_CODE content_version %}…{% endcache %}
  Add `request.path` when the fragment marks the current page.
  `{% load ptce_cache %}{% shared_fragment "name" … %}…{% endshared_fragment %}` does
  the same with the version and the language always in the key, and keeps a copy in
  the process's memory (`versioned()`): a hit costs no round trip to Redis.
- `versioned(request, parts, build)` — any value that depends on the content only
  (menus, feed links, the identity): process memory first, then the shared cache,
  then `build()`. Safe across processes because the key holds the version: a bump
  in one process makes every other process's copy unreachable at its next request
  (each request reads the version once, with the person's header values:
  `ptce.personcache.load`). Cache down → no version → built each time, nothing
  kept in memory.
- Whole pages, for visitors: `AnonymousPageCacheMiddleware` serves a GET without a
  session cookie from the cache, keyed by content version, language and URL (a URL
  with a query string, which visitors write at will, from the process's bounded
  memory only, never from Redis). What
  it stores is only what any visitor would get: a 200 that sets no cookie, used no
  CSRF token and did not ask not to be cached.

Why not a library: wagtail-cache invalidates by clearing the whole cache (on Redis,
the whole database, where Celery's queue and the rate limits also live), and
Django's cache middleware can only expire, not invalidate, and misses as soon as a
visitor has any cookie that the page varies on.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.cache import cc_delim_re

VERSION_KEY = "ptce:content-version"
# Safety nets: every change invalidates at once, except writes that send no signal
# (QuerySet.update(), bulk_create()): after those, call bump_content_version().
PAGE_TIMEOUT = 60
FRAGMENT_TIMEOUT = 5 * 60
# Saves that never change what a page shows: sessions, the admin's log, the outbox and
# in-site notifications (each person's own, never in a shared page), allauth's
# addresses, permissions (the Administration link is cached per person), beat's tables.
IGNORED_APPS = frozenset(
    {
        "sessions",
        "admin",
        "notifications",
        "account",
        "auth",
        "contenttypes",
        "django_celery_beat",
    }
)
NEVER_CACHED_PREFIXES = ("/cms/", "/django-admin/", "/comptes/", "/sante/")
NOT_SHARED = {"private", "no-cache", "no-store"}


def content_version() -> str | None:
    """The current content version; None when the cache is unreachable."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(6), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


# Bumps made by this process: a request that changed content (or created the
# identity on a fresh database) reads the version again for what it renders next.
_bumps = 0


def request_content_version(request) -> str | None:
    """content_version(), read once per request however many fragments ask, in the
    same round trip as the person's header values (ptce.personcache.load); again
    after this process bumped it."""
    if not hasattr(request, "_ptce_content_version"):
        # Loading a signed-in user reads the version in their batch (ptce.auth).
        getattr(request, "user", None) and request.user.is_authenticated
    if not hasattr(request, "_ptce_content_version"):
        from .personcache import load

        version = load(request, extra_keys=[VERSION_KEY]).get(VERSION_KEY)
        request._ptce_content_version = version or content_version()
        request._ptce_bumps = _bumps
    elif request._ptce_bumps != _bumps:
        request._ptce_content_version = content_version()
        request._ptce_bumps = _bumps
    return request._ptce_content_version


def prefetch_person(request, pk, *, extra_keys: Iterable[str] = ()) -> dict[str, Any]:
    """The request's one batch, read before its user is known: the content version,
    person `pk`'s header values and `extra_keys` (their cached row: ptce.auth).
    Returns what the cache held for `extra_keys`."""
    from .personcache import load

    found = load(request, extra_keys=[VERSION_KEY, *extra_keys], pk=pk)
    request._ptce_content_version = found.pop(VERSION_KEY, None) or content_version()
    request._ptce_bumps = _bumps
    return found


class LocalTier:
    """A small per-process memory in front of the shared cache, for keys that hold
    the content version (so never stale): entries expire after their timeout and
    the whole memory is dropped when it holds `max_entries`."""

    def __init__(self, max_entries: int = 2_000) -> None:
        self.max_entries = max_entries
        self._data: dict[str, tuple[float, Any]] = {}

    def get(self, key: str) -> Any:
        entry = self._data.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def set(self, key: str, value: Any, timeout: float) -> None:
        if len(self._data) >= self.max_entries:
            self._data = {}
        self._data[key] = (time.monotonic() + timeout, value)

    def clear(self) -> None:
        self._data = {}


local_tier = LocalTier()


def versioned(
    request,
    parts: Iterable[Any],
    build: Callable[[], Any],
    *,
    timeout: int = FRAGMENT_TIMEOUT,
    tier: LocalTier | None = None,
    shared: bool = True,
) -> Any:
    """`build()`'s value for the current content version (see the module docstring).

    `parts` name the value (and the language when it holds text); `request` may be
    None outside a request (the version is then read from the cache). The value is
    shared by every request of the process: return immutable things (str, tuples).
    `timeout` 0 (a preview) builds without caching. `tier`: another process memory
    than the shared one, for values keyed by what visitors type (search), so that
    they cannot push the header's fragments out. `shared=False`: that memory only,
    never the shared cache — for whole page bodies keyed by what visitors type (a
    search, filters), so that a flood of distinct queries costs each process a
    bounded memory and never fills Redis, where Celery's queue also lives.
    """
    tier = local_tier if tier is None else tier
    version = content_version() if request is None else request_content_version(request)
    if version is None or not timeout:
        return build()
    name = ":".join(str(part) for part in parts)
    if len(name) > 150:
        name = hashlib.sha256(name.encode()).hexdigest()
    key = f"ptce:v:{version}:{name}"
    value = tier.get(key)
    if value is None:
        value = cache.get(key) if shared else None
        if value is None:
            value = build()
            if shared:
                cache.set(key, value, timeout)
        tier.set(key, value, timeout)
    return value


# Where render_with_part() puts its part: random, so no content can hold it.
_PART_MARK = f"ptce-part-{secrets.token_hex(16)}"


def render_with_part(
    request, template_name: str, context: dict, *, name: str, part: bytes, **kwargs
):
    """render(), with a large kept part — UTF-8 bytes, encoded once when it was
    built (`versioned()`) — in place of `{{ name }}`, spliced into the response's
    bytes instead of going through the template: joining and encoding a 190 KiB
    statement body on every request cost more than the rest of its page. The
    template must show `{{ name }}` exactly once."""
    from django.shortcuts import render
    from django.utils.safestring import mark_safe

    response = render(
        request, template_name, {**context, name: mark_safe(_PART_MARK)}, **kwargs
    )
    head, found, tail = response.content.partition(_PART_MARK.encode())
    if not found:
        raise ValueError(f"{template_name} does not show {{{{ {name} }}}}")
    response.content = b"".join((head, part, tail))
    return response


def bump_content_version(**kwargs) -> None:
    """Make every cached page and fragment stale: now, and again at commit.

    The second bump covers a reader that cached the old state between the first one
    and the commit.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    global _bumps
    _bumps += 1
    cache.set(VERSION_KEY, secrets.token_hex(6), timeout=None)


def invalidate_on_change(*models, ignore_fields: frozenset[str] = frozenset()) -> None:
    """Bump the content version whenever one of `models` is saved or deleted.

    Call from an app's AppConfig.ready() for each model its public pages show; a
    save whose update_fields are all in `ignore_fields` (a user's last_login) does
    not count.
    """

    def on_save(sender, update_fields=None, **kwargs) -> None:
        if update_fields and set(update_fields) <= ignore_fields:
            return
        bump_content_version()

    for model in models:
        uid = f"ptce_content_version_{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, weak=False, dispatch_uid=f"{uid}_s")
        post_delete.connect(
            bump_content_version, sender=model, weak=False, dispatch_uid=f"{uid}_d"
        )


_never_shown: set[str] = set()


def never_shown(*models) -> None:
    """These models' rows never show in a shared page (a person's own calendar
    token…): saving one must not make every cached page and fragment stale. Call
    from the app's AppConfig.ready()."""
    _never_shown.update(model._meta.label_lower for model in models)


def _any_model_changed(sender, update_fields=None, **kwargs) -> None:
    if sender._meta.app_label in IGNORED_APPS:
        return
    if sender._meta.label_lower in _never_shown:
        return
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # a login
    bump_content_version()


def connect_all_models() -> None:
    """Safe by default: any model saved or deleted, in any app, bumps the version.

    A new app's public pages (a calendar, a news list) are then never served stale
    without it doing anything; invalidate_on_change() stays to say it explicitly.
    """
    post_save.connect(_any_model_changed, weak=False, dispatch_uid="ptce_cv_any_s")
    post_delete.connect(_any_model_changed, weak=False, dispatch_uid="ptce_cv_any_d")


def connect_wagtail_signals() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump_content_version, weak=False, dispatch_uid="ptce_cv")
    # Any page type: post_delete is sent with the concrete class as sender.
    post_delete.connect(_page_deleted, weak=False, dispatch_uid="ptce_cv_page_d")
    invalidate_on_change(get_image_model(), get_document_model())


def _page_deleted(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        bump_content_version()


# --- whole pages for visitors ------------------------------------------------------
# Visitors' pages whose URL has a query string: this process's memory only.
_typed_pages = LocalTier(max_entries=300)


def _frozen(response) -> tuple[int, bytes, tuple[tuple[str, str], ...]]:
    """What a response is made of, immutable: each hit gets a response of its own
    (the middleware and the handler write headers on it)."""
    return response.status_code, response.content, tuple(response.items())


def _thawed(frozen):
    if frozen is None:
        return None
    from django.http import HttpResponse

    status, content, headers = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class AnonymousPageCacheMiddleware:
    """Serve visitors' GETs from the cache (see the module docstring).

    Place it right after WhiteNoise: a hit skips the session, CSRF, authentication,
    URL routing, Wagtail and templates.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        version = request_content_version(request)
        if version is None:  # cache down: serve uncached
            return self.get_response(request)
        key = self._key(request, version)
        # A query string is the visitor's to write (a search, filters, a page
        # number): those pages stay in the process's bounded memory, never in
        # Redis, where a flood of distinct URLs would evict what Celery's queue and
        # the rate limits keep there.
        typed = bool(request.META.get("QUERY_STRING"))
        if typed:
            response = _thawed(_typed_pages.get(key))
        else:
            response = cache.get(key)
        if response is not None:
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            if typed:
                _typed_pages.set(key, _frozen(response), PAGE_TIMEOUT)
            else:
                cache.set(key, response, PAGE_TIMEOUT)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_request(request) -> bool:
        return (
            request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not request.path.startswith(NEVER_CACHED_PREFIXES)
        )

    @staticmethod
    def _key(request, version: str) -> str:
        language = translation.get_language_from_request(request)
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(url.encode()).hexdigest()
        return f"ptce:page:{version}:{language}:{digest}"

    @staticmethod
    def _cacheable_response(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_USED"):  # a form with this visitor's token
            return False
        directives = {
            part.split("=", 1)[0].strip().lower()
            for part in cc_delim_re.split(response.get("Cache-Control", ""))
        }
        return not directives & NOT_SHARED
