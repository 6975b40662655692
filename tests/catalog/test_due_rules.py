"""Due dates counted from an office's opening and from the assignment (the import that put the
person in the audience); the due-soon window is configurable."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from catalog._access import Viewer
from catalog._people import parse_rows
from lrs.store import EmbeddedClient
from tests.catalog.projection import composed
from tests.catalog.test_load import PACKAGE, write

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 23)
ADMIN = Viewer("ada", "admin")
ROW = {
    "employee_id": "A1",
    "name": "Kari",
    "email": "kari@nav.no",
    "office": "nav-nytt",
    "region": "oslo",
    "roles": "leder",
    "employer": "state",
    "start_date": "2020-01-01",
}


async def requirement(
    tmp_path: Path, due: str, row: dict[str, str], **reports: Any
) -> dict[str, object]:
    write(tmp_path / "catalog", package=PACKAGE + due)
    client = EmbeddedClient(tmp_path / "data")
    try:
        services = await composed(client["k"], tmp_path / "catalog", TODAY, **reports)
        await services.catalog.import_people(parse_rows(iter([row])).records)
        [found] = await services.catalog.reports.requirements(ADMIN, "A1")
        return {"due": found.due, "status": found.status}
    finally:
        await client.aclose()


async def test_due_before_the_office_opens(tmp_path: Path) -> None:
    row = {**ROW, "office_opening": "2027-01-15"}
    found = await requirement(tmp_path, "due: {relative_to: office_opening, period: P1W}\n", row)
    assert found["due"] == "2027-01-08"


async def test_due_after_assignment(tmp_path: Path) -> None:
    found = await requirement(tmp_path, "due: {relative_to: assignment, period: P3M}\n", ROW)
    assert found["due"] == "2027-02-23"  # assigned at the import, 2026-11-23


async def test_due_soon_window_is_configurable(tmp_path: Path) -> None:
    due = "due: {relative_to: assignment, period: P2M}\n"
    assert (await requirement(tmp_path / "a", due, ROW))["status"] == "not_started"
    wide = await requirement(tmp_path / "b", due, ROW, due_soon_days=70)
    assert wide["status"] == "due_soon"
