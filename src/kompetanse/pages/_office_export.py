"""The office page's download: the matrix the leader sees, with the filter they chose, as a
table people read (CSV or XLSX): headers in the page's language, status words, deadlines as
dd.mm.yyyy, package and role names, a named sheet (and, in XLSX, a second sheet saying which
filter it was taken with). The API's `/api/offices/{office}/matrix` stays the machine format
(ids and status codes) for integrations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from catalog._office_table import OfficeTable
from kompetanse.pages._i18n import Language, text, words

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


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
