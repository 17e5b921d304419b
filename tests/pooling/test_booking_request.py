from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pooling import availability
from pooling.availability import Code
from pooling.models import Booking
from pooling.services import BookingRefused, Part, booking_request, booking_set_request
from ptce.selectors import audit_for_target
from resources.models import Resource
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.conftest import NOW, paris
from tests.pooling.factories import (
    BookingFactory,
    ClosureFactory,
    OpeningPeriodFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


def request(resource, organisation, by, start, end, **kwargs):
    kwargs.setdefault("now", NOW)
    return booking_request(
        resource=resource,
        organisation=organisation,
        by=by,
        start=start,
        end=end,
        **kwargs,
    )


def refused(call) -> BookingRefused:
    with pytest.raises(BookingRefused) as info:
        call()
    return info.value


def codes(error: BookingRefused) -> list[str]:
    return [problem.code for problem in error.problems]


# --- The domain's peak example -------------------------------------------------------
def test_peak_not_sum_five_projectors(projectors, borrower, borrower_member):
    day = (2027, 3, 2)
    BookingFactory(
        resource=projectors, quantity=3, start=paris(*day, 9), end=paris(*day, 10)
    )
    BookingFactory(
        resource=projectors, quantity=2, start=paris(*day, 11), end=paris(*day, 12)
    )

    booking = request(
        projectors,
        borrower,
        borrower_member,
        paris(*day, 9),
        paris(*day, 12),
        quantity=1,
    )

    assert booking.status == Booking.Status.CONFIRMED
    assert booking.quantity == 1


def test_quantity_beyond_peak_is_refused_naming_the_slot(
    projectors, borrower, borrower_member
):
    day = (2027, 3, 2)
    BookingFactory(
        resource=projectors, quantity=3, start=paris(*day, 9), end=paris(*day, 10)
    )
    BookingFactory(
        resource=projectors, quantity=2, start=paris(*day, 11), end=paris(*day, 12)
    )

    error = refused(
        lambda: request(
            projectors,
            borrower,
            borrower_member,
            paris(*day, 9),
            paris(*day, 12),
            quantity=3,
        )
    )

    assert codes(error) == [Code.CLASH]
    message = error.messages[0]
    assert (
        "2" in message and "5" in message and "09:00" in message and "10:00" in message
    )
    assert Booking.objects.filter(organisation=borrower).count() == 0


def test_exactly_the_free_quantity_is_granted(projectors, borrower, borrower_member):
    start, end = paris(2027, 3, 2, 14), paris(2027, 3, 2, 16)
    BookingFactory(resource=projectors, quantity=3, start=start, end=end)
    request(projectors, borrower, borrower_member, start, end, quantity=2)
    error = refused(lambda: request(projectors, borrower, borrower_member, start, end))
    assert codes(error) == [Code.CLASH]


# --- Single unit, buffers ------------------------------------------------------------
def test_single_unit_clash_names_the_taken_slot(room, borrower, borrower_member):
    BookingFactory(
        resource=room, start=paris(2027, 3, 2, 10), end=paris(2027, 3, 2, 11)
    )
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10, 30),
            paris(2027, 3, 2, 12),
        )
    )
    assert codes(error) == [Code.CLASH]
    assert "10:00" in error.messages[0] and "11:00" in error.messages[0]


def test_back_to_back_bookings_do_not_clash(room, borrower, borrower_member):
    BookingFactory(
        resource=room, start=paris(2027, 3, 2, 10), end=paris(2027, 3, 2, 11)
    )
    booking = request(
        room, borrower, borrower_member, paris(2027, 3, 2, 11), paris(2027, 3, 2, 12)
    )
    assert booking.pk


def test_buffers_count_in_clashes(room, borrower, borrower_member):
    Resource.objects.filter(pk=room.pk).update(buffer_after=30)
    room.refresh_from_db()
    first = request(
        room, borrower, borrower_member, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)
    )
    assert first.blocked_end == paris(2027, 3, 2, 11, 30)
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 11, 15),
            paris(2027, 3, 2, 12),
        )
    )
    assert codes(error) == [Code.CLASH]
    assert request(
        room,
        borrower,
        borrower_member,
        paris(2027, 3, 2, 11, 30),
        paris(2027, 3, 2, 12),
    ).pk


def test_cancelled_and_declined_bookings_free_the_slot(room, borrower, borrower_member):
    for status in (
        Booking.Status.CANCELLED,
        Booking.Status.DECLINED,
        Booking.Status.EXPIRED,
    ):
        BookingFactory(
            resource=room,
            status=status,
            start=paris(2027, 3, 2, 10),
            end=paris(2027, 3, 2, 11),
        )
    assert request(
        room, borrower, borrower_member, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)
    ).pk


def test_pending_requests_hold_the_slot(room, borrower, borrower_member):
    BookingFactory(
        resource=room,
        status=Booking.Status.PENDING,
        start=paris(2027, 3, 2, 10),
        end=paris(2027, 3, 2, 11),
    )
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
        )
    )
    assert codes(error) == [Code.CLASH]


# --- Rules -----------------------------------------------------------------------
def test_closed_outside_opening_hours_names_the_closed_part(
    owner, borrower, borrower_member
):
    resource = ResourceFactory(owner=owner)
    OpeningPeriodFactory(resource=resource, weekday=1, opens=time(9), closes=time(18))
    error = refused(
        lambda: request(
            resource,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 17),
            paris(2027, 3, 2, 19),
        )
    )
    assert codes(error) == [Code.CLOSED]
    assert "18:00" in error.messages[0] and "19:00" in error.messages[0]


def test_closure_refuses_with_its_reason(room, borrower, borrower_member):
    ClosureFactory(
        resource=room,
        start=paris(2027, 3, 2),
        end=paris(2027, 3, 3),
        reason="Peinture des murs",
    )
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
        )
    )
    assert codes(error) == [Code.CLOSURE]
    assert "Peinture des murs" in error.messages[0]


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (paris(2027, 3, 2, 10), paris(2027, 3, 2, 10, 15), Code.TOO_SHORT),
        (paris(2027, 3, 2, 10), paris(2027, 3, 6, 10), Code.TOO_LONG),
        (paris(2027, 3, 2, 10, 7), paris(2027, 3, 2, 11, 7), Code.GRANULARITY),
        (paris(2027, 3, 1, 7), paris(2027, 3, 1, 9), Code.PAST),
        (paris(2028, 6, 1, 10), paris(2028, 6, 1, 11), Code.HORIZON),
        (paris(2027, 3, 2, 11), paris(2027, 3, 2, 10), Code.ORDER),
        (paris(2027, 3, 2, 11), paris(2027, 3, 2, 11), Code.ORDER),
        (paris(9999, 12, 30, 10), paris(9999, 12, 30, 11), Code.HORIZON),
    ],
)
def test_rules_refuse_with_their_code(
    room, borrower, borrower_member, start, end, code
):
    error = refused(lambda: request(room, borrower, borrower_member, start, end))
    assert code in codes(error)
    assert all(message.strip() for message in error.messages)
    assert not Booking.objects.exists()


def test_minimum_notice(room, borrower, borrower_member):
    Resource.objects.filter(pk=room.pk).update(min_notice=48)
    room.refresh_from_db()
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
        )
    )
    assert codes(error) == [Code.NOTICE]
    assert request(
        room, borrower, borrower_member, paris(2027, 3, 3, 10), paris(2027, 3, 3, 11)
    ).pk


@pytest.mark.parametrize("quantity", [0, -1, 6, 10**9])
def test_impossible_quantities(projectors, borrower, borrower_member, quantity):
    error = refused(
        lambda: request(
            projectors,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
            quantity=quantity,
        )
    )
    assert codes(error) == [Code.QUANTITY]
    assert not Booking.objects.exists()


def test_capacity(room, borrower, borrower_member):
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
            attendees=21,
        )
    )
    assert codes(error) == [Code.CAPACITY]


def test_chosen_list_of_structures(room, borrower, borrower_member):
    room.open_to_all = False
    room.save()
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
        )
    )
    assert codes(error) == [Code.NOT_ALLOWED]
    room.allowed_organisations.add(borrower)
    assert request(
        room, borrower, borrower_member, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)
    ).pk


def test_paused_resource_cannot_be_booked(room, borrower, borrower_member):
    Resource.objects.filter(pk=room.pk).update(status=Resource.Status.PAUSED)
    room.refresh_from_db()
    error = refused(
        lambda: request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
        )
    )
    assert codes(error) == [Code.INACTIVE]


def test_only_people_of_the_structure_book_for_it(room, borrower, owner_member):
    with pytest.raises(PermissionDenied):
        request(
            room, borrower, owner_member, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)
        )


def test_huge_purpose_and_nul_bytes(room, borrower, borrower_member):
    with pytest.raises(ValidationError):
        request(
            room,
            borrower,
            borrower_member,
            paris(2027, 3, 2, 10),
            paris(2027, 3, 2, 11),
            purpose="x" * 100_000,
        )
    booking = request(
        room,
        borrower,
        borrower_member,
        paris(2027, 3, 2, 10),
        paris(2027, 3, 2, 11),
        purpose="Atelier\x00 compost",
    )
    assert booking.purpose == "Atelier compost"


# --- Status, price, audit ----------------------------------------------------------
def test_other_structures_wait_for_approval(room, borrower, borrower_member):
    booking = request(
        room, borrower, borrower_member, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)
    )
    assert booking.status == Booking.Status.PENDING
    assert booking.amount_excl_vat is None
    event = audit_for_target(booking).get()
    assert (event.action, event.after, event.actor) == (
        "pooling.booking.request",
        "pending",
        borrower_member,
    )


def test_owner_people_are_confirmed_at_once(room, owner, owner_member):
    booking = request(
        room, owner, owner_member, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11)
    )
    assert booking.status == Booking.Status.CONFIRMED


def test_price_is_frozen_at_confirmation(owner, borrower, borrower_member):
    van = ResourceFactory(
        owner=owner,
        kind=Resource.Kind.EQUIPMENT,
        approval_required=False,
        price_unit=Resource.PriceUnit.HOUR,
        price_amount=Decimal("12.50"),
        vat_regime=Resource.VatRegime.TAXABLE,
        vat_rate=Decimal("20.00"),
    )
    booking = request(
        van, borrower, borrower_member, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11, 30)
    )
    Resource.objects.filter(pk=van.pk).update(price_amount=Decimal("99.00"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.unit_price == Decimal("12.50")
    assert booking.price_units == Decimal("1.50")
    assert booking.amount_excl_vat == Decimal("18.75")
    assert booking.vat_amount == Decimal("3.75")
    assert booking.amount_incl_vat == Decimal("22.50")


# --- Daylight saving -----------------------------------------------------------------
@pytest.mark.parametrize("day", [(2027, 3, 28), (2027, 10, 31)])
def test_opening_hours_hold_in_local_time_on_change_days(
    owner, borrower, borrower_member, day
):
    resource = ResourceFactory(owner=owner, approval_required=False)
    OpeningPeriodFactory(resource=resource, weekday=6, opens=time(9), closes=time(18))
    start = availability.local_datetime(date(*day), time(9))
    end = availability.local_datetime(date(*day), time(18))
    booking = request(resource, borrower, borrower_member, start, end)
    assert booking.end - booking.start == timedelta(hours=9)
    # One hour earlier in local time is closed, whatever the UTC offset that day.
    early = availability.local_datetime(date(*day), time(8))
    error = refused(lambda: request(resource, borrower, borrower_member, early, start))
    assert codes(error) == [Code.CLOSED]


def test_non_existent_local_time_is_refused_clearly():
    with pytest.raises(availability.NonExistentLocalTime) as info:
        availability.local_datetime(date(2027, 3, 28), time(2, 30))
    assert "02:30" in str(info.value)


def test_ambiguous_october_time_is_the_first():
    moment = availability.local_datetime(date(2027, 10, 31), time(2, 30))
    assert moment.utcoffset() == timedelta(0)
    assert moment.hour == 0  # 02:30 summer time is 00:30 UTC


# --- Sets ---------------------------------------------------------------------------
def test_set_is_all_or_nothing_and_names_the_part(
    room, projectors, owner, borrower, borrower_member
):
    van = ResourceFactory(
        owner=owner, name="Camion", kind=Resource.Kind.EQUIPMENT, capacity=None
    )
    for weekday in range(7):
        OpeningPeriodFactory(
            resource=van, weekday=weekday, opens=time(8), closes=time(20)
        )
    BookingFactory(resource=van, start=paris(2027, 3, 2, 13), end=paris(2027, 3, 2, 15))
    start, end = paris(2027, 3, 2, 14), paris(2027, 3, 2, 17)
    error = refused(
        lambda: booking_set_request(
            parts=[Part(room), Part(projectors, 2), Part(van)],
            organisation=borrower,
            by=borrower_member,
            start=start,
            end=end,
            now=NOW,
        )
    )
    assert codes(error) == [Code.CLASH]
    assert "Camion" in error.messages[0]
    assert "15:00" in error.messages[0]  # when the van is free again
    assert Booking.objects.filter(organisation=borrower).count() == 0

    bookings = booking_set_request(
        parts=[Part(room), Part(projectors, 2)],
        organisation=borrower,
        by=borrower_member,
        start=start,
        end=end,
        now=NOW,
    )
    assert [b.status for b in bookings] == ["pending", "confirmed"]
    assert bookings[0].group == bookings[1].group is not None


def test_foreign_ids_in_a_set(room, borrower, borrower_member):
    ghost = Resource(pk=987654, owner=room.owner, name="Fantôme")
    with pytest.raises(ValidationError):
        booking_set_request(
            parts=[Part(room), Part(ghost)],
            organisation=borrower,
            by=borrower_member,
            start=paris(2027, 3, 2, 10),
            end=paris(2027, 3, 2, 11),
            now=NOW,
        )
    assert not Booking.objects.exists()


def test_applied_structure_cannot_book(room):
    applied = OrganisationFactory(status="applied")
    person = MembershipFactory(organisation=applied).user
    with pytest.raises(PermissionDenied):
        request(room, applied, person, paris(2027, 3, 2, 10), paris(2027, 3, 2, 11))
