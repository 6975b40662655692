"""Teachers get credit: the instructor, mentor or buddy named in statements sees the teaching in
their own record ("Jeg har lært bort", with hours), and so does their leader."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import pytest

from catalog._access import Viewer
from catalog.errors import Forbidden
from lrs.store import Database
from tests.catalog.projection import composed, post
from tests.catalog.test_load import write
from tests.catalog.test_projection import KARI, OLA, PACKAGE, people

pytestmark = pytest.mark.anyio
MENTORED = "http://id.tincanapi.com/verb/mentored"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
GUIDANCE = "https://kompetanse.nav.no/xapi/activities/kollegaveiledning/2026-11-10"
OLA_AGENT = {"mbox": "mailto:ola@nav.no", "name": "Ola"}


def guidance(actor: dict[str, str], verb: str, registration: str, **context: object) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": verb},
        "object": {
            "id": GUIDANCE,
            "definition": {"name": {"nb-NO": "Kollegaveiledning", "en-US": "Peer guidance"}},
        },
        "result": {"duration": "PT1H30M"},
        "context": {"registration": registration, **context},
        "timestamp": "2026-11-10T12:00:00.000Z",
    }


async def test_a_mentor_sees_what_they_taught_and_their_leader_does_too(
    database: Database, tmp_path: Path
) -> None:
    services = await composed(
        database, write(tmp_path / "catalog", package=PACKAGE), date(2026, 11, 23)
    )
    per = {**KARI, "employee_id": "C1", "name": "Per", "email": "per@nav.no"}
    await people(services, KARI, per, {**OLA, "office": "nav-frogner"})
    session = str(uuid.uuid4())
    await post(
        services,
        [
            guidance({"mbox": "mailto:kari@nav.no"}, ATTENDED, session, instructor=OLA_AGENT),
            guidance({"mbox": "mailto:per@nav.no"}, ATTENDED, session, instructor=OLA_AGENT),
            guidance(OLA_AGENT, MENTORED, session),  # the mentor's own statement, same session
        ],
    )
    reports = services.catalog.reports
    own = await reports.record(Viewer("ola", "learner", person="B1"), "B1")
    assert own["taught"] == [
        {
            "when": "2026-11-10",
            "activity": GUIDANCE,
            "name": {"nb-NO": "Kollegaveiledning", "en-US": "Peer guidance"},
            "hours": 1.5,
            "learners": 2,
        }
    ]
    assert own["taught_hours_this_year"] == 1.5  # one occasion, counted once
    leader = Viewer("lise", "leader", office="nav-frogner")
    assert (await reports.record(leader, "B1"))["taught"] == own["taught"]
    learner = await reports.record(Viewer("kari", "learner", person="A1"), "A1")
    assert learner["taught"] == []  # attending is not teaching
    with pytest.raises(Forbidden):
        await reports.record(Viewer("kari", "learner", person="A1"), "B1")
    with pytest.raises(Forbidden):
        await reports.record(Viewer("leo", "leader", office="nav-sagene"), "B1")


async def test_a_buddy_imported_after_the_statements_gets_the_credit(
    database: Database, tmp_path: Path
) -> None:
    services = await composed(
        database, write(tmp_path / "catalog", package=PACKAGE), date(2026, 11, 23)
    )
    buddy = {"account": {"homePage": "https://ident.nav.no", "name": "B1"}}
    statement = guidance(
        {"mbox": "mailto:kari@nav.no"}, ATTENDED, str(uuid.uuid4()), instructor=buddy
    )
    await post(services, [statement])
    await people(services, KARI, {**OLA, "identifiers": json.dumps([])})
    record = await services.catalog.reports.record(Viewer("ada", "admin"), "B1")
    assert [entry["learners"] for entry in record["taught"]] == [1]
