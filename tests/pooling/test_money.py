from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from pooling.money import (
    MoneyError,
    format_fr,
    to_cents,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def test_amounts_round_half_up_to_the_cent():
    assert to_cents("1.005") == Decimal("1.01")
    assert to_cents("-1.005") == Decimal("-1.01")
    assert to_cents(3) == Decimal("3.00")
    assert str(to_cents(Decimal("2.5"))) == "2.50"


@pytest.mark.parametrize("bad", [0.1, True, "abc", "NaN", "Infinity", None, "1e20"])
def test_floats_and_non_amounts_are_refused(bad):
    with pytest.raises(MoneyError):
        to_cents(bad)


def test_french_format():
    assert format_fr(Decimal("1234567.5")) == "1\u202f234\u202f567,50"
    assert format_fr(Decimal("-0.5")) == "-0,50"
    assert format_fr(Decimal("12")) == "12,00"
