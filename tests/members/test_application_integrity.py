"""Applications survive double clicks, races and duplicates (issue 6, medium)."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import services
from members.models import Organisation
from members.permissions import COORDINATORS_GROUP
from notifications.models import EmailDelivery, Notification
from tests.concurrency import needs_postgresql, run_concurrently
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = "members.organisation_application"
APPLICATION = {
    "name": "La Ressourcerie du Canal",
    "category": "ess",
    "legal_form": "association",
    "siret": "732 829 320 00074",
    "city": "Villeurbanne",
    "description": "Collecte et réemploi.",
}
DATA = {**APPLICATION, "siret": "73282932000074", "legal_form": "association"}


def _coordinators(count: int = 2) -> list:
    group = Group.objects.get_or_create(name=COORDINATORS_GROUP)[0]
    people = UserFactory.create_batch(count)
    for person in people:
        person.groups.add(group)
    return people


def test_the_same_application_sent_twice_is_one_application(client, user):
    coordinators = _coordinators()
    client.force_login(user)
    url = reverse("members:organisation_apply")
    for _ in range(2):
        response = client.post(url, APPLICATION)
        assert response.status_code == HTTPStatus.FOUND
    # The same name typed differently, without SIRET: still the same application.
    client.post(url, {**APPLICATION, "siret": "", "name": "la ressourcerie du canal"})
    assert Organisation.objects.count() == 1
    assert Notification.objects.filter(kind=KIND).count() == len(coordinators)


def test_a_siret_belongs_to_one_structure(client, user):
    OrganisationFactory(name="Recyclerie historique", siret="73282932000074")
    client.force_login(user)
    response = client.post(reverse("members:organisation_apply"), APPLICATION)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert "déjà celui de Recyclerie historique" in page
    assert Organisation.objects.count() == 1


def test_the_admin_too_refuses_a_second_structure_with_the_same_siret():
    OrganisationFactory(name="Recyclerie historique", siret="73282932000074")
    other = OrganisationFactory.build(siret="732 829 320 00074")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "Recyclerie historique" in str(error.value.message_dict["siret"])


def test_a_name_already_in_the_directory_is_flagged(client, user, on_commit):
    OrganisationFactory(name="La Ressourcerie du Canal", city="Lyon")
    coordinator = _coordinators(1)[0]
    client.force_login(user)
    with on_commit():
        response = client.post(
            reverse("members:organisation_apply"),
            {**APPLICATION, "siret": ""},
            follow=True,
        )
    assert "figure déjà dans l’annuaire" in response.content.decode()
    body = EmailDelivery.objects.get(kind=KIND).body_text
    assert "même nom" in body and "Lyon" in body
    client.force_login(coordinator)
    page = client.get(reverse("members:applications")).content.decode()
    assert "Même nom que" in page


def test_applications_page_has_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    coordinator = _coordinators(1)[0]
    client.force_login(coordinator)
    OrganisationFactory(name="Homonyme", status=Organisation.Status.APPLIED)
    url = reverse("members:applications")
    with django_assert_max_num_queries(50) as few:
        client.get(url)
    for n in range(6):
        OrganisationFactory(
            name=f"Homonyme {n % 2}", status=Organisation.Status.APPLIED
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_applications_with_the_same_name_all_succeed():
    _coordinators(1)
    people = UserFactory.create_batch(20)

    def apply(index: int):
        data = {**DATA, "siret": ""}
        return services.organisation_apply(by=people[index], data=data).slug

    results = run_concurrently(20, apply)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert len(set(results)) == 20
    assert Organisation.objects.count() == 20


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_person_clicking_twenty_times_makes_one_application():
    coordinators = _coordinators(2)
    person = UserFactory()

    def apply(index: int):
        return services.organisation_apply(by=person, data=dict(DATA)).pk

    results = run_concurrently(20, apply)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len(set(results)) == 1
    assert Organisation.objects.count() == 1
    assert Notification.objects.filter(kind=KIND).count() == len(coordinators)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_racing_for_one_siret_get_one_structure_and_a_clear_error():
    people = UserFactory.create_batch(8)

    def apply(index: int):
        data = {**DATA, "name": f"Structure {index}"}
        return services.organisation_apply(by=people[index], data=data).pk

    results = run_concurrently(8, apply)
    created = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(created) == 1 and len(refused) == 7, results
    assert all("siret" in error.message_dict for error in refused)
    assert Organisation.objects.count() == 1
