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
from collections.abc import Iterator
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

    @field_validator("identifiers", mode="before")
    @classmethod
    def _parse_identifiers(cls, value: object) -> object:
        if isinstance(value, str):
            return json.loads(value) if value.strip() else []
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


def read_export(path: Path) -> ParsedExport:
    """Every row of a CSV or XLSX HR export, validated; problems name row and column."""
    rows = _xlsx_rows(path) if path.suffix.lower() == ".xlsx" else _csv_rows(path)
    return parse_rows(rows)


def parse_rows(rows: Iterator[dict[str, str]]) -> ParsedExport:
    records: list[PersonRecord] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        unknown = sorted(set(row) - set(COLUMNS))
        if unknown:
            problems.append(RowProblem(number, unknown[0], "not a column of the export"))
            continue
        values = {k: v for k, v in row.items() if v not in (None, "")}
        missing = [column for column in REQUIRED if column not in values]
        if missing:
            problems.append(RowProblem(number, missing[0], "required, but empty"))
            continue
        try:
            record = PersonRecord.model_validate(values)
        except ValidationError as error:
            first = error.errors()[0]
            column = str(first["loc"][0]) if first["loc"] else "row"
            problems.append(RowProblem(number, column, first["msg"].removeprefix("Value error, ")))
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
    return ParsedExport(records, problems)


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    text = path.read_text("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    yield from csv.DictReader(io.StringIO(text), dialect=dialect)


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
