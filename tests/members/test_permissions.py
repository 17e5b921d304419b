from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from members import permissions
from members.models import JoinRequest, Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_roles(organisation, referent, coordinator):
    member = MembershipFactory(organisation=organisation).user
    outsider = UserFactory()
    superuser = UserFactory(is_superuser=True)
    anonymous = AnonymousUser()

    assert permissions.is_coordinator(coordinator)
    assert permissions.is_coordinator(superuser)
    assert not permissions.is_coordinator(referent)
    assert not permissions.is_coordinator(anonymous)

    assert permissions.is_referent(referent, organisation)
    assert not permissions.is_referent(member, organisation)
    assert permissions.is_member_of(member, organisation)

    assert permissions.can_manage_organisation(referent, organisation)
    assert permissions.can_manage_organisation(coordinator, organisation)
    assert not permissions.can_manage_organisation(member, organisation)
    assert not permissions.can_manage_organisation(anonymous, organisation)

    assert permissions.can_invite(referent, organisation)
    assert not permissions.can_invite(member, organisation)

    assert permissions.can_request_to_join(outsider, organisation)
    assert not permissions.can_request_to_join(member, organisation)
    assert not permissions.can_request_to_join(anonymous, organisation)


def test_inactive_referent_has_no_rights(organisation, referent):
    referent.is_active = False
    referent.save()
    assert not permissions.can_manage_organisation(referent, organisation)


def test_moderators_group():
    user = UserFactory()
    assert not permissions.is_moderator(user)
    user.groups.add(Group.objects.get_or_create(name=permissions.MODERATORS_GROUP)[0])
    assert permissions.is_moderator(UserFactory._meta.model.objects.get(pk=user.pk))


def test_decisions(organisation, referent, coordinator):
    request = JoinRequest.objects.create(user=UserFactory(), organisation=organisation)
    assert permissions.can_decide_join_request(referent, request)
    assert not permissions.can_decide_join_request(request.user, request)
    request.status = JoinRequest.Status.ACCEPTED
    assert not permissions.can_decide_join_request(referent, request)

    applied = OrganisationFactory(status=Organisation.Status.APPLIED)
    assert permissions.can_decide_application(coordinator, applied)
    assert not permissions.can_decide_application(referent, applied)
    assert not permissions.can_decide_application(coordinator, organisation)
    # A structure that is not a member yet cannot invite people in.
    MembershipFactory(
        organisation=applied, user=referent, role=Membership.Role.REFERENT
    )
    assert not permissions.can_invite(referent, applied)
