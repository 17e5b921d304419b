"""Dates as people read them: « le jeudi 1er octobre 2026 », not « 1 octobre ».

Django's `date_format` writes the day of the month as a bare number; French writes the
first day of a month as an ordinal (« 1er ») when the month's name follows. `day_format`
is `date_format` with that rule, for Python code; the `day` template filter
(`{% load ptce_dates %}`, `{{ value|day:"l j F Y" }}`) is the same for templates.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.formats import date_format, get_format
from django.utils.translation import pgettext

# Format characters that write a month's name: the ordinal applies only before one
# (« 1er octobre », but « 1/10 »).
MONTH_NAMES = frozenset("EFMNb")


def _escaped(text: str) -> str:
    return "".join(f"\\{char}" for char in text)


def _with_ordinal(fmt: str, first: str) -> str:
    """`fmt` with its unescaped `j` (day of month) replaced by the literal `first`."""
    out, index = [], 0
    while index < len(fmt):
        char = fmt[index]
        if char == "\\" and index + 1 < len(fmt):
            out.append(fmt[index : index + 2])
            index += 2
            continue
        out.append(_escaped(first) if char == "j" else char)
        index += 1
    return "".join(out)


def _unescaped(fmt: str) -> set[str]:
    chars, index = set(), 0
    while index < len(fmt):
        if fmt[index] == "\\":
            index += 2
            continue
        chars.add(fmt[index])
        index += 1
    return chars


def day_format(value: date | datetime, fmt: str) -> str:
    """`date_format(value, fmt)`, the first of the month written as the language
    writes it before a month's name (French: « 1er »). Aware datetimes are formatted
    as given: convert them to local time first (templates do it for the filter)."""
    if fmt.endswith("_FORMAT"):
        fmt = get_format(fmt)
    if value.day == 1:
        used = _unescaped(fmt)
        if "j" in used and used & MONTH_NAMES:
            first = pgettext("first day of a month, before its name", "1")
            if first != "1":
                fmt = _with_ordinal(fmt, first)
    return date_format(value, fmt)
