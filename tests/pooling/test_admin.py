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


# --- Decisions and cancellations as admin actions ----------------------------------
@pytest.fixture
def pending_requests(room, borrower, borrower_member):
    return [
        BookingFactory(
            resource=room,
            organisation=borrower,
            booked_by=borrower_member,
            status=Booking.Status.PENDING,
            start=paris(2099, 3, 2, hour),
            end=paris(2099, 3, 2, hour + 1),
        )
        for hour in (9, 11, 14)
    ]


@pytest.fixture
def coordinator_referent(coordinator, owner):
    """A coordinator who is also one of the owner's référents: an approver."""
    from members.models import Membership
    from tests.factories import MembershipFactory

    MembershipFactory(
        user=coordinator, organisation=owner, role=Membership.Role.REFERENT
    )
    return coordinator


def test_admin_approves_several_requests_through_the_service(
    client, coordinator_referent, pending_requests, borrower_member, on_commit
):
    from notifications.models import Notification

    client.force_login(coordinator_referent)
    response = client.get(reverse("bookings:index"))
    assert reverse("pooling_admin_decide") in response.content.decode()
    first, second, third = pending_requests
    response = client.get(reverse("pooling_admin_decide"), {"id": first.pk})
    assert response.status_code == HTTPStatus.OK
    assert f'value="{first.pk}"' in response.content.decode()

    with on_commit():
        response = client.post(
            reverse("pooling_admin_decide"),
            {"bookings": [first.pk, second.pk], "decision": "approve"},
        )
    assert response.status_code == HTTPStatus.FOUND
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: "confirmed",
        second.pk: "confirmed",
        third.pk: "pending",
    }
    events = AuditEvent.objects.filter(action="pooling.booking.approve")
    assert {e.actor for e in events} == {coordinator_referent} and events.count() == 2
    assert (
        Notification.objects.filter(
            recipient=borrower_member, kind="pooling.request_decided"
        ).count()
        == 2
    )

    # Declining needs a reason, as on the site.
    response = client.post(
        reverse("pooling_admin_decide"), {"bookings": [third.pk], "decision": "decline"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    client.post(
        reverse("pooling_admin_decide"),
        {"bookings": [third.pk], "decision": "decline", "reason": "Salle prise"},
    )
    third.refresh_from_db()
    assert (third.status, third.decision_reason) == ("declined", "Salle prise")


def test_admin_refuses_a_decision_the_site_refuses(
    client, coordinator, pending_requests
):
    """A coordinator is not an approver: the decision stays with the owner."""
    from notifications.models import Notification

    client.force_login(coordinator)
    html = client.get(reverse("pooling_admin_decide")).content.decode()
    assert 'name="bookings"' not in html  # nothing they may tick
    response = client.post(
        reverse("pooling_admin_decide"),
        {"bookings": [pending_requests[0].pk], "decision": "approve"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Booking.objects.exclude(status="pending").exists()
    assert not AuditEvent.objects.filter(action__startswith="pooling.booking.").exists()
    assert not Notification.objects.filter(kind="pooling.request_decided").exists()


def test_admin_cancels_through_the_service(
    client, coordinator, bookings, borrower_member, on_commit
):
    from notifications.models import Notification

    booking = bookings[0]
    client.force_login(coordinator)
    page = client.get(reverse("bookings:inspect", args=[booking.pk])).content.decode()
    assert reverse("pooling_admin_cancel", args=[booking.pk]) in page
    with on_commit():
        response = client.post(
            reverse("pooling_admin_cancel", args=[booking.pk]),
            {"reason": "Fermeture exceptionnelle"},
        )
    assert response.status_code == HTTPStatus.FOUND
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", coordinator)
    event = AuditEvent.objects.get(action="pooling.booking.cancel")
    assert (event.actor, event.reason) == (coordinator, "Fermeture exceptionnelle")
    assert Notification.objects.filter(
        recipient=borrower_member, kind="pooling.booking_cancelled"
    ).exists()
    # Cancelling again is refused with the site's message; nothing more written.
    response = client.post(reverse("pooling_admin_cancel", args=[booking.pk]), {})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert AuditEvent.objects.filter(action="pooling.booking.cancel").count() == 1


def test_admin_cancel_refused_to_someone_the_site_refuses(client, bookings, owner):
    """Someone who may see bookings in the admin but is on neither side."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    clerk = UserFactory()
    clerk.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_booking"),
    )
    client.force_login(clerk)
    booking = bookings[0]
    assert client.get(reverse("bookings:index")).status_code == HTTPStatus.OK
    response = client.post(
        reverse("pooling_admin_cancel", args=[booking.pk]), {"reason": "x"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert not AuditEvent.objects.filter(action="pooling.booking.cancel").exists()


def test_admin_actions_need_the_admin(client, borrower_member, bookings):
    client.force_login(borrower_member)
    response = client.post(
        reverse("pooling_admin_cancel", args=[bookings[0].pk]), {"reason": "x"}
    )
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    bookings[0].refresh_from_db()
    assert bookings[0].status == "confirmed"
