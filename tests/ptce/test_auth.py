"""The signed-in person's row read from the cache (ptce.auth): no query for it on a
warm page, yet every change to the row — deactivation, a new password, a new name,
deletion, whatever door it comes through — counts at the next request."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import MembershipFactory, UserFactory

from .test_cache_outage import redis_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def person():
    person = UserFactory(first_name="Camille", last_name="Durand")
    MembershipFactory(user=person)
    return person


def _signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    url = reverse("members:dashboard")
    assert client.get(url).status_code == HTTPStatus.OK  # warm: the row cached
    return client


def _is_signed_in(client) -> bool:
    return client.get(reverse("members:dashboard")).status_code == HTTPStatus.OK


def test_a_warm_request_reads_no_user_row(person, django_assert_num_queries):
    client = _signed_in(person)
    client.get(reverse("home:glossary"))  # its shared fragment
    with django_assert_num_queries(0):
        response = client.get(reverse("home:glossary"))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("door", ["save", "update"])
def test_a_deactivated_person_is_signed_out_at_the_next_request(person, door):
    client = _signed_in(person)
    if door == "save":
        person.is_active = False
        person.save()
    else:
        User.objects.filter(pk=person.pk).update(is_active=False)
    assert not _is_signed_in(client)


def test_a_new_password_ends_the_other_sessions(person):
    client = _signed_in(person)
    person.set_password("Un-nouveau-mot-de-passe-2026")
    person.save()
    assert not _is_signed_in(client)


def test_a_deleted_person_is_signed_out(person):
    client = _signed_in(person)
    person.delete()
    assert not _is_signed_in(client)


def test_a_new_name_shows_at_once(person):
    client = _signed_in(person)
    User.objects.filter(pk=person.pk).update(first_name="Dominique")
    body = client.get(reverse("members:dashboard")).content.decode()
    assert "Dominique" in body


def test_each_session_gets_its_own_person(person):
    other = UserFactory(first_name="Sacha", last_name="Martin")
    MembershipFactory(user=other)
    first, second = _signed_in(person), _signed_in(other)
    for _ in range(2):
        assert "Camille" in first.get(reverse("members:dashboard")).content.decode()
        body = second.get(reverse("members:dashboard")).content.decode()
        assert "Sacha" in body and "Camille" not in body


def test_without_the_cache_the_row_is_read_from_the_database(
    person,
    redis_down,  # noqa: F811
):
    client = _signed_in(person)
    assert _is_signed_in(client)
    person.is_active = False
    person.save()
    assert not _is_signed_in(client)
