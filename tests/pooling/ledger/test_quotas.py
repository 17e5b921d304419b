from __future__ import annotations

from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members.models import Membership
from pooling import quotas
from pooling.ledger.models import Quota
from pooling.ledger.quota_services import quota_delete, quota_set
from pooling.models import Booking
from pooling.services import BookingRefused, Part, booking_request, booking_set_request
from ptce.models import AuditEvent
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.conftest import NOW, paris
from tests.pooling.factories import ResourceFactory, open_every_day

pytestmark = pytest.mark.django_db


def book(resource, organisation, by, start, end, **kwargs):
    return booking_request(
        resource=resource,
        organisation=organisation,
        by=by,
        start=start,
        end=end,
        now=NOW,
        **kwargs,
    )


def test_request_over_a_resource_quota_is_refused_with_the_hours_left(
    room, borrower, borrower_member, coordinator
):
    quota_set(
        by=coordinator, organisation=borrower, resource=room, hours_per_month=Decimal(3)
    )
    book(room, borrower, borrower_member, paris(2027, 3, 2, 9), paris(2027, 3, 2, 11))
    with pytest.raises(BookingRefused) as info:
        book(
            room, borrower, borrower_member, paris(2027, 3, 3, 9), paris(2027, 3, 3, 11)
        )
    assert [p.code for p in info.value.problems] == [quotas.CODE]
    message = info.value.problems[0].message
    assert "3\xa0h" in message and "2\xa0h" in message and "il reste 1\xa0h" in message
    assert "mars 2027" in message
    assert Booking.objects.count() == 1
    # The hour left can still be booked; another month has its own hours.
    book(room, borrower, borrower_member, paris(2027, 3, 3, 9), paris(2027, 3, 3, 10))
    book(room, borrower, borrower_member, paris(2027, 4, 1, 9), paris(2027, 4, 1, 11))


def test_cancelled_bookings_free_their_hours(
    room, borrower, borrower_member, coordinator
):
    quota_set(
        by=coordinator, organisation=borrower, resource=room, hours_per_month=Decimal(2)
    )
    first = book(
        room, borrower, borrower_member, paris(2027, 3, 2, 9), paris(2027, 3, 2, 11)
    )
    Booking.objects.filter(pk=first.pk).update(status=Booking.Status.CANCELLED)
    book(room, borrower, borrower_member, paris(2027, 3, 3, 9), paris(2027, 3, 3, 11))


def test_kind_quota_counts_every_resource_of_the_kind_and_whole_sets(
    owner, borrower, borrower_member, owner_referent
):
    rooms = [ResourceFactory(owner=owner, approval_required=False) for _ in range(2)]
    for room in rooms:
        open_every_day(room)
    quota_set(
        by=owner_referent,
        organisation=borrower,
        resource_kind="premises",
        owner=owner,
        hours_per_month=Decimal(3),
    )
    book(
        rooms[0], borrower, borrower_member, paris(2027, 3, 2, 9), paris(2027, 3, 2, 11)
    )
    with pytest.raises(BookingRefused):
        book(
            rooms[1],
            borrower,
            borrower_member,
            paris(2027, 3, 2, 14),
            paris(2027, 3, 2, 16),
        )
    # A set of two rooms for one hour each asks 2 h at once: refused as a whole.
    with pytest.raises(BookingRefused):
        booking_set_request(
            parts=[Part(rooms[0]), Part(rooms[1])],
            organisation=borrower,
            by=borrower_member,
            start=paris(2027, 3, 4, 9),
            end=paris(2027, 3, 4, 10),
            now=NOW,
        )
    assert Booking.objects.count() == 1
    # Other structures and other owners' rooms are not capped.
    elsewhere = ResourceFactory(approval_required=False)
    open_every_day(elsewhere)
    book(
        elsewhere,
        borrower,
        borrower_member,
        paris(2027, 3, 2, 9),
        paris(2027, 3, 2, 17),
    )


def test_hours_split_at_month_boundaries():
    split = quotas.hours_by_month(paris(2027, 3, 31, 22), paris(2027, 4, 1, 2))
    assert split == {
        date(2027, 3, 1): Decimal("2.00"),
        date(2027, 4, 1): Decimal("2.00"),
    }


def test_who_may_set_quotas(
    room, owner, borrower, owner_referent, borrower_member, coordinator
):
    stranger = MembershipFactory(
        organisation=OrganisationFactory(), role=Membership.Role.REFERENT
    ).user
    with pytest.raises(PermissionDenied):
        quota_set(
            by=stranger,
            organisation=borrower,
            resource=room,
            hours_per_month=Decimal(1),
        )
    with pytest.raises(PermissionDenied):
        quota_set(
            by=borrower_member,
            organisation=borrower,
            resource=room,
            hours_per_month=Decimal(1),
        )
    # An owner caps on its own resources only; PTCE-wide kind quotas are coordinators'.
    with pytest.raises(PermissionDenied):
        quota_set(
            by=owner_referent,
            organisation=borrower,
            resource_kind="premises",
            hours_per_month=Decimal(1),
        )
    quota = quota_set(
        by=owner_referent,
        organisation=borrower,
        resource=room,
        hours_per_month=Decimal(1),
    )
    again = quota_set(
        by=coordinator, organisation=borrower, resource=room, hours_per_month=Decimal(5)
    )
    assert again.pk == quota.pk and Quota.objects.get().hours_per_month == 5
    quota_set(
        by=coordinator,
        organisation=borrower,
        resource_kind="equipment",
        hours_per_month=Decimal(2),
    )
    for bad in (Decimal(-1), Decimal(745)):
        with pytest.raises(ValidationError):
            quota_set(
                by=coordinator,
                organisation=borrower,
                resource=room,
                hours_per_month=bad,
            )
    with pytest.raises(ValidationError):
        quota_set(
            by=coordinator,
            organisation=borrower,
            resource_kind="spaceship",
            hours_per_month=Decimal(1),
        )
    with pytest.raises(PermissionDenied):
        quota_delete(by=stranger, quota=quota)
    quota_delete(by=owner_referent, quota=quota)
    assert AuditEvent.objects.filter(action__startswith="pooling.quota.").count() == 4


def test_quota_page_and_booking_form_show_what_is_left(
    client,
    room,
    owner,
    borrower,
    owner_referent,
    borrower_member,
    django_assert_max_num_queries,
):
    client.force_login(owner_referent)
    url = reverse("pooling_ledger:quotas")
    for n in range(5):  # the page costs the same whatever the number of quotas
        quota_set(
            by=owner_referent,
            organisation=OrganisationFactory(),
            resource=room,
            hours_per_month=Decimal(n),
        )
    # +1 since the news feed links in every head (one query on a cold cache).
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(
        url,
        {"organisation": borrower.pk, "resource": room.pk, "hours_per_month": "10"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Quota.objects.get(organisation=borrower).hours_per_month == 10
    # A resource of someone else is not offered, and a forged one is refused.
    other = ResourceFactory()
    response = client.post(
        url, {"organisation": borrower.pk, "resource": other.pk, "hours_per_month": "1"}
    )
    assert response.status_code == HTTPStatus.OK
    assert not Quota.objects.filter(resource=other).exists()
    client.force_login(borrower_member)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    html = client.get(
        reverse("pooling:booking_create", args=[room.pk])
    ).content.decode()
    assert "10\xa0h" in html and borrower.name in html


def test_quota_delete_of_a_foreign_quota_is_404(client, room, borrower, coordinator):
    quota = quota_set(
        by=coordinator, organisation=borrower, resource=room, hours_per_month=Decimal(1)
    )
    stranger = MembershipFactory(role=Membership.Role.REFERENT).user
    client.force_login(stranger)
    response = client.post(reverse("pooling_ledger:quota_delete", args=[quota.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert Quota.objects.exists()
