"""The approval queue's rows are kept per set of resources the approver decides
for, page, content version and language; the form around them is the person's."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Membership
from pooling.models import Booking
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.factories import BookingFactory, ResourceFactory

from .test_views import at, upcoming_day

pytestmark = pytest.mark.django_db


def queue_url() -> str:
    return reverse("pooling:approvals")


def rows_of(html: str) -> str:
    if '<ul class="booking-list">' not in html:
        return ""
    return html.split('<ul class="booking-list">')[1].split("</ul>")[0]


@pytest.fixture
def two_owners():
    a, b = OrganisationFactory(), OrganisationFactory()
    referents_a = [
        MembershipFactory(organisation=a, role=Membership.Role.REFERENT).user
        for _ in range(2)
    ]
    referent_b = MembershipFactory(organisation=b, role=Membership.Role.REFERENT).user
    member_b = MembershipFactory(organisation=b, role=Membership.Role.MEMBER).user
    room = ResourceFactory(owner=a, name="Salle Ambre")
    van = ResourceFactory(owner=b, name="Camion Vert")
    day = upcoming_day()
    borrower = OrganisationFactory(name="Association Emprunteuse")
    of_room = BookingFactory(
        resource=room,
        organisation=borrower,
        status=Booking.Status.PENDING,
        purpose="Réunion du bureau",
        start=at(day, 9),
        end=at(day, 10),
    )
    of_van = BookingFactory(
        resource=van,
        organisation=borrower,
        status=Booking.Status.PENDING,
        purpose="Déménagement",
        start=at(day, 11),
        end=at(day, 12),
    )
    return referents_a, referent_b, member_b, room, van, of_room, of_van


def test_queue_rows_are_shared_only_by_approvers_of_the_same_resources(
    client, two_owners
):
    referents_a, referent_b, member_b, room, van, of_room, of_van = two_owners
    client.force_login(referents_a[0])
    first = rows_of(client.get(queue_url()).content.decode())
    assert f'value="{of_room.pk}"' in first and "Réunion du bureau" in first
    assert "Déménagement" not in first
    assert "csrfmiddlewaretoken" not in first
    client.force_login(referents_a[1])
    assert rows_of(client.get(queue_url()).content.decode()) == first
    client.force_login(referent_b)
    theirs = rows_of(client.get(queue_url()).content.decode())
    assert f'value="{of_van.pk}"' in theirs and "Réunion du bureau" not in theirs
    # No resource to decide for: nothing, never someone else's rows.
    client.force_login(member_b)
    html = client.get(queue_url()).content.decode()
    assert rows_of(html) == "" and "Déménagement" not in html


def test_requests_and_decisions_show_at_once_and_a_refused_post_is_the_persons(
    client, two_owners, on_commit
):
    referents_a, referent_b, member_b, room, van, of_room, of_van = two_owners
    client.force_login(referents_a[0])
    client.get(queue_url())
    new = BookingFactory(
        resource=room,
        organisation=OrganisationFactory(),
        status=Booking.Status.PENDING,
        purpose="Atelier couture",
        start=at(upcoming_day(4), 9),
        end=at(upcoming_day(4), 10),
    )
    assert "Atelier couture" in rows_of(client.get(queue_url()).content.decode())
    # Refused (no decision chosen): what was ticked stays ticked, only here.
    response = client.post(queue_url(), {"bookings": [new.pk]})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert (
        f'value="{new.pk}" id="booking-{new.pk}" checked' in response.content.decode()
    )
    assert " checked" not in rows_of(client.get(queue_url()).content.decode())
    with on_commit():
        response = client.post(
            queue_url(), {"bookings": [new.pk], "decision": "approve"}
        )
    assert response.status_code == HTTPStatus.FOUND
    assert "Atelier couture" not in rows_of(client.get(queue_url()).content.decode())
    # Named manager of the van: its requests at once.
    from resources import services as resource_services

    resource_services.managers_set(resource=van, by=referent_b, users=[member_b])
    client.force_login(member_b)
    assert "Déménagement" in rows_of(client.get(queue_url()).content.decode())
