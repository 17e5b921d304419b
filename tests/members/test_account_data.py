"""My space, data export and account erasure (RGPD)."""

from __future__ import annotations

import json
from http import HTTPStatus
from pathlib import Path
from unittest import mock

import polib
import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import translation

from members import services
from members.models import Invitation, JoinRequest, Membership, Organisation, User
from notifications.models import EmailDelivery, Notification, Preference
from ptce import personal_data
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"
ROOT = Path(__file__).resolve().parents[2]


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
    Preference.objects.create(
        user=user, kind="notifications.announcement", email="never"
    )
    Notification.objects.create(recipient=user, kind="members.join_request", text="Hé")
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
    assert data["notifications"]["notifications"][0]["text"] == "Hé"
    assert data["notifications"]["email_preferences"] == [
        {"kind": "notifications.announcement", "email": "never"}
    ]
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
    assert str(user) == user.display_name == "Ancien·ne membre"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not JoinRequest.objects.filter(user=user).exists()
    assert not Session.objects.exists()
    assert "_auth_user_id" not in client.session
    assert (
        other_session.get(reverse("members:dashboard")).status_code == HTTPStatus.FOUND
    )


def test_the_word_supprimer_does_not_replace_a_password(client):
    # Whoever holds an unlocked session must not erase an account without its password.
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("members:account_delete"), {"confirmation": "SUPPRIMER"}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "pas le bon" in response.content.decode()
    user.refresh_from_db()
    assert user.erased_at is None


def test_erasure_with_the_word_supprimer_runs_other_apps_erasers(client, monkeypatch):
    erased = []
    monkeypatch.setattr(personal_data, "_registry", dict(personal_data._registry))
    personal_data.register(key="test", models=(), export=list, erase=erased.append)
    user = UserFactory(password=None)  # an account without a password
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
    response = client.post(url, {"confirmation": PASSWORD})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    referent.refresh_from_db()
    assert referent.erased_at is None and referent.is_active


def test_erasure_requires_csrf():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(
        reverse("members:account_delete"), {"confirmation": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    user.refresh_from_db()
    assert user.erased_at is None


def test_erasure_removes_notifications_and_emails_to_the_person(
    client, organisation, referent, django_capture_on_commit_callbacks
):
    user = UserFactory(first_name="Zoé")
    email = user.email
    with django_capture_on_commit_callbacks(execute=False):
        join_request = services.join_request_create(organisation=organisation, by=user)
        services.join_request_decide(
            join_request=join_request, by=referent, accept=False
        )
    Preference.objects.create(user=user, kind="members.join_request", email="never")
    assert EmailDelivery.objects.filter(to_address=email).exists()
    client.force_login(user)
    client.post(reverse("members:account_delete"), {"confirmation": PASSWORD})
    user.refresh_from_db()
    assert user.erased_at
    # A pending e-mail would otherwise still reach the erased person, with their name.
    assert not EmailDelivery.objects.filter(to_address__iexact=email).exists()
    assert not EmailDelivery.objects.filter(recipient=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Preference.objects.filter(user=user).exists()
    assert Notification.objects.filter(recipient=referent).exists()


def test_erasure_locks_the_structures_it_checks_for_another_referent(organisation):
    referents = [
        MembershipFactory(organisation=organisation, role=Membership.Role.REFERENT).user
        for _ in range(2)
    ]
    locked = []
    select_for_update = QuerySet.select_for_update

    def spy(queryset, *args, **kwargs):
        locked.append(queryset.model)
        return select_for_update(queryset, *args, **kwargs)

    # Without the lock, both référents erasing at once would each see the other.
    with mock.patch.object(QuerySet, "select_for_update", spy):
        services.user_erase(user=referents[0], by=referents[0])
    assert Organisation in locked


def test_a_join_request_racing_another_gets_a_message_not_an_error(organisation):
    # Both requests passed the "already pending?" check; the constraint decides.
    user = UserFactory()
    JoinRequest.objects.create(user=user, organisation=organisation)
    with mock.patch.object(QuerySet, "exists", return_value=False):
        with pytest.raises(ValidationError):
            services.join_request_create(organisation=organisation, by=user)
    assert JoinRequest.objects.filter(user=user).count() == 1


FORMER_CATALOGUES = sorted(
    [
        *ROOT.glob("platform/*/locale/fr/LC_MESSAGES/django.po"),
        *ROOT.glob("*/locale/fr/LC_MESSAGES/django.po"),
        ROOT / "locale/fr/LC_MESSAGES/django.po",
    ]
)


def test_an_erased_person_is_shown_inclusively_in_both_languages(client):
    """« Ancien·ne membre » wherever an erased person's name would be, in every app's
    catalogue; a structure's status keeps « Ancien membre » (« un membre »)."""
    user = UserFactory()
    services.user_erase(user=user, by=user)
    user.refresh_from_db()
    with translation.override("fr"):
        assert str(user) == user.display_name == "Ancien·ne membre"
        assert Organisation.Status.FORMER.label == "Ancien membre"
    with translation.override("en"):
        assert str(user) == user.display_name == "Former member"
        assert Organisation.Status.FORMER.label == "Former member"
    wrong = [
        f"{path.relative_to(ROOT)}: {entry.msgid!r} → {entry.msgstr!r}"
        for path in FORMER_CATALOGUES
        for entry in polib.pofile(str(path))
        if "former member" in entry.msgid.lower()
        and entry.msgctxt != "structure status"
        and "ancien membre" in entry.msgstr.lower()
    ]
    assert not wrong, wrong
    # The erasure page says how what the person wrote will be signed.
    client.force_login(UserFactory())
    page = client.get(reverse("members:account_delete"), HTTP_ACCEPT_LANGUAGE="fr")
    assert "«\xa0Ancien·ne membre\xa0»" in page.content.decode()
