"""Filtered queries also return statements that target a match through StatementRefs
(Communication §2.1.3), to any order of arrival, and bounded in what they ask the store."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.lrs.api.helpers import COMPLETED, agent, new_id, statement, voiding

pytestmark = pytest.mark.anyio
REFERRED = "https://kompetanse.example/verbs/referred"


def referring(actor: str, target: str) -> dict[str, Any]:
    return {
        "id": new_id(),
        "actor": agent(actor),
        "verb": {"id": REFERRED, "display": {"en-US": "referred"}},
        "object": {"objectType": "StatementRef", "id": target},
    }


async def post(client: httpx.AsyncClient, *bodies: dict[str, Any]) -> None:
    response = await client.post("/xapi/statements", json=list(bodies))
    assert response.status_code == 200, response.text


async def found(client: httpx.AsyncClient, **params: str) -> set[str]:
    response = await client.get("/xapi/statements", params=params)
    assert response.status_code == 200, response.text
    return {s["id"] for s in response.json()["statements"]}


async def test_a_chain_of_references_is_followed(client: httpx.AsyncClient) -> None:
    target = {**statement(actor="anne", verb=COMPLETED), "id": new_id()}
    first = referring("bjorn", target["id"])
    second = referring("cecilie", first["id"])
    unrelated = {**statement(actor="dag"), "id": new_id()}
    await post(client, target, first)
    await post(client, second, unrelated)
    anne = '{"mbox": "mailto:anne@nav.example"}'
    bjorn = '{"mbox": "mailto:bjorn@nav.example"}'
    cecilie = '{"mbox": "mailto:cecilie@nav.example"}'
    assert await found(client, agent=anne) == {target["id"], first["id"], second["id"]}
    assert await found(client, verb=COMPLETED) == {target["id"], first["id"], second["id"]}
    assert await found(client, agent=bjorn) == {first["id"], second["id"]}
    assert await found(client, agent=cecilie) == {second["id"]}
    # Every filter holds for one statement of the chain: anne never "referred".
    assert await found(client, agent=anne, verb=REFERRED) == set()
    assert await found(client, agent=bjorn, verb=REFERRED) == {first["id"], second["id"]}


async def test_a_reference_stored_before_its_target(client: httpx.AsyncClient) -> None:
    target_id = new_id()
    early = referring("bjorn", target_id)
    await post(client, early)
    anne = '{"mbox": "mailto:anne@nav.example"}'
    assert await found(client, agent=anne) == set()
    await post(client, {**statement(actor="anne"), "id": target_id})
    assert await found(client, agent=anne) == {target_id, early["id"]}


async def test_a_voiding_statement_is_found_by_its_target(client: httpx.AsyncClient) -> None:
    target = {**statement(actor="anne", verb=COMPLETED), "id": new_id()}
    void = {**voiding(target["id"]), "id": new_id()}
    await post(client, target)
    await post(client, void)
    assert await found(client, verb=COMPLETED) == {void["id"]}


async def test_paging_merges_references_in_order(client: httpx.AsyncClient) -> None:
    targets = [{**statement(actor="anne"), "id": new_id()} for _ in range(6)]
    await post(client, *targets)
    refs = [referring("bjorn", t["id"]) for t in targets]
    for ref in refs:
        await post(client, ref)
    seen: list[str] = []
    url: str | None = (
        "/xapi/statements?limit=5&agent=%7B%22mbox%22%3A%22mailto%3Aanne%40nav.example%22%7D"
    )
    while url:
        page = (await client.get(url)).json()
        seen += [s["id"] for s in page["statements"]]
        url = page["more"] or None
    assert sorted(seen) == sorted([t["id"] for t in targets] + [r["id"] for r in refs])
    assert len(seen) == len(set(seen))
    assert seen[:6] == [r["id"] for r in reversed(refs)]
