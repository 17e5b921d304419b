"""Reads for the notification centre, the bell and the preferences page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .kinds import Kind, all_kinds
from .models import Notification, Preference


def notifications_for(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def group_by_day(notifications: list[Notification]) -> list[tuple[date, list]]:
    """Consecutive runs of the same local day, newest first as given."""
    groups: list[tuple[date, list]] = []
    for notification in notifications:
        day = timezone.localdate(notification.created_at)
        if not groups or groups[-1][0] != day:
            groups.append((day, []))
        groups[-1][1].append(notification)
    return groups


def configurable_kinds() -> list[Kind]:
    return [kind for kind in all_kinds() if kind.user_configurable]


def email_preferences(*, user: Any) -> dict[str, str]:
    """Every configurable kind's e-mail choice for `user`, defaults filled in."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "email"))
    return {
        kind.key: chosen.get(kind.key, kind.default_email)
        for kind in configurable_kinds()
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
        "email_preferences": [
            {"kind": p.kind, "email": p.email}
            for p in Preference.objects.filter(user=user).order_by("kind")
        ],
    }
