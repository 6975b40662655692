"""Fylket's downloads: the offices, the pipeline and the sessions with their people as the
page shows them with the filter chosen, as tables people read (CSV or XLSX): headers in the
page's language, status words, dates as dd.mm.yyyy, named sheets, and in XLSX a sheet saying
which filter the download was taken with. Pure functions, tested directly."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from kompetanse.pages._i18n import Language, text
from kompetanse.pages._region_views import RegionFilter, package_cell
from kompetanse.pages._views import day

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
