"""People from an HR export, and the completion projection: incremental equals rebuilt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalog._people import read_export
from catalog._store import CatalogStore

pytestmark = pytest.mark.anyio
HEADER = "employee_id,name,email,office,region,roles,employer,start_date\n"
ROWS = (
    "A123456,Kari Nordmann,kari@nav.no,nav-grunerlokka,oslo,veileder-oppfolging,state,2026-09-01\n"
    "B234567,Ola Nordmann,ola@nav.no,nav-grunerlokka,oslo,leder;fadder,municipal,2025-01-15\n"
)


def export(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "hr.csv"
    path.write_text(HEADER + body, "utf-8")
    return path


@pytest.fixture
async def store(database: Any) -> CatalogStore:
    catalog_store = CatalogStore(database)
    await catalog_store.create_indexes()
    return catalog_store


def test_export_rows_are_validated_with_row_and_column(tmp_path: Path) -> None:
    body = ROWS + "C1,Per,not-an-email,nav-x,oslo,,state,2026-01-01\n" + ROWS.splitlines()[0] + "\n"
    parsed = read_export(export(tmp_path, body))
    assert [r.employee_id for r in parsed.records] == ["A123456", "B234567"]
    assert [str(p) for p in parsed.problems] == [
        "row 4, email: String should match pattern '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'",
        "row 5, employee_id: A123456 is also on row 2",
    ]


def test_roles_split_and_personas_hold_every_identifier(tmp_path: Path) -> None:
    [_, ola] = read_export(export(tmp_path, ROWS)).records
    assert ola.roles == ["leder", "fadder"]
    assert ola.identifier_keys() == [
        "account|https://ident.nav.no|B234567",
        "mbox|mailto:ola@nav.no",
    ]


async def test_reimport_updates_and_never_duplicates(store: CatalogStore, tmp_path: Path) -> None:
    records = read_export(export(tmp_path, ROWS)).records
    first = await store.import_people(records)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    moved = read_export(
        export(tmp_path, ROWS.replace("nav-grunerlokka,oslo,leder", "nav-sagene,oslo,leder"))
    ).records
    second = await store.import_people(moved)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert await store.people.count_documents({}) == 2
    assert (await store.person("B234567")).office == "nav-sagene"  # type: ignore[union-attr]
