"""What pooling's calendars hold about a person (see ptce.personal_data).

A person's private feed token is theirs alone: erasure deletes it (the old feed URL
then answers 404). Booking series belong to the structure that booked them: they stay,
their author shown as « Ancien membre ».
"""

from __future__ import annotations

from typing import Any

from ptce.personal_data import register

from .models import BookingSeries, CalendarToken


def _export(user) -> dict[str, Any]:
    return {
        "has_calendar_feed": CalendarToken.objects.filter(user=user).exists(),
        "series_created": [
            {"id": series.pk, "created_at": series.created_at.isoformat()}
            for series in BookingSeries.objects.filter(created_by=user)
        ],
    }


def _erase(user) -> None:
    CalendarToken.objects.filter(user=user).delete()


register(
    key="calendars",
    models=("pooling_calendars.CalendarToken", "pooling_calendars.BookingSeries"),
    export=_export,
    erase=_erase,
    order=55,
)
