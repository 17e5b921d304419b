from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from pooling.recurrence import (
    MAX_OCCURRENCES,
    Frequency,
    Recurrence,
    RecurrenceError,
    expand,
    monthly_position,
    to_instant,
)

PARIS = ZoneInfo("Europe/Paris")


def local(*args):
    # Series are naive wall-clock times by design.
    return datetime(*args)  # noqa: DTZ001


def weekly(**kwargs):
    return Recurrence(frequency=Frequency.WEEKLY, **kwargs)


def test_weekly_nine_oclock_stays_nine_across_both_changes():
    # Tuesdays from September 2026 to April 2027: the clocks go back on 25 October
    # 2026 and forward on 28 March 2027.
    occurrences = expand(
        weekly(weekdays=(1,), until=date(2027, 4, 30)),
        first_start=local(2026, 9, 1, 9, 0),
        duration=timedelta(hours=2),
    )
    assert len(occurrences) == 35
    for occurrence in occurrences:
        here = occurrence.start.astimezone(PARIS)
        assert (here.hour, here.minute) == (9, 0)
        assert occurrence.start.weekday() == 1
        assert occurrence.end - occurrence.start == timedelta(hours=2)
    utc_hours = {
        o.start.astimezone(UTC).date(): o.start.astimezone(UTC).hour
        for o in occurrences
    }
    assert utc_hours[date(2026, 10, 20)] == 7  # summer time, UTC+2
    assert utc_hours[date(2026, 10, 27)] == 8  # winter time, UTC+1
    assert utc_hours[date(2027, 3, 23)] == 8
    assert utc_hours[date(2027, 3, 30)] == 7


def test_every_two_weeks_on_chosen_weekdays_with_a_count():
    occurrences = expand(
        weekly(interval=2, weekdays=(0, 3), count=6),
        first_start=local(2026, 11, 30, 14, 0),  # a Monday
        duration=timedelta(minutes=90),
    )
    assert [o.local_start.date() for o in occurrences] == [
        date(2026, 11, 30),
        date(2026, 12, 3),
        date(2026, 12, 14),
        date(2026, 12, 17),
        date(2026, 12, 28),
        date(2026, 12, 31),
    ]


def test_monthly_second_tuesday():
    assert monthly_position(date(2026, 12, 8)) == (2, 1)
    assert monthly_position(date(2026, 12, 29)) == (-1, 1)
    rule = Recurrence(frequency=Frequency.MONTHLY, week_of_month=2, weekday=1, count=4)
    occurrences = expand(
        rule, first_start=local(2026, 12, 8, 18, 30), duration=timedelta(hours=1)
    )
    assert [o.local_start.date() for o in occurrences] == [
        date(2026, 12, 8),
        date(2027, 1, 12),
        date(2027, 2, 9),
        date(2027, 3, 9),
    ]


def test_last_friday_of_the_month():
    rule = Recurrence(
        frequency=Frequency.MONTHLY,
        week_of_month=-1,
        weekday=4,
        until=date(2027, 3, 31),
    )
    occurrences = expand(
        rule, first_start=local(2027, 1, 1, 10), duration=timedelta(hours=1)
    )
    assert [o.local_start.day for o in occurrences] == [29, 26, 26]


def test_local_time_skipped_by_the_clocks_is_listed_not_booked():
    occurrences = expand(
        weekly(weekdays=(6,), count=3),
        first_start=local(2027, 3, 21, 2, 30),  # Sundays at 2:30
        duration=timedelta(hours=1),
    )
    skipped = [o for o in occurrences if not o.exists]
    assert [o.local_start.date() for o in skipped] == [date(2027, 3, 28)]
    assert "02:30" in str(skipped[0].problem)
    assert skipped[0].start is None and skipped[0].end is None
    assert all(o.start is not None for o in occurrences if o.exists)


def test_repeated_local_time_is_taken_at_its_first_passage():
    instant = to_instant(local(2026, 10, 25, 2, 30))
    assert instant.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert to_instant(local(2027, 3, 28, 2, 30)) is None


def test_wall_clock_duration_across_the_change_night():
    (occurrence,) = expand(
        weekly(weekdays=(6,), count=1),
        first_start=local(2026, 10, 25, 1, 0),
        duration=timedelta(hours=3),
    )
    assert occurrence.local_end == local(2026, 10, 25, 4, 0)
    # 1:00 to 4:00 local on the night the clocks go back lasts four real hours.
    assert occurrence.end.astimezone(UTC) - occurrence.start.astimezone(
        UTC
    ) == timedelta(hours=4)


@pytest.mark.parametrize(
    "rule, message",
    [
        (weekly(weekdays=(1,)), "either an end date or a number"),
        (weekly(weekdays=(1,), count=2, until=date(2027, 1, 1)), "not both"),
        (weekly(weekdays=(), count=2), "weekday"),
        (weekly(weekdays=(9,), count=2), "weekday"),
        (weekly(weekdays=(1,), count=0), "between 1 and"),
        (weekly(weekdays=(1,), count=MAX_OCCURRENCES + 1), "between 1 and"),
        (weekly(weekdays=(1,), interval=0, count=2), "interval"),
        (weekly(weekdays=(1,), until=date(2026, 1, 1)), "before the first"),
        (weekly(weekdays=(1,), until=date(9999, 1, 1)), "two years"),
        (
            weekly(weekdays=(0, 1, 2, 3, 4, 5, 6), until=date(2027, 12, 1)),
            "between 1 and",
        ),
        (Recurrence(frequency="DAILY", count=2), "how often"),
        (
            Recurrence(
                frequency=Frequency.MONTHLY, week_of_month=5, weekday=1, count=2
            ),
            "weekday of the month",
        ),
    ],
)
def test_bad_rules_are_refused_with_a_message(rule, message):
    with translation.override("en"), pytest.raises(RecurrenceError, match=message):
        expand(rule, first_start=local(2026, 12, 1, 9), duration=timedelta(hours=1))


def test_bad_durations_and_aware_starts_are_refused():
    rule = weekly(weekdays=(1,), count=2)
    with pytest.raises(RecurrenceError):
        expand(rule, first_start=local(2026, 12, 1, 9), duration=timedelta(0))
    with pytest.raises(RecurrenceError):
        expand(
            rule,
            first_start=datetime(2026, 12, 1, 9, tzinfo=PARIS),
            duration=timedelta(hours=1),
        )


def test_this_and_all_following_stops_the_rule_the_day_before():
    rule = weekly(weekdays=(1,), count=10)
    shorter = rule.ending_before(date(2026, 12, 15))
    occurrences = expand(
        shorter, first_start=local(2026, 12, 1, 9), duration=timedelta(hours=1)
    )
    assert [o.local_start.date() for o in occurrences] == [
        date(2026, 12, 1),
        date(2026, 12, 8),
    ]


rules = st.one_of(
    st.builds(
        Recurrence,
        frequency=st.just(Frequency.WEEKLY),
        interval=st.integers(1, 4),
        weekdays=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(
            tuple
        ),
        count=st.integers(1, 25),  # × 4 weeks at most: within the two-year span
    ),
    st.builds(
        Recurrence,
        frequency=st.just(Frequency.MONTHLY),
        interval=st.integers(1, 3),
        week_of_month=st.sampled_from([1, 2, 3, 4, -1]),
        weekday=st.integers(0, 6),
        until=st.dates(date(2026, 12, 1), date(2028, 6, 1)),
    ),
)


@settings(max_examples=100, deadline=None)
@given(rules)
def test_rrule_text_round_trips(rule):
    assert Recurrence.from_rrule(rule.to_rrule()) == rule


@settings(max_examples=100, deadline=None)
@given(
    rules,
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
    st.integers(15, 600),
)
def test_every_occurrence_keeps_its_wall_clock_time(rule, hour, minute, minutes):
    occurrences = expand(
        rule,
        first_start=local(2026, 12, 1, hour, minute),
        duration=timedelta(minutes=minutes),
    )
    for occurrence in occurrences:
        if occurrence.exists:
            here = occurrence.start.astimezone(PARIS)
            assert (here.hour, here.minute) == (hour, minute)
            assert occurrence.start < occurrence.end
        else:
            assert occurrence.problem
