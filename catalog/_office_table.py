"""The leader's office table: one filter and sort for everything the office page shows and
exports (the counts per package, the lists, the people × packages matrix), as pure functions.

The page (`/kontoret/{office}`), the JSON API (`/api/offices/{office}/matrix`) and the exports
read the same query parameters through `OfficeFilter.of` and compute what to show with
`office_table`, so a filter that narrows the page narrows its download too:

>>> OfficeFilter.of({"pakke": "ny-i-nav", "status": "overdue", "sorter": "frist"}).query()
'pakke=ny-i-nav&status=overdue&sorter=frist'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from catalog._insights import PersonStatuses
from catalog._progress import PackageStatus

STATUSES = ("overdue", "due_soon", "not_started", "in_progress", "expired", "completed", "waived")
ON_TRACK = frozenset({"not_started", "in_progress"})
"""Started or not, but the deadline is neither passed nor near: nothing to do yet."""
CHOICES = ("overdue", "due_soon", "on_track", *STATUSES[2:])
"""The status filter's values: every status, and "on_track" for both on-track statuses."""
SORTS = ("navn", "forfalt", "frist")
FIRST_PACKAGE = "ny-i-nav"  # the one every new hire must take: first in every view
_PARAMS = {"role": "rolle", "package": "pakke", "status": "status", "search": "sok"}
_OPEN = ("overdue", "due_soon", "not_started", "in_progress", "expired")


@dataclass(frozen=True)
class OfficeFilter:
    """Who and what the office page shows: a role, a package, a status (or "on_track"), a
    search in names and employee ids, and the order (by name, most overdue first, nearest
    deadline first). Unknown values are ignored, never an error."""

    role: str = ""
    package: str = ""
    status: str = ""
    search: str = ""
    sort: str = "navn"

    @classmethod
    def of(cls, query: Mapping[str, str]) -> OfficeFilter:
        status = query.get("status", "")
        sort = query.get("sorter", "navn")
        return cls(
            role=query.get("rolle", "").strip(),
            package=query.get("pakke", "").strip(),
            status=status if status in CHOICES else "",
            search=" ".join(query.get("sok", "")[:100].split()),
            sort=sort if sort in SORTS else "navn",
        )

    def query(self, **changes: str) -> str:
        """The query string of this filter with `changes` (field names), defaults left out."""
        chosen = replace(self, **changes)
        pairs = [(name, getattr(chosen, key)) for key, name in _PARAMS.items()]
        if chosen.sort != "navn":
            pairs.append(("sorter", chosen.sort))
        return urlencode([(name, value) for name, value in pairs if value])

    def status_matches(self, status: str) -> bool:
        if self.status == "on_track":
            return status in ON_TRACK
        return not self.status or status == self.status

    def finds(self, name: str, person: str) -> bool:
        """Whether the search names the person: every word in the name or the employee id."""
        text = f"{name} {person}".casefold()
        return all(word in text for word in self.search.casefold().split())


@dataclass(frozen=True)
class Cell:
    """A person's status in one package shown (None in a matrix row: it does not apply)."""

    package: str
    status: str
    due: date | None


@dataclass(frozen=True)
class OfficeRow:
    """One person in the matrix: `cells` per column, None where the package does not apply."""

    person: str
    name: str
    roles: list[str]
    cells: list[Cell | None]
    same_name: bool  # someone else in the office has the same name: show the employee id

    @property
    def statuses(self) -> dict[str, str]:
        """Package id -> status, for the packages shown that apply to the person."""
        return {cell.package: cell.status for cell in self.cells if cell is not None}


@dataclass(frozen=True)
class Entry:
    """One line of a list: a person's status in a package, with its deadline."""

    person: str
    name: str
    same_name: bool
    package: str
    status: str
    due: date | None


@dataclass(frozen=True)
class PackageCounts:
    """A package's people by what the leader must do: overdue, due soon, on track, done."""

    package: str
    people: int
    overdue: int
    due_soon: int
    on_track: int
    completed: int


@dataclass(frozen=True)
class OfficeTable:
    """What the office page shows for a filter."""

    chosen: OfficeFilter
    packages: list[str]  # every package that applies to someone in the office, Ny i NAV first
    roles: list[str]  # every role someone in the office has
    counts: list[PackageCounts]  # per package, for the people the role and search let through
    columns: list[str]  # the packages shown
    rows: list[OfficeRow]  # the people shown, in the order chosen
    entries: dict[str, list[Entry]] = field(default_factory=dict)  # list name -> its lines


def applicable_packages(rows: Sequence[PersonStatuses], catalog_order: Sequence[str]) -> list[str]:
    """The packages that apply to at least one person, Ny i NAV first, then the catalog's order."""
    present = {status.package_id for row in rows for status in row.statuses}
    ordered = [p for p in catalog_order if p in present]
    ordered += sorted(present - set(ordered))
    return sorted(ordered, key=lambda p: p != FIRST_PACKAGE)


def office_table(
    rows: Sequence[PersonStatuses], catalog_order: Sequence[str], chosen: OfficeFilter
) -> OfficeTable:
    """The counts, lists and matrix of an office's people for the filter `chosen`.

    The role and the search choose the people; the package chooses the columns (and the
    packages of the lists); the status keeps the people with that status in a column shown,
    and makes the lists one list of that status (without it: overdue, and due soon)."""
    packages = applicable_packages(rows, catalog_order)
    if chosen.package and chosen.package not in packages:
        chosen = replace(chosen, package="")
    columns = [p for p in packages if not chosen.package or p == chosen.package]
    names = Counter(row.name.casefold() for row in rows)
    people = [
        row
        for row in rows
        if (not chosen.role or chosen.role in row.person.roles)
        and (not chosen.search or chosen.finds(row.name, row.person.id))
    ]
    counted: list[tuple[str, PackageStatus]] = []
    found: list[tuple[tuple[Any, ...], OfficeRow]] = []
    entries: list[tuple[tuple[Any, ...], Entry]] = []
    for row in people:
        by_package = {s.package_id: s for s in row.statuses}
        counted += [(row.person.id, s) for s in row.statuses]
        same_name = names[row.name.casefold()] > 1
        cells = [
            Cell(p, by_package[p].status, by_package[p].due) if p in by_package else None
            for p in columns
        ]
        shown = [cell for cell in cells if cell is not None]
        for cell in shown:
            listed = (
                chosen.status_matches(cell.status)
                if chosen.status
                else cell.status
                in (
                    "overdue",
                    "due_soon",
                )
            )
            if listed:
                entry = Entry(
                    row.person.id, row.name, same_name, cell.package, cell.status, cell.due
                )
                entries.append((_entry_key(entry, chosen.sort), entry))
        if chosen.status and not any(chosen.status_matches(cell.status) for cell in shown):
            continue
        found.append(
            (
                _row_key(row.name, row.person.id, shown, chosen.sort),
                OfficeRow(row.person.id, row.name, sorted(row.person.roles), cells, same_name),
            )
        )
    lists: dict[str, list[Entry]] = {}
    for key in [chosen.status] if chosen.status else ["overdue", "due_soon"]:
        lists[key] = [
            entry
            for _, entry in sorted(entries, key=lambda item: item[0])
            if (chosen.status_matches(entry.status) if chosen.status else entry.status == key)
        ]
    return OfficeTable(
        chosen=chosen,
        packages=packages,
        roles=sorted({role for row in rows for role in row.person.roles}),
        counts=_counts(packages, counted),
        columns=columns,
        rows=[row for _, row in sorted(found, key=lambda item: item[0])],
        entries=lists,
    )


def _counts(packages: list[str], statuses: list[tuple[str, PackageStatus]]) -> list[PackageCounts]:
    by_package: dict[str, Counter[str]] = {p: Counter() for p in packages}
    for _, status in statuses:
        by_package[status.package_id][status.status] += 1
    return [
        PackageCounts(
            package=p,
            people=sum(counts.values()),
            overdue=counts["overdue"],
            due_soon=counts["due_soon"],
            on_track=sum(counts[s] for s in ON_TRACK),
            completed=counts["completed"],
        )
        for p, counts in by_package.items()
    ]


def _row_key(name: str, person: str, cells: list[Cell], sort: str) -> tuple[Any, ...]:
    if sort == "forfalt":
        return (-sum(cell.status == "overdue" for cell in cells), name, person)
    if sort == "frist":
        dues = [cell.due for cell in cells if cell.due and cell.status in _OPEN]
        return (min(dues, default=date.max), name, person)
    return (name, person)


def _entry_key(entry: Entry, sort: str) -> tuple[Any, ...]:
    if sort == "navn":
        return (entry.name, entry.person, entry.due or date.max, entry.package)
    return (entry.due or date.max, entry.name, entry.person, entry.package)
