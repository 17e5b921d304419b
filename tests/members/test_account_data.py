"""My space, data export and account erasure (RGPD)."""

from __future__ import annotations

import json
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from members import services
from members.models import Invitation, JoinRequest, Membership, User
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"


def test_dashboard(client, organisation, referent):
    JoinRequest.objects.create(
        user=referent, organisation=OrganisationFactory(name="Autre")
    )
    client.force_login(referent)
    response = client.get(reverse("members:dashboard"))
    content = response.content.decode()
    assert organisation.name in content
    assert reverse("members:organisation_manage", args=[organisation.slug]) in content
    assert "Autre" in content
    assert reverse("members:data_export") in content
    assert reverse("members:account_delete") in content
    assert reverse("members:organisation_apply") in content
    assert (
        reverse("members:dashboard") in Client().get(reverse("members:dashboard")).url
    )


def test_data_export(client, organisation):
    user = UserFactory(phone="0600000000", job_title="Chargée de mission")
    MembershipFactory(user=user, organisation=organisation)
    JoinRequest.objects.create(
        user=user, organisation=OrganisationFactory(), message="Bonjour"
    )
    Invitation.objects.create(
        organisation=organisation, email="ami@exemple.fr", invited_by=user
    )
    Invitation.objects.create(organisation=organisation, email=user.email.upper())
    client.force_login(user)
    response = client.get(reverse("members:data_export"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["phone"] == "0600000000"
    assert data["email_addresses"][0]["email"] == user.email
    assert data["memberships"][0]["organisation"] == organisation.name
    assert data["join_requests"][0]["message"] == "Bonjour"
    assert data["invitations_sent"][0]["email"] == "ami@exemple.fr"
    assert len(data["invitations_received"]) == 1
    assert Client().get(reverse("members:data_export")).status_code == HTTPStatus.FOUND


def test_account_erasure(client, organisation):
    user = UserFactory(phone="0600000000", job_title="Trésorière")
    MembershipFactory(user=user, organisation=organisation)
    JoinRequest.objects.create(user=user, organisation=OrganisationFactory())
    other_session = Client()
    other_session.force_login(user)
    client.force_login(user)
    url = reverse("members:account_delete")
    assert client.get(url).status_code == HTTPStatus.OK

    response = client.post(url, {"confirmation": "mauvais"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert User.objects.get(pk=user.pk).erased_at is None

    response = client.post(url, {"confirmation": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    user.refresh_from_db()
    assert user.erased_at and not user.is_active
    assert user.email == f"ancien-membre-{user.pk}@invalid"
    assert (user.first_name, user.last_name, user.phone, user.job_title) == (
        "",
        "",
        "",
        "",
    )
    assert not user.has_usable_password()
    assert str(user) == user.display_name == "Ancien membre"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not JoinRequest.objects.filter(user=user).exists()
    assert not Session.objects.exists()
    assert "_auth_user_id" not in client.session
    assert (
        other_session.get(reverse("members:dashboard")).status_code == HTTPStatus.FOUND
    )


def test_erasure_with_the_word_supprimer_runs_other_apps_erasers(client, monkeypatch):
    erased = []
    monkeypatch.setattr(services, "_data_erasers", {"test": erased.append})
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("members:account_delete"), {"confirmation": "SUPPRIMER"})
    user.refresh_from_db()
    assert user.erased_at
    assert erased == [user]


def test_last_referent_cannot_erase_their_account(client, organisation, referent):
    client.force_login(referent)
    url = reverse("members:account_delete")
    content = client.get(url).content.decode()
    assert "seul·e référent" in content or "seul référent" in content
    response = client.post(url, {"confirmation": "SUPPRIMER"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    referent.refresh_from_db()
    assert referent.erased_at is None and referent.is_active


def test_erasure_requires_csrf():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("members:account_delete"), {"confirmation": "SUPPRIMER"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    user.refresh_from_db()
    assert user.erased_at is None
