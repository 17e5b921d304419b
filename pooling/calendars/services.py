"""Calendar-feed tokens: created on first need, regenerated on request."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ptce.services import audit_record

from .models import CalendarToken

TOKEN_BYTES = 32
# The person's token, cached per person (ptce.personcache, see apps.py): the feed
# links of every calendar page read it from the request's one batch.
CALENDAR_TOKEN = "pooling-calendar-token"


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def request_calendar_token(request) -> str:
    """calendar_token_for the request's person, from their cached values."""
    from ptce.personcache import request_value

    user = request.user
    return request_value(request, CALENDAR_TOKEN, lambda: calendar_token_for(user=user))


def calendar_token_for(*, user) -> str:
    """The person's feed token, created the first time it is needed."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied
    token = (
        CalendarToken.objects.filter(user=user).values_list("token", flat=True).first()
    )
    if token:
        return token
    # INSERT … ON CONFLICT DO NOTHING, then read: if two pages of the same person
    # asked at once, the other one's row stays (no savepoint, one query less).
    CalendarToken.objects.bulk_create(
        [CalendarToken(user=user, token=_new_token())], ignore_conflicts=True
    )
    return CalendarToken.objects.get(user=user).token


@transaction.atomic
def calendar_token_regenerate(*, user) -> str:
    """A new token: every feed address given out before answers 404 from now on."""
    if not (user and user.is_authenticated and user.is_active):
        raise PermissionDenied
    token = _new_token()
    row, created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": token}
    )
    audit_record(
        actor=user,
        action="pooling.calendar_token.regenerate",
        target=row,
        after="created" if created else "regenerated",
    )
    return token
