"""The Wagtail admin obeys the same rules as the site (issue 6, medium)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from members.models import Membership, Organisation
from members.permissions import MODERATORS_GROUP
from notifications.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

A = Organisation.Status


def _edit_data(organisation, **overrides):
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "category": organisation.category,
        "legal_form": organisation.legal_form,
        "siret": "",
        "rna": "",
        "status": A.MEMBER,
        "joined_at": "2026-01-01 10:00",
        "decision_note": "Forcé",
        **overrides,
    }


def test_the_edit_form_cannot_change_status_date_or_decision(client, coordinator):
    organisation = OrganisationFactory(status=A.APPLIED, applied_by=UserFactory())
    client.force_login(coordinator)
    url = reverse("member_structures:edit", args=[organisation.pk])
    page = client.get(url).content.decode()
    assert 'name="status"' not in page and 'name="joined_at"' not in page
    assert 'name="decision_note"' not in page
    response = client.post(url, _edit_data(organisation, name="Nouveau nom"))
    assert response.status_code == HTTPStatus.FOUND
    organisation.refresh_from_db()
    assert organisation.name == "Nouveau nom"
    assert (
        organisation.status,
        organisation.joined_at,
        organisation.decision_note,
    ) == (
        A.APPLIED,
        None,
        "",
    )
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_an_application_is_decided_in_the_admin_through_the_service(
    client, coordinator, on_commit
):
    applicant = UserFactory()
    organisation = OrganisationFactory(status=A.APPLIED, applied_by=applicant)
    client.force_login(coordinator)
    index = client.get(reverse("member_structures:index")).content.decode()
    url = reverse("members_application_decide", args=[organisation.pk])
    assert url in index
    assert client.get(url).status_code == HTTPStatus.OK
    # Declining needs a reason, as on the site.
    response = client.post(url, {"decision": "decline", "reason": " "})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    organisation.refresh_from_db()
    assert organisation.status == A.APPLIED
    with on_commit():
        response = client.post(url, {"decision": "accept"})
    assert response.status_code == HTTPStatus.FOUND
    organisation.refresh_from_db()
    assert organisation.status == A.MEMBER and organisation.joined_at is not None
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (applicant, Membership.Role.REFERENT)
    assert Notification.objects.filter(
        recipient=applicant, kind="members.organisation_application_decided"
    ).exists()
    # Decided once: the view is gone.
    assert client.post(url, {"decision": "accept"}).status_code != HTTPStatus.OK
    assert url not in client.get(reverse("member_structures:index")).content.decode()


def test_a_moderator_cannot_decide(client):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    organisation = OrganisationFactory(status=A.APPLIED)
    client.force_login(moderator)
    client.post(
        reverse("members_application_decide", args=[organisation.pk]),
        {"decision": "accept"},
    )
    organisation.refresh_from_db()
    assert organisation.status == A.APPLIED


def test_the_last_referent_cannot_be_demoted_or_removed_in_the_admin(
    client, coordinator, organisation
):
    membership = MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    )
    client.force_login(coordinator)
    url = reverse("member_memberships:edit", args=[membership.pk])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page
    client.post(
        url,
        {
            "user": membership.user.pk,
            "organisation": organisation.pk,
            "role": Membership.Role.MEMBER,
            "show_in_directory": "on",
        },
    )
    membership.refresh_from_db()
    assert membership.role == Membership.Role.REFERENT
    assert membership.show_in_directory  # the harmless field still saves
    client.post(reverse("member_memberships:delete", args=[membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_nobody_adds_a_membership_by_hand(client, organisation):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    client.post(
        reverse("member_memberships:add"),
        {
            "user": superuser.pk,
            "organisation": organisation.pk,
            "role": Membership.Role.REFERENT,
        },
    )
    assert not Membership.objects.filter(user=superuser).exists()
