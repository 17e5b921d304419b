"""SIRET and RNA numbers are cleaned in one place (members/fields.py), so every door —
the site's application form, the application service, the Wagtail admin, a plain
save() or QuerySet.update() — stores the same number and refuses the same input."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddConstraint, RunPython
from django.urls import reverse

from members.fields import RnaFormField, SiretFormField
from members.forms import OrganisationApplicationForm, OrganisationProfileForm
from members.models import Organisation
from members.services.applications import organisation_apply
from members.siret_clashes import (
    DuplicateSiretError,
    normalise_stored_identifiers,
    refuse_duplicate_sirets,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"
RNA = "W691004512"
# What people type (or paste) for the same numbers.
SIRET_SPELLINGS = [
    "732 829 320 00074",
    "732.829.320.00074",
    "732-829-320-00074",
    "７３２ ８２９ ３２０ ０００７４",  # full-width digits (a Japanese IME)
    "\u00a0732\u202f829\u202f320\u202f00074 ",  # non-breaking spaces from a PDF
]
RNA_SPELLINGS = ["w691004512", " W 691 004 512 ", "Ｗ６９１００４５１２"]
# Refused the same way everywhere: separators only, digits no register issues.
BAD_SIRETS = ["--------------", " - . - ", "٧٣٢٨٢٩٣٢٠٠٠٠٧٤", "73282932000075"]

APPLICATION = {
    "name": "Atelier vélo",
    "category": "ess",
    "legal_form": "association",
    "city": "Lyon",
    "description": "Réparation de vélos.",
}


def _through_site_form(client, siret, rna=""):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("members:organisation_apply"),
        {**APPLICATION, "siret": siret, "rna": rna},
    )
    if response.status_code != HTTPStatus.FOUND:
        raise ValidationError(response.context["form"].errors.get_json_data())
    return Organisation.objects.get(applied_by=user)


def _through_service(client, siret, rna=""):
    return organisation_apply(
        by=UserFactory(), data={**APPLICATION, "siret": siret, "rna": rna}
    )


def _through_admin(client, siret, rna=""):
    coordinator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(coordinator)
    response = client.post(
        reverse("member_structures:add"),
        {**APPLICATION, "slug": "atelier-velo", "siret": siret, "rna": rna},
    )
    if response.status_code != HTTPStatus.FOUND:
        raise ValidationError(response.context["form"].errors.get_json_data())
    return Organisation.objects.get(slug="atelier-velo")


def _through_full_clean(client, siret, rna=""):
    organisation = OrganisationFactory.build(siret=siret, rna=rna)
    organisation.full_clean()
    organisation.save()
    return organisation


DOORS = [_through_site_form, _through_service, _through_admin, _through_full_clean]


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("siret", SIRET_SPELLINGS)
def test_every_door_stores_the_same_siret(client, door, siret):
    organisation = door(client, siret)
    organisation.refresh_from_db()
    assert organisation.siret == SIRET


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("rna", RNA_SPELLINGS)
def test_every_door_stores_the_same_rna(client, door, rna):
    organisation = door(client, SIRET, rna)
    organisation.refresh_from_db()
    assert organisation.rna == RNA


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.__name__)
@pytest.mark.parametrize("siret", BAD_SIRETS)
def test_every_door_refuses_the_same_siret_and_writes_nothing(client, door, siret):
    with pytest.raises(ValidationError) as error:
        door(client, siret)
    assert "siret" in str(error.value)
    assert not Organisation.objects.filter(name="Atelier vélo").exists()


def test_save_update_and_lookups_clean_too():
    """Code that skips full_clean() (a factory, a script) stores the clean form; a
    lookup finds a number however it is typed."""
    full_width = "７３２ ８２９ ３２０ ０００７４"
    organisation = OrganisationFactory(siret=full_width, rna="w 691004512")
    organisation.refresh_from_db()
    assert (organisation.siret, organisation.rna) == (SIRET, RNA)
    assert Organisation.objects.get(siret="732 829 320 00074") == organisation
    Organisation.objects.filter(pk=organisation.pk).update(siret="552.100.554.00025")
    organisation.refresh_from_db()
    assert organisation.siret == "55210055400025"


def test_the_forms_take_their_fields_from_the_model():
    """No form keeps its own copy of the cleaning: both fields come from the model."""
    form = OrganisationApplicationForm()
    assert isinstance(form.fields["siret"], SiretFormField)
    assert isinstance(form.fields["rna"], RnaFormField)
    # People type "732 829 320 00074": the input accepts more than the 14 digits.
    assert 'maxlength="30"' in str(form["siret"])
    assert "siret" not in OrganisationProfileForm.base_fields  # not the référents'
    field = SiretFormField(required=False)
    assert field.clean(" 732 829 320 00074 ") == SIRET
    assert field.clean("") == ""
    with pytest.raises(ValidationError, match="14"):
        field.clean("---")


# --- the uniqueness migration on a database that already holds duplicates ---------


def _drop_unique_index():
    # The test's transaction brings it back (DDL is transactional on both databases).
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX members_organisation_siret_unique")


def _migration_operations(name):
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return loader.get_migration("members", name).operations


def test_the_uniqueness_migration_names_the_structures_that_clash():
    operations = _migration_operations("0003_organisation_limits_siret_unique")
    guard = next(op for op in operations if isinstance(op, RunPython))
    constraint = next(op for op in operations if isinstance(op, AddConstraint))
    assert guard.code is refuse_duplicate_sirets
    assert operations.index(guard) < operations.index(constraint)

    _drop_unique_index()
    first = OrganisationFactory(name="Recyclerie du Canal", siret=SIRET)
    second = OrganisationFactory(name="La Recyclerie (doublon)", siret=SIRET)
    OrganisationFactory(name="Seule", siret="55210055400025")
    with pytest.raises(DuplicateSiretError) as error:
        guard.code(django_apps, None)
    message = str(error.value)
    assert f"SIRET {SIRET}" in message
    assert "« Recyclerie du Canal »" in message and f"id {first.pk}" in message
    assert "« La Recyclerie (doublon) »" in message and f"id {second.pk}" in message
    assert "Seule" not in message
    # What to do, in French and in English, and the reassurance that nothing changed.
    assert "Que faire" in message and "What to do" in message
    assert "Rien n’a été modifié" in message and "Nothing was changed" in message


def test_the_uniqueness_migration_passes_without_duplicates():
    OrganisationFactory(siret=SIRET)
    OrganisationFactory(siret="")
    OrganisationFactory(siret="")  # no SIRET is not a duplicate
    refuse_duplicate_sirets(django_apps, None)


def _store_raw(organisation, siret, rna=""):
    """Write as a pre-field database held it, past the field's own cleaning."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_organisation SET siret = %s, rna = %s WHERE id = %s",
            [siret, rna, organisation.pk],
        )


def test_stored_numbers_are_normalised_by_the_field_migration():
    operations = _migration_operations("0006_siret_rna_fields")
    assert any(
        isinstance(op, RunPython) and op.code is normalise_stored_identifiers
        for op in operations
    )
    organisation = OrganisationFactory()
    _store_raw(organisation, "７３２８２９３２００００７４", "w691004512")
    normalise_stored_identifiers(django_apps, None)
    organisation.refresh_from_db()
    assert (organisation.siret, organisation.rna) == (SIRET, RNA)


def test_two_spellings_of_one_siret_stop_the_field_migration_and_change_nothing():
    _drop_unique_index()
    first = OrganisationFactory(name="Recyclerie du Canal", siret=SIRET)
    second = OrganisationFactory(name="Recyclerie bis")
    _store_raw(second, "７３２８２９３２００００７４")
    with pytest.raises(DuplicateSiretError) as error:
        normalise_stored_identifiers(django_apps, None)
    assert "Recyclerie du Canal" in str(error.value)
    assert "Recyclerie bis" in str(error.value)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.siret == "７３２８２９３２００００７４"  # nothing written
