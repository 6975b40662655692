"""A county's sessions changed over /api, on every backend: PATCH changes one (seats added go to
the first waiting, fewer seats than enrolled refused), DELETE cancels one (its people
released), a person moved to another session; the drafts' problems field by field; the
denials (another county's coordinator, a leader, a learner)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from catalog._sessions import Session, SessionDraft, draft_problems
from kompetanse.settings import Settings
from tests.catalog.test_api import signed_in
from tests.catalog.test_api_views import TODAY, classroom_app

pytestmark = pytest.mark.anyio
MODULES = [("pakke", "samling")]
DAY = date(2027, 3, 8)  # a Monday


@pytest.mark.parametrize(
    ("draft", "existing", "problems"),
    [
        pytest.param(SessionDraft("pakke", "samling", DAY, 20), None, {}, id="fine"),
        pytest.param(
            SessionDraft("pakke", "e-laering", DAY, 20),
            None,
            {"module": "module_unknown"},
            id="not-a-classroom-module",
        ),
        pytest.param(
            SessionDraft("pakke", "samling", date(2026, 1, 5), 20),
            None,
            {"starts": "starts_past"},
            id="in-the-past",
        ),
        pytest.param(
            SessionDraft("pakke", "samling", DAY, 20, ends=DAY - timedelta(days=1)),
            None,
            {"ends": "ends_before_start"},
            id="ends-before-it-starts",
        ),
        pytest.param(
            SessionDraft("pakke", "samling", DAY, 20, ends=DAY + timedelta(days=40)),
            None,
            {"ends": "ends_too_far"},
            id="longer-than-a-month",
        ),
        pytest.param(
            SessionDraft("pakke", "samling", DAY, 20, days=(DAY + timedelta(days=1),)),
            None,
            {"days": "days_outside"},
            id="a-day-after-the-last",
        ),
        pytest.param(
            SessionDraft("pakke", "samling", DAY, 0, place="x" * 201),
            None,
            {"place": "place_too_long", "seats": "seats_too_few"},
            id="two-fields-at-once",
        ),
        pytest.param(
            SessionDraft("pakke", "samling", DAY, 1),
            Session("s", "pakke", "samling", "oslo", DAY, 3, ("a", "b")),
            {"seats": "seats_below_enrolled"},
            id="fewer-seats-than-enrolled",
        ),
        pytest.param(
            SessionDraft("andre", "samling", DAY, 3),
            Session("s", "pakke", "samling", "oslo", DAY, 3, (), ("a",)),
            {"module": "module_unknown"},
            id="unknown-module-of-a-session",
        ),
        pytest.param(
            SessionDraft("pakke", "samling", date(2026, 1, 5), 3),
            Session("s", "pakke", "samling", "oslo", date(2026, 1, 5), 3, ("a",)),
            {},
            id="a-started-session-keeps-its-first-day",
        ),
    ],
)
def test_draft_problems(
    draft: SessionDraft, existing: Session | None, problems: dict[str, str]
) -> None:
    assert draft_problems(draft, MODULES, date(2026, 12, 1), existing) == problems


def test_the_days_are_the_weekdays_between_the_first_and_the_last_unless_given() -> None:
    week = SessionDraft("pakke", "samling", DAY, 5, ends=DAY + timedelta(days=6))
    assert [d.isoformat() for d in week.meeting_days()] == [
        "2027-03-08",
        "2027-03-09",
        "2027-03-10",
        "2027-03-11",
        "2027-03-12",
    ]
    chosen = SessionDraft("pakke", "samling", DAY, 5, DAY + timedelta(days=2), (DAY, DAY))
    assert chosen.meeting_days() == (DAY,)


@pytest.fixture
async def app(settings: Settings, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with classroom_app(settings, tmp_path, "kim", "vera", "lise", "kari") as application:
        yield application


async def scheduled(app: FastAPI, seats: int, days: int = 30) -> str:
    kim = await signed_in(app, "kim")
    created = await kim.post(
        "/api/regions/oslo/sessions",
        json={
            "package": "pakke",
            "module": "samling",
            "starts": (TODAY + timedelta(days=days)).isoformat(),
            "seats": seats,
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def test_seats_added_go_to_the_first_waiting(app: FastAPI) -> None:
    session = await scheduled(app, seats=1)
    kim = await signed_in(app, "kim")
    for person in ("A1", "A2"):
        await kim.post(f"/api/sessions/{session}/enrolments", json={"person": person})
    fewer = await kim.patch(f"/api/sessions/{session}", json={"seats": 0})
    starts = (TODAY + timedelta(days=31)).isoformat()
    ends = (TODAY + timedelta(days=33)).isoformat()
    changed = await kim.patch(
        f"/api/sessions/{session}",
        json={"seats": 3, "place": "Fylkeshuset", "starts": starts, "ends": ends},
    )
    detail = (await kim.get(f"/api/sessions/{session}")).json()
    wrong = await kim.patch(f"/api/sessions/{session}", json={"ends": "2020-01-01"})
    not_json = await kim.patch(f"/api/sessions/{session}", json={"seats": "many"})
    assert fewer.status_code == 400 and fewer.json()["message"].startswith("seats:")
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["promoted"] == ["A2"]
    assert (body["session"]["enrolled"], body["session"]["waitlist"]) == (["A1", "A2"], [])
    assert (body["session"]["starts"], body["session"]["ends"]) == (starts, ends)
    assert len(body["session"]["days"]) >= 1  # the weekdays between, recomputed
    assert [(p["person"], p["seat"], p["office"]) for p in detail["people"]] == [
        ("A1", "enrolled", "nav-sagene"),
        ("A2", "enrolled", "nav-sagene"),
    ]
    assert detail["place"] == "Fylkeshuset"
    assert wrong.status_code == 400 and wrong.json()["message"].startswith("ends:")
    assert not_json.status_code == 400


async def test_cancelling_releases_and_moving_frees_the_old_seat(app: FastAPI) -> None:
    first, second = await scheduled(app, seats=1), await scheduled(app, seats=1, days=40)
    kim = await signed_in(app, "kim")
    for person in ("A1", "A2"):
        await kim.post(f"/api/sessions/{first}/enrolments", json={"person": person})
    moved = await kim.post(f"/api/sessions/{first}/enrolments/A1/move", json={"to": second})
    assert moved.json() == {"result": "enrolled", "promoted": "A2"}
    again = await kim.post(f"/api/sessions/{first}/enrolments/A1/move", json={"to": second})
    assert again.status_code == 404  # no longer in the first
    itself = await kim.post(f"/api/sessions/{second}/enrolments/A1/move", json={"to": second})
    assert itself.status_code == 400
    cancelled = await kim.delete(f"/api/sessions/{first}")
    assert cancelled.json() == {"result": "cancelled", "released": ["A2"]}
    sessions = (await kim.get("/api/regions/oslo/sessions")).json()
    assert [s["id"] for s in sessions] == [second]
    late = await kim.post(f"/api/sessions/{first}/enrolments", json={"person": "A2"})
    assert late.status_code == 409
    into = await kim.post(f"/api/sessions/{second}/enrolments/A1/move", json={"to": first})
    assert into.status_code == 409
    pipeline = (await kim.get("/api/regions/oslo/pipeline")).json()
    rows = {r["person"]: r for m in pipeline["modules"] for r in (*m["at_risk"], *m["placed"])}
    assert rows["A2"]["released_from"] == (TODAY + timedelta(days=30)).isoformat()
    assert rows["A1"]["booked"] == second and rows["A1"]["office"] == "nav-sagene"


async def test_only_the_countys_coordinator_changes_its_sessions(app: FastAPI) -> None:
    session, other = await scheduled(app, seats=2), await scheduled(app, seats=2, days=40)
    kim = await signed_in(app, "kim")
    await kim.post(f"/api/sessions/{session}/enrolments", json={"person": "A2"})
    for username in ("vera", "lise", "kari"):
        http = await signed_in(app, username)
        answers = [
            await http.get(f"/api/sessions/{session}"),
            await http.patch(f"/api/sessions/{session}", json={"seats": 9}),
            await http.delete(f"/api/sessions/{session}"),
            await http.post(f"/api/sessions/{session}/enrolments/A2/move", json={"to": other}),
        ]
        assert [a.status_code for a in answers] == [403, 403, 403, 403], username
    detail = (await kim.get(f"/api/sessions/{session}")).json()
    assert (detail["seats"], detail["enrolled"], detail["cancelled"]) == (2, 1, False)


async def test_a_session_is_scheduled_with_every_field_over_the_api(app: FastAPI) -> None:
    kim = await signed_in(app, "kim")
    first = TODAY + timedelta(days=40)
    days = [first.isoformat(), (first + timedelta(days=2)).isoformat()]
    created = await kim.post(
        "/api/regions/oslo/sessions",
        json={
            "package": "pakke",
            "module": "samling",
            "starts": days[0],
            "ends": days[1],
            "days": days,
            "place": " Fylkeshuset, sal 2 ",
            "instructors": ["A1"],
            "seats": 12,
        },
    )
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["days"] == days and session["ends"] == days[1]
    assert session["place"] == "Fylkeshuset, sal 2" and session["instructors"] == ["A1"]
    stored = (await kim.get(f"/api/sessions/{session['id']}")).json()
    assert stored["place"] == "Fylkeshuset, sal 2"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        pytest.param(
            {"package": "pakke", "module": "samling", "seats": 3}, "starts", id="no-start"
        ),
        pytest.param(
            {
                "package": "pakke",
                "module": "samling",
                "starts": "2027-03-01",
                "seats": 3,
                "ends": "2027-02-01",
            },
            "ends",
            id="ends-before-start",
        ),
        pytest.param(
            {
                "package": "pakke",
                "module": "samling",
                "starts": "2027-03-01",
                "seats": 3,
                "instructors": "A1",
            },
            "instructors",
            id="instructors-not-a-list",
        ),
        pytest.param(
            {
                "package": "pakke",
                "module": "samling",
                "starts": "2027-03-01",
                "seats": 3,
                "instructors": ["X9"],
            },
            "instructors",
            id="instructor-not-of-the-county",
        ),
    ],
)
async def test_a_new_session_is_refused_naming_the_field(
    app: FastAPI, body: dict[str, object], path: str
) -> None:
    kim = await signed_in(app, "kim")
    refused = await kim.post("/api/regions/oslo/sessions", json=body)
    assert refused.status_code == 400, refused.text
    assert refused.json()["path"] == path
