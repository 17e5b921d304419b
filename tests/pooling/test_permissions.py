"""The permission matrix: every role × own / other structure × every action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from members.models import Membership
from pooling import permissions
from pooling.models import Booking
from resources.models import Resource, ResourceManager
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.conftest import paris
from tests.pooling.factories import BookingFactory

pytestmark = pytest.mark.django_db

ACTIONS = (
    "view_resource",
    "manage_resource",
    "name_managers",
    "create_resource_for_owner",
    "create_resource_for_borrower",
    "book_for_borrower",
    "book_for_owner",
    "see_details",
    "decide",
    "cancel",
    "change",
)

# Columns in the order of ACTIONS.
MATRIX = {
    "visitor": "10000000000",
    "outsider": "10000000000",
    "borrower_member": "10000101011",
    "borrower_referent": "10001101011",
    "owner_member": "10000011000",
    "owner_referent": "11110011111",
    "resource_manager": "11000011111",
    "coordinator": "11111001011",
}


@pytest.fixture
def people(owner, borrower, room, coordinator):
    def member(organisation, role=Membership.Role.MEMBER):
        return MembershipFactory(organisation=organisation, role=role).user

    manager = member(owner)
    ResourceManager.objects.create(resource=room, user=manager)
    return {
        "visitor": AnonymousUser(),
        "outsider": member(OrganisationFactory()),
        "borrower_member": member(borrower),
        "borrower_referent": member(borrower, Membership.Role.REFERENT),
        "owner_member": member(owner),
        "owner_referent": member(owner, Membership.Role.REFERENT),
        "resource_manager": manager,
        "coordinator": coordinator,
    }


def _can(action, user, *, room, owner, borrower, booking) -> bool:
    checks = {
        "view_resource": lambda: permissions.can_view_resource(user, room),
        "manage_resource": lambda: permissions.can_manage_resource(user, room),
        "name_managers": lambda: permissions.can_name_managers(user, room),
        "create_resource_for_owner": lambda: permissions.can_create_resource(
            user, owner
        ),
        "create_resource_for_borrower": lambda: permissions.can_create_resource(
            user, borrower
        ),
        "book_for_borrower": lambda: permissions.can_book_for(user, borrower),
        "book_for_owner": lambda: permissions.can_book_for(user, owner),
        "see_details": lambda: permissions.can_see_details(user, booking),
        "decide": lambda: permissions.can_decide(user, booking),
        "cancel": lambda: permissions.can_cancel(user, booking),
        "change": lambda: permissions.can_change(user, booking),
    }
    return checks[action]()


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(role, people, room, owner, borrower):
    booking = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=people["borrower_member"],
        status=Booking.Status.PENDING,
        start=paris(2099, 3, 2, 10),
        end=paris(2099, 3, 2, 11),
    )
    user = people[role]
    got = "".join(
        "1"
        if _can(
            action, user, room=room, owner=owner, borrower=borrower, booking=booking
        )
        else "0"
        for action in ACTIONS
    )
    assert got == MATRIX[role], dict(zip(ACTIONS, got, strict=True))


def test_details_checker_agrees_with_can_see_details(people, room, borrower):
    booking = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=people["borrower_member"],
        start=paris(2099, 3, 2, 10),
        end=paris(2099, 3, 2, 11),
    )
    for user in people.values():
        assert permissions.details_checker(user)(booking) == (
            permissions.can_see_details(user, booking)
        )


def test_details_checker_asks_the_database_once(
    people, room, borrower, django_assert_num_queries
):
    """Who may see booking details on a calendar: one query per page, whatever the
    role, and the answers it seeds (coordinator, managed resources) cost nothing
    afterwards."""
    booking = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=people["borrower_member"],
        start=paris(2099, 3, 2, 10),
        end=paris(2099, 3, 2, 11),
    )
    booking = Booking.objects.select_related("resource__owner").get(pk=booking.pk)
    for role, user in people.items():
        if not user.is_authenticated:
            continue
        fresh = type(user).objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            sees = permissions.details_checker(fresh)
            seen = sees(booking)
        with django_assert_num_queries(0):
            permissions.is_resource_manager(fresh, room)
            permissions.is_coordinator(fresh)
        assert seen == permissions.can_see_details(user, booking), role


def test_withdrawn_resource_is_visible_to_its_managers_only(people, room):
    Resource.objects.filter(pk=room.pk).update(status=Resource.Status.WITHDRAWN)
    room.refresh_from_db()
    visible = {
        role
        for role, user in people.items()
        if permissions.can_view_resource(user, room)
    }
    assert visible == {"owner_referent", "resource_manager", "coordinator"}


def test_nobody_cancels_a_past_or_finished_booking(people, room, borrower):
    booking = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=people["borrower_member"],
        start=paris(2020, 3, 2, 10),
        end=paris(2020, 3, 2, 11),
    )
    assert not any(permissions.can_cancel(u, booking) for u in people.values())


def test_inactive_person_has_no_right(people, room):
    referent = people["owner_referent"]
    referent.is_active = False
    assert not permissions.can_manage_resource(referent, room)


def test_nobody_changes_a_booking_that_has_begun(people, room, borrower):
    """Cancel until the end, change only before the start."""
    from django.utils import timezone

    now = timezone.now()
    booking = BookingFactory(
        resource=room,
        organisation=borrower,
        booked_by=people["borrower_member"],
        start=now - timedelta(minutes=30),
        end=now + timedelta(hours=1),
    )
    assert permissions.can_cancel(people["borrower_member"], booking)
    assert not any(permissions.can_change(u, booking) for u in people.values())
