"""The Agents resource: Person objects from the identifiers and names in statements."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import make_client
from tests.lrs.api.helpers import agent, statement

pytestmark = pytest.mark.anyio
KARI = {"mbox": "mailto:kari@nav.example"}
ACCOUNT = {"account": {"homePage": "https://ident.nav.example", "name": "N000123"}}
SHA1 = {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}
OPENID = {"openid": "https://openid.nav.example/kari"}


async def person_of(http: httpx.AsyncClient, who: dict[str, Any]) -> dict[str, Any]:
    response = await http.get("/xapi/agents", params={"agent": json.dumps(who)})
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def by(actor: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {**statement(), "actor": actor, **extra}


async def scoped(app: FastAPI, scopes: list[str]) -> httpx.AsyncClient:
    credential, secret = await app.state.credentials.add(scopes=scopes)
    return make_client(app, auth=(credential.key, secret))


@pytest.fixture
async def reader(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """statements/read: reads Persons, but only the identifier asked about."""
    async with await scoped(app, ["statements/read"]) as http:
        yield http


@pytest.mark.parametrize(
    "ifi",
    [
        pytest.param(KARI, id="mbox"),
        pytest.param(SHA1, id="mbox-sha1sum"),
        pytest.param(OPENID, id="openid"),
        pytest.param(ACCOUNT, id="account"),
    ],
)
async def test_an_agent_in_a_statement_is_a_person(
    client: httpx.AsyncClient, ifi: dict[str, Any]
) -> None:
    actor = {"objectType": "Agent", "name": "Kari Nordmann", **ifi}
    assert (await client.post("/xapi/statements", json=by(actor))).status_code == 200
    [(kind, value)] = ifi.items()
    assert await person_of(client, ifi) == {
        "objectType": "Person",
        "name": ["Kari Nordmann"],
        kind: [value],
    }


async def test_an_unknown_agent_is_a_person_of_what_was_asked(client2: httpx.AsyncClient) -> None:
    asked = {"objectType": "Agent", "name": "Ola", "mbox": "mailto:ola@nav.example"}
    assert await person_of(client2, asked) == {
        "objectType": "Person",
        "name": ["Ola"],
        "mbox": ["mailto:ola@nav.example"],
    }


async def test_names_are_collected_once_each(client: httpx.AsyncClient) -> None:
    for name in ("Kari", "Kari Nordmann", "Kari"):
        await client.post("/xapi/statements", json=by({"name": name, **KARI}))
    await client.post("/xapi/statements", json=by(KARI))
    assert (await person_of(client, {"name": "Someone else", **KARI}))["name"] == [
        "Kari",
        "Kari Nordmann",
    ]


async def test_agents_anywhere_in_a_statement_are_recorded(client2: httpx.AsyncClient) -> None:
    team = {"objectType": "Group", "name": "Team", "member": [agent("per"), agent("pål")]}
    body = {
        **statement(),
        "object": {"objectType": "Agent", **agent("mentor")},
        "context": {
            "instructor": agent("lærer"),
            "team": team,
            "contextAgents": [{"objectType": "contextAgent", "agent": agent("leder")}],
        },
    }
    assert (await client2.post("/xapi/statements", json=body)).status_code == 200
    for name in ("kari", "mentor", "lærer", "per", "pål", "leder"):
        person = await person_of(client2, {"mbox": f"mailto:{name}@nav.example"})
        assert person["name"] == [name]


async def test_without_define_only_the_identifier_is_recorded(app: FastAPI) -> None:
    async with await scoped(app, ["statements/write", "statements/read"]) as http:
        await http.post("/xapi/statements", json=by({"name": "Kari", **KARI}))
        assert await person_of(http, KARI) == {"objectType": "Person", "mbox": [KARI["mbox"]]}


async def test_a_linked_person_shows_every_identifier_to_all_read(
    app: FastAPI, client: httpx.AsyncClient, reader: httpx.AsyncClient
) -> None:
    await client.post("/xapi/statements", json=by({"name": "Kari", **KARI}))
    await client.post("/xapi/statements", json=by({"name": "Kari Nordmann", **ACCOUNT}))
    # What the catalog does with an employee's persona.
    await app.state.statements.definitions.link("employee|N000123", [KARI, ACCOUNT, OPENID])
    every = {
        "objectType": "Person",
        "name": ["Kari Nordmann", "Kari"],
        "mbox": [KARI["mbox"]],
        "openid": [OPENID["openid"]],
        "account": [ACCOUNT["account"]],
    }
    assert await person_of(client, ACCOUNT) == every
    assert (await person_of(client, KARI))["account"] == [ACCOUNT["account"]]
    assert await person_of(reader, KARI) == {
        "objectType": "Person",
        "name": ["Kari"],
        "mbox": [KARI["mbox"]],
    }


async def test_head_has_the_headers_of_get(client: httpx.AsyncClient) -> None:
    params = {"agent": json.dumps(KARI)}
    got = await client.get("/xapi/agents", params=params)
    head = await client.head("/xapi/agents", params=params)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["ETag"] == got.headers["ETag"]


@pytest.mark.parametrize(
    ("params", "path", "named"),
    [
        pytest.param({}, "agent", "agent", id="missing"),
        pytest.param({"agent": "{not json"}, None, "agent", id="not-json"),
        pytest.param({"agent": json.dumps({"name": "Kari"})}, "agent", "agent", id="no-identifier"),
        pytest.param(
            {"agent": json.dumps({"mbox": "kari@nav.example"})},
            "agent.mbox",
            "agent.mbox",
            id="mbox-no-mailto",
        ),
        pytest.param(
            {"agent": json.dumps({"account": {"name": "N000123"}})},
            "agent.account.homePage",
            "agent.account.homePage",
            id="account-without-home-page",
        ),
        pytest.param(
            {"agent": json.dumps({"objectType": "Group", **KARI})},
            "agent.objectType",
            "agent.objectType",
            id="a-group",
        ),
        pytest.param(
            {"agent": json.dumps(KARI), "activityId": "x:y"}, None, "activityId", id="unknown"
        ),
    ],
)
async def test_bad_parameters_get_400_naming_them(
    client: httpx.AsyncClient, params: dict[str, str], path: str | None, named: str
) -> None:
    response = await client.get("/xapi/agents", params=params)
    assert response.status_code == 400
    error = response.json()
    assert error.get("path") == path
    assert error["message"].startswith(f"{named}: ")


@pytest.mark.parametrize(
    ("scopes", "status"),
    [
        pytest.param(["statements/read"], 200, id="statements-read"),
        pytest.param(["all/read"], 200, id="all-read"),
        pytest.param(["all"], 200, id="all"),
        pytest.param(["statements/read/mine"], 403, id="read-mine"),
        pytest.param(["statements/write", "define"], 403, id="write-and-define"),
        pytest.param(["profile"], 403, id="profile"),
    ],
)
async def test_read_scopes(app: FastAPI, scopes: list[str], status: int) -> None:
    async with await scoped(app, scopes) as http:
        response = await http.get("/xapi/agents", params={"agent": json.dumps(KARI)})
    assert response.status_code == status


async def test_no_credentials_get_401(app: FastAPI) -> None:
    async with make_client(app, auth=None) as http:
        response = await http.get("/xapi/agents", params={"agent": json.dumps(KARI)})
    assert response.status_code == 401
