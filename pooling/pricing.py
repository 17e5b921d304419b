"""The price of a booking, computed from the resource's rate and frozen at confirmation.

Amounts are Decimal, cents-exact (half-up rounding on the final amount only).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from resources.models import Resource

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Quote:
    price_unit: str
    unit_price: Decimal
    units: Decimal
    amount_excl_vat: Decimal
    vat_regime: str
    vat_rate: Decimal
    vat_amount: Decimal

    @property
    def amount_incl_vat(self) -> Decimal:
        return self.amount_excl_vat + self.vat_amount


def units_for(price_unit: str, minutes: int) -> Decimal:
    """How many units of the rate a booking of `minutes` uses (per unit of quantity)."""
    if price_unit == Resource.PriceUnit.HOUR:
        return (Decimal(minutes) / 60).quantize(CENT, rounding=ROUND_HALF_UP)
    if price_unit == Resource.PriceUnit.HALF_DAY:
        return Decimal(math.ceil(minutes / 240))
    if price_unit == Resource.PriceUnit.DAY:
        return Decimal(math.ceil(minutes / 1440))
    if price_unit == Resource.PriceUnit.USE:
        return Decimal(1)
    return ZERO


def quote(resource: Resource, start: datetime, end: datetime, quantity: int) -> Quote:
    minutes = int((end - start).total_seconds() // 60)
    unit_price = (
        ZERO
        if resource.price_unit == Resource.PriceUnit.FREE
        else resource.price_amount
    )
    units = units_for(resource.price_unit, minutes)
    amount = (unit_price * units * quantity).quantize(CENT, rounding=ROUND_HALF_UP)
    taxable = resource.vat_regime == Resource.VatRegime.TAXABLE
    rate = resource.vat_rate if taxable else ZERO
    vat = (amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    return Quote(
        price_unit=resource.price_unit,
        unit_price=unit_price,
        units=units,
        amount_excl_vat=amount,
        vat_regime=resource.vat_regime,
        vat_rate=rate,
        vat_amount=vat,
    )
