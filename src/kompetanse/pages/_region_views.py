"""What Fylket shows and exports, computed from the reports: the filter the coordinator chose,
the offices with a column per package, the pipeline's rows with the sessions each person may
be placed in, and the session form read from its fields (the downloads' tables are
`kompetanse.pages._region_export`). Pure functions, tested directly."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from catalog._sessions import SessionDraft
from kompetanse.pages._views import day

TABLES = ("kontorer", "loypa", "samlinger", "etterlevelse")
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


def placements_for_all(module: Mapping[str, Any], today: str) -> list[tuple[str, str]]:
    """Who gets which seat when the coordinator places everyone of a module's pipeline rows
    without a seat or a place at once: each in the session the pipeline suggests (one before
    their deadline), else the earliest session not yet started with a seat free (after the
    deadline, but the soonest); no one is put on a waitlist. In the rows' order (those who
    cannot make it first, earliest deadline first)."""
    free = {
        s["id"]: max(int(s["seats"]) - int(s["enrolled"]), 0)
        for s in module["sessions"]
        if s["starts"] >= today
    }
    earliest = sorted((s for s in module["sessions"] if s["id"] in free), key=lambda s: s["starts"])
    plan = []
    for row in module["rows"]:
        if row.get("booked"):
            continue
        chosen = row.get("session") if free.get(row.get("session") or "", 0) > 0 else None
        if chosen is None:
            chosen = next((s["id"] for s in earliest if free[s["id"]] > 0), None)
        if chosen is None:
            continue
        free[chosen] -= 1
        plan.append((row["person"], chosen))
    return plan
