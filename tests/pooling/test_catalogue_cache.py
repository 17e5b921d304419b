"""The catalogue's filters and cards are the same for everyone and kept per content
version and query (pooling.views.catalogue): no query on a hit, every change seen at
once, the viewer's own links never shared."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from pooling import services
from ptce.models import SiteIdentity
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def identity():
    SiteIdentity.load()  # created on first read otherwise, which changes the version


URL = reverse("pooling:catalogue")


def test_a_warm_catalogue_costs_no_query(
    client, room, owner_referent, django_assert_num_queries
):
    client.force_login(owner_referent)
    for query in ({}, {"kind": "premises", "capacity": "10"}, {"page": "2"}):
        client.get(URL, query)
        with django_assert_num_queries(0):
            response = client.get(URL, query)
        assert response.status_code == HTTPStatus.OK
        assert "Salle Rosa-Parks" in response.content.decode()


def test_only_the_referent_gets_the_link_to_their_structures_resources(
    client, room, owner, owner_referent, owner_member
):
    link = reverse("resources:organisation", args=[owner.slug])
    for person, shown in ((owner_referent, True), (owner_member, False), (None, False)):
        client.logout()
        if person is not None:
            client.force_login(person)
        for _ in range(2):  # cold, then the shared body
            body = client.get(URL).content.decode()
            assert (link in body) is shown, person


def test_a_renamed_resource_and_a_new_booking_show_at_once(
    client, room, borrower, borrower_member
):
    client.force_login(UserFactory())
    start = (timezone.localtime() + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    free = {
        "free_from": start.strftime("%Y-%m-%dT%H:%M"),
        "free_until": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert "Salle Rosa-Parks" in client.get(URL).content.decode()
    assert "Salle Rosa-Parks" in client.get(URL, free).content.decode()
    room.name = "Salle Louise-Michel"
    room.save()
    assert "Salle Louise-Michel" in client.get(URL).content.decode()
    services.booking_request(
        resource=room,
        organisation=borrower,
        by=borrower_member,
        start=start,
        end=start + timedelta(hours=2),
    )
    assert "Salle Louise-Michel" not in client.get(URL, free).content.decode()


def test_bad_filters_get_a_french_error_from_the_cache_too(client, room):
    for _ in range(2):
        response = client.get(URL, {"capacity": "-4", "free_from": "9999-99-99"})
        assert response.status_code == HTTPStatus.OK
        assert 'class="errorlist' in response.content.decode() or "erreur" in (
            response.content.decode().lower()
        )
