"""What pooling holds about a person (see ptce.personal_data).

Bookings belong to the structures that made them: on erasure they stay, their booker
shown as « Ancien membre » (the user row is anonymised, not deleted).
"""

from __future__ import annotations

from typing import Any

from ptce.personal_data import register

from .models import Booking


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _export(user) -> list[dict[str, Any]]:
    return [
        {
            "resource": b.resource.name,
            "organisation": b.organisation.name,
            "start": _iso(b.start),
            "end": _iso(b.end),
            "quantity": b.quantity,
            "purpose": b.purpose,
            "status": b.status,
            "requested_at": _iso(b.created_at),
        }
        for b in Booking.objects.filter(booked_by=user).select_related(
            "resource", "organisation"
        )
    ]


def _keep(user) -> None:
    """Shared records stay, the person shown as « Ancien membre »."""


register(
    key="bookings",
    models=("pooling.Booking",),
    export=_export,
    erase=_keep,
    order=50,
)
