"""Resources are found word by word, ignoring accents and case, on SQLite and
PostgreSQL alike: in the site search, the catalogue and the search by need.

Run on both databases (DATABASE_URL for PostgreSQL): the match is a plain LIKE on the
folded Resource.search_text and Organisation.name_sort, so the two must agree.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.models import Resource
from resources.selectors import catalogue
from tests.factories import OrganisationFactory
from tests.pooling.factories import EquipmentFactory, ResourceFactory

pytestmark = pytest.mark.django_db

QUERIES = ("velo", "VÉLO", "vélo", "Vélo", "atelier VELO", "ATELIER", "vél")


@pytest.fixture
def resources():
    owner = OrganisationFactory(name="Recyclerie du Canal")
    other = OrganisationFactory(name="Maison Éléonore")
    return {
        "velo": ResourceFactory(owner=owner, name="Atelier vélo"),
        "developpement": ResourceFactory(
            owner=other,
            name="Salle du développement",
            summary="Pour les réunions d’équipe.",
        ),
        "projecteurs": EquipmentFactory(
            owner=other,
            name="Vidéoprojecteurs",
            description="Câbles HDMI fournis, écran déroulant.",
        ),
        "withdrawn": ResourceFactory(
            owner=owner, name="Vélo cargo", status=Resource.Status.WITHDRAWN
        ),
    }


def site_search(client, q: str) -> list[str]:
    response = client.get(reverse("home:search"), {"q": q})
    assert response.status_code == 200
    return [
        hit.title
        for group in response.context["groups"]
        if group.key == "resources"
        for hit in group.hits
    ]


def catalogue_names(client, q: str) -> list[str]:
    response = client.get(reverse("pooling:catalogue"), {"q": q})
    assert response.status_code == 200
    return [resource.name for resource in response.context["resources"]]


@pytest.mark.parametrize("query", QUERIES)
def test_site_search_ignores_accents_and_case(client, resources, query):
    assert site_search(client, query) == ["Atelier vélo"]


@pytest.mark.parametrize("query", QUERIES)
def test_catalogue_search_ignores_accents_and_case(client, resources, query):
    assert catalogue_names(client, query) == ["Atelier vélo"]


def test_every_word_must_start_a_word_of_the_resource_or_its_owner(client, resources):
    # Word starts only: "elo" is inside "vélo", "veloppement" inside "développement".
    assert catalogue_names(client, "elo") == []
    assert catalogue_names(client, "veloppement") == []
    assert catalogue_names(client, "developpement") == ["Salle du développement"]
    # Each word may match another field, or the owner's name.
    assert catalogue_names(client, "velo canal") == ["Atelier vélo"]
    # The catalogue lists equipment before premises.
    assert catalogue_names(client, "eleonore") == [
        "Vidéoprojecteurs",
        "Salle du développement",
    ]
    assert catalogue_names(client, "cables ecran") == ["Vidéoprojecteurs"]
    assert catalogue_names(client, "equipe") == ["Salle du développement"]
    assert catalogue_names(client, "velo eleonore") == []
    assert site_search(client, "CÂBLE hdmi") == ["Vidéoprojecteurs"]
    assert site_search(client, "l’atelier") == ["Atelier vélo"]


def test_withdrawn_resources_are_not_found(client, resources):
    assert "Vélo cargo" not in site_search(client, "cargo")
    assert catalogue_names(client, "cargo") == []


def test_renaming_keeps_the_folded_text_in_step(resources):
    room = resources["velo"]
    room.name = "Cuisine Épicée"
    room.save(update_fields=["name"])
    room.refresh_from_db()
    assert room.search_text.startswith(" cuisine epicee")
    assert [r.name for r in catalogue(text="épicée")] == ["Cuisine Épicée"]
    assert list(catalogue(text="velo")) == []


def test_search_by_need_finds_equipment_without_accents(client, resources):
    response = client.get(
        reverse("pooling:search"),
        {
            "date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "start_time": "14:00",
            "end_time": "16:00",
            "kind": "equipment",
            "text": "VIDEOPROJECTEUR",
        },
    )
    assert response.status_code == 200
    results = response.context["results"]
    found = [m.resource.name for m in results.fits + results.almost]
    assert found == ["Vidéoprojecteurs"]


def test_search_is_one_query_whatever_the_terms(
    client, resources, django_assert_num_queries
):
    from ptce.search_providers import parse_terms
    from resources.search_providers import search_resources

    for query in ("velo", "atelier vélo canal"):
        with django_assert_num_queries(1):
            search_resources(parse_terms(query), user=None, limit=10)


def test_weekday_labels_do_not_change_how_dates_read():
    """« Jeudi » labels the opening-hours form; dates keep Django's « jeudi »."""
    import datetime

    from django.utils import formats, translation

    from resources.models import OpeningPeriod

    with translation.override("fr"):
        assert OpeningPeriod.Weekday.THURSDAY.label == "Jeudi"
        assert formats.date_format(datetime.date(2026, 12, 3), "l j F") == (
            "jeudi 3 décembre"
        )
