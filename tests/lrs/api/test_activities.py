"""The Activities resource: canonical definitions merged from statements, through HTTP."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import make_client
from tests.lrs.api.helpers import agent, new_id, statement

pytestmark = pytest.mark.anyio
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"
MEETING = "http://adlnet.gov/expapi/activities/meeting"


def defining(definition: dict[str, Any], activity: str = ACTIVITY) -> dict[str, Any]:
    body = statement(activity=activity)
    body["object"]["definition"] = definition
    return body


async def activity_of(http: httpx.AsyncClient, activity: str = ACTIVITY) -> dict[str, Any]:
    response = await http.get("/xapi/activities", params={"activityId": activity})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


@pytest.fixture
async def no_define(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose statements do not (re)define activities: no define scope."""
    credential, secret = await app.state.credentials.add(
        scopes=["statements/write", "statements/read"]
    )
    async with make_client(app, auth=(credential.key, secret)) as http:
        yield http


async def test_an_unknown_activity_is_its_id(client: httpx.AsyncClient) -> None:
    unknown = "https://kompetanse.example/activities/never-seen"
    assert await activity_of(client, unknown) == {"objectType": "Activity", "id": unknown}


@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
async def test_the_definition_of_a_statement_is_returned(app: FastAPI, version: str) -> None:
    body = defining(
        {
            "name": {"en-US": "Question 1"},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": "choice",
            "correctResponsesPattern": ["golf"],
            "choices": [{"id": "golf", "description": {"en-US": "Golf"}}],
            "extensions": {"https://kompetanse.example/ext/a.b$c": {"nested.key": [1, 2.5]}},
        }
    )
    async with make_client(app, version=version) as http:
        assert (await http.post("/xapi/statements", json=body)).status_code == 200
        assert await activity_of(http) == {"objectType": "Activity", **body["object"]}


async def test_later_definitions_merge_into_earlier_ones(client: httpx.AsyncClient) -> None:
    first = defining(
        {
            "name": {"en-US": "Meeting", "nb": "Møte"},
            "description": {"en-US": "A meeting"},
            "type": MEETING,
            "moreInfo": "https://kompetanse.example/first",
            "extensions": {"https://kompetanse.example/ext/room": "A1"},
        }
    )
    second = defining(
        {
            "name": {"nb": "Allmøte", "fr-FR": "réunion"},
            "moreInfo": "https://kompetanse.example/second",
            "extensions": {"https://kompetanse.example/ext/floor": 3},
        }
    )
    assert (await client.post("/xapi/statements", json=first)).status_code == 200
    assert (await client.post("/xapi/statements", json=second)).status_code == 200
    assert (await activity_of(client))["definition"] == {
        "name": {"en-US": "Meeting", "nb": "Allmøte", "fr-FR": "réunion"},
        "description": {"en-US": "A meeting"},
        "type": MEETING,
        "moreInfo": "https://kompetanse.example/second",
        "extensions": {
            "https://kompetanse.example/ext/room": "A1",
            "https://kompetanse.example/ext/floor": 3,
        },
    }


async def test_definitions_in_one_batch_merge_in_order(client: httpx.AsyncClient) -> None:
    batch = [
        defining({"name": {"en-US": "example meeting"}}),
        defining({"name": {"fr-FR": "réunion"}, "type": MEETING}),
        defining({"name": {"fr-FR": "la réunion"}}),
    ]
    assert (await client.post("/xapi/statements", json=batch)).status_code == 200
    assert (await activity_of(client))["definition"] == {
        "name": {"en-US": "example meeting", "fr-FR": "la réunion"},
        "type": MEETING,
    }


async def test_activities_anywhere_in_a_statement_are_recorded(client: httpx.AsyncClient) -> None:
    base = "https://kompetanse.example/activities/"
    inner = statement(activity=f"{base}sub-object")
    inner["context"] = {
        "contextActivities": {"grouping": {"id": f"{base}sub-grouping"}},
    }
    body = {
        "actor": agent(),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/planned"},
        "object": {"objectType": "SubStatement", **inner},
        "context": {
            "contextActivities": {
                "parent": [{"id": f"{base}parent", "definition": {"name": {"nb": "Forelder"}}}],
                "category": {"id": f"{base}category"},
            }
        },
    }
    assert (await client.post("/xapi/statements", json=body)).status_code == 200
    parent = await activity_of(client, f"{base}parent")
    assert parent["definition"] == {"name": {"nb": "Forelder"}}
    assert (await activity_of(client, f"{base}sub-object"))["definition"]["name"]["nb"] == (
        "Ny i NAV"
    )
    for bare in ("category", "sub-grouping"):
        assert await activity_of(client, f"{base}{bare}") == {
            "objectType": "Activity",
            "id": f"{base}{bare}",
        }


async def test_without_define_only_the_id_is_recorded(
    client: httpx.AsyncClient, no_define: httpx.AsyncClient
) -> None:
    assert (await no_define.post("/xapi/statements", json=defining({"type": MEETING}))).is_success
    assert await activity_of(no_define) == {"objectType": "Activity", "id": ACTIVITY}
    await client.post("/xapi/statements", json=defining({"name": {"en-US": "Meeting"}}))
    await no_define.post("/xapi/statements", json=defining({"name": {"en-US": "Changed"}}))
    assert (await activity_of(no_define))["definition"] == {"name": {"en-US": "Meeting"}}


async def test_a_statement_sent_again_does_not_redefine(client: httpx.AsyncClient) -> None:
    first = {**defining({"name": {"en-US": "Old"}}), "id": new_id()}
    assert (await client.post("/xapi/statements", json=first)).status_code == 200
    await client.post("/xapi/statements", json=defining({"name": {"en-US": "New"}}))
    again = await client.put("/xapi/statements", params={"statementId": first["id"]}, json=first)
    assert again.status_code == 204
    assert (await activity_of(client))["definition"] == {"name": {"en-US": "New"}}


async def test_head_has_the_headers_of_get(client: httpx.AsyncClient) -> None:
    await client.post("/xapi/statements", json=statement())
    got = await client.get("/xapi/activities", params={"activityId": ACTIVITY})
    head = await client.head("/xapi/activities", params={"activityId": ACTIVITY})
    assert head.status_code == 200
    assert head.content == b""
    assert got.headers["ETag"] == head.headers["ETag"]
    assert got.headers["ETag"] == f'"{hashlib.sha1(got.content).hexdigest()}"'  # noqa: S324


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        pytest.param({}, "activityId: the parameter is required", id="missing"),
        pytest.param({"activityId": "not an iri"}, "activityId:", id="not-an-iri"),
        pytest.param({"activityId": ACTIVITY, "agent": "{}"}, "agent:", id="unknown-parameter"),
        pytest.param(
            [("activityId", ACTIVITY), ("activityId", ACTIVITY)], "more than once", id="twice"
        ),
    ],
)
async def test_bad_parameters_get_400(
    client: httpx.AsyncClient, params: Any, fragment: str
) -> None:
    response = await client.get("/xapi/activities", params=params)
    assert response.status_code == 400
    assert fragment in response.json()["message"]


@pytest.mark.parametrize(
    ("scopes", "status"),
    [
        pytest.param(["statements/read"], 200, id="statements-read"),
        pytest.param(["all/read"], 200, id="all-read"),
        pytest.param(["all"], 200, id="all"),
        pytest.param(["statements/read/mine"], 403, id="read-mine"),
        pytest.param(["statements/write", "define"], 403, id="write-and-define"),
        pytest.param(["state", "profile"], 403, id="documents"),
    ],
)
async def test_read_scopes(app: FastAPI, scopes: list[str], status: int) -> None:
    credential, secret = await app.state.credentials.add(scopes=scopes)
    async with make_client(app, auth=(credential.key, secret)) as http:
        response = await http.get("/xapi/activities", params={"activityId": ACTIVITY})
    assert response.status_code == status
    if status == 403:
        assert "statements/read" in response.json()["message"]


async def test_no_credentials_get_401(app: FastAPI) -> None:
    async with make_client(app, auth=None) as http:
        response = await http.get("/xapi/activities", params={"activityId": ACTIVITY})
    assert response.status_code == 401
