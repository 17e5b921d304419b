from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import JoinRequest, Membership
from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_join_request_accepted(client, organisation, referent, on_commit):
    person = UserFactory()
    client.force_login(person)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert reverse("members:join_request_create", args=[organisation.slug]) in page

    with on_commit():
        response = client.post(
            reverse("members:join_request_create", args=[organisation.slug]),
            {"message": "Je suis la nouvelle chargée de mission."},
        )
    assert response.status_code == HTTPStatus.FOUND
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequest.Status.PENDING
    notification = Notification.objects.get(kind="members.join_request")
    assert notification.recipient == referent
    assert "demande à rejoindre" in notification.text
    assert [m.to for m in mail.outbox] == [[referent.email]]
    assert "chargée de mission" in mail.outbox[0].body

    # A second request while the first waits is refused, nothing added.
    client.post(reverse("members:join_request_create", args=[organisation.slug]))
    assert JoinRequest.objects.count() == 1
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "en attente" in page

    # The requester cannot decide their own request.
    decide = reverse("members:join_request_decide", args=[join_request.pk])
    assert client.post(decide, {"decision": "accept"}).status_code == 403

    client.force_login(referent)
    manage = client.get(
        reverse("members:organisation_manage", args=[organisation.slug])
    )
    assert person.email in manage.content.decode()
    with on_commit():
        response = client.post(decide, {"decision": "accept"})
    assert response.status_code == HTTPStatus.FOUND
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert join_request.decided_by == referent
    assert (
        Membership.objects.get(user=person, organisation=organisation).role == "member"
    )
    decided = Notification.objects.get(kind="members.join_request_decided")
    assert decided.recipient == person
    assert mail.outbox[-1].to == [person.email]

    # Now a member: no button, a clear message.
    client.force_login(person)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert reverse("members:join_request_create", args=[organisation.slug]) not in page
    assert "Vous agissez déjà pour cette structure" in page


def test_join_request_declined(client, organisation, referent, on_commit):
    person = UserFactory()
    join_request = JoinRequest.objects.create(user=person, organisation=organisation)
    client.force_login(referent)
    with on_commit():
        client.post(
            reverse("members:join_request_decide", args=[join_request.pk]),
            {"decision": "decline"},
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert not Membership.objects.filter(user=person).exists()
    assert "refusée" in mail.outbox[-1].subject
    # A declined person may ask again later.
    client.force_login(person)
    client.post(reverse("members:join_request_create", args=[organisation.slug]))
    assert JoinRequest.objects.filter(status="pending").count() == 1


def test_join_request_needs_login_and_csrf(organisation):
    url = reverse("members:join_request_create", args=[organisation.slug])
    response = Client().post(url)
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("account_login") in response.url
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.post(url).status_code == HTTPStatus.FORBIDDEN
    assert not JoinRequest.objects.exists()


def test_member_cannot_request_again(client, organisation):
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    client.post(reverse("members:join_request_create", args=[organisation.slug]))
    assert not JoinRequest.objects.exists()


def test_other_referents_cannot_decide(client, organisation, referent):
    join_request = JoinRequest.objects.create(
        user=UserFactory(), organisation=organisation
    )
    stranger = MembershipFactory(role=Membership.Role.REFERENT).user
    client.force_login(stranger)
    response = client.post(
        reverse("members:join_request_decide", args=[join_request.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_strangers_do_not_learn_that_a_request_was_answered(client, organisation):
    join_request = JoinRequest.objects.create(
        user=UserFactory(),
        organisation=organisation,
        status=JoinRequest.Status.DECLINED,
    )
    client.force_login(MembershipFactory(role=Membership.Role.REFERENT).user)
    response = client.post(
        reverse("members:join_request_decide", args=[join_request.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("decision", ["", "ACCEPT", "refuse", "accept ", None])
def test_an_unknown_decision_is_a_400_that_changes_nothing(
    client, organisation, referent, decision
):
    join_request = JoinRequest.objects.create(
        user=UserFactory(), organisation=organisation
    )
    client.force_login(referent)
    data = {} if decision is None else {"decision": decision}
    response = client.post(
        reverse("members:join_request_decide", args=[join_request.pk]), data
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "d’accepter ou de refuser" in response.content.decode()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING
    assert not Notification.objects.filter(kind="members.join_request_decided").exists()
