from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pooling.money import (
    MoneyError,
    RateUnit,
    VatRegime,
    billable_units,
    booking_price,
    format_fr,
    to_cents,
    with_vat,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_amounts_round_half_up_to_the_cent():
    assert to_cents("1.005") == Decimal("1.01")
    assert to_cents("-1.005") == Decimal("-1.01")
    assert to_cents(3) == Decimal("3.00")
    assert str(to_cents(Decimal("2.5"))) == "2.50"


@pytest.mark.parametrize("bad", [0.1, True, "abc", "NaN", "Infinity", None, "1e20"])
def test_floats_and_non_amounts_are_refused(bad):
    with pytest.raises(MoneyError):
        to_cents(bad)


def test_hourly_price_is_exact_to_the_minute():
    price = booking_price(
        rate=Decimal("20.00"),
        unit=RateUnit.HOUR,
        start=paris(2026, 12, 1, 9),
        end=paris(2026, 12, 1, 10, 30),
    )
    assert price == Decimal("30.00")
    # A third of an hour at 10 € is 3.33 €, not a float's 3.3333333.
    assert booking_price(
        rate=Decimal("10"),
        unit=RateUnit.HOUR,
        start=paris(2026, 12, 1, 9),
        end=paris(2026, 12, 1, 9, 20),
        quantity=3,
    ) == Decimal("10.00")


def test_hours_are_real_hours_across_the_october_change():
    # 0:00 → 6:00 local on the night the clocks go back lasts seven hours.
    units = billable_units(
        RateUnit.HOUR, paris(2026, 10, 25, 0), paris(2026, 10, 25, 6)
    )
    assert units == 7


def test_day_and_half_day_count_local_days_touched():
    start, end = paris(2026, 12, 1, 9), paris(2026, 12, 1, 18)
    assert billable_units(RateUnit.DAY, start, end) == 1
    assert billable_units(RateUnit.HALF_DAY, start, end) == 2
    assert billable_units(RateUnit.HALF_DAY, start, paris(2026, 12, 1, 12)) == 1
    assert billable_units(RateUnit.HALF_DAY, paris(2026, 12, 1, 14), end) == 1
    # Ending at midnight does not touch the next day.
    assert billable_units(RateUnit.DAY, start, paris(2026, 12, 2, 0)) == 1
    assert billable_units(RateUnit.DAY, start, paris(2026, 12, 3, 12)) == 3
    assert billable_units(RateUnit.USE, start, end) == 1


def test_price_refuses_empty_ranges_and_bad_quantities():
    with pytest.raises(MoneyError):
        billable_units(RateUnit.HOUR, paris(2026, 1, 1, 10), paris(2026, 1, 1, 10))
    with pytest.raises(MoneyError):
        booking_price(
            rate=Decimal(1),
            unit=RateUnit.USE,
            start=paris(2026, 1, 1, 9),
            end=paris(2026, 1, 1, 10),
            quantity=0,
        )


def test_vat_only_for_the_taxable_regime():
    taxed = with_vat(Decimal("100"), regime=VatRegime.TAXABLE, rate_percent=Decimal(20))
    assert (taxed.net, taxed.vat, taxed.gross) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )
    for regime in (VatRegime.EXEMPT, VatRegime.FRANCHISE, VatRegime.NOT_LIABLE):
        assert (
            with_vat(Decimal("100"), regime=regime, rate_percent=Decimal(20)).vat == 0
        )
    assert with_vat(
        Decimal("33.33"), regime=VatRegime.TAXABLE, rate_percent=Decimal("5.5")
    ).vat == Decimal("1.83")


def test_french_format():
    assert format_fr(Decimal("1234567.5")) == "1\u202f234\u202f567,50"
    assert format_fr(Decimal("-0.5")) == "-0,50"
    assert format_fr(Decimal("12")) == "12,00"
