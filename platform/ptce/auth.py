"""The signed-in person's row from the cache, instead of a query on every request.

Django's authentication middleware reads the session's user from the database on
every request: the one query every signed-in page pays, however cached the rest
is. The backends below (`AUTHENTICATION_BACKENDS`) keep that row in the cache:

- it is forgotten whenever the row changes — `save()` and `delete()` (signals,
  connected in PtceConfig.ready) and the user model's `QuerySet.update()` (see
  members.models.UserQuerySet) — at once and again at commit, the rule of
  `ptce.personcache`; a password change therefore still ends the other sessions
  at their next request (Django compares the session's hash with the row's);
- `TIMEOUT` bounds what a write that bypassed all of these could leave;
- whatever the cache holds, an inactive person is refused as Django's backend does;
- the cache down: every read is a miss, and the row is read from the database.

Only the row is cached: groups and permissions are read as before, when a page
asks for them.

No round trip of its own: `AuthenticationMiddleware` (in place of Django's) reads
the row in the request's one batch — the content version and the person's header
values (`ptce.pagecache.prefetch_person`) — for the user id the session names, and
hands it to the backend, which uses it only for that very id. Then Django's own
`auth.get_user` runs as always (backend named in the session, session hash check).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib import auth
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.utils.functional import SimpleLazyObject

TIMEOUT = 5 * 60
_MISSING = object()
# (user pk, what the request's batch held for that pk's row) while Django's
# auth.get_user runs for the request.
_batched: ContextVar[tuple[Any, Any] | None] = ContextVar("ptce_user", default=None)


def user_key(pk: Any) -> str:
    return f"ptce:user:{pk}"


class CachedUserMixin:
    def get_user(self, user_id):
        key = user_key(user_id)
        batched = _batched.get()
        if batched is not None and str(batched[0]) == str(user_id):
            user = None if batched[1] is _MISSING else batched[1]
        else:
            user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(key, user, TIMEOUT)
            return user
        return user if self.user_can_authenticate(user) else None


class CachedModelBackend(CachedUserMixin, ModelBackend):
    """Django's ModelBackend, the session's user read through the cache."""


class CachedAllauthBackend(CachedUserMixin, AuthenticationBackend):
    """allauth's backend (log in by e-mail), the session's user read through the
    cache."""


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, with the session's user row read in the request's one batch."""

    def process_request(self, request) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))


def _get_user(request):
    if not hasattr(request, "_cached_user"):
        from .pagecache import prefetch_person

        pk = _session_user_pk(request)
        if pk is None:
            request._cached_user = auth.get_user(request)
        else:
            found = prefetch_person(request, pk, extra_keys=[user_key(pk)])
            token = _batched.set((pk, found.get(user_key(pk), _MISSING)))
            try:
                request._cached_user = auth.get_user(request)
            finally:
                _batched.reset(token)
    return request._cached_user


def _session_user_pk(request) -> Any:
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    value = request.session.get(auth.SESSION_KEY)
    if value is None:
        return None
    try:
        return get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


def forget_users(pks: Iterable[Any]) -> None:
    """These people's rows changed: their next request reads them again."""
    keys = [user_key(pk) for pk in {*pks}]
    if not keys:
        return

    def forget() -> None:
        cache.delete_many(keys)

    forget()
    transaction.on_commit(forget)


def forget_saved_user(sender, instance, **kwargs) -> None:
    forget_users([instance.pk])
