from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from members.models import Organisation
from members.permissions import MODERATORS_GROUP
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

C = Organisation.Category
LISTS = (
    "member_structures",
    "member_memberships",
    "member_invitations",
    "member_join_requests",
)


def export(client, fmt: str, **filters):
    response = client.get(
        reverse("member_structures:index"), {"export": fmt, **filters}
    )
    assert response.status_code == HTTPStatus.OK
    return response


def test_coordinator_reaches_every_list(client, coordinator):
    MembershipFactory.create_batch(3)
    client.force_login(coordinator)
    for name in LISTS:
        response = client.get(reverse(f"{name}:index"))
        assert response.status_code == HTTPStatus.OK, name
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("member_structures:index") in html  # in the "Membres" menu


def test_list_filters_and_search_by_name_siret_city(client, coordinator):
    OrganisationFactory(name="Recyclerie", slug="r", siret="73282932000074")
    OrganisationFactory(
        name="Menuiserie",
        slug="m",
        category=C.COMPANY,
        legal_form="",
        city="Vaulx-en-Velin",
    )
    client.force_login(coordinator)
    url = reverse("member_structures:index")
    for params, shown, hidden in (
        ({"category": C.COMPANY}, "Menuiserie", "Recyclerie"),
        ({"q": "73282932"}, "Recyclerie", "Menuiserie"),
        ({"q": "Vaulx"}, "Menuiserie", "Recyclerie"),
    ):
        html = client.get(url, params).content.decode()
        assert shown in html and hidden not in html, params


def test_csv_export_has_useful_columns_and_respects_filters(client, coordinator):
    OrganisationFactory(
        name="Recyclerie",
        slug="r",
        siret="73282932000074",
        rna="W691004512",
        city="Villeurbanne",
    )
    OrganisationFactory(name="Menuiserie", slug="m", category=C.COMPANY, legal_form="")
    client.force_login(coordinator)
    response = export(client, "csv", category=C.ESS)
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(response)
    header, *data = rows
    assert header[:5] == ["Nom", header[1], header[2], header[3], "SIRET"]
    assert len(data) == 1
    assert data[0][0] == "Recyclerie"
    assert "73282932000074" in data[0] and "W691004512" in data[0]
    assert "Villeurbanne" in data[0]
    # Choice columns hold the readable label, not the stored code.
    assert "ess" not in data[0][1:4]


def _csv_rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with a BOM only
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_xlsx_export(client, coordinator):
    OrganisationFactory(
        name="Épicerie", joined_at=datetime(2026, 11, 30, 13, 5, tzinfo=UTC)
    )
    client.force_login(coordinator)
    response = export(client, "xlsx")
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Nom" and row[0] == "Épicerie"
    # Paris wall-clock time, as a real date cell.
    joined = row[header.index("Adhésion au PTCE le")]
    assert joined.timetuple()[:5] == (2026, 11, 30, 14, 5) and joined.tzinfo is None


def test_exports_neutralise_formulas_in_french_formats(client, coordinator):
    """A structure named =HYPERLINK(...) or a phone =1+2 must not run in Excel."""
    organisation = OrganisationFactory(
        name='=HYPERLINK("http://evil.example","Cliquez")',
        public_phone="=1+2",
        city="@SUM(A1)",
        is_esus=True,
        joined_at=datetime(2026, 11, 30, 13, 5, tzinfo=UTC),
    )
    MembershipFactory(organisation=organisation)
    client.force_login(coordinator)
    header, row = _csv_rows(export(client, "csv"))
    assert row[0] == '\'=HYPERLINK("http://evil.example","Cliquez")'
    assert "'=1+2" in row and "'@SUM(A1)" in row
    assert row[header.index("Agrément ESUS")] == "Oui"
    assert row[header.index("Structure d’insertion (SIAE)")] == "Non"
    assert row[header.index("Adhésion au PTCE le")] == "30/11/2026 14:05"
    people = client.get(reverse("member_memberships:index"), {"export": "csv"})
    header, row = _csv_rows(people)
    assert header[:2] == ["Structure membre", "Personne"]
    assert row[0].startswith("'=HYPERLINK")
    sheet = load_workbook(io.BytesIO(export(client, "xlsx").content)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))[0]
    assert cells[0].startswith("'=HYPERLINK")


def test_list_has_a_fixed_number_of_queries(
    client, coordinator, django_assert_max_num_queries
):
    OrganisationFactory.create_batch(3)
    client.force_login(coordinator)
    url = reverse("member_memberships:index")
    MembershipFactory.create_batch(2)
    with django_assert_max_num_queries(80) as few:
        client.get(url)
    MembershipFactory.create_batch(18)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_plain_member_and_anonymous_are_refused(client):
    member = MembershipFactory().user
    url = reverse("member_structures:index")
    response = client.get(url, {"export": "csv"})
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("wagtailadmin_login") in response["Location"]
    client.force_login(member)
    response = client.get(url, {"export": "csv"})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert "Content-Disposition" not in response


def test_moderator_may_view_but_not_edit(client):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    organisation = OrganisationFactory(name="Avant")
    client.force_login(moderator)
    assert client.get(reverse("member_structures:index")).status_code == HTTPStatus.OK
    response = client.post(
        reverse("member_structures:edit", args=[organisation.pk]),
        {
            "name": "Après",
            "slug": organisation.slug,
            "category": C.ESS,
            "status": Organisation.Status.MEMBER,
        },
    )
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    organisation.refresh_from_db()
    assert organisation.name == "Avant"


def test_coordinator_edit_validates_siret_and_needs_csrf(coordinator):
    organisation = OrganisationFactory(name="Avant", slug="avant")
    url = reverse("member_structures:edit", args=[organisation.pk])
    data = {
        "name": "Après",
        "slug": "avant",
        "category": C.ESS,
        "legal_form": Organisation.LegalForm.ASSOCIATION,
        "status": Organisation.Status.MEMBER,
        "siret": "12345678901234",
    }
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(coordinator)
    assert csrf_client.post(url, data).status_code == HTTPStatus.FORBIDDEN

    client = Client()
    client.force_login(coordinator)
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.OK  # form shown again with the error
    assert "SIRET" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Avant"

    data["siret"] = "73282932000074"
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    organisation.refresh_from_db()
    assert (organisation.name, organisation.siret) == ("Après", "73282932000074")


def test_eligibility_panel_on_dashboard_for_coordinators_only(client, coordinator):
    OrganisationFactory(category=C.ESS)
    OrganisationFactory(category=C.COMPANY, legal_form="")
    client.force_login(coordinator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Éligibilité au soutien de l’État (décret 2015-431)" in html
    assert "Non remplie\u00a0:" in html and "au moins 1 entreprise hors ESS — 1" in html
    assert "2 conditions de composition du décret ne sont pas remplies." in html

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    client.force_login(moderator)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "décret 2015-431" not in html


def test_join_requests_are_view_only_so_decisions_go_through_the_services(
    client, coordinator
):
    # Deciding in the admin would skip the notification and the membership.
    from members.models import JoinRequest

    join_request = JoinRequest.objects.create(
        user=UserFactory(), organisation=OrganisationFactory()
    )
    client.force_login(coordinator)
    inspect = client.get(
        reverse("member_join_requests:inspect", args=[join_request.pk])
    )
    assert inspect.status_code == HTTPStatus.OK
    edit_url = reverse("member_join_requests:edit", args=[join_request.pk])
    response = client.post(edit_url, {"message": "changé"})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    join_request.refresh_from_db()
    assert join_request.message == ""
    assert join_request.status == JoinRequest.Status.PENDING


def test_admin_fetches_nothing_from_third_parties(client, coordinator):
    client.force_login(coordinator)
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "gravatar" not in content.lower()
