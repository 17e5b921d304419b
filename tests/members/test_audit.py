"""Every rule-carrying change in members leaves one audit event, in its structure."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members import services
from members.models import Membership, Organisation
from ptce.models import AuditEvent
from ptce.selectors import audit_for_scope
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def actions(organisation) -> list[str]:
    return [event.action for event in audit_for_scope(organisation).order_by("id")]


def test_an_application_submitted_then_accepted(coordinator):
    applicant = UserFactory()
    organisation = services.organisation_apply(
        by=applicant,
        data={"name": "Épicerie", "category": Organisation.Category.ESS},
    )
    services.organisation_application_decide(
        organisation=organisation, by=coordinator, accept=True, reason="Bienvenue"
    )
    assert actions(organisation) == [
        "members.application.submit",
        "members.application.accept",
    ]
    decision = audit_for_scope(organisation).first()
    assert (decision.actor, decision.before, decision.after, decision.reason) == (
        coordinator,
        Organisation.Status.APPLIED,
        Organisation.Status.MEMBER,
        "Bienvenue",
    )


def test_join_request_decided_and_people_changed(organisation, referent):
    person = UserFactory()
    join_request = services.join_request_create(organisation=organisation, by=person)
    services.join_request_decide(join_request=join_request, by=referent, accept=True)
    membership = Membership.objects.get(user=person, organisation=organisation)
    services.membership_update(
        membership=membership,
        by=referent,
        role=Membership.Role.REFERENT,
        show_in_directory=False,
    )
    services.membership_update(  # no role change: nothing to record
        membership=membership,
        by=referent,
        role=Membership.Role.REFERENT,
        show_in_directory=True,
    )
    services.membership_remove(membership=membership, by=referent)
    assert actions(organisation) == [
        "members.join_request.create",
        "members.join_request.accept",
        "members.membership.role",
        "members.membership.remove",
    ]
    removal = audit_for_scope(organisation).first()
    assert removal.actor == referent and removal.before == Membership.Role.REFERENT


def test_invitations_sent_revoked_and_accepted(organisation, referent):
    first = services.invitation_create(
        organisation=organisation,
        by=referent,
        email="a@exemple.fr",
        role=Membership.Role.MEMBER,
    )
    services.invitation_revoke(invitation=first, by=referent)
    second = services.invitation_create(
        organisation=organisation,
        by=referent,
        email="b@exemple.fr",
        role=Membership.Role.MEMBER,
    )
    invitee = UserFactory(email="b@exemple.fr")
    services.invitation_accept(token=services.invitation_token(second), by=invitee)
    assert actions(organisation) == [
        "members.invitation.send",
        "members.invitation.revoke",
        "members.invitation.send",
        "members.invitation.accept",
    ]


def test_a_refused_change_records_nothing(organisation, referent):
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    membership = Membership.objects.get(user=referent)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=membership, by=outsider)
    with pytest.raises(ValidationError):  # the last référent stays
        services.membership_remove(membership=membership, by=referent)
    assert not AuditEvent.objects.exists()


def test_management_page_shows_its_own_history_paginated(
    client, organisation, referent, django_assert_max_num_queries
):
    other = OrganisationFactory()
    services.invitation_create(
        organisation=other,
        by=MembershipFactory(organisation=other, role=Membership.Role.REFERENT).user,
        email="ailleurs@exemple.fr",
        role=Membership.Role.MEMBER,
    )
    for n in range(25):
        invitation = services.invitation_create(
            organisation=organisation,
            by=referent,
            email=f"p{n}@exemple.fr",
            role=Membership.Role.MEMBER,
        )
        services.invitation_revoke(invitation=invitation, by=referent)
    client.force_login(referent)
    url = reverse("members:organisation_manage", args=[organisation.slug])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    html = response.content.decode()
    assert "Historique" in html and "Invitation retirée" in html
    assert html.count("p24@exemple.fr") == 2  # newest first: sent and withdrawn
    assert "ailleurs@exemple.fr" not in html  # another structure's history
    assert "Page 1 sur 3" in html
    last = client.get(url, {"page": 3}).content.decode()
    assert "p0@exemple.fr" in last
    assert client.get(url, {"page": "x' OR 1"}).status_code == HTTPStatus.OK


def test_admin_lists_the_trail_read_only_and_filters_it(
    client, coordinator, organisation, referent
):
    services.invitation_create(
        organisation=organisation,
        by=referent,
        email="a@exemple.fr",
        role=Membership.Role.MEMBER,
    )
    services.join_request_create(organisation=organisation, by=UserFactory())
    client.force_login(coordinator)
    index = reverse("audit_trail:index")
    html = client.get(index).content.decode()
    assert "members.invitation.send" in html and "members.join_request.create" in html
    filtered = client.get(index, {"action": "members.invitation.send"})
    assert "members.join_request.create" not in filtered.content.decode()
    found = client.get(index, {"q": "a@exemple.fr"}).content.decode()
    assert "members.invitation.send" in found
    event = AuditEvent.objects.first()
    inspect = client.get(reverse("audit_trail:inspect", args=[event.pk]))
    assert inspect.status_code == HTTPStatus.OK
    edit = client.get(reverse("audit_trail:edit", args=[event.pk]))
    assert edit.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert client.post(reverse("audit_trail:add"), {"action": "x"}).status_code in (
        HTTPStatus.FOUND,
        HTTPStatus.FORBIDDEN,
    )
    assert AuditEvent.objects.count() == 2


def test_a_member_cannot_see_the_trail_in_the_admin(client, organisation, referent):
    client.force_login(referent)
    response = client.get(reverse("audit_trail:index"))
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)


def test_admin_edits_cannot_bypass_the_decisions(client, coordinator, referent):
    membership = Membership.objects.get(user=referent)
    organisation = membership.organisation
    client.force_login(coordinator)
    client.post(
        reverse("member_structures:edit", args=[organisation.pk]),
        {"name": organisation.name, "slug": organisation.slug, "status": "declined"},
    )
    response = client.post(
        reverse("member_memberships:edit", args=[membership.pk]),
        {"role": Membership.Role.MEMBER},
    )
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    organisation.refresh_from_db()
    membership.refresh_from_db()
    assert organisation.status == Organisation.Status.MEMBER
    assert membership.role == Membership.Role.REFERENT
