from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from pooling.models import Booking
from ptce.models import AuditEvent
from resources.models import Resource
from tests.pooling.conftest import paris
from tests.pooling.factories import BookingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookings(room, borrower, borrower_member):
    return [
        BookingFactory(
            resource=room,
            organisation=borrower,
            booked_by=borrower_member,
            purpose='=HYPERLINK("x")' if hour == 9 else "Réunion",
            start=paris(2099, 3, 2, hour),
            end=paris(2099, 3, 2, hour + 1),
        )
        for hour in (9, 11, 14)
    ]


def test_coordinator_lists_filters_and_exports(
    client, coordinator, bookings, django_assert_max_num_queries
):
    client.force_login(coordinator)
    for name in ("shared_resources", "bookings"):
        with django_assert_max_num_queries(40):
            response = client.get(reverse(f"{name}:index"))
        assert response.status_code == HTTPStatus.OK, name
    response = client.get(reverse("bookings:index"), {"status": "confirmed"})
    assert response.status_code == HTTPStatus.OK
    response = client.get(reverse("bookings:index"), {"export": "csv"})
    assert response.status_code == HTTPStatus.OK
    body = response.content.decode("utf-8-sig")
    assert body.count("\n") == 4 and ";" in body
    response = client.get(reverse("shared_resources:index"), {"export": "csv"})
    assert "Salle Rosa-Parks" in response.content.decode("utf-8-sig")


def test_admin_cannot_add_delete_or_edit_bookings(client, coordinator, bookings):
    client.force_login(coordinator)
    booking = bookings[0]
    assert client.get(reverse("bookings:edit", args=[booking.pk])).status_code in (
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
    )
    assert client.post(reverse("bookings:delete", args=[booking.pk])).status_code in (
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
    )
    assert Booking.objects.filter(pk=booking.pk, status="confirmed").exists()
    response = client.get(reverse("bookings:inspect", args=[booking.pk]))
    assert response.status_code == HTTPStatus.OK
    assert booking.get_absolute_url() in response.content.decode()
    assert client.get(reverse("shared_resources:add")).status_code in (
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
    )


def test_admin_edits_descriptions_through_the_service(client, coordinator, room):
    client.force_login(coordinator)
    response = client.post(
        reverse("shared_resources:edit", args=[room.pk]),
        {"name": "Salle Rosa-Parks (rénovée)", "summary": "Refaite à neuf"},
    )
    assert response.status_code == HTTPStatus.FOUND
    room.refresh_from_db()
    assert room.name == "Salle Rosa-Parks (rénovée)"
    event = AuditEvent.objects.get(action="resources.resource.update")
    assert event.actor == coordinator
    # Rule-carrying fields are not in the admin form: posting them changes nothing.
    client.post(
        reverse("shared_resources:edit", args=[room.pk]),
        {"name": room.name, "quantity": 50, "approval_required": ""},
    )
    room.refresh_from_db()
    assert (room.quantity, room.approval_required) == (1, True)
    assert Resource.objects.count() == 1
