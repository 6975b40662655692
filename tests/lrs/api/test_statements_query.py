"""GET /xapi/statements: filters, formats, paging with `more`, headers, HEAD."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from lrs.store import Cursor, encode_more
from tests.lrs.api.helpers import COMPLETED, agent, new_id, statement

pytestmark = pytest.mark.anyio
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"
OTHER = "https://kompetanse.example/activities/pensjon"


async def post(client: httpx.AsyncClient, *bodies: dict[str, Any]) -> list[str]:
    response = await client.post("/xapi/statements", json=list(bodies))
    assert response.status_code == 200, response.text
    ids: list[str] = response.json()
    return ids


async def ids_for(client: httpx.AsyncClient, **params: str) -> list[str]:
    response = await client.get("/xapi/statements", params=params)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["statements"]]


async def test_newest_first_by_default_and_oldest_first_when_ascending(
    client: httpx.AsyncClient,
) -> None:
    first = await post(client, statement())
    second = await post(client, statement())
    assert (await ids_for(client))[:2] == second + first
    assert (await ids_for(client, ascending="true"))[:2] == first + second


async def test_agent_filter_matches_actor_and_object(client: httpx.AsyncClient) -> None:
    as_actor = await post(client, statement(actor="ola"))
    as_object = await post(client, {**statement(actor="kari"), "object": agent("ola")})
    await post(client, statement(actor="kari"))
    found = await ids_for(client, agent=json.dumps({"mbox": "mailto:ola@nav.example"}))
    assert sorted(found) == sorted(as_actor + as_object)


async def test_related_agents_also_matches_instructor(client: httpx.AsyncClient) -> None:
    taught = await post(client, statement(context={"instructor": agent("per")}))
    ola = json.dumps({"mbox": "mailto:per@nav.example"})
    assert await ids_for(client, agent=ola) == []
    assert await ids_for(client, agent=ola, related_agents="true") == taught


async def test_verb_and_activity_filters(client: httpx.AsyncClient) -> None:
    done = await post(client, statement(verb=COMPLETED))
    other = await post(client, statement(activity=OTHER))
    assert await ids_for(client, verb=COMPLETED) == done
    assert await ids_for(client, activity=OTHER) == other


async def test_related_activities_matches_context_activities(client: httpx.AsyncClient) -> None:
    child = await post(
        client,
        statement(activity=OTHER, context={"contextActivities": {"parent": [{"id": ACTIVITY}]}}),
    )
    plain = await post(client, statement())
    assert await ids_for(client, activity=ACTIVITY) == plain
    assert await ids_for(client, activity=ACTIVITY, related_activities="true") == plain + child


async def test_registration_filter(client: httpx.AsyncClient) -> None:
    registration = new_id()
    mine = await post(client, statement(context={"registration": registration}))
    await post(client, statement(context={"registration": new_id()}))
    assert await ids_for(client, registration=registration) == mine


async def test_since_and_until_select_by_stored(client: httpx.AsyncClient) -> None:
    [early] = await post(client, statement())
    middle = (await client.get("/xapi/statements", params={"statementId": early})).json()
    [late] = await post(client, statement())
    assert late in await ids_for(client, since=middle["stored"])
    assert early not in await ids_for(client, since=middle["stored"])
    assert early in await ids_for(client, until=middle["stored"])
    assert late not in await ids_for(client, until=middle["stored"])


async def test_statement_refs_match_the_filters_of_their_target(
    client: httpx.AsyncClient,
) -> None:
    [target] = await post(client, statement(verb=COMPLETED))
    referring = {
        "actor": agent("leder"),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
        "object": {"objectType": "StatementRef", "id": target},
    }
    [ref] = await post(client, referring)
    assert sorted(await ids_for(client, verb=COMPLETED)) == sorted([target, ref])


async def test_more_walks_every_statement_once_while_new_ones_arrive(
    client: httpx.AsyncClient,
) -> None:
    before = await post(client, *[statement() for _ in range(7)])
    seen: list[str] = []
    response = await client.get("/xapi/statements", params={"limit": "3"})
    while True:
        page = response.json()
        seen += [s["id"] for s in page["statements"]]
        await post(client, statement())  # arrives while paging; newer than the walk
        if not page["more"]:
            break
        assert page["more"].startswith("/xapi/statements?more=")
        response = await client.get(page["more"])
        assert response.status_code == 200
    assert sorted(seen) == sorted(before)


async def test_format_ids_keeps_only_identifiers(client: httpx.AsyncClient) -> None:
    [statement_id] = await post(client, statement())
    response = await client.get(
        "/xapi/statements", params={"statementId": statement_id, "format": "ids"}
    )
    body = response.json()
    assert "name" not in body["actor"]
    assert "definition" not in body["object"]
    assert "display" not in body["verb"]


async def test_format_canonical_picks_the_accepted_language(client: httpx.AsyncClient) -> None:
    [statement_id] = await post(client, statement())
    response = await client.get(
        "/xapi/statements",
        params={"statementId": statement_id, "format": "canonical"},
        headers={"Accept-Language": "nb, en;q=0.5"},
    )
    assert response.json()["object"]["definition"]["name"] == {"nb": "Ny i NAV"}


async def test_headers_on_single_and_query_responses(client2: httpx.AsyncClient) -> None:
    [statement_id] = (await client2.post("/xapi/statements", json=statement())).json()
    single = await client2.get("/xapi/statements", params={"statementId": statement_id})
    query = await client2.get("/xapi/statements")
    for response in (single, query):
        assert response.headers["X-Experience-API-Version"] == "2.0.0"
        assert response.headers["X-Experience-API-Consistent-Through"].endswith("Z")
        assert response.headers["Last-Modified"].endswith("GMT")
        assert response.headers["Content-Type"] == "application/json"


async def test_head_answers_like_get_without_a_body(client: httpx.AsyncClient) -> None:
    [statement_id] = await post(client, statement())
    found = await client.head("/xapi/statements", params={"statementId": statement_id})
    assert found.status_code == 200
    assert found.content == b""
    assert "X-Experience-API-Consistent-Through" in found.headers
    missing = await client.head("/xapi/statements", params={"statementId": new_id()})
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"agent": "not json"}, id="agent-not-json"),
        pytest.param({"agent": '{"mbox": "kari@nav.example"}'}, id="agent-bad-mbox"),
        pytest.param({"verb": "not an iri"}, id="verb-not-iri"),
        pytest.param({"registration": "123"}, id="registration-not-uuid"),
        pytest.param({"since": "yesterday"}, id="since-not-timestamp"),
        pytest.param({"limit": "-1"}, id="negative-limit"),
        pytest.param({"format": "full"}, id="unknown-format"),
        pytest.param({"ascending": "yes"}, id="ascending-not-boolean"),
        pytest.param({"colour": "blue"}, id="unknown-parameter"),
        pytest.param({"statementId": new_id(), "verb": COMPLETED}, id="id-with-filter"),
        pytest.param({"more": "forged"}, id="forged-more"),
        pytest.param({"more": encode_more({"limit": "x"}, Cursor("a", "b"))}, id="tampered-more"),
        pytest.param({"more": encode_more({}, Cursor("a", "b")), "limit": "1"}, id="more-and-more"),
    ],
)
async def test_bad_query_parameters_are_refused_by_name(
    client: httpx.AsyncClient, params: dict[str, str]
) -> None:
    response = await client.get("/xapi/statements", params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert any(name in body["message"] for name in ["limit", *params])
