from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from pooling.ics import FeedEvent, booking_uid, render_calendar

PARIS = ZoneInfo("Europe/Paris")
STAMP = datetime(2026, 11, 2, 8, 15, tzinfo=UTC)


def event(**kwargs):
    values = {
        "uid": booking_uid(42, "ptce.example.org"),
        "start": datetime(2026, 10, 27, 9, 0, tzinfo=PARIS),
        "end": datetime(2026, 10, 27, 11, 0, tzinfo=PARIS),
        "summary": "Salle Jaune — Réunion",
        "stamp": STAMP,
    }
    return FeedEvent(**{**values, **kwargs})


def both_parsers(data: bytes):
    return icalendar.Calendar.from_ical(data), vobject.readOne(data.decode("utf-8"))


def test_feed_reads_the_same_in_two_independent_parsers():
    data = render_calendar(
        [
            event(),
            event(
                uid=booking_uid(43, "ptce.example.org"),
                status="CANCELLED",
                sequence=2,
                summary="Réservé",
                start=datetime(2026, 3, 29, 9, 0, tzinfo=PARIS),
                end=datetime(2026, 3, 29, 10, 0, tzinfo=PARIS),
            ),
        ],
        name="Salle Jaune",
    )
    parsed, read = both_parsers(data)
    events = list(parsed.walk("VEVENT"))
    assert [str(e["UID"]) for e in events] == [
        "booking-42@ptce.example.org",
        "booking-43@ptce.example.org",
    ]
    # 9:00 in Paris is 8:00 UTC on 27 October (winter) and 7:00 UTC on 29 March.
    assert events[0].decoded("DTSTART") == datetime(2026, 10, 27, 8, tzinfo=UTC)
    assert events[1].decoded("DTSTART") == datetime(2026, 3, 29, 7, tzinfo=UTC)
    assert str(events[1]["STATUS"]) == "CANCELLED"
    assert events[0].decoded("DTSTAMP") == STAMP
    assert str(parsed["X-WR-CALNAME"]) == "Salle Jaune"

    vevents = read.vevent_list
    assert [v.uid.value for v in vevents] == [
        "booking-42@ptce.example.org",
        "booking-43@ptce.example.org",
    ]
    assert vevents[0].dtstart.value == datetime(2026, 10, 27, 8, tzinfo=UTC)
    assert vevents[0].dtend.value - vevents[0].dtstart.value == timedelta(hours=2)
    assert vevents[0].summary.value == "Salle Jaune — Réunion"
    assert vevents[1].status.value == "CANCELLED"
    assert vevents[1].sequence.value == "2"
    assert vevents[0].dtstamp.value == STAMP


def test_text_is_escaped_and_control_characters_removed():
    nasty = 'Réunion; "a,b"\\ c\x00\x07 END:VEVENT\nBEGIN:VEVENT'
    data = render_calendar(
        [event(summary=nasty, description=nasty + " " + "é" * 3000, location=nasty)],
        name="Nom\x00; avec, virgule",
    )
    assert b"\x00" not in data and b"\x07" not in data
    parsed, read = both_parsers(data)
    assert len(list(parsed.walk("VEVENT"))) == 1
    assert len(read.vevent_list) == 1
    summary = read.vevent.summary.value
    assert summary == 'Réunion; "a,b"\\ c END:VEVENT BEGIN:VEVENT'
    assert str(parsed.walk("VEVENT")[0]["SUMMARY"]) == summary
    assert len(read.vevent.description.value) <= 2000
    # Lines are folded at 75 octets, never inside a UTF-8 character.
    for line in data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


def test_same_bookings_render_byte_for_byte_the_same():
    assert render_calendar([event()], name="A") == render_calendar([event()], name="A")


def test_empty_calendar_is_valid():
    parsed, read = both_parsers(render_calendar([], name="Vide"))
    assert list(parsed.walk("VEVENT")) == []
    assert read.name == "VCALENDAR"


@pytest.mark.parametrize(
    "bad",
    [
        {"status": "MAYBE"},
        {"start": datetime(2026, 1, 1, 9)},  # noqa: DTZ001 — naive on purpose
    ],
)
def test_bad_events_are_refused(bad):
    with pytest.raises(ValueError):
        render_calendar([event(**bad)], name="X")
