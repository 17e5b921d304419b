"""Concurrent requests through separate PostgreSQL connections: never a double booking.

Each thread has its own database connection (Django opens one per thread); a barrier
releases them together so their transactions really overlap.
"""

from __future__ import annotations

import os
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from pooling.availability import Code
from pooling.models import Booking
from pooling.services import (
    BookingRefused,
    Part,
    booking_change,
    booking_request,
    booking_set_request,
)
from ptce.models import AuditEvent
from tests.concurrency import run_concurrently
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.conftest import NOW, paris
from tests.pooling.factories import (
    BookingFactory,
    EquipmentFactory,
    ResourceFactory,
    open_every_day,
)

pytestmark = [
    # serialized_rollback: the flush must not wipe what migrations created (Wagtail's
    # Site, the groups) for the tests that run after these.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: real concurrent connections",
    ),
]

CONCURRENCY = 24
START, END = paris(2027, 3, 2, 14), paris(2027, 3, 2, 16)


def _people(n: int):
    organisation = OrganisationFactory()
    return organisation, [
        MembershipFactory(organisation=organisation).user for _ in range(n)
    ]


def _race(work, people) -> list[object]:
    barrier = threading.Barrier(len(people))

    def run(person):
        try:
            barrier.wait(timeout=30)
            return work(person)
        except BookingRefused as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(run, people))


def _outcomes(results):
    won = [r for r in results if isinstance(r, Booking)]
    lost = [r for r in results if isinstance(r, BookingRefused)]
    assert len(won) + len(lost) == len(results), results
    return won, lost


def test_last_free_slot_of_a_single_unit_goes_to_exactly_one():
    room = ResourceFactory(approval_required=False)
    open_every_day(room)
    organisation, people = _people(CONCURRENCY)

    results = _race(
        lambda person: booking_request(
            resource=room,
            organisation=organisation,
            by=person,
            start=START,
            end=END,
            now=NOW,
        ),
        people,
    )

    won, lost = _outcomes(results)
    assert len(won) == 1
    assert all(error.problems[0].code == Code.CLASH for error in lost)
    assert all("14:00" in error.messages[0] for error in lost)
    assert Booking.objects.filter(resource=room).count() == 1
    assert AuditEvent.objects.filter(action="pooling.booking.request").count() == 1


def test_quantity_resource_grants_exactly_the_free_units():
    projectors = EquipmentFactory(quantity=5, approval_required=False)
    open_every_day(projectors)
    BookingFactory(resource=projectors, quantity=2, start=START, end=END)
    organisation, people = _people(CONCURRENCY)

    results = _race(
        lambda person: booking_request(
            resource=projectors,
            organisation=organisation,
            by=person,
            start=START,
            end=END,
            now=NOW,
        ),
        people,
    )

    won, lost = _outcomes(results)
    assert len(won) == 3
    assert all(error.problems[0].code == Code.CLASH for error in lost)
    assert (
        sum(
            Booking.objects.filter(resource=projectors).values_list(
                "quantity", flat=True
            )
        )
        == 5
    )


def test_concurrent_sets_are_all_or_nothing():
    room = ResourceFactory(approval_required=False)
    projectors = EquipmentFactory(quantity=3, approval_required=False)
    open_every_day(room)
    open_every_day(projectors)
    organisation, people = _people(CONCURRENCY)

    def work(person):
        # Half ask for the room with a projector, half for two projectors alone.
        parts = (
            [Part(room), Part(projectors, 1)]
            if person.pk % 2
            else [Part(projectors, 2)]
        )
        return booking_set_request(
            parts=parts,
            organisation=organisation,
            by=person,
            start=START,
            end=END,
            now=NOW,
        )[0]

    _race(work, people)

    rows = Booking.objects.all()
    assert rows.filter(resource=room).count() <= 1
    assert sum(rows.filter(resource=projectors).values_list("quantity", flat=True)) <= 3
    # No half-written set: each group has both of its parts.
    for group in rows.exclude(group=None).values_list("group", flat=True):
        assert rows.filter(group=group).count() == 2


def test_database_refuses_an_overlap_even_without_the_service():
    from django.db import IntegrityError, transaction

    room = ResourceFactory()
    BookingFactory(resource=room, start=START, end=END)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(
            resource=room, start=paris(2027, 3, 2, 15), end=paris(2027, 3, 2, 17)
        )
    # A cancelled booking does not hold the slot.
    BookingFactory(resource=room, start=START, end=END, status=Booking.Status.CANCELLED)


def _changes_and_requests(resource, organisation, people, *, quantity=1):
    """Half the people move a booking they hold elsewhere onto the slot, half ask
    for it anew; each worker gets (person, their booking or None)."""
    from datetime import timedelta

    holders = people[: len(people) // 2]
    owned = {
        person.pk: BookingFactory(
            resource=resource,
            organisation=organisation,
            booked_by=person,
            quantity=quantity,
            start=paris(2027, 3, 3, 8) + timedelta(minutes=30 * index),
            end=paris(2027, 3, 3, 8, 15) + timedelta(minutes=30 * index),
        )
        for index, person in enumerate(holders)
    }

    def work(person):
        if person.pk in owned:
            return booking_change(
                booking=owned[person.pk],
                by=person,
                start=START,
                end=END,
                quantity=quantity,
                now=NOW,
            )
        return booking_request(
            resource=resource,
            organisation=organisation,
            by=person,
            start=START,
            end=END,
            quantity=quantity,
            now=NOW,
        )

    return owned, work


def test_twenty_changes_and_requests_for_the_last_slot_one_wins():
    room = ResourceFactory(approval_required=False, min_duration=15)
    open_every_day(room)
    organisation, people = _people(20)
    owned, work = _changes_and_requests(room, organisation, people)

    won, lost = _outcomes(_race(work, people))

    assert len(won) == 1
    assert all(error.problems[0].code == Code.CLASH for error in lost)
    on_slot = Booking.objects.filter(
        resource=room, start__lt=END, end__gt=START, status="confirmed"
    )
    assert on_slot.count() == 1
    # The losers' bookings kept their own times: nothing half-changed.
    moved = [b.pk for b in owned.values() if b.pk == won[0].pk]
    for booking in Booking.objects.filter(pk__in=[b.pk for b in owned.values()]):
        if booking.pk not in moved:
            assert booking.start.date() == paris(2027, 3, 3).date()
    events = AuditEvent.objects.filter(
        action__in=["pooling.booking.change", "pooling.booking.request"]
    )
    assert events.count() == 1


def test_twenty_changes_and_requests_on_a_quantity_get_exactly_the_free_units():
    projectors = EquipmentFactory(quantity=5, approval_required=False, min_duration=15)
    open_every_day(projectors)
    BookingFactory(resource=projectors, quantity=2, start=START, end=END)
    organisation, people = _people(20)
    _owned, work = _changes_and_requests(projectors, organisation, people)

    won, lost = _outcomes(_race(work, people))

    assert len(won) == 3
    assert all(error.problems[0].code == Code.CLASH for error in lost)
    assert (
        sum(
            Booking.objects.filter(
                resource=projectors, start__lt=END, end__gt=START
            ).values_list("quantity", flat=True)
        )
        == 5
    )


# --- Quotas --------------------------------------------------------------------------
QUOTA_HOURS = Decimal("10")
CONCURRENCY_QUOTA = 20
SIDE = 10  # requests approved, and bookings cancelled, while the month closes


def _coordinator():
    from django.contrib.auth.models import Group

    from members.permissions import COORDINATORS_GROUP
    from tests.factories import UserFactory

    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    return user


@pytest.mark.parametrize("target", ["kind", "resource"])
def test_concurrent_requests_never_go_over_a_quota(target):
    """20 requests of 2 h each: every one fits a 10 h quota alone, not together.

    "kind": each request books a different room (no resource lock in common), capped
    by a quota on every premises; "resource": each books one unit of a 20-unit
    resource capped on that resource. Exactly 5 are granted, the others get the
    French quota message, and nothing else is written for them.
    """
    from pooling.ledger.models import LedgerLine
    from pooling.ledger.quota_services import quota_set
    from pooling.quotas import CODE

    owner = OrganisationFactory(name="Maison des associations")
    borrower, people = _people(CONCURRENCY_QUOTA)
    if target == "kind":
        resources = [
            ResourceFactory(
                owner=owner,
                approval_required=False,
                price_unit="hour",
                price_amount=Decimal("12.00"),
            )
            for _ in people
        ]
        quota_set(
            by=_coordinator(),
            organisation=borrower,
            hours_per_month=QUOTA_HOURS,
            resource_kind="premises",
        )
    else:
        shared = EquipmentFactory(
            owner=owner,
            quantity=CONCURRENCY_QUOTA,
            approval_required=False,
            price_unit="hour",
            price_amount=Decimal("3.00"),
        )
        resources = [shared] * len(people)
        quota_set(
            by=_coordinator(),
            organisation=borrower,
            hours_per_month=QUOTA_HOURS,
            resource=shared,
        )
    for resource in set(resources):
        open_every_day(resource)
    resource_of = {person.pk: resources[i] for i, person in enumerate(people)}

    results = _race(
        lambda person: booking_request(
            resource=resource_of[person.pk],
            organisation=borrower,
            by=person,
            start=START,
            end=END,
            now=NOW,
        ),
        people,
    )

    won, lost = _outcomes(results)
    granted = int(QUOTA_HOURS // 2)
    assert len(won) == granted
    assert len(lost) == CONCURRENCY_QUOTA - granted
    for error in lost:
        assert [p.code for p in error.problems] == [CODE]
        message = error.messages[0].replace("\u00a0", " ").replace("\u202f", " ")
        assert message.startswith("Quota dépassé : "), message
        assert "il reste 0 h et cette demande porte sur 2 h" in message
    bookings = Booking.objects.filter(organisation=borrower)
    assert bookings.count() == granted
    assert {b.status for b in bookings} == {Booking.Status.CONFIRMED}
    # Nothing half-written: one charge and one audit record per granted booking only.
    assert LedgerLine.objects.filter(user=borrower).count() == granted
    assert set(LedgerLine.objects.values_list("booking_id", flat=True)) == {
        b.pk for b in won
    }
    assert AuditEvent.objects.filter(action="pooling.booking.request").count() == (
        granted
    )


# --- Closing a month while its bookings are confirmed and cancelled ------------------
def _deferred_closed_month_guard():
    """A PostgreSQL trigger, checked when each ledger line commits: its month must not
    be closed by then. Closing and writing lines must be serialised for it to hold."""
    from pooling.ledger.models import ClosedMonth, LedgerLine

    lines, closed = LedgerLine._meta.db_table, ClosedMonth._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            CREATE OR REPLACE FUNCTION test_line_not_in_closed_month() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM {closed} WHERE period = NEW.period) THEN
                    RAISE EXCEPTION 'ledger line % committed into closed month %',
                        NEW.id, NEW.period;
                END IF;
                RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS test_line_not_in_closed_month ON {lines};
            CREATE CONSTRAINT TRIGGER test_line_not_in_closed_month
                AFTER INSERT ON {lines} DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION test_line_not_in_closed_month();
            """
        )

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(
                f"DROP TRIGGER IF EXISTS test_line_not_in_closed_month ON {lines};"
                "DROP FUNCTION IF EXISTS test_line_not_in_closed_month();"
            )

    return drop


def test_month_closing_races_confirmations_and_cancellations():
    """A coordinator closes last month while 10 of its requests are approved and 10 of
    its confirmed bookings are cancelled in time, all at once (requests that started
    before the month ended, hence their `now`). No line is ever committed into the
    closed month: each lands in it before the close or in the next month as an
    adjustment; none is lost; the closed month reads the same afterwards."""
    from unittest import mock

    from pooling import permissions
    from pooling.ledger import periods
    from pooling.ledger import services as ledger
    from pooling.ledger.models import ClosedMonth, LedgerLine
    from pooling.ledger.selectors import ptce_lines
    from pooling.services import booking_cancel, booking_decide

    month = periods.previous_month(periods.current_month())
    following = periods.next_month(month)
    month_start, _month_end = periods.bounds(month)
    early = month_start - timedelta(days=3)
    owner = OrganisationFactory(name="Maison des associations")
    owner_referent = MembershipFactory(organisation=owner, role="referent").user
    borrower, people = _people(2 * SIDE)
    coordinator = _coordinator()
    rooms = [
        ResourceFactory(
            owner=owner,
            approval_required=True,
            price_unit="hour",
            price_amount=Decimal("10.00"),
            cancellation_notice_hours=48,
        )
        for _ in range(2 * SIDE)
    ]
    for room in rooms:
        open_every_day(room)
    requests = []
    for index, (room, person) in enumerate(zip(rooms, people, strict=True)):
        start = month_start + timedelta(days=10 + index % 15, hours=10)
        requests.append(
            booking_request(
                resource=room,
                organisation=borrower,
                by=person,
                start=start,
                end=start + timedelta(hours=2),
                now=early,
            )
        )
    to_approve, to_cancel = requests[:SIDE], requests[SIDE:]
    for booking in to_cancel:
        booking_decide(booking=booking, by=owner_referent, approve=True, now=early)
    assert LedgerLine.objects.filter(period=month).count() == SIDE
    drop_guard = _deferred_closed_month_guard()
    closed_statement = {}

    def work(index):
        time.sleep(random.random() * 0.05)
        if index == 0:
            ledger.month_close(period=month, by=coordinator)
            closed_lines = ptce_lines(period=month)
            closed_statement["lines"] = sorted(line.pk for line in closed_lines)
            return "closed"
        if index <= SIDE:
            return booking_decide(
                booking=to_approve[index - 1],
                by=owner_referent,
                approve=True,
                now=early,
            )
        booking = to_cancel[index - SIDE - 1]
        return booking_cancel(booking=booking, by=booking.booked_by, now=early)

    try:
        with mock.patch.object(permissions, "timezone", mock.Mock(now=lambda: early)):
            results = run_concurrently(2 * SIDE + 1, work)
    finally:
        drop_guard()

    assert results[0] == "closed", results[0]
    assert all(isinstance(r, Booking) for r in results[1:]), [
        r for r in results[1:] if not isinstance(r, Booking)
    ]
    assert ClosedMonth.objects.filter(period=month).count() == 1
    lines = LedgerLine.objects.filter(booking__in=requests)
    # Never lost: one charge per confirmed booking, one reversal per cancellation.
    for booking in requests:
        assert lines.filter(booking=booking, kind="charge").count() == 1
    for booking in to_cancel:
        assert lines.filter(booking=booking, kind="reversal").count() == 1
    assert not lines.filter(booking__in=to_approve, kind="reversal").exists()
    # Each in the closed month (written before it closed) or the next one.
    assert set(lines.values_list("period", flat=True)) <= {month, following}
    assert set(lines.values_list("service_month", flat=True)) == {month}
    # The closed month reads today exactly as it did right after closing.
    assert (
        sorted(line.pk for line in ptce_lines(period=month))
        == closed_statement["lines"]
    )
    late = lines.filter(period=following)
    assert all(line.is_adjustment for line in late)
