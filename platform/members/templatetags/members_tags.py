from __future__ import annotations

from django import template
from django.utils.html import format_html

from ..validators import format_phone

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """A stored (E.164) number as a tel: link that reads the French way."""
    if not value:
        return ""
    return format_html('<a href="tel:{}">{}</a>', value, format_phone(value))
