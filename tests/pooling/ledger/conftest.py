from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
import pytest
from django.contrib.auth.models import Group

from members.models import Membership
from members.permissions import COORDINATORS_GROUP
from pooling.models import Booking
from resources.models import Resource
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


class PricedResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    owner = factory.SubFactory(OrganisationFactory)
    kind = Resource.Kind.PREMISES
    name = factory.Sequence(lambda n: f"Salle {n}")
    approval_required = False
    price_unit = Resource.PriceUnit.HOUR
    price_amount = Decimal("20.00")
    vat_regime = Resource.VatRegime.EXEMPT
    cancellation_notice_hours = 48
    min_duration = 15


def make_booking(resource, organisation, start, end, *, quantity=1, **kwargs):
    """A confirmed booking with an hourly price frozen on it (as pooling does)."""
    hours = Decimal((end - start).total_seconds()) / 3600
    amount = (resource.price_amount * hours * quantity).quantize(Decimal("0.01"))
    taxable = resource.vat_regime == Resource.VatRegime.TAXABLE
    rate = resource.vat_rate if taxable else Decimal(0)
    return Booking.objects.create(
        resource=resource,
        organisation=organisation,
        start=start,
        end=end,
        blocked_start=start,
        blocked_end=end,
        exclusive=resource.quantity == 1,
        quantity=quantity,
        status=kwargs.pop("status", Booking.Status.CONFIRMED),
        priced_at=start,
        price_unit=resource.price_unit,
        unit_price=resource.price_amount,
        price_units=hours,
        amount_excl_vat=amount,
        vat_regime=resource.vat_regime,
        vat_rate=rate,
        vat_amount=(amount * rate / 100).quantize(Decimal("0.01")),
        **kwargs,
    )


@pytest.fixture
def coordinator(db):
    user = UserFactory()
    group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
    user.groups.add(group)
    return user


def referent_of(organisation):
    return MembershipFactory(
        organisation=organisation, role=Membership.Role.REFERENT
    ).user


@pytest.fixture
def may():
    """Three structures' May 2026: Alpha's room used by Bêta and Gamma, Bêta's
    staff time used by Alpha and Gamma."""
    from pooling.ledger import services

    a, b, c = (OrganisationFactory(name=n) for n in ("Alpha", "Bêta", "Gamma"))
    room = PricedResourceFactory(owner=a, name="Salle Jaune")
    staff = PricedResourceFactory(owner=b, kind="staff", name="Comptable")
    staff.cost_items.create(category="salary", hourly_amount=Decimal("15.00"))
    staff.cost_items.create(category="social_charges", hourly_amount=Decimal("5.00"))
    for resource, org, day in (
        (room, b, 4),
        (room, c, 5),
        (staff, a, 6),
        (staff, c, 7),
    ):
        services.record_confirmation(
            booking=make_booking(
                resource, org, paris(2026, 5, day, 9), paris(2026, 5, day, 11)
            ),
            by=None,
        )
    return a, b, c
