"""Compliance per package: completed within the deadline, late, on track, overdue and exempt,
by office, county and nation; in the API as JSON, CSV and XLSX; denied outside one's unit."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from catalog._access import Viewer
from catalog.errors import Forbidden
from lrs.store import Database
from tests.catalog.projection import composed, post
from tests.catalog.test_api import ACTIVITY, app, signed_in  # noqa: F401 - the app fixture
from tests.catalog.test_load import write
from tests.catalog.test_projection import ATTENDED, KARI, PACKAGE, people, statement

pytestmark = pytest.mark.anyio
TODAY = date(2026, 11, 23)


async def test_each_person_counts_once_where_they_stand(database: Database, tmp_path: Path) -> None:
    services = await composed(database, write(tmp_path / "catalog", package=PACKAGE), TODAY)
    rows = [
        KARI,  # started 01.09.2026, due 01.03.2027, completes now: on time
        {**KARI, "employee_id": "B1", "email": "ola@nav.no", "start_date": "2025-01-01"},
        {**KARI, "employee_id": "C1", "email": "per@nav.no", "start_date": "2026-01-01"},
        {**KARI, "employee_id": "D1", "email": "siv@nav.no", "start_date": "2026-10-01"},
        {**KARI, "employee_id": "E1", "email": "eva@nav.no", "office": "nav-frogner"},
        {
            **KARI,
            "employee_id": "F1",
            "email": "fia@nav.no",
            "region": "vestland",
            "office": "nav-bergenhus",
        },
    ]
    await people(services, *rows)
    for mail in ("kari@nav.no", "per@nav.no"):
        await post(services, [statement(mail, "e-laering"), statement(mail, "samling", ATTENDED)])
    admin = Viewer("ada", "admin")
    await services.catalog.commands.exempt(admin, "E1", "pakke", "Har tilsvarende kurs")
    found = await services.catalog.reports.compliance(admin)
    by_unit = {(r["level"], r["unit"]): r for r in found}
    sagene = by_unit[("office", "nav-sagene")]
    assert {
        k: sagene[k]
        for k in (
            "measured",
            "completed_on_time",
            "completed_late",
            "on_track",
            "overdue",
            "exempt",
        )
    } == {
        "measured": 4,
        "completed_on_time": 1,  # Kari
        "completed_late": 1,  # Per: due 01.07.2026, done in November
        "on_track": 1,  # Siv
        "overdue": 1,  # Ola
        "exempt": 0,
    }
    assert sagene["overdue_share"] == 0.25
    assert by_unit[("office", "nav-frogner")]["exempt"] == 1
    assert by_unit[("county", "oslo")]["measured"] == 5
    assert by_unit[("nation", "")]["measured"] == 6
    county = await services.catalog.reports.compliance(
        Viewer("kim", "coordinator", region="oslo"), region="oslo"
    )
    assert {r["unit"] for r in county} == {"oslo", "nav-sagene", "nav-frogner"}
    with pytest.raises(Forbidden):
        await services.catalog.reports.compliance(
            Viewer("kim", "coordinator", region="oslo"), region="vestland"
        )
    with pytest.raises(Forbidden):
        await services.catalog.reports.compliance(Viewer("lise", "leader", office="nav-sagene"))
    with pytest.raises(Forbidden):
        await services.catalog.reports.compliance(
            Viewer("lise", "leader", office="nav-sagene"), office="nav-frogner"
        )
    mine = await services.catalog.reports.compliance(
        Viewer("lise", "leader", office="nav-sagene"), office="nav-sagene"
    )
    assert [(r["level"], r["unit"]) for r in mine] == [("office", "nav-sagene")]


async def test_compliance_exports_as_csv_and_xlsx(app: FastAPI, client: httpx.AsyncClient) -> None:  # noqa: F811
    from tests.catalog.test_api import PEOPLE

    admin = await signed_in(app, "admin")
    await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    done = {
        "actor": {"mbox": "mailto:kari@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": ACTIVITY},
    }
    assert (await client.post("/xapi/statements", json=done)).status_code == 200
    response = await admin.get("/api/compliance?format=csv")
    assert response.status_code == 200
    assert "etterlevelse-nasjonalt.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    nation = next(r for r in rows if r["level"] == "nation")
    assert (
        nation["package_name"],
        nation["measured"],
        nation["completed_on_time"],
        nation["on_track"],
    ) == ("Pakke", "2", "1", "1")
    workbook = await admin.get("/api/compliance?region=oslo&format=xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None and sheet["A1"].value == "level"
    lise = await signed_in(app, "lise")
    assert (await lise.get("/api/compliance?office=nav-sagene")).status_code == 200
    denied = await lise.get("/api/compliance?office=nav-frogner")
    assert denied.status_code == 403
    assert (await lise.get("/api/compliance")).status_code == 403
    kari = await signed_in(app, "kari")
    assert (await kari.get("/api/compliance?office=nav-sagene")).status_code == 403
    assert (await admin.get("/api/compliance?office=nav-nowhere")).status_code == 404
