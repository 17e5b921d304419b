"""Recurring bookings: a rule on local wall-clock time, expanded per occurrence.

A series is stored as its first local start (naive wall-clock time), its local
duration, the zone (Europe/Paris) and an RRULE (RFC 5545, expanded by
python-dateutil). Expanding on wall-clock time is what keeps a weekly 9:00 meeting at
9:00 after the clocks change in October and March; each occurrence is then turned
into exact instants on its own day.

Local times the clocks skip (2:30 on the last Sunday of March) have no instant: such
an occurrence is returned with a problem and no instants, so the booking form lists it
and nothing is booked for it. Local times the clocks repeat (2:30 on the last Sunday
of October) are taken at their first passage (summer time).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.db import models
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")
MAX_OCCURRENCES = 200
MAX_INTERVAL = 52
# A series may not run further ahead than this from its first occurrence.
MAX_SPAN = timedelta(days=2 * 366)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", _("every week or every n weeks")
    MONTHLY = "MONTHLY", _("every month, on the nth weekday")


class RecurrenceError(ValueError):
    """A rule that cannot be booked; the message is for the person booking."""


@dataclass(frozen=True)
class Recurrence:
    frequency: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()  # 0 = Monday (weekly)
    week_of_month: int | None = None  # 1–4, or -1 for the last (monthly)
    weekday: int | None = None  # the weekday of that week (monthly)
    until: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        # One spelling per rule: weekdays sorted, without repeats.
        object.__setattr__(self, "weekdays", tuple(sorted(set(self.weekdays))))

    def validate(self) -> None:
        if self.frequency not in Frequency.values:
            raise RecurrenceError(_("Choose how often the booking repeats."))
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise RecurrenceError(
                _("The interval must be between 1 and %(max)d.") % {"max": MAX_INTERVAL}
            )
        if (self.until is None) == (self.count is None):
            raise RecurrenceError(
                _("Give either an end date or a number of occurrences, not both.")
            )
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            raise RecurrenceError(
                _("A series has between 1 and %(max)d occurrences.")
                % {"max": MAX_OCCURRENCES}
            )
        if self.frequency == Frequency.WEEKLY:
            if not self.weekdays or any(d not in range(7) for d in self.weekdays):
                raise RecurrenceError(_("Choose at least one weekday."))
        elif self.week_of_month not in (1, 2, 3, 4, -1) or self.weekday not in range(7):
            raise RecurrenceError(_("Choose which weekday of the month."))

    def to_rrule(self) -> str:
        """The RFC 5545 RRULE value (UNTIL in floating local time, end of that day)."""
        self.validate()
        parts = [f"FREQ={self.frequency}", f"INTERVAL={self.interval}", "WKST=MO"]
        if self.frequency == Frequency.WEEKLY:
            days = ",".join(WEEKDAY_CODES[d] for d in self.weekdays)
        else:
            days = f"{self.week_of_month:+d}{WEEKDAY_CODES[self.weekday]}"
        parts.append(f"BYDAY={days}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%d}T235959")
        else:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, text: str) -> Recurrence:
        """Read back what `to_rrule` wrote."""
        fields = dict(part.split("=", 1) for part in text.split(";"))
        days = fields["BYDAY"].split(",")
        frequency = fields["FREQ"]
        options: dict = {}
        if frequency == Frequency.WEEKLY:
            options["weekdays"] = tuple(WEEKDAY_CODES.index(day) for day in days)
        else:
            options["week_of_month"] = int(days[0][:-2])
            options["weekday"] = WEEKDAY_CODES.index(days[0][-2:])
        if "UNTIL" in fields:
            value = fields["UNTIL"]
            options["until"] = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
        else:
            options["count"] = int(fields["COUNT"])
        return cls(frequency=frequency, interval=int(fields["INTERVAL"]), **options)

    def ending_before(self, day: date) -> Recurrence:
        """The same rule, stopped the day before `day` ("this and all following")."""
        return replace(self, until=day - timedelta(days=1), count=None)


def monthly_position(day: date) -> tuple[int, int]:
    """(week of month, weekday) of `day`: the 2nd Tuesday → (2, 1); a 5th → last."""
    week = (day.day - 1) // 7 + 1
    return (-1 if week == 5 else week), day.weekday()


@dataclass(frozen=True)
class Occurrence:
    local_start: datetime  # naive wall-clock time in the series' zone
    local_end: datetime
    start: datetime | None  # aware instants; None when the local time does not exist
    end: datetime | None
    problem: str = ""

    @property
    def exists(self) -> bool:
        return self.start is not None


def to_instant(local: datetime, zone: ZoneInfo = PARIS) -> datetime | None:
    """The aware instant of a naive wall-clock time, or None if the clocks skip it.

    A repeated time (October) is taken at its first passage (fold=0).
    """
    aware = local.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return aware if back == local else None


def expand(
    recurrence: Recurrence,
    *,
    first_start: datetime,
    duration: timedelta,
    zone: ZoneInfo = PARIS,
) -> list[Occurrence]:
    """Every occurrence of the series, in order, each with its own instants.

    `first_start` is naive local time: the series starts there (it counts as an
    occurrence only if it matches the rule, as in python-dateutil). `duration` is
    wall-clock: 9:00 + 2 h ends at 11:00 local whatever the clocks do that night.
    """
    recurrence.validate()
    if first_start.tzinfo is not None:
        raise RecurrenceError(_("A series starts at a local time."))
    if duration <= timedelta(0):
        raise RecurrenceError(_("The end must be after the start."))
    if recurrence.until is not None:
        if recurrence.until < first_start.date():
            raise RecurrenceError(_("The end date is before the first occurrence."))
        if recurrence.until - first_start.date() > MAX_SPAN:
            raise RecurrenceError(_("A series may not run for more than two years."))
    rule = rrule.rrulestr(recurrence.to_rrule(), dtstart=first_start)
    occurrences = []
    for local_start in rule:
        if len(occurrences) == MAX_OCCURRENCES:
            raise RecurrenceError(
                _("A series has between 1 and %(max)d occurrences.")
                % {"max": MAX_OCCURRENCES}
            )
        if local_start - first_start > MAX_SPAN:
            raise RecurrenceError(_("A series may not run for more than two years."))
        occurrences.append(_occurrence(local_start, duration, zone))
    return occurrences


def _occurrence(local_start: datetime, duration: timedelta, zone) -> Occurrence:
    local_end = local_start + duration
    start, end = to_instant(local_start, zone), to_instant(local_end, zone)
    if start is None or end is None:
        missing = local_start if start is None else local_end
        return Occurrence(
            local_start,
            local_end,
            None,
            None,
            problem=_("%(time)s does not exist on that day: the clocks go forward.")
            % {"time": missing.strftime("%H:%M")},
        )
    return Occurrence(local_start, local_end, start, end)
