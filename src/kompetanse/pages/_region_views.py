"""What Fylket shows and exports, computed from the reports: the filter the coordinator chose,
the offices with a column per package, the pipeline's rows with the sessions each person may
be placed in, the sessions' form read from its fields, and the tables of the downloads (CSV
and XLSX: headers in the page's language, status words, dates as dd.mm.yyyy, named sheets).
Pure functions, tested directly."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalog._sessions import SessionDraft
from kompetanse.pages._i18n import Language, text
from kompetanse.pages._views import day

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = ("kontorer", "loypa", "samlinger")
FIELDS = ("module", "starts", "ends", "days", "place", "instructors", "seats")


@dataclass(frozen=True)
class RegionFilter:
    """One filter for the county page's tables and its downloads: an office, a package, and
    whether the pipeline shows only those who cannot make their deadline."""

    office: str = ""
    package: str = ""
    at_risk: bool = False

    @classmethod
    def of(
        cls, query: Mapping[str, str], offices: Iterable[str], packages: Iterable[str]
    ) -> RegionFilter:
        office, package = query.get("kontor", ""), query.get("pakke", "")
        return cls(
            office=office if office in set(offices) else "",
            package=package if package in set(packages) else "",
            at_risk=query.get("bare") == "risiko",
        )

    def query(self) -> str:
        """The filter as a query string (without "?"), for links and downloads."""
        parts = [f"kontor={self.office}"] if self.office else []
        parts += [f"pakke={self.package}"] if self.package else []
        parts += ["bare=risiko"] if self.at_risk else []
        return "&".join(parts)


def package_columns(
    offices: Sequence[Mapping[str, Any]], order: Sequence[str], chosen: RegionFilter
) -> list[str]:
    """The packages any office of the county has people in, Ny i NAV first then the catalog's
    order; only the chosen one when a package is chosen."""
    present = {p for office in offices for p in office.get("packages", {})}
    ranked = sorted(
        present, key=lambda p: (p != "ny-i-nav", order.index(p) if p in order else len(order))
    )
    return [p for p in ranked if not chosen.package or p == chosen.package]


def package_cell(office: Mapping[str, Any], package: str) -> dict[str, int] | None:
    """Completed of those counted (all but the exempt), and how many are overdue."""
    counts = office.get("packages", {}).get(package)
    if not counts:
        return None
    total = sum(n for status, n in counts.items() if status != "waived")
    return {
        "completed": counts.get("completed", 0),
        "total": total,
        "overdue": counts.get("overdue", 0),
        "due_soon": counts.get("due_soon", 0),
    }


def shown_offices(offices: list[dict[str, Any]], chosen: RegionFilter) -> list[dict[str, Any]]:
    return [o for o in offices if not chosen.office or o["office"] == chosen.office]


def pipeline_rows(
    modules: Sequence[Mapping[str, Any]], chosen: RegionFilter
) -> list[dict[str, Any]]:
    """Per module of the pipeline (of the chosen package), its people of the chosen office:
    those who cannot make the deadline first, each with the sessions not yet started that they
    may be placed in (whether each meets their deadline, and whether it is full)."""
    found = []
    for module in modules:
        if chosen.package and module["package"] != chosen.package:
            continue
        sessions = list(module["sessions"])
        people = [*module["at_risk"], *([] if chosen.at_risk else module["placed"])]
        rows = []
        for person in people:
            if chosen.office and person.get("office") != chosen.office:
                continue
            rows.append({**person, "at_risk": person["session"] is None})
        found.append({**module, "rows": rows, "by_id": {s["id"]: s for s in sessions}})
    return found


def options(
    sessions: Iterable[Mapping[str, Any]], due: str | None, today: str, exclude: str | None = None
) -> list[dict[str, Any]]:
    """The sessions a person may be placed in (not started), each saying whether it meets
    their deadline and whether a seat is free."""
    return [
        {
            **s,
            "meets": due is None or s["starts"] <= due,
            "full": int(s["enrolled"]) >= int(s["seats"]),
        }
        for s in sessions
        if s["starts"] >= today and s["id"] != exclude
    ]


# --- the session form -----------------------------------------------------------------------


def parse_day(value: str) -> date | None:
    """dd.mm.yyyy (or d.m.yyyy, or yyyy-mm-dd); None when it is not a date."""
    value = value.strip()
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return date.fromisoformat(value)
    except ValueError:
        return None
    return None


def read_form(fields: Mapping[str, str]) -> tuple[SessionDraft | None, dict[str, str]]:
    """The session form's fields as a draft, or the problems of reading them (field -> a
    phrase key): a date that is not dd.mm.yyyy, seats that are not a whole number."""
    problems: dict[str, str] = {}
    package, _, module = fields.get("module", "").partition("/")
    starts = parse_day(fields.get("starts", ""))
    if not fields.get("starts", "").strip():
        problems["starts"] = "rg_required"
    elif starts is None:
        problems["starts"] = "rg_bad_day"
    ends = None
    if fields.get("ends", "").strip():
        ends = parse_day(fields["ends"])
        if ends is None:
            problems["ends"] = "rg_bad_day"
    days = []
    for part in re.split(r"[\s,;]+", fields.get("days", "").strip()):
        if part:
            found = parse_day(part)
            if found is None:
                problems["days"] = "rg_bad_days"
            else:
                days.append(found)
    seats_text = fields.get("seats", "").strip()
    seats = int(seats_text) if re.fullmatch(r"\d{1,6}", seats_text) else None
    if seats is None:
        problems["seats"] = "rg_bad_seats"
    instructors = tuple(
        dict.fromkeys(
            p.strip().upper()
            for p in re.split(r"[\s,;]+", fields.get("instructors", ""))
            if p.strip()
        )
    )
    if starts is None or seats is None or problems:
        return None, problems
    draft = SessionDraft(
        package,
        module,
        starts,
        seats,
        ends,
        tuple(days),
        fields.get("place", "").strip(),
        instructors,
    )
    return draft, problems


def form_values(session: Mapping[str, Any]) -> dict[str, str]:
    """A stored session as the form's fields."""
    return {
        "module": f"{session['package']}/{session['module']}",
        "starts": day(session["starts"]),
        "ends": day(session["ends"]),
        "days": ", ".join(day(d) for d in session["days"]),
        "place": session["place"],
        "instructors": ", ".join(session["instructors"]),
        "seats": str(session["seats"]),
    }


# --- the downloads ----------------------------------------------------------------------------

Name = Callable[[str, str], str]  # (package, module) -> the module's name


def offices_table(
    offices: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    lang: Language,
    package_name: Callable[[str], str],
) -> list[list[str]]:
    header = [
        text(k, lang)
        for k in (
            "rg_x_office_id",
            "office",
            "people",
            "completion",
            "overdue_count",
            "due_soon_count",
        )
    ]
    for package in columns:
        name = package_name(package)
        header += [
            text("rg_x_completed_of", lang, package=name),
            text("rg_x_overdue_of", lang, package=name),
        ]
    rows = [header]
    for office in offices:
        total = sum(n for status, n in office["statuses"].items() if status != "waived")
        line = [
            office["office"],
            office["name"],
            str(office["people"]),
            f"{office['statuses'].get('completed', 0)} / {total}",
            str(office["statuses"].get("overdue", 0)),
            str(office["statuses"].get("due_soon", 0)),
        ]
        for package in columns:
            cell = package_cell(office, package)
            line += (
                [f"{cell['completed']} / {cell['total']}", str(cell["overdue"])]
                if cell
                else ["", ""]
            )
        rows.append(line)
    return rows


def pipeline_table(
    modules: Sequence[Mapping[str, Any]],
    lang: Language,
    package_name: Callable[[str], str],
    module_name: Name,
) -> list[list[str]]:
    keys = (
        "employee_id",
        "name",
        "office",
        "package",
        "module",
        "due",
        "rg_x_situation",
        "rg_x_session",
    )
    rows = [[text(k, lang) for k in keys]]
    for module in modules:
        for person in module["rows"]:
            situation, session = situation_of(person, module["by_id"], lang)
            rows.append(
                [
                    person["person"],
                    person["name"],
                    person.get("office_name") or person.get("office") or "",
                    package_name(module["package"]),
                    module_name(module["package"], module["module"]),
                    day(person["due"]),
                    situation,
                    session,
                ]
            )
    return rows


def situation_of(
    person: Mapping[str, Any], sessions: Mapping[str, Mapping[str, Any]], lang: Language
) -> tuple[str, str]:
    """Where the person stands, in words, and the session it is about (dd.mm.yyyy)."""
    if person.get("booked"):
        session = sessions.get(person["booked"])
        starts = day(session["starts"]) if session else ""
        key = "rg_waitlisted" if person.get("waitlisted") else "rg_booked"
        meets = session is not None and session["starts"] <= person["due"]
        return text(key, lang) + " – " + text("rg_meets" if meets else "rg_misses", lang), starts
    if person.get("session"):
        session = sessions.get(person["session"])
        return text("rg_suggested", lang), day(session["starts"]) if session else ""
    return text("rg_at_risk_word", lang), ""


def sessions_tables(
    sessions: Sequence[Mapping[str, Any]],
    lang: Language,
    package_name: Callable[[str], str],
    module_name: Name,
) -> tuple[list[list[str]], list[list[str]]]:
    """The sessions, one row each, and their people, one row each (seat, waitlist)."""
    keys = (
        "starts",
        "rg_ends",
        "rg_days",
        "package",
        "module",
        "rg_place",
        "rg_instructors",
        "seats",
        "enrolled",
        "waitlist",
    )
    summary = [[text(k, lang) for k in keys]]
    people_keys = (
        "starts",
        "package",
        "module",
        "rg_place",
        "employee_id",
        "name",
        "office",
        "rg_x_seat",
        "due",
        "rg_x_deadline",
    )
    people = [[text(k, lang) for k in people_keys]]
    for session in sessions:
        package, module = (
            package_name(session["package"]),
            module_name(session["package"], session["module"]),
        )
        instructors = ", ".join(i["name"] for i in session.get("instructor_names", []))
        summary.append(
            [
                day(session["starts"]),
                day(session["ends"]),
                ", ".join(day(d) for d in session["days"]),
                package,
                module,
                session["place"],
                instructors,
                str(session["seats"]),
                str(session["enrolled"]),
                str(session["waitlist"]),
            ]
        )
        if not session.get("people"):
            people.append([day(session["starts"]), package, module, session["place"], *[""] * 6])
        for person in session.get("people", []):
            meets = person["meets"]
            people.append(
                [
                    day(session["starts"]),
                    package,
                    module,
                    session["place"],
                    person["person"],
                    person["name"],
                    person["office_name"],
                    text(f"rg_seat_{person['seat']}", lang),
                    day(person["due"]) if person["due"] else "",
                    "" if meets is None else text("rg_meets" if meets else "rg_misses", lang),
                ]
            )
    return summary, people


def filter_table(
    chosen: RegionFilter,
    lang: Language,
    county: str,
    taken: date,
    office_name: Callable[[str], str],
    package_name: Callable[[str], str],
) -> list[list[str]]:
    """Which county, when, and the filter the download was taken with, in words."""
    everyone = text("all", lang)
    return [
        [text("rg_x_filter", lang), text("rg_x_value", lang)],
        [text("county", lang), county],
        [text("rg_x_taken", lang), day(taken.isoformat())],
        [text("office", lang), office_name(chosen.office) if chosen.office else everyone],
        [text("package", lang), package_name(chosen.package) if chosen.package else everyone],
        [text("rg_x_shown", lang), text("rg_only_at_risk" if chosen.at_risk else "all", lang)],
    ]


def to_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """UTF-8 with a byte order mark (Excel then reads æ, ø and å), `;`-separated (what Excel
    expects where the decimal separator is a comma)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[Sequence[str]]]]) -> bytes:
    """A workbook with a named sheet per (name, rows); the header row bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    first = workbook.active
    if first is not None:
        workbook.remove(first)
    for name, rows in sheets:
        sheet = workbook.create_sheet(sheet_name(name))
        for row in rows:
            sheet.append(list(row))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = min(max(width + 2, 10), 48)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name).strip()
    return cleaned[:31] or "Ark"
