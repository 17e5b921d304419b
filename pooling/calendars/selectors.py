"""What a calendar feed shows, and to whom.

Each feed is read as the person whose token it is: they see who booked and why for
bookings of their own structures, of resources their structures own or they manage,
and everything if they coordinate; for any other booking, only that the slot is
taken ("Booked"). Fixed number of queries whatever the number of bookings.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Membership
from members.permissions import is_coordinator
from pooling.ics import FeedEvent, booking_uid
from pooling.models import Booking
from resources.models import ResourceManager

from .models import CalendarToken

PAST = timedelta(days=92)
AHEAD = timedelta(days=400)
MAX_EVENTS = 3000
STATUS = {
    Booking.Status.CONFIRMED: "CONFIRMED",
    Booking.Status.PENDING: "TENTATIVE",
}


def user_for_token(token: str):
    """The active person whose token this is, or None (unknown, tampered, revoked)."""
    if not token or len(token) > 64:
        return None
    row = (
        CalendarToken.objects.filter(token=token, user__is_active=True)
        .select_related("user")
        .first()
    )
    return row.user if row else None


def _window(qs: QuerySet, now: datetime) -> QuerySet:
    return (
        qs.filter(end__gte=now - PAST, start__lte=now + AHEAD)
        .select_related("resource", "organisation")
        .order_by("start", "pk")[:MAX_EVENTS]
    )


def person_bookings(user, now: datetime | None = None) -> list[Booking]:
    return list(_window(Booking.objects.filter(booked_by=user), now or timezone.now()))


def organisation_bookings(organisation, now: datetime | None = None) -> list[Booking]:
    qs = Booking.objects.filter(organisation=organisation)
    return list(_window(qs, now or timezone.now()))


def resource_bookings(resource, now: datetime | None = None) -> list[Booking]:
    return list(
        _window(Booking.objects.filter(resource=resource), now or timezone.now())
    )


def details_visible_to(user):
    """A predicate: may `user` see who booked this booking and why (two queries)."""
    if is_coordinator(user):
        return lambda booking: True
    mine = set(
        Membership.objects.filter(user=user).values_list("organisation_id", flat=True)
    )
    managed = set(
        ResourceManager.objects.filter(user=user).values_list("resource_id", flat=True)
    )
    return lambda booking: (
        booking.booked_by_id == user.pk
        or booking.organisation_id in mine
        or booking.resource.owner_id in mine
        or booking.resource_id in managed
    )


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def feed_events(bookings: list[Booking], *, visible) -> list[FeedEvent]:
    host = _host()
    taken = _("Booked")
    events = []
    for booking in bookings:
        stamp = max(
            moment
            for moment in (
                booking.created_at,
                booking.decided_at,
                booking.cancelled_at,
                booking.changed_at,
            )
            if moment
        )
        status = STATUS.get(booking.status, "CANCELLED")
        # A change may clear decided_at (back to approval): count it twice.
        sequence = 2 * booking.change_count + sum(
            1 for m in (booking.decided_at, booking.cancelled_at) if m
        )
        if visible(booking):
            summary = f"{booking.resource.name} — {booking.organisation.name}"
            description = booking.purpose
            url = f"{settings.SITE_URL}{booking.get_absolute_url()}"
        else:
            summary, description, url = (
                f"{booking.resource.name} — {taken}",
                "",
                "",
            )
        events.append(
            FeedEvent(
                uid=booking_uid(booking.pk, host),
                start=booking.start,
                end=booking.end,
                summary=summary,
                stamp=stamp,
                status=status,
                sequence=sequence,
                description=description,
                location=booking.resource.address,
                url=url,
            )
        )
    return events
