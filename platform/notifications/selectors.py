"""Reads for the notification centre, the bell and the preferences page."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .kinds import Kind, all_kinds
from .models import Announcement, Notification, Preference


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_page(*, user: Any, offset: int, limit: int) -> list[tuple]:
    """A page of the centre, newest first: (pk, text, created_at, read_at) tuples.

    The statement is written once (per database vendor): for this one-table query
    the ORM spent more time building and compiling it, and wrapping its rows, than
    PostgreSQL spends answering it (about 0.25 ms a page of 25, most of the page's
    query cost). Same rows and order as notifications_for(); the order is the index
    notif_recipient_created_idx's."""
    with connection.cursor() as cursor:
        cursor.execute(_page_sql(connection.vendor), [user.pk, limit, offset])
        rows = cursor.fetchall()
    # The times come back in UTC without their zone (_page_sql): given it here.
    return [
        (pk, text, _utc(created_at), read_at and _utc(read_at))
        for pk, text, created_at, read_at in rows
    ]


@lru_cache(maxsize=4)
def _page_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    meta = Notification._meta
    pk, text, created_at, read_at, recipient = (
        quote(meta.get_field(name).column)
        for name in ("id", "text", "created_at", "read_at", "recipient")
    )
    times = f"{created_at}, {read_at}"
    if vendor == "postgresql":
        # As UTC timestamps without zone: psycopg reads those in C, where Django's
        # loader for aware ones is Python (half the statement's cost on the client
        # for a page of 25). SQLite stores UTC without zone already.
        times = f"{created_at} AT TIME ZONE 'UTC', {read_at} AT TIME ZONE 'UTC'"
    return (
        f"SELECT {pk}, {text}, {times} FROM {quote(meta.db_table)} "
        f"WHERE {recipient} = %s ORDER BY {created_at} DESC, {pk} DESC "
        "LIMIT %s OFFSET %s"
    )


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def total_count(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user).count()


def unread_count(*, user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def configurable_kinds(*, user: Any = None) -> list[Kind]:
    """Kinds a person may choose for; with `user`, only those they may receive."""
    kinds = [kind for kind in all_kinds() if kind.user_configurable]
    if user is None:
        return kinds
    return [kind for kind in kinds if may_receive(user=user, kind=kind)]


def may_receive(*, user: Any, kind: Kind) -> bool:
    if kind.audience is None or user.is_superuser:
        return True
    # user.groups is prefetched by nobody: one query, cached on the user object.
    if not hasattr(user, "_notification_groups"):
        user._notification_groups = set(user.groups.values_list("name", flat=True))
    return kind.audience in user._notification_groups


def email_preferences(*, user: Any) -> dict[str, str]:
    """Every configurable kind's e-mail choice for `user`, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {
        kind.key: chosen.get(kind.key, kind.default_email)
        for kind in configurable_kinds(user=user)
    }


def user_notifications_export(*, user: Any) -> dict[str, list[dict[str, Any]]]:
    """What this app holds about a person, for their RGPD data export."""
    return {
        "notifications": [
            {
                "kind": n.kind,
                "text": n.text,
                "link": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in notifications_for(user=user)
        ],
        "announcements_written": [
            {"title": a.title, "sent_at": a.sent_at.isoformat()}
            for a in Announcement.objects.filter(author=user).order_by("sent_at")
        ],
        "email_preferences": [
            {"kind": p.kind, "email": p.email}
            for p in Preference.objects.filter(user=user).order_by("kind")
        ],
    }


def announcements() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("author").order_by("-sent_at", "-id")


def announcement(*, pk: int) -> Announcement:
    return get_object_or_404(announcements(), pk=pk)


def announcement_recipients_count() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True).count()
