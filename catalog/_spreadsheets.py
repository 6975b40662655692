"""Tables as files: a CSV for people (what Excel opens right in Norway) and an XLSX workbook
of named sheets. Every download of the catalog's web layer (the pages' exports and the JSON
API's `format=xlsx`) writes its files here."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with a byte order mark (Excel then reads æ, ø and å), `;`-separated (what Excel
    expects where the decimal separator is a comma)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> bytes:
    """A workbook with a named sheet per (name, rows), the header row bold and frozen, the
    columns as wide as their text (within limits). Characters XML cannot hold (controls, as
    a search typed with one) are left out: openpyxl refuses them."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    if first is not None:
        book.remove(first)
    for name, rows in sheets:
        sheet = book.create_sheet(sheet_name(name))
        for row in rows:
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", str(value)) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 48)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name).strip()
    return cleaned[:31] or "Ark"
