from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import Membership, Organisation
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APPLICATION = {
    "name": "La Ressourcerie du Canal",
    "category": "ess",
    "legal_form": "association",
    "siret": "732 829 320 00074",
    "rna": "W691234567",
    "is_esus": "on",
    "city": "Villeurbanne",
    "website": "https://ressourcerie.example",
    "description": "Collecte et réemploi.",
}


def test_application_accepted(client, coordinator, on_commit):
    applicant = UserFactory()
    client.force_login(applicant)
    with on_commit():
        response = client.post(reverse("members:organisation_apply"), APPLICATION)
    assert response.status_code == HTTPStatus.FOUND
    organisation = Organisation.objects.get(name=APPLICATION["name"])
    assert organisation.status == Organisation.Status.APPLIED
    assert organisation.applied_by == applicant
    assert organisation.siret == "73282932000074"
    assert organisation.is_esus
    assert (
        Notification.objects.get(kind="members.organisation_application").recipient
        == coordinator
    )
    assert mail.outbox[0].to == [coordinator.email]
    # Not public while applied.
    assert client.get(organisation.get_absolute_url()).status_code == 404
    assert (
        "La Ressourcerie" in client.get(reverse("members:dashboard")).content.decode()
    )

    # Applicants cannot decide; coordinators can.
    decide = reverse("members:application_decide", args=[organisation.slug])
    assert client.get(reverse("members:applications")).status_code == 403
    assert client.post(decide, {"decision": "accept"}).status_code == 403

    client.force_login(coordinator)
    page = client.get(reverse("members:applications")).content.decode()
    assert "La Ressourcerie du Canal" in page
    with on_commit():
        client.post(decide, {"decision": "accept", "reason": ""})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.MEMBER
    assert organisation.joined_at
    assert (
        Membership.objects.get(user=applicant, organisation=organisation).role
        == "referent"
    )
    notification = Notification.objects.get(
        kind="members.organisation_application_decided"
    )
    assert notification.recipient == applicant
    assert mail.outbox[-1].to == [applicant.email]
    assert client.get(organisation.get_absolute_url()).status_code == 200


def test_declining_needs_a_reason(client, coordinator, on_commit):
    applicant = UserFactory()
    organisation = Organisation.objects.create(
        name="Garage solidaire", slug="garage", category="company", applied_by=applicant
    )
    client.force_login(coordinator)
    decide = reverse("members:application_decide", args=[organisation.slug])
    client.post(decide, {"decision": "decline", "reason": ""})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.APPLIED
    with on_commit():
        client.post(decide, {"decision": "decline", "reason": "Hors du territoire."})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.DECLINED
    assert organisation.decision_note == "Hors du territoire."
    assert "Hors du territoire." in mail.outbox[-1].body
    assert not Membership.objects.filter(organisation=organisation).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siret", "1234", "14 chiffres"),
        ("siret", "73282932000075", "faute de frappe"),
        ("rna", "X12", "lettre W suivie de 9 chiffres"),
    ],
)
def test_identifier_errors_are_clear(client, field, value, message):
    client.force_login(UserFactory())
    response = client.post(
        reverse("members:organisation_apply"), {**APPLICATION, field: value}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert message in content
    assert not Organisation.objects.exists()


def test_application_needs_login_and_csrf():
    response = Client().get(reverse("members:organisation_apply"))
    assert reverse("account_login") in response.url
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(reverse("members:organisation_apply"), APPLICATION)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Organisation.objects.exists()
