"""« le jeudi 1er octobre 2026 »: the first of a month before its name (ptce.dates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from ptce.dates import day_format

FIRST = date(2026, 10, 1)


@pytest.mark.parametrize(
    ("value", "fmt", "french", "english"),
    [
        (FIRST, "j F Y", "1er octobre 2026", "1 October 2026"),
        (FIRST, "l j F Y", "jeudi 1er octobre 2026", "Thursday 1 October 2026"),
        (date(2026, 10, 2), "l j F Y", "vendredi 2 octobre 2026", None),
        (date(2026, 10, 11), "j F", "11 octobre", None),
        (date(2026, 10, 21), "j F", "21 octobre", None),
        (
            datetime(2026, 10, 1, 9, 5, tzinfo=UTC),
            "j F Y H:i",
            "1er octobre 2026 09:05",
            None,
        ),
        # No month name after it: a plain number.
        (FIRST, "D j/m", "jeu 1/10", None),
        (FIRST, "d/m/Y", "01/10/2026", None),
        # Escaped characters stay literal.
        (FIRST, r"\j j F", "j 1er octobre", None),
    ],
)
def test_day_format(value, fmt, french, english):
    with translation.override("fr"):
        assert day_format(value, fmt) == french
    if english:
        with translation.override("en"):
            assert day_format(value, fmt) == english


def test_named_format_setting():
    with translation.override("fr"):
        assert day_format(FIRST, "DATE_FORMAT") == "1er octobre 2026"


def test_day_filter_converts_to_local_time_like_the_date_filter():
    # 23:30 UTC on 30 September is 1 October in Paris.
    moment = datetime.fromisoformat("2026-09-30T22:30:00+00:00")
    template = Template('{% load ptce_dates %}{{ moment|day:"l j F Y H:i" }}')
    with translation.override("fr"):
        assert (
            template.render(Context({"moment": moment}))
            == "jeudi 1er octobre 2026 00:30"
        )
        assert (
            Template("{% load ptce_dates %}{{ nothing|day }}").render(Context({})) == ""
        )


def test_pooling_spans_read_first():
    from pooling.availability import fmt_span

    start = datetime.fromisoformat("2026-10-01T08:00:00+00:00")
    with translation.override("fr"):
        assert "le jeudi 1er octobre 2026 de 10:00 à 12:00" in fmt_span(
            start, start + timedelta(hours=2)
        )
