"""Bad input gets a clear French message and writes nothing (issue 6, low)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import Organisation
from members.validators import format_phone, normalize_phone
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

APPLY = {
    "name": "Atelier vélo",
    "category": "ess",
    "legal_form": "association",
    "city": "Lyon",
    "description": "Réparation de vélos.",
}


def _apply(client, user, **fields):
    client.force_login(user)
    return client.post(reverse("members:organisation_apply"), {**APPLY, **fields})


@pytest.mark.parametrize(
    "siret",
    [
        "٧٣٢٨٢٩٣٢٠٠٠٠٧٤",  # Arabic-Indic digits
        "۷۳۲۸۲۹۳۲۰۰۰۰۷۴",  # Extended Arabic-Indic digits
        "--------------",
        " - . - ",
    ],
)
def test_siret_needs_ascii_digits(client, user, siret):
    response = _apply(client, user, siret=siret)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "14 chiffres" in response.content.decode()
    assert not Organisation.objects.filter(name="Atelier vélo").exists()


def test_full_width_digits_are_normalised_to_ascii(client, user):
    response = _apply(client, user, siret="７３２ ８２９ ３２０ ０００７４")
    assert response.status_code == HTTPStatus.FOUND
    assert Organisation.objects.get(name="Atelier vélo").siret == "73282932000074"


@pytest.mark.parametrize("rna", ["W٦٩١٠٠٤٥١٢", "W-69100451", "w69100451"])
def test_rna_needs_ascii_digits(client, user, rna):
    response = _apply(client, user, rna=rna)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "W suivie de 9 chiffres" in response.content.decode()


def test_full_width_rna_is_normalised(client, user):
    assert (
        _apply(client, user, rna="Ｗ６９１００４５１２").status_code == HTTPStatus.FOUND
    )
    assert Organisation.objects.get(name="Atelier vélo").rna == "W691004512"


def test_description_has_a_maximum_said_in_the_form(client, user):
    client.force_login(user)
    page = client.get(reverse("members:organisation_apply")).content.decode()
    assert 'maxlength="5000"' in page and "5\u202f000 caractères au plus" in page
    response = _apply(client, user, description="x" * 100_000)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Organisation.objects.filter(name="Atelier vélo").exists()


def test_the_model_refuses_an_overlong_description_whatever_the_door():
    organisation = OrganisationFactory.build(description="x" * 200_000)
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "description" in error.value.message_dict


def _manage(client, organisation, referent, **fields):
    client.force_login(referent)
    return client.post(
        reverse("members:organisation_manage", args=[organisation.slug]), fields
    )


@pytest.mark.parametrize("postal_code", ["ABCDE", "6910", "691000", "00100", "99000"])
def test_postal_codes_are_french(client, organisation, postal_code):
    referent = MembershipFactory(organisation=organisation, role="referent").user
    response = _manage(client, organisation, referent, postal_code=postal_code)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "5 chiffres" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.postal_code != postal_code


@pytest.mark.parametrize("phone", ["abc<script>", "=1+2", "12", "0" * 30])
def test_phones_must_be_numbers(client, organisation, phone):
    referent = MembershipFactory(organisation=organisation, role="referent").user
    response = _manage(client, organisation, referent, public_phone=phone)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "numéro de téléphone valide" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.public_phone == ""


def test_phone_stored_in_e164_shown_french_with_a_tel_link(client, organisation):
    referent = MembershipFactory(organisation=organisation, role="referent").user
    response = _manage(
        client,
        organisation,
        referent,
        public_phone="04.78.00.00.00",
        postal_code="69100",
    )
    assert response.status_code == HTTPStatus.FOUND
    organisation.refresh_from_db()
    assert (organisation.public_phone, organisation.postal_code) == (
        "+33478000000",
        "69100",
    )
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert '<a href="tel:+33478000000">04 78 00 00 00</a>' in page


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("04 78 00 00 00", "+33478000000", "04 78 00 00 00"),
        ("0033 6 12 34 56 78", "+33612345678", "06 12 34 56 78"),
        ("+44 20 7946 0958", "+442079460958", "+44 20 7946 0958"),
        ("", "", ""),
    ],
)
def test_phone_normalisation(typed, stored, shown):
    assert normalize_phone(typed) == stored
    if stored:
        assert format_phone(stored) == shown


def test_a_persons_phone_is_validated_and_stored_in_e164(user):
    user.phone = "06 12 34 56 78"
    user.full_clean()
    assert user.phone == "+33612345678"
    user.phone = "abc<script>"
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "phone" in error.value.message_dict
