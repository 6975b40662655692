"""Exemptions through HTTP: granted and revoked with a reason, kept as a history (who, when,
why), with the denials and the bad input."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.catalog.test_api import PEOPLE, app, signed_in

__all__ = ["app"]  # the fixture, shared with test_api
pytestmark = pytest.mark.anyio
GRANT = {"package": "pakke", "reason": "Har tilsvarende kurs fra kommunen"}


async def status_of(http: httpx.AsyncClient, person: str) -> str:
    [row] = (await http.get(f"/api/people/{person}/requirements")).json()
    return str(row["status"])


async def revoke(http: httpx.AsyncClient, person: str, package: str, body: Any) -> httpx.Response:
    return await http.request("DELETE", f"/api/people/{person}/exemptions/{package}", json=body)


@pytest.fixture
async def lise(app: FastAPI) -> httpx.AsyncClient:
    admin = await signed_in(app, "admin")
    assert (
        await admin.post("/api/people", params={"accept_new_offices": "true"}, json=PEOPLE)
    ).status_code == 200
    return await signed_in(app, "lise")  # the leader of nav-sagene, Kari's office


async def test_grant_and_revoke_keep_who_when_and_why(
    app: FastAPI, lise: httpx.AsyncClient
) -> None:
    assert (await lise.post("/api/people/A1/exemptions", json=GRANT)).status_code == 204
    assert await status_of(lise, "A1") == "waived"
    revoked = await revoke(lise, "A1", "pakke", {"reason": "Kurset dekket ikke veiledning"})
    assert revoked.status_code == 204, revoked.text
    assert await status_of(lise, "A1") == "not_started"  # the kept status is recomputed

    kari = await signed_in(app, "kari")  # the person sees their own history
    answer = await kari.get("/api/people/A1/exemptions")
    assert answer.status_code == 200
    found = answer.json()
    assert (found["person"], found["active"]) == ("A1", [])
    assert [(e["action"], e["by"], e["reason"]) for e in found["history"]] == [
        ("grant", "lise", "Har tilsvarende kurs fra kommunen"),
        ("revoke", "lise", "Kurset dekket ikke veiledning"),
    ]
    assert found["history"][0]["at"] <= found["history"][1]["at"]
    assert found["history"][0]["at"].endswith("+00:00")  # UTC

    again = await lise.post("/api/people/A1/exemptions", json=GRANT)
    assert again.status_code == 204
    history = (await lise.get("/api/people/A1/exemptions")).json()
    assert history["active"] == ["pakke"]
    assert [e["action"] for e in history["history"]] == ["grant", "revoke", "grant"]


async def test_exemptions_granted_before_the_history_are_kept(
    app: FastAPI, lise: httpx.AsyncClient
) -> None:
    legacy = app.state.services.database["exemptions"]  # as earlier versions wrote them
    await legacy.insert_one(
        {
            "_id": "A1|pakke",
            "person": "A1",
            "package": "pakke",
            "reason": "Fritatt i fjor",
            "granted_by": "gammel-leder",
            "granted_at": "2025-03-01T10:00:00+00:00",
        }
    )
    await app.state.catalog.people_changed(["A1"])
    assert await status_of(lise, "A1") == "waived"
    history = (await lise.get("/api/people/A1/exemptions")).json()
    assert history["history"] == [
        {
            "package": "pakke",
            "action": "grant",
            "reason": "Fritatt i fjor",
            "by": "gammel-leder",
            "at": "2025-03-01T10:00:00+00:00",
        }
    ]
    assert (await revoke(lise, "A1", "pakke", {"reason": "Ny vurdering"})).status_code == 204
    assert await status_of(lise, "A1") == "not_started"
    assert (await lise.get("/api/people/A1/exemptions")).json()["active"] == []


@pytest.mark.parametrize(
    ("username", "person"),
    [
        pytest.param("kari", "A1", id="learner-themselves"),
        pytest.param("per", "A1", id="leader-of-another-office"),
    ],
)
async def test_only_their_leader_may_exempt_or_revoke(
    app: FastAPI, lise: httpx.AsyncClient, username: str, person: str
) -> None:
    http = await signed_in(app, username)
    granted = await http.post(f"/api/people/{person}/exemptions", json=GRANT)
    assert granted.status_code == 403
    assert "only their leader may exempt" in granted.json()["message"]
    assert (await lise.post(f"/api/people/{person}/exemptions", json=GRANT)).status_code == 204
    revoked = await revoke(http, person, "pakke", {"reason": "Nei"})
    assert revoked.status_code == 403
    assert (await lise.get(f"/api/people/{person}/exemptions")).json()["active"] == ["pakke"]


async def test_the_history_is_for_those_who_may_see_the_person(
    app: FastAPI, lise: httpx.AsyncClient
) -> None:
    for username, person in [("kari", "B1"), ("per", "A1"), ("lise", "B1")]:
        http = await signed_in(app, username)
        answer = await http.get(f"/api/people/{person}/exemptions")
        assert answer.status_code == 403, (username, person)
        assert answer.json()["message"] == f"you may not see the record of {person}"


@pytest.mark.parametrize(
    ("request_", "status", "message"),
    [
        pytest.param(
            ("POST", "/api/people/A1/exemptions", {"package": "pakke", "reason": "  "}),
            400,
            "reason: an exemption needs a reason",
            id="grant-blank-reason",
        ),
        pytest.param(
            ("POST", "/api/people/A1/exemptions", {"package": "pakke"}),
            400,
            "reason: a string is required",
            id="grant-no-reason",
        ),
        pytest.param(
            ("POST", "/api/people/A1/exemptions", ["pakke"]),
            400,
            "body: a JSON object with package, reason",
            id="grant-not-an-object",
        ),
        pytest.param(
            ("POST", "/api/people/A1/exemptions", {"package": "dans", "reason": "x"}),
            404,
            "package: no package 'dans'",
            id="grant-unknown-package",
        ),
        pytest.param(
            ("POST", "/api/people/Z9/exemptions", GRANT),
            403,  # as for a person of another office: an id tells a leader nothing
            "you may not see the record of Z9 (only their leader may exempt)",
            id="grant-unknown-person",
        ),
        pytest.param(
            ("DELETE", "/api/people/A1/exemptions/pakke", {}),
            400,
            "reason: a string is required",
            id="revoke-no-reason",
        ),
        pytest.param(
            ("DELETE", "/api/people/A1/exemptions/pakke", {"reason": ""}),
            400,
            "reason: revoking needs a reason",
            id="revoke-blank-reason",
        ),
        pytest.param(
            ("DELETE", "/api/people/A1/exemptions/pakke", {"reason": "Feil"}),
            404,
            "package: A1 has no exemption from 'pakke' to revoke",
            id="revoke-not-exempt",
        ),
        pytest.param(
            ("DELETE", "/api/people/A1/exemptions/dans", {"reason": "Feil"}),
            404,
            "package: no package 'dans'",
            id="revoke-unknown-package",
        ),
        pytest.param(
            ("GET", "/api/people/Z9/exemptions", None),
            403,
            "you may not see the record of Z9",
            id="history-unknown-person",
        ),
    ],
)
async def test_bad_input_is_named(
    lise: httpx.AsyncClient, request_: tuple[str, str, Any], status: int, message: str
) -> None:
    method, path, body = request_
    answer = await lise.request(method, path, json=body)
    assert answer.status_code == status, answer.text
    assert answer.json()["message"] == message
    assert (await lise.get("/api/people/A1/exemptions")).json()["history"] == []


async def test_a_revoke_without_a_body_is_a_bad_request(lise: httpx.AsyncClient) -> None:
    assert (await lise.post("/api/people/A1/exemptions", json=GRANT)).status_code == 204
    answer = await lise.delete("/api/people/A1/exemptions/pakke")
    assert answer.status_code == 400
    assert answer.json()["message"] == "body: a JSON object with reason"
    assert (await lise.get("/api/people/A1/exemptions")).json()["active"] == ["pakke"]
