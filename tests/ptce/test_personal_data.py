"""Every app's personal data is registered; the audit trail is exported and kept."""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from members import services
from members.models import Membership
from ptce import personal_data
from ptce.models import AuditEvent
from tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "motdepasse-solide-42"


def project_models():
    """Models of the apps in this repository (not Django's, Wagtail's, allauth's)."""
    for config in apps.get_app_configs():
        if (
            Path(config.path).resolve().is_relative_to(ROOT)
            and ".venv" not in config.path
        ):
            yield from config.get_models()


def user_foreign_keys():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in project_models():
        for field in model._meta.get_fields():
            # Fields inherited from a parent table (Wagtail's Page.owner) are the
            # parent app's business.
            own = field.concrete and getattr(field, "model", None) is model
            if own and (field.many_to_one or field.one_to_one):
                if field.related_model is user_model:
                    yield model, field


def test_every_model_with_a_foreign_key_to_the_user_is_registered():
    covered = personal_data.covered_models()
    missing = sorted(
        f"{model._meta.label} ({field.name})"
        for model, field in user_foreign_keys()
        if model._meta.label_lower not in covered
    )
    assert not missing, (
        "Register these in <app>/personal_data.py (see ptce.personal_data): "
        + ", ".join(missing)
    )


def test_the_check_sees_the_foreign_keys_it_must_see():
    labels = {model._meta.label for model, _field in user_foreign_keys()}
    assert {
        "members.Membership",
        "notifications.Preference",
        "ptce.AuditEvent",
    } <= labels


@pytest.mark.django_db
def test_export_has_the_persons_own_acts_and_erasure_keeps_them_anonymised(
    client, organisation
):
    referent = MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    ).user
    leaving = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)
    person = leaving.user
    person.set_password(PASSWORD)
    person.save()
    MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT)
    services.membership_update(
        membership=leaving,
        by=referent,
        role=Membership.Role.REFERENT,
        show_in_directory=True,
    )
    event = AuditEvent.objects.get(action="members.membership.role")
    assert event.actor == referent and event.after == Membership.Role.REFERENT

    client.force_login(person)
    assert (
        json.loads(client.get(reverse("members:data_export")).content)["audit_trail"]
        == []
    )
    client.force_login(referent)
    data = json.loads(client.get(reverse("members:data_export")).content)
    assert [e["action"] for e in data["audit_trail"]] == ["members.membership.role"]

    client.force_login(person)
    name = str(person)
    response = client.post(
        reverse("members:account_delete"), {"confirmation": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    event.refresh_from_db()
    assert name not in event.target_label
    erased = AuditEvent.objects.get(action="members.membership.erase")
    assert str(erased.actor) == "Ancien·ne membre"
    assert erased.scope_id == str(organisation.pk)
    assert AuditEvent.objects.filter(action="members.account.erase").exists()
