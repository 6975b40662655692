"""Reports through the service: what each role sees, and every denial."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from catalog._access import Viewer
from catalog._people import parse_rows
from catalog._reports import Reports
from catalog.errors import Forbidden, NotFound
from tests.catalog.projection import composed, post
from tests.catalog.test_load import write

pytestmark = pytest.mark.anyio
ACTIVITY = "https://kompetanse.nav.no/xapi/activities/pakke/modul"
PEOPLE = [
    {
        "employee_id": "A1",
        "name": "Kari",
        "email": "kari@nav.no",
        "office": "nav-sagene",
        "region": "oslo",
        "roles": "leder",
        "employer": "state",
        "start_date": "2026-09-01",
    },
    {
        "employee_id": "A2",
        "name": "Ola",
        "email": "ola@nav.no",
        "office": "nav-sagene",
        "region": "oslo",
        "roles": "",
        "employer": "state",
        "start_date": "2026-09-01",
    },
    {
        "employee_id": "B1",
        "name": "Per",
        "email": "per@nav.no",
        "office": "nav-frogner",
        "region": "oslo",
        "roles": "leder",
        "employer": "municipal",
        "start_date": "2020-01-01",
    },
    {
        "employee_id": "C1",
        "name": "Siv",
        "email": "siv@nav.no",
        "office": "nav-bergenhus",
        "region": "vestland",
        "roles": "leder",
        "employer": "state",
        "start_date": "2020-01-01",
    },
]


@pytest.fixture
async def reports(tmp_path: Path, database: Any) -> Reports:
    services = await composed(database, write(tmp_path / "catalog"), date(2026, 11, 23))
    await services.catalog.import_people(parse_rows(iter(PEOPLE)).records)
    done = {
        "actor": {"mbox": "mailto:kari@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": ACTIVITY},
        "timestamp": "2026-11-01T10:00:00.000Z",
    }
    await post(services, [done])
    return services.catalog.reports


async def test_learner_sees_own_requirements(reports: Reports) -> None:
    [requirement] = await reports.requirements(Viewer("kari", "learner", person="A1"), "A1")
    assert (requirement.package_id, requirement.priority, requirement.status) == (
        "pakke",
        "skal",
        "completed",
    )


async def test_leader_matrix_of_own_office(reports: Reports) -> None:
    leader = Viewer("kari", "leader", person="A1", office="nav-sagene")
    table = await reports.office_matrix(leader, "nav-sagene")
    assert table.columns == ["pakke"]
    assert [(r.person, r.statuses) for r in table.rows] == [
        ("A1", {"pakke": "completed"}),
        ("A2", {}),
    ]


async def test_county_overview(reports: Reports) -> None:
    offices = await reports.region_offices(Viewer("kim", "coordinator", region="oslo"), "oslo")
    assert [(o["office"], o["people"]) for o in offices] == [("nav-frogner", 1), ("nav-sagene", 2)]


@pytest.mark.parametrize(
    ("viewer", "call"),
    [
        pytest.param(
            Viewer("ola", "learner", person="A2"),
            ("requirements", "A1"),
            id="learner-reads-colleague",
        ),
        pytest.param(
            Viewer("kari", "leader", person="A1", office="nav-sagene"),
            ("office_matrix", "nav-frogner"),
            id="leader-reads-other-office",
        ),
        pytest.param(
            Viewer("kari", "leader", person="A1", office="nav-sagene"),
            ("requirements", "B1"),
            id="leader-reads-other-office-person",
        ),
        pytest.param(
            Viewer("kim", "coordinator", region="oslo"),
            ("region_offices", "vestland"),
            id="county-reads-other-county",
        ),
        pytest.param(
            Viewer("kim", "coordinator", region="oslo"),
            ("requirements", "C1"),
            id="county-reads-other-county-person",
        ),
    ],
)
async def test_denials(reports: Reports, viewer: Viewer, call: tuple[str, str]) -> None:
    method, argument = call
    with pytest.raises(Forbidden):
        await getattr(reports, method)(viewer, argument)


async def test_unknown_people_and_offices(reports: Reports) -> None:
    directorate = Viewer("dina", "directorate")
    with pytest.raises(NotFound):
        await reports.requirements(directorate, "Z9")
    with pytest.raises(NotFound):
        await reports.office_matrix(directorate, "nav-nowhere")
