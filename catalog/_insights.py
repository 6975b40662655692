"""What leaders, coordinators and learners look at beyond the matrix, as pure functions:
lists of overdue and due-soon people, hours of learning per month, the packages that land on an
office from every level, competence-area coverage and gap per role, a learner's record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from catalog._load import Catalog
from catalog._progress import Evidence, PackageStatus, Person


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


def learner_record(catalog: Catalog, evidence: Iterable[Evidence], year: int) -> dict[str, object]:
    """A learner's evidence grouped by competence area and by training method, with hours of
    completed modules this year."""
    by_area: dict[str, set[str]] = defaultdict(set)
    by_method: dict[str, set[str]] = defaultdict(set)
    hours = 0.0
    counted: set[tuple[str, str]] = set()
    for item in evidence:
        package = catalog.package(item.package_id)
        module = next(m for m in package.modules if m.id == item.module_id)
        for area in package.competence_areas:
            by_area[area].add(item.statement_id)
        by_method[module.method].add(item.statement_id)
        key = (package.id, module.id)
        if item.time.year == year and item.verb in module.criterion.verbs and key not in counted:
            counted.add(key)
            hours += module.estimated_hours
    return {
        "by_competence_area": {area: sorted(ids) for area, ids in sorted(by_area.items())},
        "by_training_method": {method: sorted(ids) for method, ids in sorted(by_method.items())},
        "hours_this_year": hours,
        "year": year,
    }
