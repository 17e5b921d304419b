"""Mon espace's "my structures" list: which bookings, whatever the query's shape."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from pooling.models import Booking
from pooling.selectors import organisations_upcoming
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.factories import BookingFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_default_timezone())


def test_my_structures_bookings_and_those_of_their_resources_only(
    django_assert_num_queries,
):
    mine, other, third = (
        OrganisationFactory(),
        OrganisationFactory(),
        OrganisationFactory(),
    )
    me = MembershipFactory(organisation=mine).user
    colleague = MembershipFactory(organisation=mine).user
    our_room = ResourceFactory(owner=mine)
    their_van = ResourceFactory(owner=other)

    by_colleague = BookingFactory(
        resource=their_van,
        organisation=mine,
        booked_by=colleague,
        start=at(2, 9),
        end=at(2, 10),
    )
    of_our_room = BookingFactory(
        resource=our_room, organisation=third, start=at(1, 9), end=at(1, 10)
    )
    pending = BookingFactory(
        resource=our_room,
        organisation=other,
        status=Booking.Status.PENDING,
        start=at(3, 9),
        end=at(3, 10),
    )
    # Not listed: my own (in "mine"), past, cancelled, declined, someone else's.
    mine_own = BookingFactory(
        resource=their_van,
        organisation=mine,
        booked_by=me,
        start=at(4, 9),
        end=at(4, 10),
    )
    BookingFactory(
        resource=our_room, organisation=third, start=at(-2, 9), end=at(-2, 10)
    )
    BookingFactory(
        resource=our_room,
        organisation=third,
        status=Booking.Status.CANCELLED,
        start=at(5, 9),
        end=at(5, 10),
    )
    BookingFactory(
        resource=their_van,
        organisation=third,
        status=Booking.Status.DECLINED,
        start=at(5, 11),
        end=at(5, 12),
    )
    BookingFactory(
        resource=their_van, organisation=third, start=at(6, 9), end=at(6, 10)
    )

    with django_assert_num_queries(2):  # my structures' resources, the bookings
        listed = organisations_upcoming([mine.pk], exclude_booker=me)
    assert [row[0] for row in listed] == [of_our_room.pk, by_colleague.pk, pending.pk]
    # For everyone of the structure (Mon espace leaves the viewer's own out).
    everyone = [row[0] for row in organisations_upcoming([mine.pk])]
    assert everyone == [of_our_room.pk, by_colleague.pk, pending.pk, mine_own.pk]
    with django_assert_num_queries(0):  # no structure: nothing to ask
        assert organisations_upcoming([]) == []
