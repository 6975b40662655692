"""A learner signs up for a classroom session and cancels, over HTTP; a seat freed goes to the
first on the waitlist; the denials (someone else, another county, another's seat) and bad
input."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from kompetanse.settings import Settings
from tests.catalog.test_api import signed_in
from tests.catalog.test_api_views import BASE, TODAY, classroom_app

pytestmark = pytest.mark.anyio


@pytest.fixture
async def app(settings: Settings, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with classroom_app(
        settings, tmp_path, "kim", "vera", "lise", "kari", "ola", "siv"
    ) as application:
        yield application


async def session_in(app: FastAPI, coordinator: str, region: str, seats: int = 1) -> str:
    http = await signed_in(app, coordinator)
    created = await http.post(
        f"/api/regions/{region}/sessions",
        json={
            "package": "pakke",
            "module": "samling",
            "starts": (TODAY + timedelta(days=30)).isoformat(),
            "seats": seats,
        },
    )
    assert created.status_code == 201, created.text
    return str(created.json()["id"])


async def counts(app: FastAPI) -> tuple[int, int]:
    [session] = (await (await signed_in(app, "kim")).get("/api/regions/oslo/sessions")).json()
    return session["enrolled"], session["waitlist"]


async def booked(http: httpx.AsyncClient) -> list[dict[str, object]]:
    [requirement] = (await http.get("/api/me/requirements")).json()
    [samling] = requirement["next_sessions"]
    return list(samling["booked"])


async def test_a_learner_signs_up_and_cancels_and_the_waitlist_moves_up(app: FastAPI) -> None:
    session = await session_in(app, "kim", "oslo", seats=1)
    kari, ola = await signed_in(app, "kari"), await signed_in(app, "ola")
    [open_session] = (await booked_or_upcoming(kari))["upcoming"]
    assert (open_session["id"], open_session["meets"], open_session["full"]) == (
        session,
        False,  # Kari's deadline is in about ten days; the session is in thirty
        False,
    )
    seat = await kari.post(f"/api/sessions/{session}/enrolments")
    assert seat.json() == {"result": "enrolled"}, seat.text
    again = await kari.post(f"/api/sessions/{session}/enrolments", json={})
    assert again.json() == {"result": "enrolled"}  # idempotent
    waiting = await ola.post(f"/api/sessions/{session}/enrolments", json={"person": "A2"})
    assert waiting.json() == {"result": "waitlisted"}
    assert await counts(app) == (1, 1)
    [mine] = await booked(ola)
    assert mine["waitlisted"] is True
    cancelled = await kari.delete(f"/api/sessions/{session}/enrolments/A1")
    assert cancelled.json() == {"result": "cancelled", "promoted": "A2"}
    assert await counts(app) == (1, 0)
    [mine] = await booked(ola)
    assert mine["waitlisted"] is False
    assert await booked(kari) == []
    gone = await kari.delete(f"/api/sessions/{session}/enrolments/A1")
    assert gone.status_code == 404


async def booked_or_upcoming(http: httpx.AsyncClient) -> dict[str, list[dict[str, object]]]:
    [requirement] = (await http.get("/api/me/requirements")).json()
    [samling] = requirement["next_sessions"]
    return dict(samling)


async def test_a_learner_is_refused_what_is_not_hers(app: FastAPI) -> None:
    oslo = await session_in(app, "kim", "oslo", seats=5)
    vestland = await session_in(app, "vera", "vestland", seats=5)
    kari, siv = await signed_in(app, "kari"), await signed_in(app, "siv")
    someone_else = await kari.post(f"/api/sessions/{oslo}/enrolments", json={"person": "A2"})
    assert someone_else.status_code == 403
    stranger = await kari.post(f"/api/sessions/{oslo}/enrolments", json={"person": "C1"})
    assert stranger.status_code == 403  # the same answer for one outside her unit
    other_county = await kari.post(f"/api/sessions/{vestland}/enrolments")
    assert other_county.status_code == 403
    assert "another county" in other_county.json()["message"]
    lise = await signed_in(app, "lise")
    assert (await lise.post(f"/api/sessions/{oslo}/enrolments", json={"person": "A2"})).json() == {
        "result": "enrolled"
    }
    not_mine = await kari.delete(f"/api/sessions/{oslo}/enrolments/A2")
    assert not_mine.status_code == 403
    assert await counts(app) == (1, 0)
    other_leader = await siv.delete(f"/api/sessions/{oslo}/enrolments/A2")
    assert other_leader.status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        pytest.param({"person": 7}, 400, "person", id="person-not-a-string"),
        pytest.param([], 400, "object", id="not-an-object"),
    ],
)
async def test_bad_enrolments_are_refused(
    app: FastAPI, body: object, status: int, fragment: str
) -> None:
    session = await session_in(app, "kim", "oslo")
    kari = await signed_in(app, "kari")
    response = await kari.post(f"/api/sessions/{session}/enrolments", json=body)
    assert response.status_code == status
    assert fragment in response.json()["message"]
    unknown = await kari.post("/api/sessions/no-such-session/enrolments")
    assert unknown.status_code == 404


async def test_no_seat_in_a_module_already_completed(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    done = {
        "actor": {"mbox": "mailto:ola@nav.no"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {"id": f"{BASE}/samling"},
    }
    assert (await client.post("/xapi/statements", json=done)).status_code == 200
    session = await session_in(app, "kim", "oslo")
    ola, lise = await signed_in(app, "ola"), await signed_in(app, "lise")
    mine = await ola.post(f"/api/sessions/{session}/enrolments")
    assert mine.status_code == 409 and "completed" in mine.json()["message"]
    theirs = await lise.post(f"/api/sessions/{session}/enrolments", json={"person": "A2"})
    assert theirs.status_code == 409
    assert await counts(app) == (0, 0)
