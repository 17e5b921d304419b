from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from members.models import Membership
from ptce.models import AuditEvent
from resources.models import Resource
from tests.factories import MembershipFactory, OrganisationFactory
from tests.pooling.factories import ResourceFactory

pytestmark = pytest.mark.django_db

BASE = {
    "kind": "premises",
    "name": "Salle du Lavoir",
    "quantity": 1,
    "capacity": 12,
    "granularity": 30,
    "min_duration": 60,
    "buffer_before": 0,
    "buffer_after": 15,
    "min_notice": 24,
    "horizon_days": 120,
    "approval_required": "on",
    "open_to_all": "on",
    "cancellation_notice_hours": 48,
    "price_unit": "free",
    "price_amount": "0",
    "vat_regime": "not_liable",
    "vat_rate": "0",
}


@pytest.fixture
def owner_referent(owner):
    return MembershipFactory(organisation=owner, role=Membership.Role.REFERENT).user


@pytest.fixture
def owner(db):
    return OrganisationFactory(name="Maison des associations")


def test_referent_shares_a_room(client, owner, owner_referent):
    client.force_login(owner_referent)
    response = client.post(reverse("resources:create", args=[owner.slug]), BASE)
    resource = Resource.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("resources:hours", args=[resource.pk])
    assert (resource.owner, resource.buffer_after, resource.capacity) == (owner, 15, 12)
    assert AuditEvent.objects.filter(action="resources.resource.create").count() == 1


def test_member_who_is_not_referent_cannot_share(client, owner):
    member = MembershipFactory(organisation=owner).user
    client.force_login(member)
    response = client.post(reverse("resources:create", args=[owner.slug]), BASE)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Resource.objects.exists()


def test_staff_time_is_at_cost_only(client, owner, owner_referent):
    person = MembershipFactory(organisation=owner).user
    client.force_login(owner_referent)
    staff = {
        **BASE,
        "kind": "staff",
        "name": "Heures de comptabilité",
        "capacity": "",
        "staff_person": person.pk,
        "price_unit": "hour",
        "vat_regime": "exempt_261b",
        "cost_salary": "18.00",
        "cost_social_charges": "8.10",
        "cost_expenses": "1.40",
    }
    with_margin = {**staff, "price_amount": "35.00"}
    response = client.post(reverse("resources:create", args=[owner.slug]), with_margin)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "27.50" in response.content.decode()
    flat_fee = {**staff, "price_unit": "use", "price_amount": "27.50"}
    response = client.post(reverse("resources:create", args=[owner.slug]), flat_fee)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Resource.objects.exists()

    at_cost = {**staff, "price_amount": "27.50"}
    response = client.post(reverse("resources:create", args=[owner.slug]), at_cost)
    assert response.status_code == HTTPStatus.FOUND
    resource = Resource.objects.get()
    assert sorted(resource.cost_items.values_list("hourly_amount", flat=True)) == [
        Decimal("1.40"),
        Decimal("8.10"),
        Decimal("18.00"),
    ]


def test_staff_person_must_belong_to_the_owner(client, owner, owner_referent):
    stranger = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(owner_referent)
    data = {**BASE, "kind": "staff", "staff_person": stranger.pk}
    response = client.post(reverse("resources:create", args=[owner.slug]), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Resource.objects.exists()


def test_opening_hours_and_closures(client, owner, owner_referent):
    resource = ResourceFactory(owner=owner)
    client.force_login(owner_referent)
    response = client.post(
        reverse("resources:hours", args=[resource.pk]),
        {"d0_0_opens": "09:00", "d0_0_closes": "12:00", "d0_1_opens": "14:00",
         "d0_1_closes": "18:00", "d5_0_opens": "10:00", "d5_0_closes": "00:00"},
    )  # fmt: skip
    assert response.status_code == HTTPStatus.FOUND
    assert resource.opening_periods.count() == 3
    response = client.post(
        reverse("resources:hours", args=[resource.pk]),
        {"d1_0_opens": "18:00", "d1_0_closes": "09:00"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert resource.opening_periods.count() == 3

    response = client.post(
        reverse("resources:closures", args=[resource.pk]),
        {"start": "2099-08-01T00:00", "end": "2099-08-31T00:00", "reason": "Congés"},
    )
    assert response.status_code == HTTPStatus.FOUND
    response = client.post(
        reverse("resources:closures", args=[resource.pk]),
        {"start": "2099-08-01T00:00", "end": "2099-07-01T00:00", "reason": "X"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert resource.closures.count() == 1


def test_pause_and_withdraw_keep_history(client, owner, owner_referent):
    resource = ResourceFactory(owner=owner)
    client.force_login(owner_referent)
    client.post(reverse("resources:status", args=[resource.pk]), {"status": "paused"})
    resource.refresh_from_db()
    assert resource.status == Resource.Status.PAUSED
    client.post(
        reverse("resources:status", args=[resource.pk]), {"status": "withdrawn"}
    )
    resource.refresh_from_db()
    assert resource.status == Resource.Status.WITHDRAWN
    client.logout()
    response = client.get(reverse("resources:detail", args=[resource.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert AuditEvent.objects.filter(action="resources.resource.status").count() == 2


def test_managers_are_people_of_the_owner(client, owner, owner_referent):
    resource = ResourceFactory(owner=owner)
    colleague = MembershipFactory(organisation=owner).user
    stranger = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(owner_referent)
    response = client.post(
        reverse("resources:managers", args=[resource.pk]),
        {"managers": [stranger.pk]},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    response = client.post(
        reverse("resources:managers", args=[resource.pk]),
        {"managers": [colleague.pk]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert list(resource.managers.all()) == [colleague]
    # The manager may now edit the resource, not name other managers.
    client.force_login(colleague)
    assert client.get(reverse("resources:edit", args=[resource.pk])).status_code == 200
    response = client.get(reverse("resources:managers", args=[resource.pk]))
    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("name", ["edit", "hours", "closures", "managers"])
def test_management_pages_query_counts(
    client, owner, owner_referent, name, django_assert_max_num_queries
):
    resource = ResourceFactory(owner=owner)
    client.force_login(owner_referent)
    # +1 since the news feed links in every head (one query on a cold cache).
    with django_assert_max_num_queries(21):
        response = client.get(reverse(f"resources:{name}", args=[resource.pk]))
    assert response.status_code == HTTPStatus.OK


def test_others_cannot_manage(client, owner):
    resource = ResourceFactory(owner=owner)
    outsider = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(outsider)
    for name in ("edit", "hours", "closures", "managers"):
        response = client.get(reverse(f"resources:{name}", args=[resource.pk]))
        assert response.status_code == HTTPStatus.FORBIDDEN
    response = client.post(
        reverse("resources:status", args=[resource.pk]), {"status": "withdrawn"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
