"""What the pages show, computed from the reports: the coverage heat map's cells, the hours
chart as inline SVG. Pure functions, tested directly. (The office matrix's filter and sort are
the catalog's: `catalog._office_table`, shared with the API and the exports.)"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

from catalog._model import Package
from catalog._office_table import Cell
from catalog._reports import Requirement
from kompetanse.pages import _format
from kompetanse.pages._i18n import Language, localized, text


def heat_class(covered: int, required: int) -> str:
    """The colour class of a coverage cell: five steps of the share covered."""
    if required == 0:
        return "heat-none"
    share = covered / required
    for limit, name in ((0.2, "heat-0"), (0.5, "heat-1"), (0.8, "heat-2"), (1.0, "heat-3")):
        if share < limit:
            return name
    return "heat-4"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "–"


def hours_chart(hours: Mapping[str, float], label: str, month_names: Sequence[str]) -> str:
    """A bar chart of hours per month as inline SVG, every value written above its bar."""
    width, height, top, bottom, left = 640, 220, 24, 28, 8
    months = list(hours.items())
    biggest = max((value for _, value in months), default=0) or 1
    slot = (width - 2 * left) / max(len(months), 1)
    bars = []
    for index, (month, value) in enumerate(months):
        bar = (height - top - bottom) * value / biggest
        x = left + index * slot + slot * 0.15
        y = height - bottom - bar
        name = month_names[int(month[5:7]) - 1] if len(month) >= 7 else month
        shown = _number(value)
        bars.append(
            f"<g><title>{escape(name)}: {shown}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{bar:.1f}" '
            f'class="bar"/>'
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 6:.1f}" class="value">{shown}</text>'
            f'<text x="{x + slot * 0.35:.1f}" y="{height - 8}" class="axis">'
            f"{escape(name[:3])}</text></g>"
        )
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        f'class="baseline"/>{"".join(bars)}</svg>'
    )


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",") if value else "0"


def hours_text(value: float) -> str:
    """Hours as Norwegian-style text: 7,5 (`kompetanse.pages._format.hours_text`)."""
    return _format.hours_text(value)


MONTHS = {
    "nb": (
        "januar februar mars april mai juni juli august september oktober november desember"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
}


def with_total(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Offices or counties with `total`: their statuses that count (all but exemptions)."""
    for unit in units:
        unit["total"] = sum(n for status, n in unit["statuses"].items() if status != "waived")
    return units


def free_seats(session: Mapping[str, Any]) -> int:
    return max(int(session["seats"]) - int(session["enrolled"]), 0)


day = _format.day
"""An ISO date or timestamp as dd.mm.yyyy (`kompetanse.pages._format.day`)."""


@dataclass(frozen=True)
class ModuleStep:
    """One module of a package on the learner's page: done (when) or what to do next."""

    id: str
    name: Mapping[str, str]
    completed_at: str | None
    estimated_hours: float
    launch_url: str | None
    classroom: bool
    sessions: Mapping[str, Any] | None  # for an open classroom module: booked and upcoming


def module_steps(package: Package, requirement: Requirement) -> list[ModuleStep]:
    """The package's modules in the catalog's order, each done or remaining, with the link to
    start an e-learning and, for a classroom module, the sessions booked and open to sign up."""
    sessions = {entry["module"]: entry for entry in requirement.next_sessions}
    return [
        ModuleStep(
            id=module.id,
            name=module.name.model_dump(),
            completed_at=requirement.modules.get(module.id),
            estimated_hours=module.estimated_hours,
            launch_url=module.launch_url,
            classroom=module.classroom,
            sessions=sessions.get(module.id),
        )
        for module in package.modules
    ]


ICONS = {
    "overdue": "!",
    "due_soon": "◷",
    "completed": "✓",
    "waived": "–",
    "in_progress": "…",
    "not_started": "○",
    "expired": "✕",
}
"""A status's sign beside its word (never colour alone)."""


@functools.lru_cache(maxsize=8192)
def badge(status: str, due: str | None, language: Language) -> Markup:
    """A status as the pages show it: its sign and its word, with the deadline (shown as
    given) when it is overdue or due soon; "" is no requirement. Python, not a template
    macro: the office matrix shows thousands (200 people × 40 packages), and a macro call
    costs a hundred times more."""
    if not status:
        return Markup('<span class="status s-none">{}</span>').format(text("status_none", language))
    late = (
        Markup('<span class="due"> {}</span>').format(due)
        if due and status in ("overdue", "due_soon")
        else ""
    )
    return Markup(
        '<span class="status s-{}"><span class="icon" aria-hidden="true">{}</span> {}{}</span>'
    ).format(status, ICONS[status], text(f"status_{status}", language), late)


def matrix_cells(cells: Sequence[Cell | None], language: Language) -> Markup:
    """A matrix row's cells, one `<td>` with its badge per package shown."""
    return Markup(  # noqa: S704 - joined from badges, each escaped by Markup.format
        "".join(
            _cell(cell.status, cell.due, language) if cell else _cell("", None, language)
            for cell in cells
        )
    )


@functools.lru_cache(maxsize=8192)
def _cell(status: str, due: date | None, language: Language) -> str:
    return f"<td>{badge(status, _format.day(due) if due else None, language)}</td>"


COMPLIANCE_COLUMNS = ("completed_on_time", "completed_late", "on_track", "overdue", "exempt")


def compliance_table(
    rows: Sequence[Mapping[str, Any]], level: str, language: Language
) -> list[list[str]]:
    """The compliance per package at `level` ("county", "nation") as the page's table, for a
    download: headers in the page's language, package names, counts with their share."""
    headers = ["package", "measured", "completed_on_time", "completed_late", "on_track"]
    table = [[text(key, language) for key in [*headers, "overdue_count", "exempt"]]]
    for row in rows:
        if row["level"] != level:
            continue
        measured = int(row["measured"])
        table.append(
            [
                localized(row["package_name"], language),
                str(measured),
                *(f"{row[k]} ({percent(int(row[k]), measured)})" for k in COMPLIANCE_COLUMNS),
            ]
        )
    return table


def counties_table(regions: Sequence[Mapping[str, Any]], language: Language) -> list[list[str]]:
    """The national page's counties, as its table shows them, for a download."""
    keys = ("county", "offices", "people", "completion", "overdue_count", "due_soon_count")
    table = [[text(key, language) for key in keys]]
    for r in regions:
        done, total = int(r["statuses"].get("completed", 0)), int(r["total"])
        table.append(
            [
                str(r["name"]),
                str(r["offices"]),
                str(r["people"]),
                f"{done} / {total} ({percent(done, total)})",
                str(r["statuses"].get("overdue", 0)),
                str(r["statuses"].get("due_soon", 0)),
            ]
        )
    return table
