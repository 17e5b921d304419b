"""Quotas, ledger lines and month closing in the Wagtail admin: one more door to the
ledger's services, never a way around them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from pooling.ledger import services
from pooling.ledger.models import ClosedMonth, LedgerLine, Quota
from ptce.models import AuditEvent
from resources.models import Resource
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

from .conftest import PricedResourceFactory, make_booking, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Bêta")
    room = PricedResourceFactory(owner=a, name="Salle Alpha")
    return a, b, room


# --- Quotas --------------------------------------------------------------------------
def test_quota_admin_sets_changes_and_removes_through_the_service(
    client, coordinator, world
):
    a, b, room = world
    client.force_login(coordinator)
    add = reverse("pooling_quotas:add")
    response = client.post(
        add, {"organisation": b.pk, "resource": room.pk, "hours_per_month": "10"}
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:3000]
    quota = Quota.objects.get()
    assert quota.hours_per_month == 10 and quota.created_by == coordinator
    # Same target again: the cap is replaced, as on the site's quota page.
    client.post(
        add, {"organisation": b.pk, "resource": room.pk, "hours_per_month": "12"}
    )
    assert list(Quota.objects.values_list("hours_per_month", flat=True)) == [12]
    edit = reverse("pooling_quotas:edit", args=[quota.pk])
    response = client.post(edit, {"hours_per_month": "8.5"})
    assert response.status_code == HTTPStatus.FOUND
    events = AuditEvent.objects.filter(action="pooling.quota.set").order_by("pk")
    assert [(e.before, e.after) for e in events] == [
        ("", "10"),
        ("10.00", "12"),
        ("12.00", "8.5"),
    ]
    response = client.post(reverse("pooling_quotas:delete", args=[quota.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not Quota.objects.exists()
    assert AuditEvent.objects.filter(action="pooling.quota.delete").count() == 1


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"hours_per_month": "5"}, "Choisissez soit une ressource"),
        (
            {"resource_kind": Resource.Kind.PREMISES, "hours_per_month": "5", "r": 1},
            "Choisissez soit une ressource",
        ),
        ({"resource_kind": Resource.Kind.PREMISES, "hours_per_month": "800"}, "744"),
        (
            {"resource_kind": Resource.Kind.PREMISES, "hours_per_month": "-1"},
            "supérieure ou égale",
        ),
    ],
)
def test_quota_admin_validates_as_the_site(client, coordinator, world, post, message):
    a, b, room = world
    if post.pop("r", None):
        post["resource"] = room.pk
    client.force_login(coordinator)
    response = client.post(
        reverse("pooling_quotas:add"), {"organisation": b.pk, **post}
    )
    assert response.status_code == HTTPStatus.OK
    assert message in response.content.decode()
    assert not Quota.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="pooling.quota").exists()


def test_quota_admin_lists_filters_searches_and_exports(client, coordinator, world):
    a, b, room = world
    for org in (a, b):
        services_quota(coordinator, org, room)
    client.force_login(coordinator)
    index = reverse("pooling_quotas:index")
    assert client.get(index).status_code == HTTPStatus.OK
    html = client.get(index, {"organisation": b.pk}).content.decode()
    assert "Bêta" in html
    assert client.get(index, {"q": "Alpha"}).status_code == HTTPStatus.OK
    csv = client.get(index, {"export": "csv"}).content.decode("utf-8-sig")
    assert csv.count("\n") == 3 and "Salle Alpha" in csv and ";" in csv
    xlsx = client.get(index, {"export": "xlsx"})
    assert xlsx.status_code == HTTPStatus.OK and xlsx.content[:2] == b"PK"


def services_quota(by, organisation, room):
    from pooling.ledger.quota_services import quota_set

    return quota_set(
        by=by, organisation=organisation, resource=room, hours_per_month=Decimal(4)
    )


# --- Ledger lines --------------------------------------------------------------------
@pytest.fixture
def lines(world):
    a, b, room = world
    february = make_booking(room, b, paris(2026, 2, 10, 9), paris(2026, 2, 10, 11))
    march = make_booking(room, b, paris(2026, 3, 10, 9), paris(2026, 3, 10, 10))
    return [
        services.record_confirmation(booking=february, by=None),
        services.record_confirmation(booking=march, by=None),
    ]


def test_ledger_lines_are_listed_filtered_and_exported(
    client, coordinator, lines, world
):
    a, b, room = world
    client.force_login(coordinator)
    index = reverse("pooling_ledger_lines:index")
    response = client.get(index)
    assert response.status_code == HTTPStatus.OK
    assert reverse("pooling_admin_month_close") in response.content.decode()
    csv = client.get(index, {"month": "2026-02", "export": "csv"}).content
    text = csv.decode("utf-8-sig")
    assert text.count("\n") == 2 and "40,00" in text
    csv = client.get(index, {"structure": OrganisationFactory().pk, "export": "csv"})
    assert csv.content.decode("utf-8-sig").count("\n") == 1  # header only
    csv = client.get(index, {"structure": a.pk, "export": "xlsx"})
    assert csv.status_code == HTTPStatus.OK


def test_no_ledger_line_is_written_from_the_admin(client, lines, coordinator):
    """Not even by a superuser, not even a line of a closed month."""
    services.month_close(period=date(2026, 2, 1), by=coordinator)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    line = lines[0]
    for name in ("edit", "delete"):
        url = reverse(f"pooling_ledger_lines:{name}", args=[line.pk])
        response = client.post(url, {"amount_excl_vat": "0.00", "label": "x"})
        assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
        assert "login" not in response.get("Location", "")
    response = client.post(reverse("pooling_ledger_lines:add"), {"label": "x"})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    line.refresh_from_db()
    assert line.amount_excl_vat == Decimal("40.00")
    assert LedgerLine.objects.count() == 2
    inspect = client.get(reverse("pooling_ledger_lines:inspect", args=[line.pk]))
    assert inspect.status_code == HTTPStatus.OK


# --- Closing a month -----------------------------------------------------------------
def test_month_close_from_the_admin_has_a_confirmation_step(client, coordinator, lines):
    client.force_login(coordinator)
    url = reverse("pooling_admin_month_close")
    page = client.get(url)
    assert page.status_code == HTTPStatus.OK
    assert 'value="2026-02"' in page.content.decode()
    # Out of order: March before February is refused by the service.
    response = client.post(url, {"month": "2026-03", "confirm": "True"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "02/2026" in response.content.decode()
    response = client.post(url, {"month": "2026-02"})
    assert response.status_code == HTTPStatus.OK
    assert "40,00" in response.content.decode() or "40.00" in response.content.decode()
    assert not ClosedMonth.objects.exists()  # only the confirmation so far
    response = client.post(url, {"month": "2026-02", "confirm": "True"})
    assert response.status_code == HTTPStatus.FOUND
    closed = ClosedMonth.objects.get()
    assert (closed.period, closed.closed_by) == (date(2026, 2, 1), coordinator)
    assert AuditEvent.objects.filter(action="pooling.ledger.month_close").count() == 1
    # An already closed month is no longer offered: posting it is refused.
    response = client.post(url, {"month": "2026-02", "confirm": "True"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert ClosedMonth.objects.count() == 1


def test_only_coordinators_close_months_from_the_admin(client, world):
    a, b, room = world
    referent = MembershipFactory(organisation=a, role="referent").user
    client.force_login(referent)
    response = client.post(
        reverse("pooling_admin_month_close"), {"month": "2026-02", "confirm": "True"}
    )
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert not ClosedMonth.objects.exists()
