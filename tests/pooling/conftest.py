from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from members.models import Membership
from members.permissions import COORDINATORS_GROUP
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.pooling.factories import EquipmentFactory, ResourceFactory, open_every_day


def paris(*args) -> datetime:
    """An aware instant from Paris wall-clock values (no DST gap in the fixtures)."""
    return datetime(*args, tzinfo=timezone.get_default_timezone())


# A Monday, far enough ahead for every rule to be about the test's dates, not today.
NOW = paris(2027, 3, 1, 8, 0)


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def owner(db):
    return OrganisationFactory(name="Maison des associations")


@pytest.fixture
def borrower(db):
    return OrganisationFactory(name="Les Jardins partagés")


@pytest.fixture
def owner_referent(owner):
    return MembershipFactory(organisation=owner, role=Membership.Role.REFERENT).user


@pytest.fixture
def owner_member(owner):
    return MembershipFactory(organisation=owner, role=Membership.Role.MEMBER).user


@pytest.fixture
def borrower_member(borrower):
    return MembershipFactory(organisation=borrower, role=Membership.Role.MEMBER).user


@pytest.fixture
def borrower_referent(borrower):
    return MembershipFactory(organisation=borrower, role=Membership.Role.REFERENT).user


@pytest.fixture
def coordinator(db):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=COORDINATORS_GROUP)[0])
    return user


@pytest.fixture
def room(owner):
    resource = ResourceFactory(owner=owner, name="Salle Rosa-Parks", capacity=20)
    open_every_day(resource)
    return resource


@pytest.fixture
def projectors(owner):
    resource = EquipmentFactory(
        owner=owner, name="Vidéoprojecteurs", quantity=5, approval_required=False
    )
    open_every_day(resource)
    return resource


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)
