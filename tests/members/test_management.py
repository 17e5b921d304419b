from __future__ import annotations

import io
import os
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from members.models import Membership
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {
    "summary": "Recyclerie et atelier vélo.",
    "description": "Nous collectons, réparons, revendons.",
    "address": "3 rue du Canal",
    "postal_code": "69100",
    "city": "Villeurbanne",
    "website": "https://exemple.org",
    "public_email": "contact@exemple.org",
    "public_phone": "04 78 00 00 00",
}


def _image(fmt="PNG", size=(20, 20), name="logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format=fmt)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type=f"image/{fmt.lower()}"
    )


def _noise():
    buffer = io.BytesIO()
    Image.frombytes("RGB", (200, 200), os.urandom(120_000)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_referent_edits_the_public_profile(client, organisation, referent):
    client.force_login(referent)
    url = reverse("members:organisation_manage", args=[organisation.slug])
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(url, {**PROFILE, "logo": _image()})
    assert response.status_code == HTTPStatus.FOUND
    organisation.refresh_from_db()
    assert organisation.summary == PROFILE["summary"]
    assert organisation.logo.name.startswith("organisations/logos/")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "3 rue du Canal" in page and organisation.logo.url in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _image("GIF", name="logo.gif"), "PNG, JPEG ou WebP"),
        (lambda: SimpleUploadedFile("logo.png", b"pas une image"), "image"),
        (lambda: _noise(), "2 Mo"),
    ],
)
def test_logo_is_validated(
    client, organisation, referent, upload, message, monkeypatch
):
    monkeypatch.setattr("members.forms.LOGO_MAX_BYTES", 20_000)
    client.force_login(referent)
    url = reverse("members:organisation_manage", args=[organisation.slug])
    response = client.post(url, {**PROFILE, "logo": upload()})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    organisation.refresh_from_db()
    assert not organisation.logo
    assert organisation.summary == ""


def test_management_is_forbidden_to_others(client, organisation, referent):
    url = reverse("members:organisation_manage", args=[organisation.slug])
    assert reverse("account_login") in Client().get(url).url
    client.force_login(MembershipFactory(organisation=organisation).user)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert client.post(url, PROFILE).status_code == HTTPStatus.FORBIDDEN
    organisation.refresh_from_db()
    assert organisation.summary == ""


def test_coordinator_manages_any_structure(client, organisation, coordinator):
    client.force_login(coordinator)
    url = reverse("members:organisation_manage", args=[organisation.slug])
    assert client.post(url, PROFILE).status_code == HTTPStatus.FOUND


def test_roles_and_public_contacts(client, organisation, referent):
    membership = MembershipFactory(organisation=organisation)
    client.force_login(referent)
    response = client.post(
        reverse("members:membership_update", args=[membership.pk]),
        {
            f"m{membership.pk}-role": "referent",
            f"m{membership.pk}-show_in_directory": "on",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    membership.refresh_from_db()
    assert membership.role == Membership.Role.REFERENT
    assert membership.show_in_directory
    page = client.get(organisation.get_absolute_url()).content.decode()
    contacts = page.split("Personnes à contacter")[1]
    assert membership.user.display_name in contacts
    assert referent.display_name not in contacts  # not a public contact


def test_a_structure_keeps_at_least_one_referent(client, organisation, referent):
    own = Membership.objects.get(user=referent)
    client.force_login(referent)
    response = client.post(
        reverse("members:membership_update", args=[own.pk]),
        {f"m{own.pk}-role": "member"},
        follow=True,
    )
    assert "au moins un" in response.content.decode()
    response = client.post(
        reverse("members:membership_remove", args=[own.pk]), follow=True
    )
    assert "au moins un" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Membership.Role.REFERENT

    member = MembershipFactory(organisation=organisation)
    client.post(reverse("members:membership_remove", args=[member.pk]))
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_people_actions_need_rights_and_csrf(organisation, referent):
    membership = MembershipFactory(organisation=organisation)
    url = reverse("members:membership_remove", args=[membership.pk])
    client = Client()
    client.force_login(UserFactory())
    assert client.post(url).status_code == HTTPStatus.FORBIDDEN
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(referent)
    assert csrf_client.post(url).status_code == HTTPStatus.FORBIDDEN
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_a_person_asks_for_confirmation_first(client, organisation, referent):
    member = MembershipFactory(organisation=organisation)
    url = reverse("members:membership_remove", args=[member.pk])
    client.force_login(referent)
    manage = client.get(
        reverse("members:organisation_manage", args=[organisation.slug])
    ).content.decode()
    # A link to a confirmation page, not a one-click form.
    assert f'href="{url}"' in manage
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert f"Retirer {member.user.display_name}" in page.content.decode()
    assert Membership.objects.filter(pk=member.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_the_confirmation_page_is_for_managers_only(client, organisation):
    member = MembershipFactory(organisation=organisation)
    client.force_login(UserFactory())
    url = reverse("members:membership_remove", args=[member.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert (
        client.get(reverse("members:membership_remove", args=[10**9])).status_code
        == 404
    )


def test_referent_role_reads_inclusively(client, organisation, referent):
    referent.job_title = "Directrice"
    referent.save()
    Membership.objects.filter(user=referent).update(show_in_directory=True)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Directrice — Référent·e" in page


def test_logos_show_on_cards_and_in_the_edit_form(client, organisation, referent):
    client.force_login(referent)
    url = reverse("members:organisation_manage", args=[organisation.slug])
    client.post(url, {**PROFILE, "logo": _image()})
    organisation.refresh_from_db()
    manage = client.get(url).content.decode()
    assert f'<img src="{organisation.logo.url}" alt="Logo actuel"' in manage
    assert "Actuellement" not in manage
    directory = client.get(reverse("members:organisation_list")).content.decode()
    assert f'class="card__logo" src="{organisation.logo.url}"' in directory


def test_descriptions_link_urls_safely_and_phones_dial(client, organisation):
    organisation.description = (
        'Voir https://exemple.org/atelier et <script>alert("x")</script> '
        "javascript:alert(1)"
    )
    organisation.public_phone = "+33472000000"
    organisation.save()
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert (
        '<a href="https://exemple.org/atelier" rel="nofollow">'
        "https://exemple.org/atelier</a>" in page
    )
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert '<a href="tel:+33472000000">04 72 00 00 00</a>' in page


def test_an_applicant_completes_the_profile_while_the_application_waits(client):
    from members.models import Organisation
    from tests.factories import OrganisationFactory

    applicant = UserFactory()
    organisation = OrganisationFactory(
        status=Organisation.Status.APPLIED, applied_by=applicant
    )
    url = reverse("members:organisation_manage", args=[organisation.slug])
    client.force_login(applicant)
    dashboard = client.get(reverse("members:dashboard")).content.decode()
    assert url in dashboard
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(url, {"summary": "Atelier de réparation."})
    assert response.status_code == HTTPStatus.FOUND
    organisation.refresh_from_db()
    assert organisation.summary == "Atelier de réparation."
    # Nobody else, and not once the application is declined.
    client.force_login(UserFactory())
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    Organisation.objects.filter(pk=organisation.pk).update(
        status=Organisation.Status.DECLINED
    )
    client.force_login(applicant)
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
