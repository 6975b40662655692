"""People and organisation: regions (counties) -> offices -> people, read from an HR export.

Each person carries every xAPI identifier that may name them (their persona): an account with
the employee ident, their e-mail as an mbox, and any others the export lists. A statement from
any platform then counts for the right person.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lrs.errors import StatementInvalid
from lrs.model import validate_agent
from lrs.store import ifi_key

IDENT_HOME_PAGE = "https://ident.nav.no"
COLUMNS = (
    "employee_id",
    "name",
    "email",
    "office",
    "office_name",
    "region",
    "region_name",
    "roles",
    "employer",
    "start_date",
    "identifiers",
    "office_opening",
)
REQUIRED = ("employee_id", "name", "email", "office", "region", "employer", "start_date")
DATE_FORMATS = "dd.mm.yyyy or yyyy-mm-dd"
_NORWEGIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Slug = str


class PersonRecord(BaseModel):
    """One row of the HR export."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    employee_id: str = Field(pattern=r"^[A-Za-z0-9]{1,20}$")
    name: str = Field(min_length=1)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    office: Slug = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    office_name: str = ""
    region: Slug = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    region_name: str = ""
    roles: list[Slug] = []
    employer: Literal["state", "municipal"]
    start_date: date
    identifiers: list[dict[str, Any]] = []  # further xAPI agents (JSON) that name this person
    office_opening: date | None = None  # for a new office: the day it opens

    @field_validator("roles", mode="before")
    @classmethod
    def _split_roles(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(",", ";").split(";") if part.strip()]
        return value

    @field_validator("start_date", "office_opening", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        """A date written dd.mm.yyyy (as Norwegian HR exports do) or yyyy-mm-dd, nothing else."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        norwegian = _NORWEGIAN_DATE.match(text)
        try:
            if norwegian:
                day, month, year = (int(part) for part in norwegian.groups())
                return date(year, month, day)
            if _ISO_DATE.match(text):
                return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a day of the calendar ({exc})") from exc
        raise ValueError(f"a date as {DATE_FORMATS}, not {text!r}")

    @field_validator("identifiers", mode="before")
    @classmethod
    def _parse_identifiers(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return json.loads(value) if value.strip() else []
            except (ValueError, RecursionError) as exc:
                raise ValueError(f"a JSON array of xAPI agents, but not JSON: {exc}") from exc
        return value

    @field_validator("identifiers")
    @classmethod
    def _valid_agents(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for index, agent in enumerate(value):
            try:
                validate_agent(agent, version="2.0.0", path=f"identifiers[{index}]")
            except StatementInvalid as exc:
                raise ValueError(exc.message) from exc
        return value

    def agents(self) -> list[dict[str, Any]]:
        """Every xAPI agent that names this person."""
        return [
            {"account": {"homePage": IDENT_HOME_PAGE, "name": self.employee_id}},
            {"mbox": f"mailto:{self.email.lower()}"},
            *self.identifiers,
        ]

    def identifier_keys(self) -> list[str]:
        return sorted({key for key in map(ifi_key, self.agents()) if key is not None})

    def fingerprint(self) -> str:
        """Changes when anything in the record changes (re-imports update only what changed)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()


@dataclass(frozen=True)
class RowProblem:
    row: int  # 1-based, the header being row 1
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass(frozen=True)
class ParsedExport:
    records: list[PersonRecord]
    problems: list[RowProblem]
    rows: list[int] | None = None  # each record's row number (as in the problems)

    def row_of(self, index: int) -> int:
        return self.rows[index] if self.rows is not None else index + 2


def read_export(path: Path) -> ParsedExport:
    """Every row of a CSV or XLSX HR export, validated; problems name row and column."""
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    return parse_rows(rows)


def parse_rows(rows: Iterator[dict[str, str]]) -> ParsedExport:
    """Every row validated; every problem of every row reported (each column's), the header
    being row 1. A row with any problem gives no record."""
    records: list[PersonRecord] = []
    numbers: list[int] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        found = [
            RowProblem(number, str(column), "not a column of the export")
            for column in sorted(set(row) - set(COLUMNS), key=str)
        ]
        values = {k: v for k, v in row.items() if k in COLUMNS and v not in (None, "")}
        missing = [column for column in REQUIRED if column not in values]
        found += [RowProblem(number, column, "required, but empty") for column in missing]
        record = None
        try:
            record = PersonRecord.model_validate(values)
        except ValidationError as error:
            for detail in error.errors():
                column = str(detail["loc"][0]) if detail["loc"] else "row"
                if detail["type"] == "missing" and column in missing:
                    continue  # reported above
                message = detail["msg"].removeprefix("Value error, ")
                found.append(RowProblem(number, column, message))
        if found or record is None:
            problems += found
            continue
        if record.employee_id in seen:
            problems.append(
                RowProblem(
                    number,
                    "employee_id",
                    f"{record.employee_id} is also on row {seen[record.employee_id]}",
                )
            )
            continue
        seen[record.employee_id] = number
        records.append(record)
        numbers.append(number)
    return ParsedExport(records, problems, numbers)


def check_known(
    parsed: ParsedExport,
    roles: Collection[str],
    offices: Collection[str],
    *,
    accept_new_offices: bool = False,
) -> list[RowProblem]:
    """Each role a record names must be in the catalog (`roles.yaml`), and each office already
    known, unless new offices are accepted deliberately (they are then created)."""
    problems: list[RowProblem] = []
    for index, record in enumerate(parsed.records):
        row = parsed.row_of(index)
        for role in record.roles:
            if role not in roles:
                problems.append(
                    RowProblem(row, "roles", f"no role {role!r} in the catalog (roles.yaml)")
                )
        if not accept_new_offices and record.office not in offices:
            problems.append(
                RowProblem(
                    row,
                    "office",
                    f"no office {record.office!r} is known; to create it, import with new"
                    " offices accepted (--accept-new-offices, accept_new_offices=true)",
                )
            )
    return problems


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    text = path.read_text("utf-8-sig")
    yield from csv.DictReader(io.StringIO(text), delimiter=_delimiter(text))


def _delimiter(text: str) -> str:
    """The header line decides: the one of `,`, `;` and tab it holds most (column names hold
    none of them); the cells below may hold any, quoted."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _xlsx_rows(path: Path) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True, data_only=True).active
    if sheet is None:
        return
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    for values in rows:
        if all(value in (None, "") for value in values):
            continue
        yield {name: _cell(value) for name, value in zip(header, values, strict=False) if name}


def _cell(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()[:10]
    return "" if value is None else str(value)
