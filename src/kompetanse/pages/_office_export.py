"""The office page's download: the matrix the leader sees, with the filter they chose, as a
table people read (CSV or XLSX): headers in the page's language, status words, deadlines as
dd.mm.yyyy, package and role names, a named sheet (and, in XLSX, a second sheet saying which
filter it was taken with). The API's `/api/offices/{office}/matrix` stays the machine format
(ids and status codes) for integrations."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date

from catalog._office_table import OfficeTable
from kompetanse.pages._i18n import Language, text, words

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

words(
    {
        "ox_employee_id": ("Ansattnummer", "Employee id"),
        "ox_name": ("Navn", "Name"),
        "ox_roles": ("Roller", "Roles"),
        "ox_due": ("{package} – frist", "{package} – due"),
        "ox_sheet": ("Status per person", "Status per person"),
        "ox_filter_sheet": ("Utvalg", "Selection"),
        "ox_office": ("Kontor", "Office"),
        "ox_taken": ("Hentet", "Taken"),
        "ox_filter": ("Filter", "Filter"),
        "ox_value": ("Verdi", "Value"),
        "ox_everyone": ("Alle", "All"),
    }
)


def office_rows(
    table: OfficeTable,
    lang: Language,
    name_of: Callable[[str, str], str],
) -> list[list[str]]:
    """The header and one row per person shown: employee id, name, roles, then per package
    shown its status in words and its deadline (dd.mm.yyyy)."""
    header = [text(k, lang) for k in ("ox_employee_id", "ox_name", "ox_roles")]
    for package in table.columns:
        name = name_of("package", package)
        header += [name, text("ox_due", lang, package=name)]
    rows = [header]
    for row in table.rows:
        line = [row.person, row.name, ", ".join(name_of("role", r) for r in row.roles)]
        for cell in row.cells:
            if cell is None:
                line += [text("status_none", lang), ""]
            else:
                line += [text(f"status_{cell.status}", lang), _day(cell.due)]
        rows.append(line)
    return rows


def filter_rows(
    table: OfficeTable,
    lang: Language,
    office: str,
    taken: date,
    name_of: Callable[[str, str], str],
) -> list[list[str]]:
    """Which office, when, and the filter the table was taken with, in words."""
    chosen = table.chosen
    everyone = text("ox_everyone", lang)
    status = text(f"status_{chosen.status}", lang) if chosen.status else everyone
    sort = {"navn": "sort_name", "forfalt": "sort_attention", "frist": "sort_due"}[chosen.sort]
    return [
        [text("ox_filter", lang), text("ox_value", lang)],
        [text("ox_office", lang), office],
        [text("ox_taken", lang), _day(taken)],
        [text("role", lang), name_of("role", chosen.role) if chosen.role else everyone],
        [text("package", lang), name_of("package", chosen.package) if chosen.package else everyone],
        [text("status", lang), status],
        [text("office_search", lang), chosen.search or everyone],
        [text("sort", lang), text(sort, lang)],
    ]


def to_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with a byte order mark, so that Excel opens æ, ø and å right; `;`-separated, as
    Excel expects where the decimal separator is a comma."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> bytes:
    """A workbook with one named sheet per (name, rows); the first row bold and frozen;
    characters XML cannot hold are left out."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for name, rows in sheets:
        sheet = workbook.create_sheet(_sheet_name(name))
        for row in rows:  # control characters (a search typed with one) are no XML
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 48)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name).strip()
    return cleaned[:31] or "Ark"


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
