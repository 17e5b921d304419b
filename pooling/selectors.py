"""Reads for pooling pages, each with a fixed number of queries.

Calendars go through the availability engine: one Snapshot per page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import DurationField, F, Q, QuerySet, Sum
from django.utils import timezone

from members.models import Organisation
from ptce.dates import day_format
from ptce.personcache import request_value
from resources.models import Resource

from . import availability, permissions
from .models import Booking

UPCOMING_LIMIT = 20
# The person's own upcoming bookings, cached per person with the content version
# they were read under (pooling.views._own_upcoming).
OWN_UPCOMING = "pooling-own-upcoming"


def _with_relations(bookings: QuerySet[Booking]) -> QuerySet[Booking]:
    return bookings.select_related("resource__owner", "organisation", "booked_by")


def booking_for_page(*, pk: int) -> Booking | None:
    return _with_relations(Booking.objects.filter(pk=pk)).first()


def pending_for_approver(user, ids=None) -> QuerySet[Booking]:
    """`ids`: the person's approver_resource_ids when the caller has them."""
    if ids is None:
        ids = permissions.approver_resource_ids(user) or set()
    return _with_relations(
        Booking.objects.filter(status=Booking.Status.PENDING, resource_id__in=ids)
    ).order_by("start", "pk")


def approval_page(queue: QuerySet[Booking], number, per_page: int) -> Page:
    """One page of `queue` (pending_for_approver), its bookings with their relations.

    The page's ids are chosen on the bookings alone (a sub-select), then only those
    rows are joined to their resource, structures and booker: joining before the
    LIMIT joined every pending request of the approver's resources to every user
    (~300 rows and a hash of 12,000 users at large) to show 50.
    """
    page = Paginator(queue.values_list("pk", flat=True), per_page).get_page(number)
    page.object_list = list(
        _with_relations(Booking.objects.filter(pk__in=page.object_list)).order_by(
            "start", "pk"
        )
    )
    return page


# The header's count, cached per person (ptce.personcache); pooling.apps forgets it.
PENDING_COUNT = "pooling-pending"


def pending_count(user) -> int:
    """Requests awaiting `user`'s decision, in one query (the header shows it)."""
    if not (user and user.is_authenticated):
        return 0
    return (
        Booking.objects.filter(status=Booking.Status.PENDING)
        .filter(
            Q(
                resource__owner__memberships__user=user,
                resource__owner__memberships__role="referent",
            )
            | Q(resource__manager_links__user=user)
        )
        .values("pk")
        .distinct()
        .count()
    )


def pending_count_for(request) -> int:
    """pending_count of the request's person, counted once per request (the header
    and Mon espace both show it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # Cached per person, read with the other header values (apps.py); requests,
    # decisions and approvers changing forget it (services.pending_counts_forget).
    return request_value(request, PENDING_COUNT, lambda: pending_count(user))


# What Mon espace's lists show of a booking (pooling.booking_rows writes the rows):
# read as values, one row each, no model instance.
UPCOMING_FIELDS = (
    "pk",
    "resource__name",
    "organisation__name",
    "start",
    "end",
    "quantity",
    "status",
    "booked_by_id",
    "organisation_id",
    "resource_id",
)


def _first(bookings: QuerySet[Booking], limit: int) -> QuerySet:
    return bookings.order_by("start", "pk").values("pk")[:limit]


def _upcoming_rows(first: QuerySet, limit: int | None = None) -> list[tuple]:
    """The bookings whose ids `first` chooses (a sub-select on the bookings alone),
    by start, as UPCOMING_FIELDS values: only those rows are joined to their
    resource and structure (joining before the LIMIT joined every upcoming booking
    of a busy structure, 3,000 at large)."""
    rows = (
        Booking.objects.filter(pk__in=first)
        .order_by("start", "pk")
        .values_list(*UPCOMING_FIELDS)
    )
    return list(rows if limit is None else rows[:limit])


def _mine(user, now: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(
        booked_by=user, end__gt=now, status__in=Booking.ACTIVE_STATUSES
    )


def _of_structures(organisation_ids, now: datetime):
    """(active bookings ending after `now` of these structures, and of their
    resources: two querysets; the resources' ids). The resources are read first
    (one query), so that each set of bookings is one index range, read from the
    index alone, (organisation, end) and (resource, end): an OR across a join or a
    sub-select made PostgreSQL read every booking (100 ms at 300,000), an OR of
    the two ranges every row of both from the table (3,000 rows, 7 ms)."""
    resource_ids = set(
        Resource.objects.filter(owner_id__in=organisation_ids)
        .order_by()
        .values_list("pk", flat=True)
    )
    active = Booking.objects.filter(end__gt=now, status__in=Booking.ACTIVE_STATUSES)
    parts = [active.filter(organisation_id__in=organisation_ids)]
    if resource_ids:
        parts.append(active.filter(resource_id__in=resource_ids))
    return parts, resource_ids


def _first_of_each(parts: list[QuerySet[Booking]], now: datetime, limit: int):
    """The ids among which the first `limit` upcoming bookings of every part are, in
    one statement (UNION ALL): of each part, those not begun yet, the first `limit`
    by start (an index range from `now` on (booker | structure | resource, start)),
    and those under way (begun, not ended: few), read through the partial (…, end)
    indexes in no order. Asked for the first by start among everything ending
    after `now`, PostgreSQL walked the (…, start) index through the whole past
    hoping to meet them early: 2,550 rows of the bench person's past, 1.2–6 ms."""
    queries = []
    for part in parts:
        queries.append(_first(part.filter(start__gt=now), limit))
        queries.append(part.filter(start__lte=now).order_by().values("pk"))
    if not connection.features.supports_slicing_ordering_in_compound:
        # SQLite's compound statements take no LIMIT: an OR of IN sub-selects, one
        # statement still (PostgreSQL would scan the table to test such an OR).
        either = Q()
        for query in queries:
            either |= Q(pk__in=query)
        return Booking.objects.filter(either).values("pk")
    first, *others = queries
    return first.union(*others, all=True)


def user_upcoming(
    user, *, now: datetime | None = None, names: Names | None = None
) -> list[tuple]:
    """The person's own upcoming bookings (UPCOMING_FIELDS), first by start, in one
    statement written once (_user_upcoming_sql): Mon espace reads it on every
    visit, and for this query the ORM spent twice as long building, compiling and
    wrapping it (≈ 1.5 ms) as PostgreSQL answering it from the person's index
    ranges. The same rows as _upcoming_rows(_first_of_each([_mine(user, now)], …))
    (tests/pooling/test_my_space.py compares them).

    The statement joins nothing (joining the resources and structures doubled
    PostgreSQL's planning, 0.23 → 0.46 ms a page): the names come from `names`
    (the page's, cached), and those it lacks from one query each."""
    now = now or timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    statuses = list(Booking.ACTIVE_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            _user_upcoming_sql(connection.vendor),
            [user.pk, *statuses, at, UPCOMING_LIMIT]
            + [user.pk, *statuses, at, at, UPCOMING_LIMIT],
        )
        rows = cursor.fetchall()
    if settings.USE_TZ and connection.vendor == "sqlite":
        # SQLite keeps UTC without its zone (Django's converters give it back naive).
        rows = [(row[0], _aware(row[1]), _aware(row[2]), *row[3:]) for row in rows]
    resources, structures = _named(
        names or Names({}, {}), {row[7] for row in rows}, {row[6] for row in rows}
    )
    return [
        (
            pk,
            resources[res],
            structures[org],
            start,
            end,
            quantity,
            status,
            by,
            org,
            res,
        )
        for pk, start, end, quantity, status, by, org, res in rows
    ]


@dataclass(frozen=True)
class Names:
    """Names a page already holds, by id: resources' and structures'."""

    resources: Mapping[int, str]
    structures: Mapping[int, str]


def _named(names: Names, resource_ids: set[int], structure_ids: set[int]):
    """({resource id: name}, {structure id: name}) for these ids: from `names`,
    and what it lacks from one query each."""
    resources = {
        pk: names.resources[pk] for pk in resource_ids & names.resources.keys()
    }
    if missing := resource_ids - resources.keys():
        resources |= dict(
            Resource.objects.filter(pk__in=missing).values_list("pk", "name")
        )
    known = structure_ids & names.structures.keys()
    structures = {pk: names.structures[pk] for pk in known}
    if missing := structure_ids - structures.keys():
        structures |= dict(
            Organisation.objects.filter(pk__in=missing).values_list("pk", "name")
        )
    return resources, structures


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


@lru_cache(maxsize=4)
def _user_upcoming_sql(vendor: str) -> str:
    """user_upcoming's statement, from the model's table and columns: the ids of
    the person's active bookings not begun yet (the first by start, a range of
    (booker, start)) and of those under way (begun, not ended: few, through the
    partial (booker, end) index), then only those rows. Portable: SQLite takes no
    LIMIT in a compound statement's member, so that one is a sub-select."""
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(Booking._meta.get_field(name).column)

    booking = quote(Booking._meta.db_table)
    pk, by, status = column("id"), column("booked_by"), column("status")
    start, end = column("start"), column("end")
    active = ", ".join(["%s"] * len(Booking.ACTIVE_STATUSES))
    mine = f"{by} = %s AND {status} IN ({active})"
    fields = ", ".join(
        f"b.{column(name)}"
        for name in (
            "id",
            "start",
            "end",
            "quantity",
            "status",
            "booked_by",
            "organisation",
            "resource",
        )
    )
    return (
        f"SELECT {fields} FROM {booking} b WHERE b.{pk} IN ("
        f"SELECT {pk} FROM (SELECT {pk} FROM {booking} WHERE {mine} "
        f"AND {start} > %s ORDER BY {start}, {pk} LIMIT %s) ahead "
        f"UNION ALL SELECT {pk} FROM {booking} WHERE {mine} "
        f"AND {start} <= %s AND {end} > %s"
        f") ORDER BY b.{start}, b.{pk} LIMIT %s"
    )


def organisations_upcoming(
    organisation_ids,
    *,
    now: datetime | None = None,
    limit: int = UPCOMING_LIMIT,
    exclude_booker=None,
) -> list[tuple]:
    """Bookings of these structures (made by anyone of them) and those of their
    resources, the first `limit` by start (UPCOMING_FIELDS); without those
    `exclude_booker` made. Two queries (_of_structures)."""
    organisation_ids = set(organisation_ids)
    if not organisation_ids:
        return []
    now = now or timezone.now()
    parts, _resources = _of_structures(organisation_ids, now)
    if exclude_booker is not None:
        parts = [part.exclude(booked_by=exclude_booker) for part in parts]
    return _upcoming_rows(_first_of_each(parts, now, limit), limit)


def upcoming_both(
    user, organisation_ids, *, now: datetime | None = None, limit: int
) -> tuple[list[tuple], list[tuple]]:
    """(user_upcoming, organisations_upcoming of `limit` rows made by anyone) in two
    queries rather than three: both lists' ids chosen in one statement (UNION ALL),
    then told apart here. The person's own are the first of the rows they booked
    (their first UPCOMING_LIMIT are all there, any other is later); the structures'
    the first `limit` of the rows of these structures or resources (the same
    reasoning)."""
    now = now or timezone.now()
    organisation_ids = set(organisation_ids)
    if not organisation_ids:
        return user_upcoming(user, now=now), []
    parts, resource_ids = _of_structures(organisation_ids, now)
    rows = _upcoming_rows(_first_of_each([_mine(user, now), *parts], now, limit))
    mine = [row for row in rows if row[7] == user.pk][:UPCOMING_LIMIT]
    theirs = [
        row for row in rows if row[8] in organisation_ids or row[9] in resource_ids
    ][:limit]
    return mine, theirs


def resources_shared_count() -> int:
    return Resource.objects.filter(
        status=Resource.Status.ACTIVE, owner__status="member"
    ).count()


def hours_booked_this_month(*, now: datetime | None = None) -> int:
    now = timezone.localtime(now or timezone.now())
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (first + timedelta(days=32)).replace(day=1)
    total = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, start__gte=first, start__lt=following
    ).aggregate(duration=Sum(F("end") - F("start"), output_field=DurationField()))[
        "duration"
    ]
    return int(total.total_seconds() // 3600) if total else 0


# --- Calendars -----------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    start: datetime
    end: datetime
    state: str  # "closed", "past", "free", "partial", "taken"
    free: int
    total: int
    column: SlotTimes | None = None  # the times shared by a column (day view)

    @cached_property
    def times(self) -> SlotTimes:
        """What the slot's link shows (pooling/includes/slot.html): written once per
        column, or once per cell when it is shown, rather than by four date
        filters per cell in the template."""
        return self.column or _slot_times(self.start, self.end)


@dataclass(frozen=True)
class SlotTimes:
    query: str  # "date=2026-03-03&start=10:00&end=11:00", for the booking form
    label: str  # « mardi 3 mars 10:00 », for screen readers


def _slot_times(start: datetime, end: datetime) -> SlotTimes:
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    return SlotTimes(
        query=f"date={local_start:%Y-%m-%d}&start={local_start:%H:%M}"
        f"&end={local_end:%H:%M}",
        label=day_format(local_start, "l j F H:i"),
    )


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    resource: Resource | None = None


def _cell(timeline: availability.Timeline, start, end, now, column=None) -> Cell:
    total = timeline.total
    if not timeline.is_open(start, end) or timeline.in_closure(start, end):
        return Cell(start, end, "closed", 0, total)
    free = max(total - timeline.used(start, end), 0)
    if end <= now:
        state = "past"
    elif free == total:
        state = "free"
    elif free:
        state = "partial"
    else:
        state = "taken"
    return Cell(start, end, state, free, total, column)


def _hours(snapshot: availability.Snapshot, resources) -> tuple[int, int]:
    periods = [p for r in resources for p in snapshot.periods.get(r.pk, ())]
    if not periods:
        return 8, 20
    first = min(p.opens.hour for p in periods)
    last = max(
        24 if p.closes == time(0) else p.closes.hour + bool(p.closes.minute)
        for p in periods
    )
    return first, max(last, first + 1)


def week_grid(resource: Resource, monday: date, *, now: datetime | None = None):
    """Rows of the week (one per time step), columns Monday → Sunday."""
    now = now or timezone.now()
    start = availability._instant(monday, time(0))
    end = availability._instant(monday + timedelta(days=7), time(0))
    snapshot = availability.load([resource], start, end)
    timeline = availability.Timeline(resource, snapshot, start, end)
    first, last = _hours(snapshot, [resource])
    step = max(availability.step_minutes(resource), 30)
    days = [monday + timedelta(days=i) for i in range(7)]
    rows = []
    minute = first * 60
    while minute < last * 60:
        at = time(minute // 60, minute % 60)
        cells = []
        for day in days:
            cell_start = availability._instant(day, at)
            nxt = minute + step
            cell_end = (
                availability._instant(day + timedelta(days=1), time(0))
                if nxt >= 24 * 60
                else availability._instant(day, time(nxt // 60, nxt % 60))
            )
            cells.append(_cell(timeline, cell_start, cell_end, now))
        rows.append(Row(at.strftime("%H:%M"), cells))
        minute += step
    return days, rows


def day_grid(resources: list[Resource], day: date, *, now: datetime | None = None):
    """One row per resource, one column per hour of the day."""
    now = now or timezone.now()
    start = availability._instant(day, time(0))
    end = availability._instant(day + timedelta(days=1), time(0))
    snapshot = availability.load(resources, start, end)
    first, last = _hours(snapshot, resources)
    hours = list(range(first, last))
    rows = []
    bounds = [
        (
            availability._instant(day, time(hour)),
            end if hour == 23 else availability._instant(day, time(hour + 1)),
        )
        for hour in hours
    ]
    # Every row has the same columns: their times are written once.
    columns = [(s, e, _slot_times(s, e)) for s, e in bounds]
    for resource in resources:
        timeline = availability.Timeline(resource, snapshot, start, end)
        cells = [_cell(timeline, s, e, now, times) for s, e, times in columns]
        rows.append(Row(resource.name, cells, resource))
    return [f"{hour:02d}:00" for hour in hours], rows


def bookable_resources() -> QuerySet[Resource]:
    return Resource.objects.filter(
        status=Resource.Status.ACTIVE, owner__status="member"
    ).select_related("owner")


def week_bookings(resource: Resource, start: datetime, end: datetime) -> list[Booking]:
    """The resource's active bookings in a window, by start, with what the week's
    list shows (the structure's name): whoever looks, permissions.sees_details
    decides what of it they see."""
    return list(
        availability.overlapping(Booking.objects.filter(resource=resource), start, end)
        .filter(start__lt=end, end__gt=start)
        .annotate(organisation_name=F("organisation__name"))
        .only(
            "start",
            "end",
            "quantity",
            "purpose",
            "status",
            "organisation_id",
            "booked_by_id",
        )
        .order_by("start", "pk")
    )


def free_between(resources: list[Resource], start: datetime, end: datetime):
    """The resources open, not closed and with a unit free over the whole window."""
    snapshot = availability.load(resources, *buffered_window(resources, start, end))
    return [r for r in resources if availability.is_free(r, start, end, 1, snapshot)]


def buffered_window(resources, start, end):
    """[start, end) widened by the largest buffers of `resources`."""
    before = max((r.buffer_before for r in resources), default=0)
    after = max((r.buffer_after for r in resources), default=0)
    return start - timedelta(minutes=before), end + timedelta(minutes=after)
