"""The availability engine's fast paths answer exactly as its plain ones.

- Timeline (calendars, suggestions) against is_free / peak_usage, on random data;
- the nearest-first candidate order against a sort of the whole grid;
- the overlap read (availability.overlapping): half-open ranges alike on SQLite and
  PostgreSQL, and on PostgreSQL the GiST index of migration 0004 answers it.
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection

from pooling import availability
from pooling.availability import ClosureSpan, Interval, Period, Snapshot, Timeline
from pooling.models import Booking
from resources.models import Resource
from tests.pooling.conftest import paris
from tests.pooling.factories import BookingFactory

MONDAY = paris(2027, 3, 1, 0)  # a week with no clock change


def _resource(quantity: int, before: int = 0, after: int = 0) -> Resource:
    return Resource(
        pk=1,
        owner_id=1,
        name="Salle",
        quantity=quantity,
        buffer_before=before,
        buffer_after=after,
        granularity=30,
    )


def _random_snapshot(rng: random.Random, resource: Resource) -> Snapshot:
    periods = [
        Period(1, weekday, time(rng.choice((0, 8, 9))), time(rng.choice((12, 18, 0))))
        for weekday in range(7)
        if rng.random() < 0.8
    ]
    closures = []
    for _ in range(rng.randint(0, 2)):
        start = MONDAY + timedelta(hours=rng.randint(0, 160))
        closures.append(
            ClosureSpan(
                1, start, start + timedelta(hours=rng.randint(1, 30)), "Travaux"
            )
        )
    bookings = []
    for n in range(rng.randint(0, 40)):
        start = MONDAY + timedelta(minutes=30 * rng.randint(0, 330))
        length = timedelta(minutes=30 * rng.randint(1, 8))
        bookings.append(
            Interval(start, start + length, rng.randint(1, resource.quantity), n)
        )
    return Snapshot(
        periods={1: periods}, closures={1: closures}, bookings={1: bookings}
    )


@pytest.mark.parametrize("seed", range(40))
def test_timeline_answers_as_the_plain_checks(seed):
    rng = random.Random(seed)
    resource = _resource(rng.choice((1, 1, 3, 5)), *rng.choice(((0, 0), (15, 30))))
    snapshot = _random_snapshot(rng, resource)
    week_end = MONDAY + timedelta(days=7)
    timeline = Timeline(resource, snapshot, MONDAY, week_end)
    for _ in range(150):
        start = MONDAY + timedelta(minutes=30 * rng.randint(0, 320))
        end = start + timedelta(minutes=30 * rng.randint(1, 12))
        if end > week_end:
            continue
        quantity = rng.randint(1, resource.quantity)
        assert timeline.is_free(start, end, quantity) == availability.is_free(
            resource, start, end, quantity, snapshot
        ), (start, end, quantity)
        assert timeline.used(start, end) == (
            availability.peak_usage(snapshot.bookings[1], start, end).quantity
        )


@pytest.mark.parametrize("seed", range(40))
def test_clash_through_the_timeline_is_the_plain_one(seed):
    """The series preview finds each occurrence's bookings by a binary search in
    its Timeline: the same bookings, the same clash and message as a full pass."""
    rng = random.Random(seed)
    resource = _resource(rng.choice((1, 1, 3, 5)), *rng.choice(((0, 0), (15, 30))))
    snapshot = _random_snapshot(rng, resource)
    timeline = Timeline(resource, snapshot, MONDAY, MONDAY + timedelta(days=7))
    for _ in range(150):
        start = MONDAY + timedelta(minutes=30 * rng.randint(0, 320))
        end = start + timedelta(minutes=30 * rng.randint(1, 12))
        assert timeline.overlapping(start, end) == sorted(
            (i for i in snapshot.bookings[1] if i.start < end and i.end > start),
            key=lambda i: i.start,
        )
        quantity = rng.randint(1, resource.quantity)
        assert availability.clash_problem(
            resource, start, end, quantity, snapshot, timeline
        ) == availability.clash_problem(resource, start, end, quantity, snapshot)


def test_timeline_half_open_ranges():
    resource = _resource(2)
    ten, eleven, noon = (MONDAY + timedelta(hours=h) for h in (10, 11, 12))
    snapshot = Snapshot(
        periods={1: []},
        closures={1: []},
        bookings={1: [Interval(ten, eleven, 2), Interval(eleven, noon, 1)]},
    )
    timeline = Timeline(resource, snapshot, MONDAY, MONDAY + timedelta(days=1))
    assert timeline.used(ten, noon) == 2  # never 3: one ends when the other starts
    assert timeline.used(eleven, noon) == 1
    assert not timeline.is_free(ten, eleven, 1)
    assert timeline.is_free(eleven, noon, 1)
    assert timeline.is_free(noon, noon + timedelta(hours=1), 2)


@pytest.mark.parametrize("offset_minutes", [0, 5, 15, 29, 30, 45, -30, 10_000])
def test_nearest_first_is_the_sorted_grid(offset_minutes):
    first = datetime(2027, 3, 1, 8, tzinfo=UTC)
    step = timedelta(minutes=30)
    count = 200
    target = first + timedelta(days=1, minutes=offset_minutes)
    grid = [first + n * step for n in range(count)]
    expected = sorted(grid, key=lambda c: (abs(c - target), c))
    assert list(availability._nearest_first(first, count, step, target)) == expected


@pytest.mark.django_db
def test_nearest_free_is_unchanged_by_the_near_window(room, borrower, now):
    """The search looks one day around first: its answer is the week's nearest."""
    day = paris(2027, 3, 2, 0)
    for hour in range(0, 24, 2):  # the whole Tuesday taken
        BookingFactory(
            resource=room,
            organisation=borrower,
            start=day + timedelta(hours=hour),
            end=day + timedelta(hours=hour + 2),
        )
    start, end = day + timedelta(hours=14), day + timedelta(hours=16)
    near = availability.nearest_free(
        room, start=start, end=end, quantity=1, now=now, window=timedelta(days=1)
    )
    week = availability.nearest_free(
        room, start=start, end=end, quantity=1, now=now, window=timedelta(days=7)
    )
    # Open 8:00–20:00: Wednesday 8:00 is 18 h away, Monday 18:00 is 20 h away.
    assert near == week == (paris(2027, 3, 3, 8), paris(2027, 3, 3, 10))


# --- The overlap read ----------------------------------------------------------------
@pytest.mark.django_db
def test_overlapping_reads_half_open_active_ranges(room, borrower):
    ten, eleven, noon = (paris(2027, 3, 2, h) for h in (10, 11, 12))
    before = BookingFactory(resource=room, organisation=borrower, start=ten, end=eleven)
    inside = BookingFactory(
        resource=room, organisation=borrower, start=eleven, end=noon
    )
    BookingFactory(
        resource=room,
        organisation=borrower,
        start=noon,
        end=noon + timedelta(hours=1),
        status=Booking.Status.CANCELLED,
    )
    found = availability.overlapping(Booking.objects.all(), eleven, noon)
    assert list(found.values_list("pk", flat=True)) == [inside.pk]
    wider = availability.overlapping(Booking.objects.all(), ten, noon)
    assert set(wider.values_list("pk", flat=True)) == {before.pk, inside.pk}


@pytest.mark.django_db
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: the GiST index",
)
def test_postgresql_answers_the_overlap_read_from_the_gist_index(room, borrower):
    BookingFactory(
        resource=room,
        organisation=borrower,
        start=paris(2027, 3, 2, 10),
        end=paris(2027, 3, 2, 11),
    )
    queryset = availability.overlapping(
        Booking.objects.filter(resource_id__in=[room.pk]),
        paris(2027, 3, 2, 9),
        paris(2027, 3, 2, 12),
    ).values_list("pk")
    with connection.cursor() as cursor:
        # A handful of rows: without this the planner rightly prefers reading them all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "pooling_active_span" in plan, plan
