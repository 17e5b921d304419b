"""The platform's one export helper, read back as a spreadsheet program would."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from ptce.exports import Column, csv_safe, export_response

ROWS = [
    {
        "name": '=HYPERLINK("http://evil.example","x")',
        "phone": "+33 1 23 45 67 89",
        "note": "-2+3",
        "at": "@cmd",
        "tab": "\tcaché",
        "cr": "\rcaché",
        "ok": True,
        "when": datetime(2026, 11, 30, 13, 5, tzinfo=UTC),  # 14:05 in Paris (winter)
        "day": date(2026, 7, 14),
        "amount": Decimal("1234.50"),
        "count": -3,
        "none": None,
    },
    {
        "name": "Épicerie solidaire",
        "phone": "",
        "note": "ok",
        "at": "a@b",
        "tab": "x",
        "cr": "y",
        "ok": False,
        "when": datetime(2026, 7, 1, 6, 0, tzinfo=UTC),  # 08:00 in Paris (summer)
        "day": date(2026, 1, 2),
        "amount": Decimal("-0.5"),
        "count": 0,
        "none": None,
    },
]
COLUMNS = [Column(_("name"), lambda row: row["name"])] + [
    Column(key, lambda row, key=key: row[key]) for key in ROWS[0] if key != "name"
]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+33", "'+33"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Recyclerie", "Recyclerie"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (_("name"), "nom"),
    ],
)
def test_csv_safe(value, expected, settings):
    settings.LANGUAGE_CODE = "fr"
    from django.utils import translation

    with translation.override("fr"):
        assert csv_safe(value) == expected


def test_csv_is_french_excel_ready_and_neutralised():
    response = export_response(filename="Mes structures", columns=COLUMNS, rows=ROWS)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="mes-structures.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    header, first, second = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[0] == "nom"  # the French header, from gettext
    row = dict(zip(header, first, strict=True))
    assert row["nom"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["phone"] == "'+33 1 23 45 67 89"
    assert row["note"] == "'-2+3"
    assert row["at"] == "'@cmd"
    assert row["tab"] == "'\tcaché"
    assert row["cr"] == "'\rcaché"
    assert row["ok"] == "Oui"
    assert row["when"] == "30/11/2026 14:05"
    assert row["day"] == "14/07/2026"
    assert row["amount"] == "1234,50"
    assert row["count"] == "-3"  # a number, not text: nothing to neutralise
    assert row["none"] == ""
    row = dict(zip(header, second, strict=True))
    assert (row["nom"], row["ok"], row["when"], row["amount"]) == (
        "Épicerie solidaire",
        "Non",
        "01/07/2026 08:00",
        "-0,5",
    )


def test_xlsx_has_real_dates_and_numbers_and_no_formula():
    response = export_response(
        filename="structures", columns=COLUMNS, rows=ROWS, fmt="xlsx"
    )
    assert response["Content-Disposition"].endswith('filename="structures.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, first, second = list(sheet.iter_rows())
    assert header[0].value == "nom"
    row = {h.value: cell for h, cell in zip(header, first, strict=True)}
    assert row["nom"].data_type == "s"
    assert row["nom"].value.startswith("'=HYPERLINK")
    assert all(cell.data_type != "f" for cell in first + second)
    assert row["ok"].value == "Oui"
    assert row["when"].value.timetuple()[:5] == (2026, 11, 30, 14, 5)
    assert row["when"].number_format == "dd/mm/yyyy hh:mm"
    assert row["day"].value.date() == date(2026, 7, 14)
    assert row["day"].number_format == "dd/mm/yyyy"
    assert row["amount"].value == pytest.approx(1234.5)
    assert row["count"].value == -3


def test_control_characters_do_not_break_the_xlsx():
    rows = [{"name": "a\x00b\x1fc"}]
    columns = [Column("Nom", lambda row: row["name"])]
    response = export_response(filename="x", columns=columns, rows=rows, fmt="xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "abc"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        export_response(filename="x", columns=COLUMNS, rows=[], fmt="pdf")
