"""Factories for shared resources and bookings (pooling and resources tests).

BookingFactory writes a booking row directly, for setting up a calendar; tests of the
rules go through pooling.services.booking_request.
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import factory

from pooling.models import Booking
from resources.models import Closure, OpeningPeriod, Resource
from tests.factories import OrganisationFactory, UserFactory


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    owner = factory.SubFactory(OrganisationFactory)
    kind = Resource.Kind.PREMISES
    name = factory.Sequence(lambda n: f"Salle {n}")
    quantity = 1
    capacity = 20
    granularity = Resource.Granularity.QUARTER
    min_duration = 30
    max_duration = 60 * 24 * 3
    min_notice = 0
    horizon_days = 365
    approval_required = True
    price_unit = Resource.PriceUnit.FREE
    price_amount = Decimal("0.00")


class EquipmentFactory(ResourceFactory):
    kind = Resource.Kind.EQUIPMENT
    name = factory.Sequence(lambda n: f"Vidéoprojecteur {n}")
    quantity = 5
    capacity = None


class OpeningPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningPeriod

    resource = factory.SubFactory(ResourceFactory)
    weekday = 0
    opens = time(9)
    closes = time(18)


class ClosureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Closure

    resource = factory.SubFactory(ResourceFactory)
    reason = "Travaux"


def open_every_day(resource: Resource, opens=time(8), closes=time(20)) -> None:
    for weekday in range(7):
        OpeningPeriodFactory(
            resource=resource, weekday=weekday, opens=opens, closes=closes
        )


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    resource = factory.SubFactory(ResourceFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    booked_by = factory.SubFactory(UserFactory)
    quantity = 1
    status = Booking.Status.CONFIRMED
    purpose = "Réunion"
    exclusive = factory.LazyAttribute(lambda o: o.resource.quantity == 1)
    blocked_start = factory.LazyAttribute(
        lambda o: o.start - timedelta(minutes=o.resource.buffer_before)
    )
    blocked_end = factory.LazyAttribute(
        lambda o: o.end + timedelta(minutes=o.resource.buffer_after)
    )
