"""The availability engine: the one place that says whether a resource can be booked.

Used by booking_request (under the resource row lock), the booking form, the week and
day views, the catalogue's "free between" filter, the search by need, and later the
quotas and the event venue picker. Pure functions over data loaded in a fixed number of
queries (`load`), so a caller checking many resources or candidate times pays the
database once.

Times: bookings are exact instants; opening hours are local wall-clock times in the
site's zone (Europe/Paris), turned into instants day by day, so they hold on the days
of the March and October changes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple

from django.db import connections
from django.db.models import F, Func, QuerySet
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ptce.dates import day_format
from resources.models import Closure, OpeningPeriod, Resource

from .models import Booking

# Beyond this, a date is refused before any arithmetic (year 9999 would overflow).
MAX_YEARS_AHEAD = 5
SUGGESTION_WINDOW = timedelta(days=14)
MAX_SUGGESTION_CANDIDATES = 3000


def zone():
    return timezone.get_default_timezone()


# --- Local times ---------------------------------------------------------------------
class NonExistentLocalTime(ValueError):
    """A wall-clock time skipped by the change to summer time (e.g. 02:30 in March)."""


def local_datetime(day: date, at: time) -> datetime:
    """The instant of `at` on `day` in the site's zone; refuses a skipped local time.

    An ambiguous time (the repeated hour in October) is the first one (fold=0).
    """
    tz = zone()
    candidate = datetime.combine(day, at, tzinfo=tz)
    round_trip = candidate.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != candidate.replace(tzinfo=None):
        raise NonExistentLocalTime(
            _(
                "%(time)s does not exist on %(date)s: clocks go forward "
                "(summer time). Choose another time."
            )
            % {"time": at.strftime("%H:%M"), "date": day_format(day, "j F Y")}
        )
    return candidate.astimezone(UTC)


def _instant(day: date, at: time) -> datetime:
    """Like local_datetime but never refuses: a skipped time maps past the gap."""
    tz = zone()
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def fmt_time(moment: datetime) -> str:
    # "H:i" is the same in every language: no format machinery per call.
    return timezone.localtime(moment).strftime("%H:%M")


@lru_cache(maxsize=2048)
def _day_label(day: date, language: str | None) -> str:
    return day_format(day, "l j F Y")


def day_label(day: date) -> str:
    """« jeudi 1er octobre 2026 », cached per day and language (a search writes the
    same few days into dozens of messages)."""
    return _day_label(day, get_language())


def fmt_span(start: datetime, end: datetime) -> str:
    """'le mardi 3 mars 2026 de 10:00 à 11:00' (or 'du … au …' across days)."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    if local_start.date() == local_end.date() or (
        local_end - local_start <= timedelta(days=1) and local_end.time() == time(0)
    ):
        return _("on %(day)s from %(start)s to %(end)s") % {
            "day": day_label(local_start.date()),
            "start": fmt_time(start),
            "end": fmt_time(end),
        }
    return _("from %(start)s to %(end)s") % {
        "start": day_format(local_start, "l j F Y H:i"),
        "end": day_format(local_end, "l j F Y H:i"),
    }


# --- Data, loaded once per check ---------------------------------------------------
class Period(NamedTuple):
    """An OpeningPeriod's values."""

    resource_id: int
    weekday: int
    opens: time
    closes: time


class ClosureSpan(NamedTuple):
    """A Closure's values."""

    resource_id: int
    start: datetime
    end: datetime
    reason: str


class Interval(NamedTuple):
    # A tuple, not a dataclass: a search builds thousands of them.
    start: datetime
    end: datetime
    quantity: int
    booking_id: int | None = None


@dataclass
class Snapshot:
    """What the engine needs about some resources over a window: three queries."""

    periods: dict[int, list[Period]] = field(default_factory=dict)
    closures: dict[int, list[ClosureSpan]] = field(default_factory=dict)
    bookings: dict[int, list[Interval]] = field(default_factory=dict)
    allowed: dict[int, set[int]] = field(default_factory=dict)


def overlapping(
    bookings: QuerySet[Booking], start: datetime, end: datetime
) -> QuerySet[Booking]:
    """The active ones among `bookings` whose blocked range (buffers included)
    overlaps [start, end).

    On PostgreSQL, written as the range overlap `tstzrange(blocked_start, blocked_end)
    && [start, end)` that the GiST index `pooling_active_span` (migration 0004) answers
    by visiting the overlapping rows only; elsewhere (SQLite), plain comparisons.
    """
    bookings = bookings.filter(status__in=Booking.ACTIVE_STATUSES)
    if connections[bookings.db].vendor != "postgresql":
        return bookings.filter(blocked_start__lt=end, blocked_end__gt=start)
    from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary
    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    span = Func(
        F("blocked_start"),
        F("blocked_end"),
        RangeBoundary(),
        function="TSTZRANGE",
        output_field=DateTimeRangeField(),
    )
    return bookings.alias(blocked_span=span).filter(
        blocked_span__overlap=DateTimeTZRange(start, end, "[)")
    )


def load(
    resources: Sequence[Resource],
    start: datetime,
    end: datetime,
    *,
    exclude_bookings: Iterable[int] = (),
    with_allowed: bool = False,
    periods_from: Snapshot | None = None,
    closures_from: Snapshot | None = None,
    closures_window: tuple[datetime, datetime] | None = None,
) -> Snapshot:
    """Opening hours, closures and active bookings of `resources` over a window.

    Rows come as light tuples (Period, ClosureSpan, Interval), not model instances:
    a search reads hundreds of them. `periods_from`: a snapshot already holding these
    resources' opening hours (they do not depend on the window), to save their query;
    `closures_from`: one already holding their closures over this window (see
    `closures_window`: read closures over a wider window than the bookings, for a
    later, wider load that then reads bookings only).
    """
    ids = [resource.pk for resource in resources]
    snapshot = Snapshot(
        periods=defaultdict(list),
        closures=defaultdict(list),
        bookings=defaultdict(list),
        allowed=defaultdict(set),
    )
    if not ids:
        return snapshot
    if periods_from is not None:
        for resource_id in ids:
            snapshot.periods[resource_id] = periods_from.periods.get(resource_id, [])
    else:
        for row in (
            OpeningPeriod.objects.filter(resource_id__in=ids)
            .order_by()
            .values_list("resource_id", "weekday", "opens", "closes")
        ):
            snapshot.periods[row[0]].append(Period(*row))
    if closures_from is not None:
        for resource_id in ids:
            snapshot.closures[resource_id] = closures_from.closures.get(resource_id, [])
    else:
        c_start, c_end = closures_window or (start, end)
        for row in (
            Closure.objects.filter(
                resource_id__in=ids, start__lt=c_end, end__gt=c_start
            )
            .order_by("start")
            .values_list("resource_id", "start", "end", "reason")
        ):
            snapshot.closures[row[0]].append(ClosureSpan(*row))
    rows = (
        overlapping(
            Booking.objects.filter(resource_id__in=ids),
            start,
            end,
        )
        .exclude(pk__in=list(exclude_bookings))
        .order_by()
        .values_list("resource_id", "blocked_start", "blocked_end", "quantity", "pk")
    )
    bookings = snapshot.bookings
    for resource_id, b_start, b_end, quantity, pk in rows:
        bookings[resource_id].append(Interval(b_start, b_end, quantity, pk))
    if with_allowed:
        through = Resource.allowed_organisations.through
        for resource_id, organisation_id in through.objects.filter(
            resource_id__in=ids
        ).values_list("resource_id", "organisation_id"):
            snapshot.allowed[resource_id].add(organisation_id)
    return snapshot


# --- Sweeps ------------------------------------------------------------------------
@dataclass(frozen=True)
class Peak:
    quantity: int
    start: datetime | None = None
    end: datetime | None = None


def peak_usage(intervals: Iterable[Interval], start: datetime, end: datetime) -> Peak:
    """The highest number of units in use at one instant of [start, end).

    A sweep over the interval edges, never the plain sum of overlapping bookings: with 5
    projectors, 3 booked 9–10 and 2 booked 11–12, the peak over 9–12 is 3, not 5.
    Ranges are half-open, so a booking ending at 10:00 and one starting at 10:00 never
    count together. Also returns the first span where the peak is reached.
    """
    events: list[tuple[datetime, int]] = []
    for interval in intervals:
        s, e = max(interval.start, start), min(interval.end, end)
        if s < e:
            events.append((s, interval.quantity))
            events.append((e, -interval.quantity))
    # At equal instants, ends (negative) before starts: half-open ranges.
    events.sort(key=lambda event: (event[0], event[1]))
    best, best_start, best_end, current = 0, None, None, 0
    for index, (moment, delta) in enumerate(events):
        current += delta
        if current > best:
            best, best_start = current, moment
            best_end = next(
                (m for m, d in events[index + 1 :] if d < 0 and m > moment), end
            )
    return Peak(best, best_start, best_end)


def open_intervals(
    periods: Sequence[Period | OpeningPeriod], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """The resource's opening hours as instants overlapping [start, end), merged.

    No period at all means always open. Resources mostly share a few weekly patterns
    (Monday–Friday 8:00–20:00) and a page asks about the same window for each of
    them: the spans are computed once per (pattern, window, zone) and copied out.
    """
    if not periods:
        return [(start, end)]
    pattern = tuple(sorted((p.weekday, p.opens, p.closes) for p in periods))
    return list(_open_spans(pattern, start, end, zone()))


@lru_cache(maxsize=4096)
def _open_spans(
    pattern: tuple[tuple[int, time, time], ...], start: datetime, end: datetime, tz
) -> tuple[tuple[datetime, datetime], ...]:
    by_weekday: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, opens, closes in pattern:
        by_weekday[weekday].append((opens, closes))
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    spans: list[tuple[datetime, datetime]] = []
    while day <= last:
        for opens_at, closes_at in by_weekday.get(day.weekday(), ()):
            opens = _instant(day, opens_at)
            if closes_at == time(0):
                closes = _instant(day + timedelta(days=1), time(0))
            else:
                closes = _instant(day, closes_at)
            if opens < end and closes > start and opens < closes:
                spans.append((opens, closes))
        day += timedelta(days=1)
    spans.sort()
    return tuple(_merged(spans))


def uncovered(
    spans: Sequence[tuple[datetime, datetime]], start: datetime, end: datetime
) -> tuple[datetime, datetime] | None:
    """The first part of [start, end) that `spans` (merged, sorted) leave uncovered."""
    cursor = start
    for s, e in spans:
        if e <= cursor:
            continue
        if s > cursor:
            return cursor, min(s, end)
        cursor = e
        if cursor >= end:
            return None
    return (cursor, end) if cursor < end else None


class Timeline:
    """One resource's opening hours, closures and units in use over a window, swept
    once, so that the many questions a page asks about it (the cells of a calendar,
    the candidate times of a suggestion) cost a binary search each instead of a pass
    over its opening hours and bookings.

    Answers as `is_free` / `units_free` / `peak_usage` would for any span inside the
    window (outside it, a span reads as closed).
    """

    def __init__(
        self, resource: Resource, snapshot: Snapshot, start: datetime, end: datetime
    ):
        self.resource = resource
        self.total = resource.quantity
        self.open = open_intervals(snapshot.periods.get(resource.pk, ()), start, end)
        self._open_starts = [s for s, _e in self.open]
        self.closures = _merged(
            sorted(
                (c.start, c.end)
                for c in snapshot.closures.get(resource.pk, ())
                if c.start < c.end
            )
        )
        self._closure_ends = [e for _s, e in self.closures]
        intervals = sorted(
            snapshot.bookings.get(resource.pk, ()), key=lambda i: i.start
        )
        self.usage = _usage_segments(intervals)
        self._usage_ends = [e for _s, e, _used in self.usage]
        # The bookings by start, and the longest: those overlapping a span are found
        # by a binary search instead of a pass over every booking of the window.
        self._intervals = intervals
        self._interval_starts = [i.start for i in intervals]
        self._longest = max((i.end - i.start for i in intervals), default=timedelta(0))

    def is_open(self, start: datetime, end: datetime) -> bool:
        """Open over the whole of [start, end) (merged spans: one must cover it)."""
        index = bisect_right(self._open_starts, start) - 1
        return index >= 0 and self.open[index][1] >= end

    def in_closure(self, start: datetime, end: datetime) -> bool:
        index = bisect_right(self._closure_ends, start)
        return index < len(self.closures) and self.closures[index][0] < end

    def used(self, start: datetime, end: datetime) -> int:
        """The peak number of units in use over [start, end)."""
        peak = 0
        index = bisect_right(self._usage_ends, start)
        usage = self.usage
        while index < len(usage) and usage[index][0] < end:
            peak = max(peak, usage[index][2])
            index += 1
        return peak

    def overlapping(self, start: datetime, end: datetime) -> list[Interval]:
        """The bookings (blocked ranges) overlapping [start, end), by start."""
        first = bisect_left(self._interval_starts, start - self._longest)
        last = bisect_left(self._interval_starts, end)
        return [i for i in self._intervals[first:last] if i.end > start]

    def is_free(self, start: datetime, end: datetime, quantity: int) -> bool:
        """Open, not closed, and `quantity` units free over the blocked range."""
        if not self.is_open(start, end) or self.in_closure(start, end):
            return False
        b_start, b_end = blocked_range(self.resource, start, end)
        return self.total - self.used(b_start, b_end) >= quantity


def _merged(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _usage_segments(
    intervals: Iterable[Interval],
) -> list[tuple[datetime, datetime, int]]:
    """(start, end, units in use) for each stretch where some unit is in use; sorted,
    disjoint. Half-open ranges: a booking ending when another starts never counts
    with it."""
    events: list[tuple[datetime, int]] = []
    for interval in intervals:
        if interval.start < interval.end:
            events.append((interval.start, interval.quantity))
            events.append((interval.end, -interval.quantity))
    events.sort()
    segments: list[tuple[datetime, datetime, int]] = []
    current, previous = 0, None
    for moment, delta in events:
        if current > 0 and previous is not None and moment > previous:
            segments.append((previous, moment, current))
        current += delta
        previous = moment
    return segments


# --- The check -----------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    code: str
    message: str


class Code:
    ORDER = "order"
    INACTIVE = "inactive"
    NOT_ALLOWED = "not_allowed"
    QUANTITY = "quantity"
    CAPACITY = "capacity"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    GRANULARITY = "granularity"
    NOTICE = "notice"
    HORIZON = "horizon"
    PAST = "past"
    CLOSED = "closed"
    CLOSURE = "closure"
    CLASH = "clash"


def _minutes_label(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def blocked_range(
    resource: Resource, start: datetime, end: datetime
) -> tuple[datetime, datetime]:
    return (
        start - timedelta(minutes=resource.buffer_before),
        end + timedelta(minutes=resource.buffer_after),
    )


def step_minutes(resource: Resource) -> int:
    """Times are aligned on this step (local wall clock)."""
    return min(resource.granularity, 60)


def basic_problems(start: datetime, end: datetime, now: datetime) -> list[Problem]:
    """Checks that need no resource: order, sanity of the dates."""
    if start is None or end is None:
        return [Problem(Code.ORDER, _("Give a start and an end."))]
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("Booking times must be aware.")
    limit = now + timedelta(days=366 * MAX_YEARS_AHEAD)
    if start > limit or end > limit:
        return [
            Problem(
                Code.HORIZON,
                _(
                    "That date is too far ahead: bookings open at most "
                    "%(n)d years ahead."
                )
                % {"n": MAX_YEARS_AHEAD},
            )
        ]
    if end <= start:
        return [Problem(Code.ORDER, _("The end must be after the start."))]
    return []


def rule_problems(
    resource: Resource,
    *,
    organisation,
    start: datetime,
    end: datetime,
    quantity: int,
    attendees: int | None,
    now: datetime,
    snapshot: Snapshot,
) -> list[Problem]:
    """Every rule but the clash with other bookings, in the order one fixes them."""
    problems = basic_problems(start, end, now)
    if problems:
        return problems
    if resource.status != Resource.Status.ACTIVE:
        problems.append(
            Problem(Code.INACTIVE, _("This resource cannot be booked at the moment."))
        )
    if organisation is not None and not may_book(resource, organisation, snapshot):
        problems.append(
            Problem(
                Code.NOT_ALLOWED,
                _(
                    "%(organisation)s is not among the structures allowed "
                    "to book %(resource)s."
                )
                % {"organisation": organisation, "resource": resource},
            )
        )
    if quantity < 1 or quantity > resource.quantity:
        problems.append(
            Problem(
                Code.QUANTITY,
                ngettext(
                    "Ask for between 1 and %(n)d unit.",
                    "Ask for between 1 and %(n)d units.",
                    resource.quantity,
                )
                % {"n": resource.quantity},
            )
        )
    problems += capacity_problems(resource, attendees)
    problems += _duration_problems(resource, start, end)
    problems += _timing_problems(resource, start, end, now)
    problems += _opening_problems(resource, start, end, snapshot)
    return problems


def capacity_problems(resource: Resource, attendees: int | None) -> list[Problem]:
    """More people than the premises hold (also checked alone when a booking's
    number of people changes and nothing else about its slot)."""
    if attendees and resource.capacity and attendees > resource.capacity:
        return [
            Problem(
                Code.CAPACITY,
                _("%(resource)s holds %(capacity)d people at most.")
                % {"resource": resource, "capacity": resource.capacity},
            )
        ]
    return []


def may_book(
    resource: Resource, organisation, snapshot: Snapshot | None = None
) -> bool:
    """Whether `organisation` is among those the owner lets book (rule, not person)."""
    if organisation.status != organisation.Status.MEMBER:
        return False
    if resource.open_to_all or organisation.pk == resource.owner_id:
        return True
    if snapshot is not None and resource.pk in snapshot.allowed:
        return organisation.pk in snapshot.allowed[resource.pk]
    return resource.allowed_organisations.filter(pk=organisation.pk).exists()


def _duration_problems(resource: Resource, start: datetime, end: datetime):
    minutes = (end - start).total_seconds() / 60
    problems = []
    if minutes < resource.min_duration:
        problems.append(
            Problem(
                Code.TOO_SHORT,
                _("Too short: %(resource)s is booked for %(min)s at least.")
                % {"resource": resource, "min": _minutes_label(resource.min_duration)},
            )
        )
    if resource.max_duration and minutes > resource.max_duration:
        problems.append(
            Problem(
                Code.TOO_LONG,
                _("Too long: %(resource)s is booked for %(max)s at most.")
                % {"resource": resource, "max": _minutes_label(resource.max_duration)},
            )
        )
    step = step_minutes(resource)
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    misaligned = any(
        moment.second or moment.microsecond or (moment.hour * 60 + moment.minute) % step
        for moment in (local_start, local_end)
    )
    if misaligned or (resource.granularity <= 60 and minutes % resource.granularity):
        problems.append(
            Problem(
                Code.GRANULARITY,
                _("%(resource)s is booked by steps of %(step)s.")
                % {
                    "resource": resource,
                    "step": _minutes_label(resource.granularity),
                },
            )
        )
    return problems


def _timing_problems(resource: Resource, start: datetime, end: datetime, now):
    if start < now:
        return [Problem(Code.PAST, _("That time has already passed."))]
    problems = []
    earliest = now + timedelta(hours=resource.min_notice)
    if start < earliest:
        problems.append(
            Problem(
                Code.NOTICE,
                _(
                    "Too late: %(resource)s must be booked %(notice)s ahead, "
                    "that is from %(earliest)s."
                )
                % {
                    "resource": resource,
                    "notice": _minutes_label(resource.min_notice * 60),
                    "earliest": day_format(timezone.localtime(earliest), "j F Y H:i"),
                },
            )
        )
    latest = now + timedelta(days=resource.horizon_days)
    if end > latest:
        problems.append(
            Problem(
                Code.HORIZON,
                _(
                    "Too far ahead: %(resource)s can be booked until %(latest)s "
                    "(%(days)d days ahead)."
                )
                % {
                    "resource": resource,
                    "latest": day_format(timezone.localtime(latest), "j F Y"),
                    "days": resource.horizon_days,
                },
            )
        )
    return problems


def _opening_problems(resource: Resource, start, end, snapshot: Snapshot):
    problems = []
    spans = open_intervals(snapshot.periods.get(resource.pk, ()), start, end)
    gap = uncovered(spans, start, end)
    if gap:
        problems.append(
            Problem(
                Code.CLOSED,
                _("%(resource)s is closed %(span)s.")
                % {"resource": resource, "span": fmt_span(*gap)},
            )
        )
    for closure in snapshot.closures.get(resource.pk, ()):
        if closure.start < end and closure.end > start:
            problems.append(
                Problem(
                    Code.CLOSURE,
                    _("%(resource)s is closed %(span)s: %(reason)s.")
                    % {
                        "resource": resource,
                        "span": fmt_span(closure.start, closure.end),
                        "reason": closure.reason,
                    },
                )
            )
            break
    return problems


def units_free(
    resource: Resource, start: datetime, end: datetime, snapshot: Snapshot
) -> int:
    """How many units stay free over the whole of [start, end), buffers included.

    The quick question behind calendars and suggestions: no message is built, and the
    peak is swept only over the bookings that overlap.
    """
    b_start, b_end = blocked_range(resource, start, end)
    overlapping = [
        i
        for i in snapshot.bookings.get(resource.pk, ())
        if i.start < b_end and i.end > b_start
    ]
    if not overlapping:
        return resource.quantity
    return max(resource.quantity - peak_usage(overlapping, b_start, b_end).quantity, 0)


def clash_problem(
    resource: Resource,
    start: datetime,
    end: datetime,
    quantity: int,
    snapshot: Snapshot,
    timeline: Timeline | None = None,
) -> Problem | None:
    """The clash with other active bookings (buffers included), or None.

    Only the bookings overlapping the blocked range are swept, found through
    `timeline` when the caller asks about many spans of one resource (a series), by
    one pass over the snapshot's bookings otherwise.
    """
    b_start, b_end = blocked_range(resource, start, end)
    if timeline is not None:
        overlapping = timeline.overlapping(b_start, b_end)
    else:
        overlapping = [
            i
            for i in snapshot.bookings.get(resource.pk, ())
            if i.start < b_end and i.end > b_start
        ]
    if not overlapping:
        return None
    peak = peak_usage(overlapping, b_start, b_end)
    free = max(resource.quantity - peak.quantity, 0)
    if free >= quantity:
        return None
    if resource.quantity == 1:
        taken = min(overlapping, key=lambda i: i.start)
        message = _("%(resource)s is already booked %(span)s.") % {
            "resource": resource,
            "span": fmt_span(taken.start, taken.end),
        }
    else:
        message = ngettext(
            "Not enough units free: %(free)d of %(total)d %(resource)s is free "
            "%(span)s, you ask for %(asked)d.",
            "Not enough units free: %(free)d of %(total)d %(resource)s are free "
            "%(span)s, you ask for %(asked)d.",
            free,
        ) % {
            "free": free,
            "total": resource.quantity,
            "resource": resource,
            "span": fmt_span(peak.start, peak.end),
            "asked": quantity,
        }
    return Problem(Code.CLASH, message)


def problems_for(
    resource: Resource,
    *,
    organisation,
    start: datetime,
    end: datetime,
    quantity: int = 1,
    attendees: int | None = None,
    now: datetime,
    snapshot: Snapshot,
    timeline: Timeline | None = None,
) -> list[Problem]:
    """Every problem with booking [start, end), in the order one fixes them.

    `timeline`: the resource's Timeline over a window holding [start, end) and its
    buffers, for a caller asking about many spans of one resource.
    """
    problems = rule_problems(
        resource,
        organisation=organisation,
        start=start,
        end=end,
        quantity=quantity,
        attendees=attendees,
        now=now,
        snapshot=snapshot,
    )
    if basic_problems(start, end, now) or any(
        p.code == Code.QUANTITY for p in problems
    ):
        return problems
    clash = clash_problem(resource, start, end, quantity, snapshot, timeline)
    return problems + ([clash] if clash else [])


def is_free(resource: Resource, start, end, quantity: int, snapshot: Snapshot) -> bool:
    """Open, not closed, enough units: the test for catalogue filters and calendars."""
    if uncovered(
        open_intervals(snapshot.periods.get(resource.pk, ()), start, end), start, end
    ):
        return False
    if any(
        c.start < end and c.end > start for c in snapshot.closures.get(resource.pk, ())
    ):
        return False
    return units_free(resource, start, end, snapshot) >= quantity


# --- Suggestions -------------------------------------------------------------------
def _nearest_first(first: datetime, count: int, step: timedelta, target: datetime):
    """The grid first, first + step, … (count times), nearest to `target` first, the
    earlier of two at the same distance first; lazily, without sorting the grid."""
    after = max(0, min(count, -((first - target) // step)))  # first index >= target
    before = after - 1
    while before >= 0 or after < count:
        if after >= count or (
            before >= 0
            and target - (first + before * step) <= (first + after * step) - target
        ):
            yield first + before * step
            before -= 1
        else:
            yield first + after * step
            after += 1


def nearest_free(
    resource: Resource,
    *,
    start: datetime,
    end: datetime,
    quantity: int,
    now: datetime,
    snapshot: Snapshot | None = None,
    window: timedelta = SUGGESTION_WINDOW,
) -> tuple[datetime, datetime] | None:
    """The free slot of the same length nearest to [start, end), within `window`.

    Candidates are the grid of the resource's step, earlier and later; the earliest
    allowed start (notice) and the horizon bound them.
    """
    duration = end - start
    lower = max(start - window, now + timedelta(hours=resource.min_notice))
    upper = min(start + window, now + timedelta(days=resource.horizon_days) - duration)
    if lower > upper:
        return None
    if snapshot is None:
        b_lower, _b = blocked_range(resource, lower, lower)
        _b, b_upper = blocked_range(resource, upper + duration, upper + duration)
        snapshot = load([resource], b_lower, b_upper)
    # Steps divide an hour and the zone's offsets are whole hours: aligning on the
    # step in UTC is aligning on the local wall clock.
    step = timedelta(minutes=step_minutes(resource))
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    first = epoch + -((epoch - lower) // step) * step
    count = min((upper - first) // step + 1, MAX_SUGGESTION_CANDIDATES)
    if count <= 0:
        return None
    last = first + (count - 1) * step
    timeline = Timeline(resource, snapshot, first, last + duration)
    for candidate in _nearest_first(first, count, step, start):
        if timeline.is_free(candidate, candidate + duration, quantity):
            return candidate, candidate + duration
    return None
