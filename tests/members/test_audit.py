"""Every rule-carrying change in members leaves one audit event, in its structure."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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
