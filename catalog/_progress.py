"""Completion tracking as pure functions: statements become evidence, evidence becomes status.

- `evidence_of(statement, ...)`: which package modules a stored statement is evidence for.
- `module_progress(module, evidence)`: when a module was completed (cmi5 moveOn, accepted
  verbs, minimum score), or waived.
- `package_status(package, person, evidence, today, ...)`: not started, in progress, completed,
  due soon, overdue, waived or expired, with the due date, the priority (skal/bør/kan) and the
  next day the status could change by the passing of time alone (`changes_on`).

Only a `skal` has deadlines that bite: it is due soon, then overdue, and a completion that must
be renewed is due soon again in its recertification window (due: the expiry). A `bør` or `kan`
past its date is still only recommended (seed 004:812: county offers may be declined), so it is
not started or in progress. An open obligation stays until it is done, waived or no longer
applies: a new-hire audience means started on or after the package took effect, not recently.

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
    """One person's status for one package on `today`.

    `due` is the deadline of what is open: the package's, or the expiry while a completion
    that must be renewed is due soon or expired. `changes_on` is the first day after `today`
    on which status or due could change with nothing but time passing (the due-soon window
    opens, the day after the deadline, the recertification window opens, the expiry), or None
    if time alone never changes them; a kept status needs recomputing only from that day.
    """

    package_id: str
    priority: Priority
    status: Status
    due: date | None
    completed_at: datetime | None
    expires: date | None
    modules: dict[str, ModuleProgress]
    changes_on: date | None = None


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
    items = sorted(evidence, key=lambda e: (e.time, e.statement_id))  # the same in any order
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
    """The strongest priority among the package's audiences that include the person.

    Who an audience includes does not depend on `today` (kept for the callers): a new hire is
    someone who started on or after the package's `effective_from`, and stays one.
    """
    matching: list[Priority] = [
        a.priority for a in package.audiences if _includes(a, package, person)
    ]
    if not matching:
        return None
    return min(matching, key=lambda priority: _PRIORITY_ORDER[priority])


def _includes(audience: Audience, package: Package, person: Person) -> bool:
    if audience.all_employees:
        return True
    since = package.effective_from
    new_hire = since is not None and person.start_date >= since
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
    deadline = due_date(package, person, assigned=assigned, office_opening=office_opening)
    completed_at = _completed_at(package, list(modules.values()))
    expires = None
    if completed_at is not None and package.validity is not None:
        expires = add_period(completed_at.date(), package.validity.expires_after)
    if exempted or (modules and all(p.waived for p in modules.values())):
        return PackageStatus(
            package.id, priority, "waived", deadline, completed_at, expires, modules, None
        )
    started = any(p.evidence for p in modules.values())
    if completed_at is not None:
        status, due, changes_on = _renewal(package, priority, deadline, expires, today)
    else:
        status, due = ("in_progress" if started else "not_started"), deadline
        changes_on = None
        if priority == "skal" and deadline is not None:
            status, changes_on = _deadline(status, deadline, today, due_soon)
    return PackageStatus(
        package.id, priority, status, due, completed_at, expires, modules, changes_on
    )


def _completed_at(package: Package, progress: list[ModuleProgress]) -> datetime | None:
    times = sorted(p.completed_at for p in progress if p.completed_at is not None)
    needed = {"all": len(progress), "any": 1}.get(package.completion.rule, package.completion.count)
    assert needed is not None  # noqa: S101 - the model requires count for at_least
    return times[needed - 1] if len(times) >= needed else None


def _deadline(
    open_status: Status, due: date, today: date, due_soon: timedelta
) -> tuple[Status, date | None]:
    """An open `skal` by its deadline: status and the day that changes it."""
    if today > due:
        return "overdue", None
    window_opens = due - due_soon
    if today >= window_opens:
        return "due_soon", due + timedelta(days=1)
    return open_status, window_opens


def _renewal(
    package: Package,
    priority: Priority,
    deadline: date | None,
    expires: date | None,
    today: date,
) -> tuple[Status, date | None, date | None]:
    """A completion: status, due and changes_on; a `skal` to renew is due soon in its window."""
    if expires is None or package.validity is None:
        return "completed", deadline, None
    if today >= expires:
        return "expired", expires, None
    if priority != "skal":
        return "completed", deadline, expires
    window_opens = subtract_period(expires, package.validity.recertification_window)
    if today >= window_opens:
        return "due_soon", expires, expires
    return "completed", deadline, window_opens


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
