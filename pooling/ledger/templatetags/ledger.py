from __future__ import annotations

import hashlib
from decimal import Decimal

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

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


# A rendered table of lines is kept this long; its key is made of what it shows.
LINES_CACHE_SECONDS = 24 * 3600


@register.simple_tag
def lines_table(lines, party, totals, caption):
    """The table of `lines` (pooling/ledger/_lines.html), rendered once per content.

    A structure's month can hold hundreds of lines and their table is most of the
    page's time. The key is made of what the table shows — each line (immutable once
    written, see LedgerLine), its booking's status (a late cancellation marks it),
    the two structures' names, the totals, the columns and the language — so any
    change gives a new key and nothing needs to be forgotten.
    """
    facts = repr(
        (
            translation.get_language(),
            party,
            str(caption),
            totals and (totals.excl_vat, totals.vat),
            [
                (line.pk, line.booking_status, line.user_name, line.provider_name)
                for line in lines
            ],
        )
    )
    key = "ledger-lines:" + hashlib.sha256(facts.encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "pooling/ledger/_lines.html",
            {"lines": lines, "party": party, "totals": totals, "caption": caption},
        )
        cache.set(key, str(html), LINES_CACHE_SECONDS)
    return mark_safe(html)  # rendered from our template, escaped there
