from __future__ import annotations

from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# The layout's main menu and footer links (home.selectors) and the news feed links in
# the head (news_tags): cached, but cold in a test.
LAYOUT_COLD_QUERIES = 6


def test_directory_lists_member_structures_only(client):
    OrganisationFactory(name="Coop Vélo", city="Lyon")
    OrganisationFactory(name="Candidate", status=Organisation.Status.APPLIED)
    OrganisationFactory(name="Ancienne", status=Organisation.Status.FORMER)
    content = client.get(reverse("members:organisation_list")).content.decode()
    assert "Coop Vélo" in content
    assert "Candidate" not in content and "Ancienne" not in content
    # The admin's catalogue also has "Filter" (as "Filtre"): the button has its context.
    assert ">Filtrer</button>" in content


def test_filters_and_search(client):
    OrganisationFactory(
        name="Mairie de Vaulx",
        category="local_authority",
        legal_form="",
        city="Vaulx-en-Velin",
    )
    OrganisationFactory(
        name="Scop Bois", legal_form="scop", city="Lyon", description="menuiserie"
    )
    OrganisationFactory(name="Asso Jardins", city="Lyon")
    url = reverse("members:organisation_list")

    def names(**query):
        response = client.get(url, query)
        assert response.status_code == HTTPStatus.OK
        return {o.name for o in response.context["organisations"]}

    assert names(category="local_authority") == {"Mairie de Vaulx"}
    assert names(legal_form="scop") == {"Scop Bois"}
    assert names(city="Lyon") == {"Scop Bois", "Asso Jardins"}
    assert names(q="menuiserie") == {"Scop Bois"}
    assert names(q="zzz") == set()
    # An unknown filter value is ignored rather than failing.
    assert len(names(city="Atlantide")) == 3
    counts = {c.value: c.count for c in client.get(url).context["category_counts"]}
    assert (
        counts["ess"] == 2
        and counts["local_authority"] == 1
        and counts["research"] == 0
    )


def test_directory_is_paginated_with_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(45, city="Lyon")
    url = reverse("members:organisation_list")
    # Cold, a visitor: 5 (the cities, the category counts, the count, the page…, each
    # then kept per content version), plus the layout's menu and footer links.
    with django_assert_max_num_queries(5 + LAYOUT_COLD_QUERIES):
        response = client.get(url, {"city": "Lyon", "page": 3})
    assert len(response.context["organisations"]) == 5
    assert "city=Lyon" in response.content.decode()  # pagination keeps filters
    assert response.context["page_obj"].paginator.num_pages == 3


def test_profile_page_with_fixed_queries(
    client, organisation, django_assert_max_num_queries
):
    for _ in range(15):
        MembershipFactory(organisation=organisation, show_in_directory=True)
    client.force_login(UserFactory())
    # Cold: the header counts the booking requests awaiting the person (pooling); the
    # viewer's standing (members.standing: 4 queries, then cached per person) and the
    # shared body (the structure and its contacts, then cached) are computed.
    with django_assert_max_num_queries(14 + LAYOUT_COLD_QUERIES):
        response = client.get(organisation.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["organisation"].public_contacts) == 15
    assert "Demander à rejoindre" in response.content.decode()


def test_profile_of_non_member_structure_is_not_found(client):
    organisation = OrganisationFactory(status=Organisation.Status.DECLINED)
    assert (
        client.get(organisation.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    )


def test_directory_searches_word_by_word_without_accents_or_case(client):
    OrganisationFactory(name="Atelier vélo", city="Lyon")
    OrganisationFactory(name="Agence de développement")
    OrganisationFactory(name="Canal emploi", description="Chantier d’insertion")
    url = reverse("members:organisation_list")

    def names(q):
        return [o.name for o in client.get(url, {"q": q}).context["organisations"]]

    assert names("velo") == ["Atelier vélo"]
    assert names("VÉLO") == ["Atelier vélo"]
    assert names("canal insertion") == ["Canal emploi"]
    assert names('"canal') == ["Canal emploi"]


def test_directory_sorts_in_french_order(client):
    for name in ("Test", "Épicerie solidaire", "atelier", "Zèbre", "Eau vive"):
        OrganisationFactory(name=name)
    names = [
        o.name
        for o in client.get(reverse("members:organisation_list")).context[
            "organisations"
        ]
    ]
    assert names == ["atelier", "Eau vive", "Épicerie solidaire", "Test", "Zèbre"]


def test_renaming_keeps_the_folded_columns_in_step(organisation):
    organisation.name = "Épicerie"
    organisation.save(update_fields=["name"])
    organisation.refresh_from_db()
    assert organisation.name_sort == "epicerie"
    assert " epicerie" in organisation.search_text


def test_a_bulk_update_keeps_the_folded_columns_in_step(client):
    """QuerySet.update() / bulk_update() on a searched field refold the rows they
    change: the directory finds and sorts by the new name, not the old one."""
    vieux = OrganisationFactory(name="Vieux nom", city="Lyon")
    other = OrganisationFactory(name="Zèbre", city="Lyon")
    untouched = OrganisationFactory(name="Autre", city="Bron")
    count = Organisation.objects.filter(pk=vieux.pk).update(name="Épicerie du Canal")
    assert count == 1
    Organisation.objects.filter(city="Lyon").update(city="Vénissieux")
    Organisation.objects.filter(pk=untouched.pk).update(summary="Vélos")
    vieux.refresh_from_db()
    assert vieux.name_sort == "epicerie du canal"
    assert "canal" in vieux.search_text and "venissieux" in vieux.search_text
    assert "vieux" not in vieux.search_text and "lyon" not in vieux.search_text
    other.refresh_from_db()
    assert other.name_sort == "zebre" and "venissieux" in other.search_text
    untouched.refresh_from_db()
    assert "velos" in untouched.search_text

    other.name = "Abeille"
    Organisation.objects.bulk_update([other], ["name"])
    other.refresh_from_db()
    assert other.name_sort == "abeille"

    url = reverse("members:organisation_list")

    def names(q=""):
        return [o.name for o in client.get(url, {"q": q}).context["organisations"]]

    assert names("epicerie") == ["Épicerie du Canal"]
    assert names("vieux") == []
    assert names() == ["Abeille", "Autre", "Épicerie du Canal"]


def test_an_update_of_other_fields_costs_one_query(django_assert_num_queries):
    organisation = OrganisationFactory()
    with django_assert_num_queries(1):
        Organisation.objects.filter(pk=organisation.pk).update(is_esus=True)
