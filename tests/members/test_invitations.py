from __future__ import annotations

import re
from datetime import timedelta
from http import HTTPStatus
from unittest import mock
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Invitation, Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite(client, organisation, email="nouvelle@exemple.fr", role="member"):
    return client.post(
        reverse("members:invitation_create", args=[organisation.slug]),
        {"email": email, "role": role},
    )


def test_referent_invites_and_invitee_accepts(
    client, organisation, referent, on_commit
):
    client.force_login(referent)
    with on_commit():
        response = _invite(client, organisation, role="referent")
    assert response.status_code == HTTPStatus.FOUND
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("nouvelle@exemple.fr", "referent")
    assert mail.outbox[0].to == ["nouvelle@exemple.fr"]
    assert organisation.name in mail.outbox[0].subject
    accept_url = re.search(
        r"https?://[^/\s]+(/membres/invitation/\S+)", mail.outbox[0].body
    ).group(1)

    # The management page lists it as pending.
    assert (
        "nouvelle@exemple.fr"
        in client.get(
            reverse("members:organisation_manage", args=[organisation.slug])
        ).content.decode()
    )

    # Signed out: a message and links to sign up / log in that come back here.
    anonymous = Client()
    page = anonymous.get(accept_url).content.decode()
    assert urlencode({"next": accept_url}) in page
    assert anonymous.post(accept_url).status_code == HTTPStatus.OK
    assert (
        not Membership.objects.filter(organisation=organisation, role="referent")
        .exclude(user=referent)
        .exists()
    )

    invitee = UserFactory(email="nouvelle@exemple.fr")
    client.force_login(invitee)
    assert client.get(accept_url).status_code == HTTPStatus.OK
    response = client.post(accept_url)
    assert response.status_code == HTTPStatus.FOUND
    membership = Membership.objects.get(user=invitee, organisation=organisation)
    assert membership.role == Membership.Role.REFERENT
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee

    # Used once: a second use is refused and changes nothing.
    other = UserFactory()
    client.force_login(other)
    response = client.get(accept_url)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "déjà été acceptée" in response.content.decode()
    client.post(accept_url)
    assert not Membership.objects.filter(user=other).exists()


def test_tampered_or_expired_token_is_refused(
    client, organisation, referent, on_commit
):
    invitation = Invitation.objects.create(
        organisation=organisation, email="x@exemple.fr", invited_by=referent
    )
    token = services.invitation_token(invitation)
    client.force_login(UserFactory())

    tampered = reverse("members:invitation_accept", args=[token[:-2] + "xx"])
    response = client.post(tampered)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "pas valide" in response.content.decode()

    later = timezone.now() + timedelta(days=15)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = client.post(reverse("members:invitation_accept", args=[token]))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "expiré" in response.content.decode()
    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_revoked_invitation_cannot_be_used(client, organisation, referent):
    invitation = Invitation.objects.create(
        organisation=organisation, email="x@exemple.fr", invited_by=referent
    )
    client.force_login(referent)
    response = client.post(reverse("members:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == HTTPStatus.FOUND
    invitation.refresh_from_db()
    assert invitation.revoked_at

    invitee = UserFactory()
    client.force_login(invitee)
    url = reverse(
        "members:invitation_accept", args=[services.invitation_token(invitation)]
    )
    response = client.post(url)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "retirée" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_only_referents_invite_and_revoke(client, organisation, referent):
    member = MembershipFactory(organisation=organisation).user
    client.force_login(member)
    assert _invite(client, organisation).status_code == HTTPStatus.FORBIDDEN
    invitation = Invitation.objects.create(
        organisation=organisation, email="x@exemple.fr"
    )
    response = client.post(reverse("members:invitation_revoke", args=[invitation.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Invitation.objects.count() == 1


def test_invitation_errors_are_shown_on_the_form(client, organisation, referent):
    client.force_login(referent)
    response = _invite(client, organisation, email="pas-une-adresse")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert 'class="error-summary"' in response.content.decode()
    response = _invite(client, organisation, email=referent.email)
    assert "agit déjà" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invitation_requires_csrf(organisation, referent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(referent)
    response = _invite(client, organisation)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Invitation.objects.exists()


def test_newcomer_signs_up_from_the_invitation_and_comes_back(
    client, organisation, referent, on_commit
):
    invitation = Invitation.objects.create(
        organisation=organisation, email="nouvelle@exemple.fr", invited_by=referent
    )
    accept_url = reverse(
        "members:invitation_accept", args=[services.invitation_token(invitation)]
    )
    page = client.get(accept_url).content.decode()
    assert reverse("account_signup") in page
    password = "Un-mot-de-passe-tres-long-2026"
    with on_commit():
        response = client.post(
            reverse("account_signup"),
            {
                "first_name": "Nina",
                "last_name": "Diallo",
                "email": "nouvelle@exemple.fr",
                "password1": password,
                "password2": password,
            },
        )
    # The link proved the address: no confirmation e-mail, signed in, back here.
    assert mail.outbox == []
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == accept_url
    assert EmailAddress.objects.get(email="nouvelle@exemple.fr").verified
    client.post(accept_url)
    assert Membership.objects.filter(
        organisation=organisation, user__email="nouvelle@exemple.fr"
    ).exists()


def test_signing_up_from_the_link_with_another_address_proves_nothing(
    client, organisation, referent, on_commit
):
    invitation = Invitation.objects.create(
        organisation=organisation, email="nouvelle@exemple.fr", invited_by=referent
    )
    accept_url = reverse(
        "members:invitation_accept", args=[services.invitation_token(invitation)]
    )
    client.get(accept_url)
    password = "Un-mot-de-passe-tres-long-2026"
    with on_commit():
        client.post(
            reverse("account_signup"),
            {
                "first_name": "Éve",
                "last_name": "Intruse",
                "email": "intruse@exemple.fr",
                "password1": password,
                "password2": password,
            },
        )
    assert not EmailAddress.objects.get(email="intruse@exemple.fr").verified
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # the usual confirmation


def _invitation_url(organisation, referent, role="referent"):
    invitation = Invitation.objects.create(
        organisation=organisation,
        email="invitee@exemple.fr",
        role=role,
        invited_by=referent,
    )
    token = services.invitation_token(invitation)
    return invitation, reverse("members:invitation_accept", args=[token])


def test_a_forwarded_link_does_not_let_someone_else_join(
    client, organisation, referent
):
    invitation, url = _invitation_url(organisation, referent)
    forwarded_to = UserFactory(email="collegue@exemple.fr")
    client.force_login(forwarded_to)
    page = client.get(url).content.decode()
    assert "envoyée à invitee@exemple.fr" in page
    assert reverse("account_logout") in page
    assert "Accepter l’invitation" not in page
    response = client.post(url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Membership.objects.filter(user=forwarded_to).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    with pytest.raises(services.InvitationError):
        services.invitation_accept(
            token=services.invitation_token(invitation), by=forwarded_to
        )


def test_an_unverified_copy_of_the_invited_address_is_not_enough(
    client, organisation, referent
):
    _invitation, url = _invitation_url(organisation, referent)
    schemer = UserFactory()
    EmailAddress.objects.create(user=schemer, email="invitee@exemple.fr")
    client.force_login(schemer)
    assert client.post(url).status_code == HTTPStatus.FORBIDDEN
    assert not Membership.objects.filter(user=schemer).exists()
    # A verified secondary address is theirs: that works.
    EmailAddress.objects.filter(user=schemer).update(verified=True)
    assert client.post(url).status_code == HTTPStatus.FOUND
    assert Membership.objects.get(user=schemer).role == Membership.Role.REFERENT
