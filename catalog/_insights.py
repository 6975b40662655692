"""What leaders, coordinators and learners look at beyond the matrix, as pure functions:
lists of overdue and due-soon people, hours of learning per month, the packages that land on an
office from every level, competence-area coverage and gap per role, a learner's record."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.vocabulary import BOOKKEEPING
from catalog._load import Catalog
from catalog._progress import PackageStatus, Person


@dataclass(frozen=True)
class PersonStatuses:
    person: Person
    name: str
    statuses: list[PackageStatus]


def attention(rows: Iterable[PersonStatuses]) -> dict[str, list[dict[str, str | None]]]:
    """Who is overdue and who is due soon, soonest deadline first."""
    found: dict[str, list[dict[str, str | None]]] = {"overdue": [], "due_soon": []}
    for row in rows:
        for status in row.statuses:
            if status.status in found:
                found[status.status].append(
                    {
                        "person": row.person.id,
                        "name": row.name,
                        "package": status.package_id,
                        "due": status.due.isoformat() if status.due else None,
                    }
                )
    for items in found.values():
        items.sort(key=lambda item: item["due"] or "9999")
    return found


def hours_by_month(catalog: Catalog, rows: Iterable[PersonStatuses], year: int) -> dict[str, float]:
    """Estimated hours of the modules completed each month of `year` (YYYY-MM -> hours)."""
    hours: dict[str, float] = {f"{year}-{month:02d}": 0.0 for month in range(1, 13)}
    for row in rows:
        for status in row.statuses:
            package = catalog.package(status.package_id)
            for module in package.modules:
                done = status.modules[module.id].completed_at
                if done is not None and done.year == year:
                    hours[f"{year}-{done.month:02d}"] += module.estimated_hours
    return hours


def assigned_packages(catalog: Catalog, rows: list[PersonStatuses]) -> list[dict[str, object]]:
    """Every package that applies to someone in the office, from every level, with the hours it
    asks of the office (the "too many uncoordinated initiatives" view, seed 004)."""
    people: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for status in row.statuses:
            people[status.package_id][status.priority] += 1
    result: list[dict[str, object]] = []
    for package in catalog.packages:
        if package.id not in people:
            continue
        counts = people[package.id]
        result.append(
            {
                "package": package.id,
                "name": package.name.model_dump(),
                "owner": package.owner,
                "owner_unit": package.owner_unit,
                "hours_per_person": package.estimated_hours,
                "people": dict(counts),
                "hours_required": package.estimated_hours * counts.get("skal", 0),
            }
        )
    return sorted(
        result,
        key=lambda item: (
            "directorate county office".split().index(str(item["owner"])),
            str(item["package"]),
        ),
    )


def coverage(catalog: Catalog, rows: list[PersonStatuses]) -> dict[str, dict[str, dict[str, int]]]:
    """Per competence area and role: how many people must have it (skal) and how many have it
    (completed). The gap is required minus covered (seed 000 §5.5, kompetansekartlegging)."""
    areas_of = {p.id: p.competence_areas for p in catalog.packages}
    table: dict[str, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: {"required": 0, "covered": 0})
    )
    for row in rows:
        roles = sorted(row.person.roles) or ["(ingen rolle)"]
        for status in row.statuses:
            if status.priority != "skal":
                continue
            for area in areas_of[status.package_id]:
                for role in roles:
                    cell = table[area][role]
                    cell["required"] += 1
                    if status.status in ("completed", "waived", "due_soon") and status.completed_at:
                        cell["covered"] += 1
    return {
        area: {role: dict(cell) for role, cell in by_role.items()}
        for area, by_role in table.items()
    }


TRAINING_METHOD = "https://kompetanse.nav.no/xapi/extensions/training-method"
_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def duration_hours(value: object) -> float:
    """Hours in an ISO 8601 duration (xAPI result.duration); 0 when it is not one."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        return 0.0
    seconds = sum(
        float(part or 0) * unit for part, unit in zip(match.groups(), _SECONDS, strict=True)
    )
    return seconds / 3600


def learner_record(
    catalog: Catalog, statements: Iterable[Mapping[str, Any]], year: int
) -> dict[str, object]:
    """Every statement about the learner, grouped by competence area and by training method
    (from the catalog's modules, else the statement's training-method extension), with the
    hours of learning this year: the statement's duration, else the module's estimated hours
    when it completes a catalog module."""
    modules = {
        activity: (package, module)
        for package in catalog.packages
        for module in package.modules
        for activity in module.activities
    }
    by_area: dict[str, list[str]] = defaultdict(list)
    by_method: dict[str, list[str]] = defaultdict(list)
    entries: dict[str, dict[str, Any]] = {}
    hours = 0.0
    counted: set[tuple[str, str]] = set()
    for statement in statements:
        if statement["verb"]["id"] in BOOKKEEPING:
            continue  # a request for a confirmation, or the confirmation: not learning
        statement_id = statement["id"]
        entries[statement_id] = _entry(statement)
        found = modules.get(statement.get("object", {}).get("id"))
        extensions = statement.get("context", {}).get("extensions", {})
        if found is not None:
            package, module = found
            for area in package.competence_areas:
                by_area[area].append(statement_id)
            method = module.method
        else:
            by_area["(utenfor katalogen)"].append(statement_id)
            method = str(extensions.get(TRAINING_METHOD, "(ukjent metode)")).rsplit("/", 1)[-1]
        by_method[method].append(statement_id)
        if not str(statement.get("timestamp", "")).startswith(str(year)):
            continue
        spent = duration_hours(statement.get("result", {}).get("duration"))
        if spent:
            hours += spent
        elif found is not None and statement["verb"]["id"] in found[1].criterion.verbs:
            key = (found[0].id, found[1].id)
            if key not in counted:
                counted.add(key)
                hours += found[1].estimated_hours
    return {
        "statements": sum(len(ids) for ids in by_method.values()),
        "by_competence_area": dict(sorted(by_area.items())),
        "by_training_method": dict(sorted(by_method.items())),
        "hours_this_year": round(hours, 2),
        "year": year,
        "entries": entries,
    }


def _entry(statement: Mapping[str, Any]) -> dict[str, Any]:
    """What a person reads of one statement: when, the verb and the activity in words."""
    target = statement.get("object", {})
    definition = target.get("definition", {}) if isinstance(target, Mapping) else {}
    result = statement.get("result", {})
    return {
        "when": str(statement.get("timestamp", ""))[:10],
        "verb_id": statement["verb"]["id"],
        "verb": statement["verb"].get("display") or {},
        "object": definition.get("name") or {"und": str(target.get("id", ""))},
        "activity": target.get("id"),
        "hours": round(duration_hours(result.get("duration")), 2),
        "score": result.get("score", {}).get("scaled"),
    }


def teaching_record(
    taught: Iterable[Mapping[str, Any]], identifiers: Iterable[str], year: int
) -> dict[str, object]:
    """What a person taught ("Jeg har lært bort"): as instructor, mentor or buddy, one entry a
    teaching occasion (a session's "attended" statements of its learners and the mentor's own
    "mentored" statement are one occasion), with its learners and hours, newest first; and
    the hours taught this year."""
    own = set(identifiers)
    occasions: dict[str, dict[str, Any]] = {}
    for item in taught:
        entry = occasions.setdefault(
            item["group"],
            {
                "when": item["when"],
                "activity": item["activity"],
                "name": item["name"],
                "hours": 0.0,
                "learners": set(),
            },
        )
        entry["hours"] = max(entry["hours"], float(item["hours"]))
        if item["learner"] not in own:
            entry["learners"].add(item["learner"])
    entries = [
        {**entry, "learners": len(entry["learners"])}
        for entry in sorted(occasions.values(), key=lambda e: e["when"], reverse=True)
    ]
    return {
        "taught": entries,
        "taught_hours_this_year": round(
            sum(e["hours"] for e in entries if str(e["when"]).startswith(str(year))), 2
        ),
    }
