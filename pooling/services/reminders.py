"""Periodic jobs: expire undecided requests, remind bookers the day before."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from notifications.services import notify
from ptce.services import audit_record

from .. import kinds
from ..models import Booking
from .common import (
    EXPIRY_LEAD,
    REMINDER_LEAD,
    _booker_side,
    _context,
    _locked_booking,
)


# --- Periodic ------------------------------------------------------------------------
def bookings_expire(*, now: datetime | None = None) -> int:
    """Expire requests nobody decided before their start; tell the requester."""
    now = now or timezone.now()
    ids = list(
        Booking.objects.filter(
            status=Booking.Status.PENDING, start__lte=now + EXPIRY_LEAD
        ).values_list("pk", flat=True)
    )
    return sum(booking_expire(booking_id=pk, now=now) for pk in ids)


@transaction.atomic
def booking_expire(*, booking_id: int, now: datetime) -> bool:
    booking = _locked_booking(
        Booking(pk=booking_id, resource_id=_resource_of(booking_id))
    )
    if booking.status != Booking.Status.PENDING:
        return False
    booking.status = Booking.Status.EXPIRED
    booking.save(update_fields=["status"])
    audit_record(
        actor=None,
        action="pooling.booking.expire",
        target=booking,
        before=Booking.Status.PENDING,
        after=booking.status,
        scope=booking.organisation,
    )
    notify(
        _booker_side(booking),
        kinds.REQUEST_EXPIRED,
        context=_context(booking),
        target=booking,
    )
    return True


def _resource_of(booking_id: int) -> int:
    return Booking.objects.values_list("resource_id", flat=True).get(pk=booking_id)


def booking_reminders_send(*, now: datetime | None = None) -> int:
    """Remind bookers the day before; each booking once (reminded_at)."""
    now = now or timezone.now()
    ids = list(
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            reminded_at__isnull=True,
            start__gt=now,
            start__lte=now + REMINDER_LEAD,
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("resource__owner", "organisation", "booked_by")
                .get(pk=pk)
            )
            if booking.reminded_at or booking.status != Booking.Status.CONFIRMED:
                continue
            booking.reminded_at = now
            booking.save(update_fields=["reminded_at"])
            notify(
                _booker_side(booking),
                kinds.BOOKING_REMINDER,
                context=_context(booking),
                target=booking,
            )
            sent += 1
    return sent
