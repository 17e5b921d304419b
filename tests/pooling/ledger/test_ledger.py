from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pooling.ledger import services
from pooling.ledger.models import ClosedMonth, LedgerLine
from pooling.ledger.selectors import ptce_statement, structure_statement
from ptce.models import AuditEvent
from resources.models import Resource, StaffCostItem
from tests.factories import OrganisationFactory, UserFactory

from .conftest import PricedResourceFactory, make_booking, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    a, b, c = (OrganisationFactory(name=name) for name in ("Alpha", "Bêta", "Gamma"))
    room = PricedResourceFactory(owner=a, price_amount=Decimal("20.00"))
    van = PricedResourceFactory(
        owner=b,
        kind=Resource.Kind.EQUIPMENT,
        price_unit=Resource.PriceUnit.HOUR,
        price_amount=Decimal("10.00"),
        vat_regime=Resource.VatRegime.TAXABLE,
        vat_rate=Decimal("20.00"),
    )
    return a, b, c, room, van


def test_confirmation_charges_the_frozen_price_and_later_rate_changes_do_not_rewrite(
    world,
):
    a, b, c, room, van = world
    booking = make_booking(room, b, paris(2026, 3, 10, 9), paris(2026, 3, 10, 12))
    line = services.record_confirmation(booking=booking, by=None)
    assert line.amount_excl_vat == Decimal("60.00")
    assert (line.user, line.provider, line.period) == (b, a, date(2026, 3, 1))
    room.price_amount = Decimal("99.00")
    room.name = "Renamed"
    room.save()
    line.refresh_from_db()
    assert line.amount_excl_vat == Decimal("60.00") and line.label != "Renamed"
    # Idempotent: confirming twice charges once.
    assert services.record_confirmation(booking=booking, by=None) == line
    assert LedgerLine.objects.count() == 1
    assert AuditEvent.objects.filter(action="pooling.ledger.charge").count() == 1


def test_own_use_moves_no_money(world):
    a, b, c, room, van = world
    booking = make_booking(room, a, paris(2026, 3, 10, 9), paris(2026, 3, 10, 12))
    assert services.record_confirmation(booking=booking, by=None) is None
    assert not LedgerLine.objects.exists()


def test_cancellation_in_time_is_reversed_late_one_is_charged(world):
    a, b, c, room, van = world
    start = timezone.now() + timedelta(days=5)
    early = make_booking(room, b, start, start + timedelta(hours=2))
    late = make_booking(room, c, start + timedelta(hours=3), start + timedelta(hours=4))
    services.record_confirmation(booking=early, by=None)
    services.record_confirmation(booking=late, by=None)
    # 48 hours' notice: cancelling 5 days ahead is free, 1 day ahead is charged.
    reversal = services.record_cancellation(booking=early, by=None)
    assert reversal.amount_excl_vat == Decimal("-40.00")
    assert (
        services.record_cancellation(
            booking=late, by=None, at=late.start - timedelta(hours=24)
        )
        is None
    )
    assert services.record_cancellation(booking=early, by=None) is None  # once only
    period = reversal.period
    statement = structure_statement(organisation=a, period=period)
    assert statement.provided_totals.excl_vat == Decimal("20.00")


def test_cancellation_rule_is_the_one_frozen_at_confirmation(world):
    a, b, c, room, van = world
    start = timezone.now() + timedelta(hours=30)
    booking = make_booking(room, b, start, start + timedelta(hours=1))
    services.record_confirmation(booking=booking, by=None)
    room.cancellation_notice_hours = 0
    room.save()
    # The rule was 48 h when confirmed: cancelling 30 h ahead is charged.
    assert services.record_cancellation(booking=booking, by=None) is None


def test_staff_time_is_itemised_at_cost_and_items_add_up(world):
    a, b, c, room, van = world
    staff = PricedResourceFactory(
        owner=a, kind=Resource.Kind.STAFF, price_amount=Decimal("33.34")
    )
    for category, amount in (
        ("salary", "20.01"),
        ("social_charges", "10.00"),
        ("expenses", "3.33"),
    ):
        StaffCostItem.objects.create(
            resource=staff, category=category, hourly_amount=Decimal(amount)
        )
    booking = make_booking(staff, b, paris(2026, 3, 10, 9), paris(2026, 3, 10, 9, 20))
    line = services.record_confirmation(booking=booking, by=None)
    assert line.amount_excl_vat == Decimal("11.11")
    assert [item["category"] for item in line.cost_items] == [
        "salary",
        "social_charges",
        "expenses",
    ]
    assert (
        sum(Decimal(item["amount"]) for item in line.cost_items) == line.amount_excl_vat
    )


def test_closed_month_never_changes_corrections_go_to_the_next_open_month(
    world, coordinator
):
    a, b, c, room, van = world
    march = make_booking(room, b, paris(2026, 3, 10, 9), paris(2026, 3, 10, 10))
    services.record_confirmation(booking=march, by=None)
    before = structure_statement(organisation=a, period=date(2026, 3, 1))
    services.month_close(period=date(2026, 3, 1), by=coordinator)
    # A March booking confirmed after March closed counts in April, as an adjustment.
    late = make_booking(room, c, paris(2026, 3, 20, 9), paris(2026, 3, 20, 10))
    line = services.record_confirmation(booking=late, by=None)
    assert line.period == date(2026, 4, 1) and line.is_adjustment
    after = structure_statement(organisation=a, period=date(2026, 3, 1))
    assert after.provided == before.provided
    assert after.closed is not None
    # And a reversal of a closed month's charge too.
    reversal = services.record_cancellation(
        booking=march, by=None, at=paris(2026, 3, 1)
    )
    assert reversal.period == date(2026, 4, 1)
    assert structure_statement(
        organisation=a, period=date(2026, 3, 1)
    ).provided_totals.excl_vat == Decimal("20.00")
    april = structure_statement(organisation=a, period=date(2026, 4, 1))
    assert april.provided_totals.excl_vat == Decimal("0.00")


def test_month_close_rules(world, coordinator):
    a, b, c, room, van = world
    services.record_confirmation(
        booking=make_booking(room, b, paris(2026, 2, 10, 9), paris(2026, 2, 10, 10)),
        by=None,
    )
    with pytest.raises(PermissionDenied):
        services.month_close(period=date(2026, 3, 1), by=UserFactory())
    with pytest.raises(ValidationError, match="02/2026"):
        services.month_close(period=date(2026, 3, 1), by=coordinator)
    with pytest.raises(ValidationError):
        services.month_close(period=timezone.localdate().replace(day=1), by=coordinator)
    services.month_close(period=date(2026, 2, 1), by=coordinator)
    with pytest.raises(ValidationError):
        services.month_close(period=date(2026, 2, 1), by=coordinator)
    services.month_close(period=date(2026, 3, 1), by=coordinator)
    assert ClosedMonth.objects.count() == 2
    assert AuditEvent.objects.filter(action="pooling.ledger.month_close").count() == 2


def test_statement_nets_and_transfers(world):
    a, b, c, room, van = world
    # B uses A's room 60 €; A uses B's van 10 € + 20 % VAT = 12 €; C uses A's room 20 €.
    for booking in (
        make_booking(room, b, paris(2026, 5, 4, 9), paris(2026, 5, 4, 12)),
        make_booking(van, a, paris(2026, 5, 5, 9), paris(2026, 5, 5, 10)),
        make_booking(room, c, paris(2026, 5, 6, 9), paris(2026, 5, 6, 10)),
    ):
        services.record_confirmation(booking=booking, by=None)
    statement = structure_statement(organisation=a, period=date(2026, 5, 1))
    assert statement.provided_totals.incl_vat == Decimal("80.00")
    assert statement.used_totals.excl_vat == Decimal("10.00")
    assert statement.used_totals.vat == Decimal("2.00")
    assert [(n.other.name, n.amount) for n in statement.nets] == [
        ("Bêta", Decimal("48.00")),
        ("Gamma", Decimal("20.00")),
    ]
    assert statement.balance == Decimal("68.00")
    assert sum(t.amount for t in statement.transfers) == Decimal("68.00")
    whole = ptce_statement(period=date(2026, 5, 1))
    assert sum(amount for _, amount in whole.balances) == 0
    assert len(whole.transfers) == 2
