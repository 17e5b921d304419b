"""Months as the ledger counts them: local (Europe/Paris) calendar months."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from pooling.recurrence import PARIS


def month_of(moment: datetime) -> date:
    local = moment.astimezone(PARIS)
    return date(local.year, local.month, 1)


def next_month(period: date) -> date:
    return date(period.year + period.month // 12, period.month % 12 + 1, 1)


def previous_month(period: date) -> date:
    if period.month == 1:
        return date(period.year - 1, 12, 1)
    return date(period.year, period.month - 1, 1)


def current_month() -> date:
    return month_of(timezone.now())


def bounds(period: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's first instant, aware."""
    start = datetime.combine(period, time(0), tzinfo=PARIS)
    end = datetime.combine(next_month(period), time(0), tzinfo=PARIS)
    return start, end


def parse(text: str) -> date | None:
    """ "2026-11" → 1 Nov 2026; anything else (or an absurd year) → None."""
    try:
        year, month = (int(part) for part in text.split("-"))
        if not 2000 <= year <= 2100:
            return None
        return date(year, month, 1)
    except ValueError:
        return None


def label(period: date) -> str:
    """ "novembre 2026" in the active language."""
    from django.utils.formats import date_format

    return date_format(period, "F Y")
