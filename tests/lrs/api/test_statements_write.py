"""PUT and POST /xapi/statements: what is stored, what is refused, and that nothing is lost."""

from __future__ import annotations

import httpx
import pytest

from tests.lrs.api.helpers import new_id, statement, voiding

pytestmark = pytest.mark.anyio


async def test_post_one_statement_returns_its_id_and_stores_it(client: httpx.AsyncClient) -> None:
    response = await client.post("/xapi/statements", json=statement())
    assert response.status_code == 200
    [statement_id] = response.json()
    stored = (await client.get("/xapi/statements", params={"statementId": statement_id})).json()
    assert stored["id"] == statement_id
    assert stored["actor"]["mbox"] == "mailto:kari@nav.example"
    assert stored["version"] == "1.0.0"
    assert stored["stored"].endswith("Z")
    assert stored["timestamp"] == stored["stored"]
    assert stored["authority"]["account"]["name"] == "test-key"


async def test_post_array_returns_ids_in_order(client: httpx.AsyncClient) -> None:
    ids = [new_id(), new_id()]
    body = [statement(id=ids[0]), statement(id=ids[1], actor="ola")]
    response = await client.post("/xapi/statements", json=body)
    assert response.status_code == 200
    assert response.json() == ids


async def test_batch_with_one_invalid_statement_stores_nothing(client: httpx.AsyncClient) -> None:
    good = statement(id=new_id())
    bad = statement(actor="ola")
    bad["actor"]["mbox"] = "ola@nav.example"
    response = await client.post("/xapi/statements", json=[good, bad])
    assert response.status_code == 400
    assert response.json()["path"].startswith("statement[1].actor")
    missing = await client.get("/xapi/statements", params={"statementId": good["id"]})
    assert missing.status_code == 404


async def test_batch_with_a_repeated_id_is_refused(client: httpx.AsyncClient) -> None:
    same = new_id()
    response = await client.post("/xapi/statements", json=[statement(id=same), statement(id=same)])
    assert response.status_code == 400
    assert "statement[1].id" in response.json()["message"]


async def test_put_stores_under_the_given_id(client: httpx.AsyncClient) -> None:
    statement_id = new_id()
    response = await client.put(
        "/xapi/statements", params={"statementId": statement_id}, json=statement()
    )
    assert response.status_code == 204
    assert response.content == b""
    fetched = await client.get("/xapi/statements", params={"statementId": statement_id})
    assert fetched.json()["id"] == statement_id


async def test_put_same_statement_twice_is_accepted(client: httpx.AsyncClient) -> None:
    statement_id = new_id()
    body = statement(id=statement_id)
    for _ in range(2):
        response = await client.put(
            "/xapi/statements", params={"statementId": statement_id}, json=body
        )
        assert response.status_code == 204


async def test_put_other_content_under_a_stored_id_conflicts(client: httpx.AsyncClient) -> None:
    statement_id = new_id()
    first = await client.put(
        "/xapi/statements", params={"statementId": statement_id}, json=statement()
    )
    assert first.status_code == 204
    second = await client.put(
        "/xapi/statements", params={"statementId": statement_id}, json=statement(actor="ola")
    )
    assert second.status_code == 409
    kept = await client.get("/xapi/statements", params={"statementId": statement_id})
    assert kept.json()["actor"]["name"] == "kari"


async def test_post_of_a_stored_id_with_other_content_conflicts(client: httpx.AsyncClient) -> None:
    statement_id = new_id()
    await client.post("/xapi/statements", json=statement(id=statement_id))
    response = await client.post("/xapi/statements", json=statement(id=statement_id, actor="ola"))
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("params", "body_id", "fragment"),
    [
        pytest.param({}, None, "statementId", id="missing-statement-id"),
        pytest.param({"statementId": "not-a-uuid"}, None, "statementId", id="bad-statement-id"),
        pytest.param({"statementId": new_id()}, new_id(), "differs", id="body-id-differs"),
    ],
)
async def test_put_refuses_bad_ids(
    client: httpx.AsyncClient, params: dict[str, str], body_id: str | None, fragment: str
) -> None:
    body = statement(**({"id": body_id} if body_id else {}))
    response = await client.put("/xapi/statements", params=params, json=body)
    assert response.status_code == 400
    assert fragment in response.json()["message"]


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(b"{not json", "application/json", id="malformed-json"),
        pytest.param(b'{"actor": NaN}', "application/json", id="nan"),
        pytest.param(b"[]", "application/json", id="empty-array"),
        pytest.param(b'"a string"', "application/json", id="not-an-object"),
        pytest.param(b"{}", "text/plain", id="wrong-content-type"),
    ],
)
async def test_post_refuses_bad_bodies(
    client: httpx.AsyncClient, content: bytes, content_type: str
) -> None:
    response = await client.post(
        "/xapi/statements", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == 400
    assert response.json()["message"]


async def test_voided_statement_leaves_queries_but_stays_fetchable(
    client: httpx.AsyncClient,
) -> None:
    [target] = (await client.post("/xapi/statements", json=statement())).json()
    response = await client.post("/xapi/statements", json=voiding(target))
    assert response.status_code == 200
    [voiding_id] = response.json()
    gone = await client.get("/xapi/statements", params={"statementId": target})
    assert gone.status_code == 404
    voided = await client.get("/xapi/statements", params={"voidedStatementId": target})
    assert voided.status_code == 200
    assert voided.json()["id"] == target
    listed = [s["id"] for s in (await client.get("/xapi/statements")).json()["statements"]]
    assert target not in listed
    assert voiding_id in listed


async def test_a_voiding_statement_cannot_be_voided(client: httpx.AsyncClient) -> None:
    [target] = (await client.post("/xapi/statements", json=statement())).json()
    [voiding_id] = (await client.post("/xapi/statements", json=voiding(target))).json()
    response = await client.post("/xapi/statements", json=voiding(voiding_id))
    assert response.status_code == 400
    assert response.json()["path"] == "statement[0].object.id"
    still = await client.get("/xapi/statements", params={"statementId": voiding_id})
    assert still.status_code == 200


async def test_statement_voided_before_it_arrives_is_stored_voided(
    client: httpx.AsyncClient,
) -> None:
    target = new_id()
    await client.post("/xapi/statements", json=voiding(target))
    await client.put("/xapi/statements", params={"statementId": target}, json=statement())
    assert (await client.get("/xapi/statements", params={"statementId": target})).status_code == 404
    voided = await client.get("/xapi/statements", params={"voidedStatementId": target})
    assert voided.status_code == 200


async def test_version_2_timestamps_are_converted_to_utc(client2: httpx.AsyncClient) -> None:
    body = statement(timestamp="2026-11-23T12:30:00.123+01:00")
    [statement_id] = (await client2.post("/xapi/statements", json=body)).json()
    stored = (await client2.get("/xapi/statements", params={"statementId": statement_id})).json()
    assert stored["timestamp"] == "2026-11-23T11:30:00.123Z"
    assert stored["version"] == "2.0.0"


async def test_version_1_timestamps_keep_their_form(client: httpx.AsyncClient) -> None:
    body = statement(timestamp="2026-11-23T12:30:00.123+01:00")
    [statement_id] = (await client.post("/xapi/statements", json=body)).json()
    stored = (await client.get("/xapi/statements", params={"statementId": statement_id})).json()
    assert stored["timestamp"] == "2026-11-23T12:30:00.123+01:00"


async def test_single_context_activity_is_returned_as_a_list(client: httpx.AsyncClient) -> None:
    parent = {"id": "https://kompetanse.example/activities/parent"}
    body = statement(context={"contextActivities": {"parent": parent}})
    [statement_id] = (await client.post("/xapi/statements", json=body)).json()
    stored = (await client.get("/xapi/statements", params={"statementId": statement_id})).json()
    assert stored["context"]["contextActivities"]["parent"] == [parent]


async def test_context_agents_are_refused_in_version_1(client: httpx.AsyncClient) -> None:
    body = statement(
        context={"contextAgents": [{"objectType": "contextAgent", "agent": statement()["actor"]}]}
    )
    response = await client.post("/xapi/statements", json=body)
    assert response.status_code == 400
    assert response.json()["path"].startswith("statement[0].context")


async def test_statements_survive_a_restart(settings: object) -> None:
    from kompetanse.app import create_app
    from tests.conftest import make_client

    first = create_app(settings)  # type: ignore[arg-type]
    async with first.router.lifespan_context(first), make_client(first) as http:
        [statement_id] = (await http.post("/xapi/statements", json=statement())).json()
    again = create_app(settings)  # type: ignore[arg-type]
    async with again.router.lifespan_context(again), make_client(again) as http:
        response = await http.get("/xapi/statements", params={"statementId": statement_id})
        assert response.status_code == 200


async def test_put_again_with_a_converted_timestamp_is_the_same(
    client2: httpx.AsyncClient,
) -> None:
    statement_id = new_id()
    body = statement(timestamp="2026-11-23T12:30:00.123+01:00")
    for _ in range(2):
        response = await client2.put(
            "/xapi/statements", params={"statementId": statement_id}, json=body
        )
        assert response.status_code == 204
