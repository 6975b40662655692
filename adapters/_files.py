"""Files of records: CSV and XLSX lists (as course administrators keep them), JSON and JSON lines.

`prepare(adapter, path)` reads every row, validates all of them and builds every statement
before anything is sent: either all rows become statements, or `RecordInvalid` lists every
problem by row and column. Column names may be the field names or their Norwegian names
(``navn``, ``e-post``, ``ident``, ``møtt``, ``fullført``, ...).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import ValidationError

from adapters._base import Adapter, field_problems
from adapters._errors import Problem, RecordInvalid, UnreadableFile
from adapters._fields import Person

COMMON_ALIASES = {
    "navn": "name",
    "e_post": "email",
    "epost": "email",
    "e_postadresse": "email",
    "ident": "employee_id",
    "nav_ident": "employee_id",
    "navident": "employee_id",
    "ansattnummer": "employee_id",
    "kontor": "office",
    "kompetanseområde": "competence_areas",
    "kompetanseområder": "competence_areas",
    "timer": "hours",
    "referanse": "reference",
}
_PERSON_PARTS = ("employee_id", "email", "name")
SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class Row:
    """One row (or JSON object) of a file; `number` as a spreadsheet shows it, header = 1."""

    number: int
    values: dict[str, Any]
    tabular: bool = True  # columns to map (CSV, XLSX), or a JSON object given as it is


@dataclass
class Prepared:
    """The statements of a whole file, in file order, none of them sent yet."""

    statements: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    idle_rows: list[int] = field(default_factory=list)
    """Rows that record nothing (e.g. registered for a course but absent, with no date)."""
    duplicates: int = 0
    """Statements repeated identically in the file, sent once."""


def read_rows(path: Path) -> list[Row]:
    """Every non-empty row of a .csv, .xlsx, .json (an array) or .jsonl file."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return list(_csv_rows(path.read_text("utf-8-sig")))
        if suffix == ".xlsx":
            return list(_xlsx_rows(path))
        if suffix == ".json":
            return _json_rows(json.loads(path.read_text("utf-8-sig")))
        if suffix in (".jsonl", ".ndjson"):
            return list(_json_lines(path.read_text("utf-8-sig")))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise UnreadableFile(f"{path}: {exc}") from exc
    except UnreadableFile as exc:
        raise UnreadableFile(f"{path}: {exc}") from None
    raise UnreadableFile(f"{path}: read {', '.join(SUFFIXES)} files, not {suffix or 'this'}")


def prepare(
    adapter: Adapter[Any],
    path_or_rows: Path | list[Row],
    defaults: Mapping[str, Any] | None = None,
    *,
    origins: Mapping[str, str] | None = None,
) -> Prepared:
    """Every row's statements; `RecordInvalid` names every problem (row, column) instead.

    `defaults` fill fields a row leaves empty (e.g. the course and session day of a list);
    `origins` names where a default came from (e.g. ``--course``), for the problems.
    """
    rows = read_rows(path_or_rows) if isinstance(path_or_rows, Path) else path_or_rows
    columns = _ColumnMap(adapter.record_type)
    problems = columns.check_headers(rows)
    prepared = Prepared(rows=len(rows))
    first_row: dict[str, tuple[int, dict[str, Any]]] = {}
    for row in rows:
        data, sources = columns.record_input(row) if row.tabular else (dict(row.values), {})
        for name, value in (defaults or {}).items():
            if name not in data:
                data[name] = value
                sources[name] = (origins or {}).get(name, name)
        try:
            statements = adapter.statements(adapter.record_type.model_validate(data))
        except ValidationError as error:
            problems += [_at_column(p, sources) for p in field_problems(error, row.number)]
            continue
        except RecordInvalid as invalid:
            problems += [Problem(p.location, p.message, row.number) for p in invalid.problems]
            continue
        if not statements:
            prepared.idle_rows.append(row.number)
        for statement in statements:
            seen = first_row.get(statement["id"])
            if seen is None:
                first_row[statement["id"]] = (row.number, statement)
                prepared.statements.append(statement)
            elif seen[1] == statement:
                prepared.duplicates += 1
            else:
                problems.append(
                    Problem(
                        "",
                        f"records the same {statement['verb']['id'].rsplit('/', 1)[-1]} event "
                        f"as row {seen[0]} (same person, activity and day), differently",
                        row.number,
                    )
                )
    if problems:
        raise RecordInvalid(_once_for_defaults(problems, set((origins or {}).values())))
    return prepared


def _once_for_defaults(problems: list[Problem], origins: set[str]) -> list[Problem]:
    """A default that is wrong is wrong on every row: say so once."""
    said: set[tuple[str, str]] = set()
    kept = []
    for problem in problems:
        if problem.location not in origins:
            kept.append(problem)
        elif (problem.location, problem.message) not in said:
            said.add((problem.location, problem.message))
            kept.append(Problem(problem.location, problem.message))
    return kept


class _ColumnMap:
    """How a file's columns map onto a record type's fields."""

    def __init__(self, record_type: type[Any]) -> None:
        fields = record_type.model_fields
        self.fields = set(fields)
        self.people = {name for name, info in fields.items() if _is_person(info.annotation)}
        self.aliases = {**COMMON_ALIASES, **getattr(record_type, "aliases", {})}

    def target(self, header: str) -> tuple[str, str | None] | None:
        """(field, person part) for a column, or None when it is not one of the record's."""
        key = self.aliases.get(_normal(header), _normal(header))
        if key in self.fields:
            return key, None
        for person in self.people:
            part = key.removeprefix(f"{person}_")
            if key.startswith(f"{person}_") and part in _PERSON_PARTS:
                return person, part
        if key in _PERSON_PARTS and "learner" in self.people:
            return "learner", key
        return None

    def check_headers(self, rows: list[Row]) -> list[Problem]:
        headers = {h for row in rows if row.tabular for h in row.values}
        unknown = sorted(h for h in headers if self.target(h) is None)
        known = ", ".join(
            f"{name} (or employee_id, email, name)"
            if name == "learner"
            else f"{name} (or {name}_employee_id, _email, _name)"
            if name in self.people
            else name
            for name in sorted(self.fields)
        )
        return [Problem(h, f"not a column of this list (columns: {known})", 1) for h in unknown]

    def record_input(self, row: Row) -> tuple[dict[str, Any], dict[str, str]]:
        data: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for header, value in row.values.items():
            target = self.target(header)
            if target is None or value is None or (isinstance(value, str) and not value.strip()):
                continue
            name, part = target
            if part is None:
                data[name] = value
                sources[name] = header
            elif isinstance(data.setdefault(name, {}), dict):
                data[name][part] = value
                sources[f"{name}.{part}"] = header
        return data, sources


def _at_column(problem: Problem, sources: Mapping[str, str]) -> Problem:
    location = problem.location
    for candidate in (location, location.split(".")[0]):
        if candidate in sources:
            return Problem(sources[candidate], problem.message, problem.row)
    return problem


def _is_person(annotation: Any) -> bool:
    if annotation is Person:
        return True
    return get_origin(annotation) in (Union, UnionType) and Person in get_args(annotation)


def _normal(header: str) -> str:
    text = unicodedata.normalize("NFC", header).strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


def _csv_rows(text: str) -> Iterator[Row]:
    if not text.strip():
        return
    try:
        dialect: Any = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:  # one column: no delimiter to find
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    for values in reader:  # line_num: the row as a spreadsheet numbers it, blank lines too
        if any((value or "").strip() for value in values.values() if isinstance(value, str)):
            yield Row(reader.line_num, {k: v for k, v in values.items() if k is not None})


def _xlsx_rows(path: Path) -> Iterator[Row]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise UnreadableFile(
            "reading .xlsx needs openpyxl: pip install 'kompetanse[xlsx]'"
        ) from None
    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UnreadableFile(f"not a readable .xlsx file: {exc}") from exc
    if sheet is None:
        return
    cells = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(cells, ())]
    for number, values in enumerate(cells, 2):
        if any(value not in (None, "") for value in values):
            yield Row(number, {h: _cell(x) for h, x in zip(header, values, strict=False) if h})


def _cell(value: Any) -> Any:
    """Numbers as text (an ident typed as a number stays an ident); dates stay dates."""
    if isinstance(value, bool | date) or value is None:
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_rows(data: Any) -> list[Row]:
    items = data if isinstance(data, list) else [data]
    if not all(isinstance(item, dict) for item in items):
        raise UnreadableFile("a .json file holds one object or an array of objects")
    return [Row(number, item, tabular=False) for number, item in enumerate(items, 1)]


def _json_lines(text: str) -> Iterator[Row]:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            item = json.loads(line)
            if not isinstance(item, dict):
                raise UnreadableFile(f"line {number}: not a JSON object")
            yield Row(number, item, tabular=False)
