"""Money for cost sharing: `Decimal` euros exact to the cent, never floats.

Every amount the ledger stores or shows goes through `to_cents`, which rounds half up
to the cent (the commercial rounding French invoices use) and refuses floats outright:
a float that reaches the ledger is a bug upstream, not something to round quietly.
Prices themselves are computed and frozen by pooling.pricing.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Largest amount a ledger line may hold: 12 digits, 2 after the point.
MAX_DIGITS = 12
MAX_AMOUNT = Decimal("9999999999.99")
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
