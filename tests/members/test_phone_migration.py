"""Migration members/0007: phones typed before normalisation become E.164."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from members.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("members.migrations.0007_phones_in_e164")


def test_old_phones_become_e164_and_unreadable_ones_are_kept():
    person, other, blank = UserFactory(), UserFactory(), UserFactory()
    structure = OrganisationFactory()
    # As rows written before phones were normalised (update() skips save()).
    User.objects.filter(pk=person.pk).update(phone="04.78.00.00.00")
    User.objects.filter(pk=other.pk).update(phone="+33 6 12 34 56 78")
    User.objects.filter(pk=blank.pk).update(phone="")
    Organisation.objects.filter(pk=structure.pk).update(public_phone="pas de tél.")

    migration.to_e164(apps, schema_editor=None)

    assert User.objects.get(pk=person.pk).phone == "+33478000000"
    assert User.objects.get(pk=other.pk).phone == "+33612345678"
    assert User.objects.get(pk=blank.pk).phone == ""
    assert Organisation.objects.get(pk=structure.pk).public_phone == "pas de tél."
    Organisation.objects.filter(pk=structure.pk).update(public_phone="0478000001")
    migration.to_e164(apps, schema_editor=None)
    assert Organisation.objects.get(pk=structure.pk).public_phone == "+33478000001"
