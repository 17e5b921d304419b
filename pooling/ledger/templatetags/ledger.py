from __future__ import annotations

from decimal import Decimal

from django import template

from pooling.ledger import periods
from pooling.money import MoneyError, format_fr

register = template.Library()


@register.filter
def euros(value) -> str:
    """1234.5 → "1 234,50 €" (French grouping, no-break space before the sign)."""
    if value is None or value == "":
        return ""
    try:
        return f"{format_fr(Decimal(value))}\u00a0€"
    except (MoneyError, ArithmeticError, ValueError):
        return ""


@register.filter
def month_label(period) -> str:
    return periods.label(period)
