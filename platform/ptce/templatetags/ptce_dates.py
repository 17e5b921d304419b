"""`{{ value|day:"l j F Y" }}`: the `date` filter, with « 1er » for the first of a
month in French (ptce.dates.day_format)."""

from __future__ import annotations

from datetime import date

from django import template

from ptce.dates import day_format

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def day(value, arg: str | None = None) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, date):
        return ""
    return day_format(value, arg or "DATE_FORMAT")
