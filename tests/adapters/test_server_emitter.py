"""The emitter against the real server: an LRS that is down, comes up, goes down and comes back
gets every statement exactly once, in the form the adapters built it."""

from __future__ import annotations

import random
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from adapters import Emitter, RemoteLrsTransport, Retry, get_adapter
from tests.adapters.samples import NY_I_NAV
from tests.server import KEY, SECRET, running_server

QUICK = Retry(attempts=2, first_delay=0.05, max_delay=0.1)


def attendance(day: str, people: range) -> list[dict[str, Any]]:
    course = get_adapter("kurs-og-samlinger")
    return [
        statement
        for number in people
        for statement in course.statements(
            {
                "learner": f"A{number:06d}",
                "course": NY_I_NAV,
                "session_date": day,
                "hours": "7,5",
                "completed": day == "2026-03-03",
            }
        )
    ]


def emitter_for(endpoint: str, spool: Path) -> Emitter:
    transport = RemoteLrsTransport(endpoint, KEY, SECRET, timeout=10)
    return Emitter(transport, spool, batch_size=7, retry=QUICK, rng=random.Random(1))


def nowhere() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/xapi"


def stored_ids(endpoint: str) -> list[str]:
    found: list[str] = []
    with httpx.Client(auth=(KEY, SECRET), headers={"X-Experience-API-Version": "1.0.3"}) as http:
        url = f"{endpoint}/statements?limit=50"
        while url:
            page = http.get(url).json()
            found += [s["id"] for s in page["statements"]]
            url = endpoint.removesuffix("/xapi") + page["more"] if page["more"] else ""
    return found


def send(make: Callable[[], Emitter], statements: list[dict[str, Any]]) -> Any:
    with make() as emitter:
        return emitter.send(statements)


def test_an_lrs_that_fails_and_recovers_gets_everything_once(tmp_path: Path) -> None:
    spool, data = tmp_path / "spool.sqlite3", tmp_path / "lrs"
    first, second, third = (
        attendance("2026-03-02", range(10)),
        attendance("2026-03-03", range(10)),
        attendance("2026-03-04", range(5)),
    )
    down = send(lambda: emitter_for(nowhere(), spool), first)
    assert (down.delivered, down.pending) == (0, len(first))

    with running_server(data) as server:
        with emitter_for(server.endpoint, spool) as emitter:
            assert emitter.flush().delivered == len(first)
            assert emitter.send(second).complete
    # the server is stopped: the third list waits in the spool
    assert send(lambda: emitter_for(server.endpoint, spool), third).pending == len(third)

    with running_server(data) as server:  # back, on another port
        with emitter_for(server.endpoint, spool) as emitter:
            assert emitter.flush().delivered == len(third)
            # every list imported again (e.g. acknowledgements lost): nothing duplicates
            again = emitter.send(first + second + third)
            assert (again.delivered, again.rejected) == (len(first + second + third), 0)
        ids = stored_ids(server.endpoint)
    expected = [s["id"] for s in first + second + third]
    assert sorted(ids) == sorted(expected)
    assert len(set(ids)) == len(ids)


def test_statements_arrive_as_built_and_refusals_are_set_aside(tmp_path: Path) -> None:
    [attended, completed] = attendance("2026-03-03", range(1))
    conflicting = {**completed, "result": {"completion": True, "duration": "PT1H"}}
    with running_server(tmp_path / "lrs") as server:
        with emitter_for(server.endpoint, tmp_path / "spool.sqlite3") as emitter:
            assert emitter.send([attended, completed]).complete
            delivery = emitter.send([conflicting, *attendance("2026-03-04", range(2))])
        with httpx.Client(
            auth=(KEY, SECRET), headers={"X-Experience-API-Version": "1.0.3"}
        ) as http:
            stored = http.get(
                f"{server.endpoint}/statements", params={"statementId": attended["id"]}
            )
    assert stored.json()["result"]["duration"] == "PT7H30M"  # verbatim, not TinCanPy's form
    assert stored.json()["context"] == attended["context"]
    assert (delivery.delivered, delivery.rejected) == (2, 1)
    [refusal] = delivery.rejections
    assert (refusal.statement_id, refusal.status) == (completed["id"], 409)
    assert refusal.message
