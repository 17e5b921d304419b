"""Concurrent requests through separate PostgreSQL connections: never a double booking.

Each thread has its own database connection (Django opens one per thread); a barrier
releases them together so their transactions really overlap.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

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
