from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def tel_uri(phone: str) -> str:
    """ "04 72 00.00-00" → "tel:0472000000"; "" when nothing dialable is left."""
    text = str(phone or "").strip()
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    if not digits:
        return ""
    return f"tel:{'+' if text.startswith('+') else ''}{digits}"
