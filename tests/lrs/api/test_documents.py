"""State, Activity Profile and Agent Profile documents through HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import make_client

pytestmark = pytest.mark.anyio
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"
AGENT = json.dumps({"mbox": "mailto:kari@nav.example"})
STATE = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark"}
ACTIVITY_PROFILE = {"activityId": ACTIVITY, "profileId": "settings"}
AGENT_PROFILE = {"agent": AGENT, "profileId": "preferences"}
CREATE = {"If-None-Match": "*"}

RESOURCES = [
    pytest.param("/xapi/activities/state", STATE, "stateId", id="state"),
    pytest.param("/xapi/activities/profile", ACTIVITY_PROFILE, "profileId", id="activity-profile"),
    pytest.param("/xapi/agents/profile", AGENT_PROFILE, "profileId", id="agent-profile"),
]


def without(params: dict[str, str], name: str) -> dict[str, str]:
    return {k: v for k, v in params.items() if k != name}


@pytest.mark.parametrize(("path", "params", "id_param"), RESOURCES)
async def test_put_get_and_delete_a_document(
    client: httpx.AsyncClient, path: str, params: dict[str, str], id_param: str
) -> None:
    content = b"\x00binary document\xff"
    put = await client.put(
        path,
        params=params,
        content=content,
        headers={"Content-Type": "application/octet-stream", **CREATE},
    )
    assert put.status_code == 204
    got = await client.get(path, params=params)
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert got.headers["ETag"] == f'"{hashlib.sha1(content).hexdigest()}"'  # noqa: S324
    assert got.headers["Last-Modified"].endswith("GMT")
    head = await client.head(path, params=params)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["ETag"] == got.headers["ETag"]
    listed = await client.get(path, params=without(params, id_param))
    assert listed.json() == [params[id_param]]
    deleted = await client.delete(path, params=params, headers={"If-Match": got.headers["ETag"]})
    assert deleted.status_code == 204
    assert (await client.get(path, params=params)).status_code == 404


@pytest.mark.parametrize(("path", "params", "id_param"), RESOURCES)
async def test_post_merges_json_objects(
    client: httpx.AsyncClient, path: str, params: dict[str, str], id_param: str
) -> None:
    first = await client.post(path, params=params, json={"a": 1, "b": {"x": 1}})
    assert first.status_code == 204
    second = await client.post(path, params=params, json={"b": {"y": 2}, "c": 3})
    assert second.status_code == 204
    assert (await client.get(path, params=params)).json() == {"a": 1, "b": {"y": 2}, "c": 3}


@pytest.mark.parametrize(("path", "params", "id_param"), RESOURCES)
@pytest.mark.parametrize(
    ("stored", "posted"),
    [
        pytest.param(
            ("text/plain", b"text"), ("application/json", b'{"a": 1}'), id="stored-not-json"
        ),
        pytest.param(
            ("application/json", b'{"a": 1}'), ("text/plain", b"text"), id="posted-not-json"
        ),
        pytest.param(None, ("application/json", b"[1, 2]"), id="json-not-an-object"),
        pytest.param(None, ("application/json", b"{not json"), id="malformed-json"),
    ],
)
async def test_post_refuses_what_cannot_merge(
    client: httpx.AsyncClient,
    path: str,
    params: dict[str, str],
    id_param: str,
    stored: tuple[str, bytes] | None,
    posted: tuple[str, bytes],
) -> None:
    if stored is not None:
        await client.put(
            path, params=params, content=stored[1], headers={"Content-Type": stored[0], **CREATE}
        )
    response = await client.post(
        path, params=params, content=posted[1], headers={"Content-Type": posted[0]}
    )
    assert response.status_code == 400
    assert response.json()["message"]
    if stored is not None:
        assert (await client.get(path, params=params)).content == stored[1]


@pytest.mark.parametrize(("path", "params", "id_param"), RESOURCES)
async def test_preconditions(
    client: httpx.AsyncClient, path: str, params: dict[str, str], id_param: str
) -> None:
    await client.put(path, params=params, json={"v": 1}, headers=CREATE)
    etag = (await client.get(path, params=params)).headers["ETag"]
    again = await client.put(path, params=params, json={"v": 2}, headers=CREATE)
    assert again.status_code == 412
    stale = await client.put(path, params=params, json={"v": 2}, headers={"If-Match": '"0"'})
    assert stale.status_code == 412
    bare = await client.put(path, params=params, json={"v": 2})
    assert bare.status_code == (204 if id_param == "stateId" else 409)
    if bare.status_code == 409:
        assert "If-Match" in bare.json()["message"]
        assert (await client.get(path, params=params)).json() == {"v": 1}
        current = await client.put(path, params=params, json={"v": 3}, headers={"If-Match": etag})
        assert current.status_code == 204
    assert (
        await client.delete(path, params=params, headers={"If-Match": '"0"'})
    ).status_code == 412


async def test_state_needs_preconditions_to_overwrite_in_version_2(
    client2: httpx.AsyncClient,
) -> None:
    path = "/xapi/activities/state"
    assert (await client2.put(path, params=STATE, json={"v": 1})).status_code == 204
    assert (await client2.put(path, params=STATE, json={"v": 2})).status_code == 409


async def test_profile_put_without_precondition_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.put("/xapi/activities/profile", params=ACTIVITY_PROFILE, json={})
    assert response.status_code == 400
    assert "If-None-Match" in response.json()["message"]


async def test_state_is_scoped_by_agent_and_registration(client: httpx.AsyncClient) -> None:
    path = "/xapi/activities/state"
    registration = "0b7cd3b0-7e11-4a8e-9a3b-5a3f5f4b2a10"
    other_agent = {**STATE, "agent": json.dumps({"mbox": "mailto:ola@nav.example"})}
    await client.put(path, params=STATE, json={"who": "kari"})
    await client.put(path, params={**STATE, "registration": registration}, json={"r": 1})
    assert (await client.get(path, params=other_agent)).status_code == 404
    assert (await client.get(path, params=STATE)).json() == {"who": "kari"}
    scope = without(STATE, "stateId")
    await client.delete(path, params=scope)
    assert (await client.get(path, params=STATE)).status_code == 404
    kept = await client.get(path, params={**STATE, "registration": registration})
    assert kept.json() == {"r": 1}


async def test_list_since_filters_by_update_time(client: httpx.AsyncClient) -> None:
    path = "/xapi/activities/profile"
    await client.put(path, params=ACTIVITY_PROFILE, json={}, headers=CREATE)
    modified = (await client.get(path, params=ACTIVITY_PROFILE)).headers["Last-Modified"]
    listed = await client.get(path, params={"activityId": ACTIVITY})
    assert listed.json() == ["settings"]
    assert listed.headers["Last-Modified"] == modified
    later = await client.get(path, params={"activityId": ACTIVITY, "since": "2999-01-01T00:00:00Z"})
    assert later.json() == []


@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        pytest.param(
            "GET",
            "/xapi/activities/state",
            without(STATE, "activityId"),
            id="state-without-activity",
        ),
        pytest.param(
            "PUT", "/xapi/activities/state", without(STATE, "agent"), id="state-without-agent"
        ),
        pytest.param(
            "POST", "/xapi/activities/state", without(STATE, "stateId"), id="state-post-without-id"
        ),
        pytest.param(
            "GET",
            "/xapi/activities/state",
            {**STATE, "agent": '{"mbox": "x"}'},
            id="state-bad-agent",
        ),
        pytest.param(
            "GET",
            "/xapi/activities/state",
            {**STATE, "registration": "r"},
            id="state-bad-registration",
        ),
        pytest.param(
            "GET",
            "/xapi/activities/profile",
            {"activityId": ACTIVITY, "since": "x"},
            id="profile-bad-since",
        ),
        pytest.param(
            "DELETE",
            "/xapi/agents/profile",
            without(AGENT_PROFILE, "profileId"),
            id="agent-profile-delete-without-id",
        ),
        pytest.param(
            "GET",
            "/xapi/agents/profile",
            {**AGENT_PROFILE, "colour": "blue"},
            id="unknown-parameter",
        ),
        pytest.param(
            "GET", "/xapi/activities/profile", {"activityId": "not an iri"}, id="activity-not-iri"
        ),
    ],
)
async def test_bad_parameters_are_refused_by_name(
    client: httpx.AsyncClient, method: str, path: str, params: dict[str, str]
) -> None:
    response = await client.request(
        method, path, params=params, json={}, headers=CREATE if method == "PUT" else {}
    )
    assert response.status_code == 400
    message = response.json()["message"]
    assert any(
        name in message
        for name in (
            "activityId",
            "agent",
            "stateId",
            "registration",
            "since",
            "profileId",
            "colour",
        )
    )


@pytest.mark.parametrize(
    ("scopes", "method", "path", "status"),
    [
        pytest.param(["state"], "PUT", "/xapi/activities/state", 204, id="state-writes-state"),
        pytest.param(["profile"], "PUT", "/xapi/activities/state", 403, id="profile-not-state"),
        pytest.param(["state"], "GET", "/xapi/agents/profile", 403, id="state-not-profile"),
        pytest.param(["all/read"], "GET", "/xapi/activities/state", 404, id="all-read-reads"),
        pytest.param(["all/read"], "PUT", "/xapi/activities/state", 403, id="all-read-no-write"),
        pytest.param(
            ["statements/write"], "GET", "/xapi/activities/state", 403, id="statements-no-documents"
        ),
    ],
)
async def test_scopes(app: FastAPI, scopes: list[str], method: str, path: str, status: int) -> None:
    credential, secret = await app.state.credentials.add(scopes=scopes)
    params: dict[str, Any] = STATE if "state" in path else AGENT_PROFILE
    async with make_client(app, auth=(credential.key, secret)) as http:
        response = await http.request(method, path, params=params, json={"a": 1})
    assert response.status_code == status


async def test_documents_need_credentials(app: FastAPI) -> None:
    async with make_client(app, auth=None) as http:
        response = await http.get("/xapi/activities/state", params=STATE)
    assert response.status_code == 401


async def test_concurrent_merges_lose_no_update(client: httpx.AsyncClient) -> None:
    path = "/xapi/activities/state"

    async def post(number: int) -> int:
        response = await client.post(path, params=STATE, json={f"key{number}": number})
        return response.status_code

    statuses = await asyncio.gather(*(post(n) for n in range(20)))
    assert set(statuses) == {204}
    merged = (await client.get(path, params=STATE)).json()
    assert merged == {f"key{n}": n for n in range(20)}
