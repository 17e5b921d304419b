"""Money for cost sharing: `Decimal` euros exact to the cent, never floats.

Every amount the ledger stores or shows goes through `to_cents`, which rounds half up
to the cent (the commercial rounding French invoices use) and refuses floats outright:
a float that reaches the ledger is a bug upstream, not something to round quietly.
Prices are amounts before VAT; the VAT regime is recorded per line and shown, the
platform computes VAT only for the taxable regime (it gives no tax advice).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
PARIS = ZoneInfo("Europe/Paris")
# Largest amount a ledger line may hold: 12 digits, 2 after the point.
MAX_DIGITS = 12
MAX_AMOUNT = Decimal("9999999999.99")
# A local day splits into two half-days at 13:00 for the half-day rate.
AFTERNOON_STARTS = time(13, 0)
NARROW_NBSP = "\u202f"


class MoneyError(ValueError):
    """An amount that cannot be money: a float, not a number, or out of range."""


def to_cents(value: Decimal | int | str) -> Decimal:
    """The amount rounded half up to the cent; floats are refused."""
    if isinstance(value, float | bool):
        raise MoneyError(_("Amounts are never floating-point numbers."))
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise MoneyError(_("This is not an amount.")) from error
    if not amount.is_finite():
        raise MoneyError(_("This is not an amount."))
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(rounded) > MAX_AMOUNT:
        raise MoneyError(_("This amount is too large."))
    return rounded


def money_field(verbose_name, **kwargs) -> models.DecimalField:
    """A cents-exact euro amount column (12 digits, 2 decimals)."""
    return models.DecimalField(
        verbose_name, max_digits=MAX_DIGITS, decimal_places=2, **kwargs
    )


class RateUnit:
    """Values of resources.Resource.PriceUnit that carry a rate."""

    HOUR = "hour"
    HALF_DAY = "half_day"
    DAY = "day"
    USE = "use"


class VatRegime:
    """Values of resources.Resource.VatRegime (labels live there)."""

    EXEMPT = "exempt_261b"
    TAXABLE = "taxable"
    FRANCHISE = "franchise_293b"
    NOT_LIABLE = "not_liable"


def _local_days(start: datetime, end: datetime) -> list[date]:
    first = start.astimezone(PARIS).date()
    # The end instant is exclusive: a booking ending at midnight does not touch the
    # next day.
    last = (end.astimezone(PARIS) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _half_days(start: datetime, end: datetime) -> int:
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    count = 0
    for day in _local_days(start, end):
        noon = datetime.combine(day, AFTERNOON_STARTS, tzinfo=PARIS)
        morning = datetime.combine(day, time(0), tzinfo=PARIS)
        evening = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)
        count += start < noon and end > morning
        count += start < evening and end > noon
    return count


def billable_units(unit: str, start: datetime, end: datetime) -> Decimal:
    """How many units of `unit` a booking from `start` to `end` is charged.

    Hours are exact to the minute (1 h 30 → 1.5); half-days and days count each one
    the booking touches in local time (9:00–18:00 is one day, or two half-days);
    a use is one, whatever the length.
    """
    if end <= start:
        raise MoneyError(_("The end must be after the start."))
    if unit == RateUnit.HOUR:
        # Subtract in UTC: two datetimes sharing a tzinfo subtract as wall-clock times,
        # which loses or gains an hour on the nights the clocks change.
        minutes = math.ceil(
            (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60
        )
        return Decimal(minutes) / Decimal(60)
    if unit == RateUnit.HALF_DAY:
        return Decimal(_half_days(start, end))
    if unit == RateUnit.DAY:
        return Decimal(len(_local_days(start, end)))
    if unit == RateUnit.USE:
        return Decimal(1)
    raise MoneyError(_("Unknown rate unit."))


def booking_price(
    *, rate: Decimal, unit: str, start: datetime, end: datetime, quantity: int = 1
) -> Decimal:
    """The price before VAT of `quantity` units booked from `start` to `end`."""
    if quantity < 1:
        raise MoneyError(_("The quantity must be at least 1."))
    rate = to_cents(rate)
    return to_cents(rate * billable_units(unit, start, end) * quantity)


@dataclass(frozen=True)
class Amounts:
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def with_vat(net: Decimal, *, regime: str, rate_percent: Decimal | None) -> Amounts:
    """Net amount plus the VAT due under `regime` (only the taxable regime adds VAT)."""
    net = to_cents(net)
    if regime != VatRegime.TAXABLE or not rate_percent:
        return Amounts(net=net, vat=ZERO)
    return Amounts(net=net, vat=to_cents(net * Decimal(rate_percent) / 100))


def format_fr(amount: Decimal) -> str:
    """1234.5 → "1 234,50" (narrow no-break space for thousands, comma for cents)."""
    amount = to_cents(amount)
    sign = "-" if amount < 0 else ""
    units, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return sign + NARROW_NBSP.join(groups) + "," + cents
