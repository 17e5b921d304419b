"""The one way the platform writes spreadsheets: CSV and XLSX that open right in
French Excel or LibreOffice, and that cannot run anything.

    from ptce.exports import Column, export_response

    columns = [
        Column(_("Structure"), lambda booking: booking.organisation.name),
        Column(_("Start"), lambda booking: booking.start),
        Column(_("Confirmed"), lambda booking: booking.is_confirmed),
    ]
    return export_response(filename="reservations", columns=columns, rows=bookings)

Every cell goes through `cell_value`: text starting with = + - @ tab or carriage
return is neutralised with a leading apostrophe (a spreadsheet would otherwise run
`=HYPERLINK(...)` typed into a structure's name), booleans read « Oui »/« Non »,
dates and times are Paris time in French format (30/11/2026 14:05), decimals take a
French comma. CSV: UTF-8 with a BOM (Excel's cue for the encoding), `;` separator.
XLSX: real dates and numbers, formatted the French way. Headers are rendered in the
site's language (French).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.text import slugify

PARIS = ZoneInfo("Europe/Paris")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters XML (hence XLSX) cannot hold; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    header: str | Promise
    value: Callable[[Any], Any]


def csv_safe(value: Any) -> str:
    """`value` as text that no spreadsheet reads as a formula."""
    text = "" if value is None else force_str(value)
    if text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text


def _paris(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value, PARIS) if timezone.is_aware(value) else value


def _french_number(value: Decimal | float) -> str:
    text = format(value, "f") if isinstance(value, Decimal) else repr(value)
    return text.replace(".", ",")


def cell_text(value: Any) -> str:
    """One cell of a CSV: French formats, formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return _paris(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        return _french_number(value)
    return csv_safe(value)


def _xlsx_cell(worksheet, value: Any):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, bool) or value is None:
        return WriteOnlyCell(worksheet, cell_text(value))
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(worksheet, _paris(value).replace(tzinfo=None))
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = "dd/mm/yyyy"
        return cell
    if isinstance(value, int | Decimal | float):
        return WriteOnlyCell(worksheet, value)
    cell = WriteOnlyCell(worksheet, _XML_ILLEGAL.sub("", cell_text(value)))
    cell.data_type = "s"  # never a formula, whatever openpyxl guesses
    return cell


def _csv_bytes(headers: list[str], columns: Sequence[Column], rows: Iterable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_safe(header) for header in headers])
    for row in rows:
        writer.writerow([cell_text(column.value(row)) for column in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_bytes(headers: list[str], columns: Sequence[Column], rows: Iterable) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title="Export")
    worksheet.append([_xlsx_cell(worksheet, header) for header in headers])
    for row in rows:
        worksheet.append([_xlsx_cell(worksheet, c.value(row)) for c in columns])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def export_response(
    *,
    filename: str,
    columns: Sequence[Column],
    rows: Iterable,
    fmt: str = "csv",
) -> HttpResponse:
    """A download of `rows`, one line each, one cell per column; fmt "csv" or "xlsx"."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    # Headers and choice labels in the site's language, whatever the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        headers = [force_str(column.header) for column in columns]
        if fmt == "csv":
            content = _csv_bytes(headers, columns, rows)
        else:
            content = _xlsx_bytes(headers, columns, rows)
    content_type = CSV_CONTENT_TYPE if fmt == "csv" else XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    name = slugify(filename) or "export"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


class SpreadsheetExportViewMixin:
    """For Wagtail index views (SpreadsheetExportMixin): exports through this module.

    Columns come from the view's `list_export` and headings (`get_heading`), so a
    viewset declares its export as Wagtail documents it.
    """

    def as_spreadsheet(self, queryset, spreadsheet_format):
        from wagtail.coreutils import multigetattr

        with translation.override(settings.LANGUAGE_CODE):
            headings = [self.get_heading(queryset, f) for f in self.list_export]
        columns = [
            Column(
                heading,
                lambda item, field=field: multigetattr(item, field),
            )
            for field, heading in zip(self.list_export, headings, strict=True)
        ]
        return export_response(
            filename=self.get_filename(),
            columns=columns,
            rows=queryset,
            fmt=spreadsheet_format,
        )
