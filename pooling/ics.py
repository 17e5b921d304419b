"""iCalendar (RFC 5545) rendering of bookings, for calendar feeds.

One VEVENT per booking occurrence (series are expanded, so cancelling one occurrence
cancels one event). Times are written in UTC, which every client reads without a
VTIMEZONE. The UID is derived from the booking's id and the site's host and never
changes, so clients update events in place; a cancelled booking stays in the feed
with STATUS:CANCELLED and a higher SEQUENCE, so clients remove it from their view.
DTSTAMP is the booking's last change, so an unchanged feed renders byte for byte the
same (clients and caches can compare).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, vDuration

PRODID = "-//PTCE//Mutualisation//FR"
STATUSES = ("CONFIRMED", "TENTATIVE", "CANCELLED")
# Control characters other than tab and newline have no place in a calendar (and a
# NUL byte breaks some clients).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_TEXT = 2000


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    stamp: datetime
    status: str = "CONFIRMED"
    sequence: int = 0
    description: str = ""
    location: str = ""
    url: str = ""


def booking_uid(booking_id: int, host: str) -> str:
    return f"booking-{booking_id}@{host}"


def _clean(text: str) -> str:
    return _CONTROL.sub("", str(text))[:MAX_TEXT]


def _line(text: str) -> str:
    return " ".join(_clean(text).split())


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("Calendar times must be aware.")
    return moment.astimezone(UTC)


def _event(item: FeedEvent) -> Event:
    if item.status not in STATUSES:
        raise ValueError(f"Unknown status {item.status!r}.")
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", _utc(item.stamp))
    event.add("last-modified", _utc(item.stamp))
    event.add("dtstart", _utc(item.start))
    event.add("dtend", _utc(item.end))
    event.add("summary", _line(item.summary))
    event.add("status", item.status)
    event.add("sequence", item.sequence)
    # Busy unless cancelled: free/busy lookups in clients follow TRANSP.
    event.add("transp", "TRANSPARENT" if item.status == "CANCELLED" else "OPAQUE")
    if item.description:
        event.add("description", _clean(item.description))
    if item.location:
        event.add("location", _line(item.location))
    if item.url:
        event.add("url", item.url)
    return event


def render_calendar(
    events: Iterable[FeedEvent], *, name: str, description: str = ""
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _line(name))
    calendar.add("name", _line(name))
    if description:
        calendar.add("x-wr-caldesc", _clean(description))
    calendar.add("x-wr-timezone", "Europe/Paris")
    # Clients poll hourly instead of their default (Outlook: once a day or less).
    calendar.add(
        "refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", vDuration(timedelta(hours=1)))
    for item in events:
        calendar.add_component(_event(item))
    return calendar.to_ical()
