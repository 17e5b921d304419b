"""Nothing is matched to a person through an address they have not verified."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from members.models import Invitation
from notifications.models import EmailDelivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
VICTIM = "victime@exemple.fr"


@pytest.fixture
def victims_records(organisation):
    invitation = Invitation.objects.create(organisation=organisation, email=VICTIM)
    delivery = EmailDelivery.objects.create(
        to_address=VICTIM,
        kind="members.invitation",
        subject="Invitation",
        body_text="…",
    )
    return invitation, delivery


@pytest.fixture
def schemer():
    user = UserFactory()
    # Typed in by the schemer, never confirmed (allauth's own table).
    EmailAddress.objects.create(user=user, email=VICTIM, verified=False)
    return user


def test_the_data_export_does_not_list_another_persons_invitation(
    client, schemer, victims_records
):
    client.force_login(schemer)
    data = json.loads(client.get(reverse("members:data_export")).content)
    assert data["invitations_received"] == []
    assert VICTIM not in json.dumps(data["invitations_received"])


def test_erasure_leaves_another_persons_invitation_and_emails(
    client, schemer, victims_records
):
    invitation, delivery = victims_records
    client.force_login(schemer)
    response = client.post(
        reverse("members:account_delete"), {"confirmation": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    schemer.refresh_from_db()
    assert schemer.erased_at
    invitation.refresh_from_db()
    assert invitation.email == VICTIM
    assert EmailDelivery.objects.filter(pk=delivery.pk).exists()


def test_a_verified_secondary_address_is_the_persons_own(client, victims_records):
    owner = UserFactory()
    EmailAddress.objects.create(user=owner, email=VICTIM, verified=True)
    client.force_login(owner)
    data = json.loads(client.get(reverse("members:data_export")).content)
    assert [i["email"] for i in data["invitations_received"]] == [VICTIM]


def test_an_address_of_another_account_cannot_be_added(client):
    UserFactory(email=VICTIM)
    schemer = UserFactory()
    client.force_login(schemer)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": VICTIM}
    )
    assert "appartient à un autre compte" in response.content.decode()
    assert not EmailAddress.objects.filter(user=schemer, email=VICTIM).exists()
    # A free address is still accepted (unverified until confirmed).
    client.post(
        reverse("account_email"), {"action_add": "", "email": "neuve@exemple.fr"}
    )
    assert EmailAddress.objects.filter(user=schemer, email="neuve@exemple.fr").exists()
