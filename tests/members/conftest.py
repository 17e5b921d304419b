from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from members.models import Membership
from members.permissions import COORDINATORS_GROUP
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def referent(organisation):
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    ).user


@pytest.fixture
def coordinator(db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    return user


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (the outbox hands e-mails to Celery there)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
