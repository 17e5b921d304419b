"""Recurring bookings: preview every occurrence, book the free ones, cancel one or
this and all following.

The preview writes nothing: it expands the rule (pooling.recurrence) and asks the
availability engine about each occurrence, so the member sees which dates clash, fall
on a closure or do not exist (the March change) before anything is booked. Booking
then goes through pooling.services.booking_request once per chosen occurrence, inside
one transaction: if any occurrence was taken in the meantime, nothing is booked and
the message names that date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pooling import availability, permissions, quotas
from pooling import services as booking_services
from pooling.models import Booking
from pooling.recurrence import PARIS, Occurrence, Recurrence, RecurrenceError, expand
from ptce.dates import day_format
from ptce.services import audit_record

from .models import BookingSeries, SeriesOccurrence


@dataclass
class Check:
    occurrence: Occurrence
    problems: list[str] = field(default_factory=list)

    @property
    def free(self) -> bool:
        return self.occurrence.exists and not self.problems

    @property
    def day(self) -> date:
        return self.occurrence.local_start.date()


def _expand(recurrence, first_date: date, start_time: time, duration: timedelta):
    try:
        return expand(
            recurrence,
            first_start=datetime.combine(first_date, start_time),
            duration=duration,
        )
    except RecurrenceError as error:
        raise ValidationError(str(error)) from error


def series_preview(
    *,
    resource,
    organisation,
    by,
    recurrence: Recurrence,
    first_date: date,
    start_time: time,
    duration: timedelta,
    quantity: int = 1,
    attendees: int | None = None,
    now: datetime | None = None,
) -> list[Check]:
    """Every occurrence with what prevents booking it (nothing is written)."""
    if not permissions.can_book_for(by, organisation):
        raise PermissionDenied
    now = now or timezone.now()
    occurrences = _expand(recurrence, first_date, start_time, duration)
    existing = [o for o in occurrences if o.exists]
    checks = [Check(o) for o in occurrences]
    snapshot = timeline = None
    if existing:
        # One read of the whole window, swept once into a Timeline: each occurrence
        # then finds the bookings it overlaps by a binary search.
        ranges = [
            availability.blocked_range(resource, o.start, o.end) for o in existing
        ]
        window = min(r[0] for r in ranges), max(r[1] for r in ranges)
        snapshot = availability.load([resource], *window, with_allowed=True)
        timeline = availability.Timeline(resource, snapshot, *window)
    # Quotas are checked cumulatively: each date on top of the earlier free ones.
    tally = quotas.SeriesTally(parts=[(resource, quantity)], organisation=organisation)
    for check in checks:
        occurrence = check.occurrence
        if not occurrence.exists:
            check.problems.append(str(occurrence.problem))
            continue
        found = availability.problems_for(
            resource,
            organisation=organisation,
            start=occurrence.start,
            end=occurrence.end,
            quantity=quantity,
            attendees=attendees,
            now=now,
            snapshot=snapshot,
            timeline=timeline,
        )
        check.problems += [problem.message for problem in found]
        if not found:
            check.problems += tally.check(occurrence.start, occurrence.end)
    return checks


@transaction.atomic
def series_book(
    *,
    resource,
    organisation,
    by,
    recurrence: Recurrence,
    first_date: date,
    start_time: time,
    duration: timedelta,
    dates: set[date],
    quantity: int = 1,
    purpose: str = "",
    attendees: int | None = None,
    now: datetime | None = None,
) -> BookingSeries:
    """Book the chosen occurrences of the series, all or nothing."""
    if not permissions.can_book_for(by, organisation):
        raise PermissionDenied
    occurrences = [
        o
        for o in _expand(recurrence, first_date, start_time, duration)
        if o.exists and o.local_start.date() in dates
    ]
    if not occurrences:
        raise ValidationError(_("Choose at least one free date."))
    series = BookingSeries.objects.create(
        resource=resource,
        organisation=organisation,
        created_by=by,
        first_date=first_date,
        start_time=start_time,
        duration_minutes=int(duration.total_seconds() // 60),
        rrule=recurrence.to_rrule(),
    )
    for occurrence in occurrences:
        try:
            booking = booking_services.booking_request(
                resource=resource,
                organisation=organisation,
                by=by,
                start=occurrence.start,
                end=occurrence.end,
                quantity=quantity,
                purpose=purpose,
                attendees=attendees,
                now=now,
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(date)s: %(problem)s Nothing was booked.")
                % {
                    "date": day_format(occurrence.local_start.date(), "l j F Y"),
                    "problem": " ".join(error.messages),
                }
            ) from error
        SeriesOccurrence.objects.create(
            series=series, booking=booking, local_date=occurrence.local_start.date()
        )
    audit_record(
        actor=by,
        action="pooling.series.create",
        target=series,
        after=str(len(occurrences)),
        scope=organisation,
        data={"rrule": series.rrule, "dates": [str(d) for d in sorted(dates)]},
    )
    return series


@transaction.atomic
def series_cancel_following(*, booking: Booking, by, reason: str = "") -> list[Booking]:
    """Cancel this occurrence and every later one still active; the rule stops the
    day before, so the series' history keeps the earlier occurrences."""
    link = (
        SeriesOccurrence.objects.select_related("series")
        .filter(booking=booking)
        .first()
    )
    if link is None:
        raise ValidationError(_("This booking is not part of a series."))
    if not permissions.can_cancel(by, booking):
        raise PermissionDenied
    later = Booking.objects.filter(
        series_link__series=link.series,
        series_link__local_date__gte=link.local_date,
        status__in=Booking.ACTIVE_STATUSES,
    ).order_by("start")
    cancelled = [
        booking_services.booking_cancel(booking=item, by=by, reason=reason)
        for item in later
    ]
    series = link.series
    rule = Recurrence.from_rrule(series.rrule).ending_before(link.local_date)
    series.rrule = rule.to_rrule() if rule.until >= series.first_date else series.rrule
    series.save(update_fields=["rrule"])
    audit_record(
        actor=by,
        action="pooling.series.cancel_following",
        target=series,
        after=str(len(cancelled)),
        reason=reason,
        scope=series.organisation,
        data={"from": str(link.local_date)},
    )
    return cancelled


def series_of(booking: Booking) -> SeriesOccurrence | None:
    return (
        SeriesOccurrence.objects.select_related("series")
        .filter(booking=booking)
        .first()
    )


def local_date(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()
