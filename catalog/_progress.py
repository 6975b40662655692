"""Completion tracking as pure functions: statements become evidence, evidence becomes status.

- `evidence_of(statement, ...)`: which package modules a stored statement is evidence for.
- `module_progress(module, evidence)`: when a module was completed (cmi5 moveOn, accepted
  verbs, minimum score), or waived.
- `package_status(package, person, evidence, today, ...)`: not started, in progress, completed,
  due soon, overdue, waived or expired, with the due date and the priority (skal/bør/kan).

The stored projection (evidence per person and module) is built from these, incrementally as
statements arrive and from scratch by a rebuild; both must give the same result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from catalog._model import Audience, Module, Package, Priority
from catalog._periods import add_period, subtract_period

WAIVED = "https://w3id.org/xapi/adl/verbs/waived"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
Status = Literal[
    "not_started", "in_progress", "completed", "due_soon", "overdue", "waived", "expired"
]
_PRIORITY_ORDER: dict[Priority, int] = {"skal": 0, "bør": 1, "kan": 2}
NEW_HIRE_PERIOD = "P1Y"  # a "new hire" audience includes people who started this recently


@dataclass(frozen=True)
class Person:
    """A person as the catalog sees them (from the HR import)."""

    id: str
    office: str
    region: str
    roles: frozenset[str]
    employer: Literal["state", "municipal"]
    start_date: date


@dataclass(frozen=True)
class Evidence:
    """One statement counted for one module of one package, for one person."""

    statement_id: str
    person_id: str
    package_id: str
    module_id: str
    verb: str
    time: datetime
    score: float | None = None


@dataclass(frozen=True)
class ModuleProgress:
    completed_at: datetime | None
    waived: bool
    evidence: tuple[str, ...]
    score: float | None


@dataclass(frozen=True)
class PackageStatus:
    package_id: str
    priority: Priority
    status: Status
    due: date | None
    completed_at: datetime | None
    expires: date | None
    modules: dict[str, ModuleProgress]


def evidence_of(
    statement: Mapping[str, Any],
    person_id: str,
    packages: Iterable[Package],
) -> list[Evidence]:
    """The evidence a statement by `person_id` gives, for every module whose activity it names."""
    target = statement.get("object", {})
    if target.get("objectType", "Activity") != "Activity":
        return []
    activity = target.get("id")
    verb = statement.get("verb", {}).get("id", "")
    score = statement.get("result", {}).get("score", {}).get("scaled")
    time = _time(statement.get("timestamp") or statement["stored"])
    found = []
    for package in packages:
        for module in package.modules:
            if activity in module.activities:
                found.append(
                    Evidence(
                        statement_id=statement["id"],
                        person_id=person_id,
                        package_id=package.id,
                        module_id=module.id,
                        verb=verb,
                        time=time,
                        score=float(score) if isinstance(score, int | float) else None,
                    )
                )
    return found


def module_progress(module: Module, evidence: Iterable[Evidence]) -> ModuleProgress:
    """When the module was (last) completed by this evidence, by its criterion."""
    items = sorted(evidence, key=lambda e: e.time)
    if not items:
        return _NOTHING
    criterion = module.criterion
    waived = any(e.verb == WAIVED for e in items)
    qualifying = [
        e
        for e in items
        if e.verb in criterion.verbs
        and (
            criterion.min_score is None or (e.score is not None and e.score >= criterion.min_score)
        )
    ]
    completed_at = qualifying[-1].time if qualifying else None
    if criterion.move_on is not None:
        completed_at = _move_on(criterion.move_on, items, criterion.min_score)
    scores = [e.score for e in items if e.score is not None]
    return ModuleProgress(
        completed_at=completed_at,
        waived=waived,
        evidence=tuple(e.statement_id for e in items),
        score=max(scores) if scores else None,
    )


def _move_on(rule: str, items: list[Evidence], min_score: float | None) -> datetime | None:
    """cmi5 §10: when the AU's moveOn criterion was last satisfied."""
    completed = [e.time for e in items if e.verb == COMPLETED]
    passed = [
        e.time
        for e in items
        if e.verb == PASSED and (min_score is None or (e.score or -1) >= min_score)
    ]
    if rule == "Completed":
        return completed[-1] if completed else None
    if rule == "Passed":
        return passed[-1] if passed else None
    if rule == "CompletedAndPassed":
        return max(completed[-1], passed[-1]) if completed and passed else None
    if rule == "CompletedOrPassed":
        return max(completed + passed) if completed or passed else None
    return items[0].time if items else None  # NotApplicable: satisfied once launched


_NOTHING = ModuleProgress(completed_at=None, waived=False, evidence=(), score=None)


def priority_for(package: Package, person: Person, today: date) -> Priority | None:
    """The strongest priority among the package's audiences that include the person."""
    matching: list[Priority] = [
        a.priority for a in package.audiences if _includes(a, person, today)
    ]
    if not matching:
        return None
    return min(matching, key=lambda priority: _PRIORITY_ORDER[priority])


def _includes(audience: Audience, person: Person, today: date) -> bool:
    if audience.all_employees:
        return True
    new_hire = person.start_date >= subtract_period(today, NEW_HIRE_PERIOD)
    return (
        (not audience.new_hires or new_hire)
        and (not audience.roles or bool(person.roles & set(audience.roles)))
        and (not audience.employers or person.employer in audience.employers)
        and (not audience.regions or person.region in audience.regions)
        and (not audience.offices or person.office in audience.offices)
    )


def due_date(
    package: Package,
    person: Person,
    *,
    assigned: date | None = None,
    office_opening: date | None = None,
) -> date | None:
    """The deadline for this person, or None when the package has none (or it cannot be known)."""
    due = package.due
    if due is None:
        return None
    if due.relative_to == "fixed":
        return due.date
    assert due.period is not None  # noqa: S101 - the model requires it
    if due.relative_to == "start_date":
        return add_period(person.start_date, due.period)
    if due.relative_to == "assignment":
        return add_period(assigned or person.start_date, due.period)
    return subtract_period(office_opening, due.period) if office_opening else None


def package_status(
    package: Package,
    person: Person,
    evidence: Iterable[Evidence],
    today: date,
    *,
    due_soon: timedelta = timedelta(days=30),
    exempted: bool = False,
    assigned: date | None = None,
    office_opening: date | None = None,
) -> PackageStatus | None:
    """The person's status for the package, or None when no audience includes them."""
    priority = priority_for(package, person, today)
    if priority is None:
        return None
    by_module: dict[str, list[Evidence]] = {m.id: [] for m in package.modules}
    for item in evidence:
        if item.package_id == package.id and item.module_id in by_module:
            by_module[item.module_id].append(item)
    modules = {m.id: module_progress(m, by_module[m.id]) for m in package.modules}
    due = due_date(package, person, assigned=assigned, office_opening=office_opening)
    completed_at = _completed_at(package, list(modules.values()))
    expires = None
    if completed_at is not None and package.validity is not None:
        expires = add_period(completed_at.date(), package.validity.expires_after)
    status = _status(package, modules, completed_at, due, expires, today, due_soon, exempted)
    return PackageStatus(package.id, priority, status, due, completed_at, expires, modules)


def _completed_at(package: Package, progress: list[ModuleProgress]) -> datetime | None:
    times = sorted(p.completed_at for p in progress if p.completed_at is not None)
    needed = {"all": len(progress), "any": 1}.get(package.completion.rule, package.completion.count)
    assert needed is not None  # noqa: S101 - the model requires count for at_least
    return times[needed - 1] if len(times) >= needed else None


def _status(
    package: Package,
    modules: dict[str, ModuleProgress],
    completed_at: datetime | None,
    due: date | None,
    expires: date | None,
    today: date,
    due_soon: timedelta,
    exempted: bool,
) -> Status:
    if exempted or (modules and all(p.waived for p in modules.values())):
        return "waived"
    if completed_at is not None:
        if expires is not None and today >= expires:
            return "expired"
        if expires is not None and package.validity is not None:
            window_opens = subtract_period(expires, package.validity.recertification_window)
            if today >= window_opens:
                return "due_soon"
        return "completed"
    if due is not None and today > due:
        return "overdue"
    if due is not None and today >= due - due_soon:
        return "due_soon"
    started = any(p.evidence for p in modules.values())
    return "in_progress" if started else "not_started"


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
