"""The emitter against scripted LRSs: the spool keeps everything, batches go in order, the LRS
being down is retried with backoff, and refused statements are set aside with the message."""

from __future__ import annotations

import json
import random
import socket
import stat
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from adapters import (
    Answer,
    Emitter,
    RemoteLrsTransport,
    Retry,
    Spool,
    TransportFailure,
    get_adapter,
)
from lrs.errors import StatementInvalid
from tests.adapters.samples import RECORDS

Step = int | Exception | Callable[[Sequence[Mapping[str, Any]]], Answer]


class ScriptedLrs:
    """Answers each POST with the next step of a script (an HTTP status, an exception, or a
    function of the batch); once the script is done, it stores and answers 200."""

    def __init__(self, *script: Step) -> None:
        self.script = list(script)
        self.batches: list[list[str]] = []
        self.stored: dict[str, Mapping[str, Any]] = {}

    def post(self, statements: Sequence[Mapping[str, Any]]) -> Answer:
        self.batches.append([s["id"] for s in statements])
        step = self.script.pop(0) if self.script else self.store
        if isinstance(step, Exception):
            raise step
        if isinstance(step, int):
            return Answer(step, json.dumps({"message": f"scripted {step}"}))
        return step(statements)

    def store(self, statements: Sequence[Mapping[str, Any]]) -> Answer:
        self.stored.update((s["id"], s) for s in statements)
        return Answer(200, json.dumps([s["id"] for s in statements]))


def statement(number: int) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=number)),
        "actor": {"mbox": f"mailto:learner{number}@nav.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "https://kompetanse.nav.no/xapi/activities/ny-i-nav/samling"},
    }


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make(tmp_path: Path, sleeps: list[float]) -> Iterator[Callable[..., Emitter]]:
    made: list[Emitter] = []

    def emitter(lrs: ScriptedLrs, **options: Any) -> Emitter:
        options.setdefault("retry", Retry(attempts=3, first_delay=0.5))
        made.append(
            Emitter(
                lrs,
                tmp_path / "spool.sqlite3",
                sleep=sleeps.append,
                rng=random.Random(1),
                **options,
            )
        )
        return made[-1]

    yield emitter
    for item in made:
        item.close()


def test_the_spool_keeps_statements_in_order_across_restarts(tmp_path: Path) -> None:
    with Spool(tmp_path / "spool.sqlite3") as spool:
        assert spool.add([statement(n) for n in range(5)]) == 5
        assert spool.add([statement(2), statement(5)]) == 1  # already waiting: once
    with Spool(tmp_path / "spool.sqlite3") as spool:
        assert [s["id"] for _, s in spool.pending(10)] == [
            statement(n)["id"] for n in (0, 1, 2, 3, 4, 5)
        ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_the_spool_is_private(tmp_path: Path) -> None:
    with Spool(tmp_path / "state" / "spool.sqlite3") as spool:
        spool.add([statement(1)])
    assert stat.S_IMODE((tmp_path / "state" / "spool.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700


def test_batches_go_in_order(make: Callable[..., Emitter]) -> None:
    lrs = ScriptedLrs()
    emitter = make(lrs, batch_size=100)
    seen: list[tuple[int, int]] = []
    delivery = emitter.send([statement(n) for n in range(250)], progress=lambda *p: seen.append(p))
    assert (delivery.delivered, delivery.pending, delivery.complete) == (250, 0, True)
    assert [len(batch) for batch in lrs.batches] == [100, 100, 50]
    assert [i for batch in lrs.batches for i in batch] == [statement(n)["id"] for n in range(250)]
    assert seen == [(100, 250), (200, 250), (250, 250)]


def test_an_unreachable_lrs_is_retried_with_backoff(
    make: Callable[..., Emitter], sleeps: list[float]
) -> None:
    lrs = ScriptedLrs(TransportFailure("connection refused"), 503)
    delivery = make(lrs).send([statement(1)])
    assert delivery.complete
    assert len(lrs.batches) == 3
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # doubling, with jitter


def test_an_lrs_that_stays_down_keeps_everything_spooled(
    make: Callable[..., Emitter], sleeps: list[float]
) -> None:
    down = ScriptedLrs(*[TransportFailure("connection refused")] * 3)
    delivery = make(down).send([statement(n) for n in range(3)])
    assert (delivery.delivered, delivery.pending) == (0, 3)
    assert delivery.problem is not None
    assert "cannot be reached: connection refused (3 attempts" in delivery.problem
    assert len(sleeps) == 2
    recovered = ScriptedLrs()
    assert make(recovered).flush().complete
    assert list(recovered.stored) == [statement(n)["id"] for n in range(3)]


def test_a_lost_acknowledgement_is_resent_and_stored_once(make: Callable[..., Emitter]) -> None:
    lrs = ScriptedLrs()

    def stored_but_unanswered(statements: Sequence[Mapping[str, Any]]) -> Answer:
        lrs.store(statements)
        raise TransportFailure("connection reset")

    lrs.script = [stored_but_unanswered]
    assert make(lrs).send([statement(1), statement(2)]).complete
    assert len(lrs.batches) == 2
    assert len(lrs.stored) == 2


def refusing(*bad: int, status: int = 400) -> Callable[[Sequence[Mapping[str, Any]]], Answer]:
    """An LRS that refuses a whole batch holding a bad statement (all or nothing)."""
    lrs = ScriptedLrs()
    bad_ids = {statement(n)["id"] for n in bad}

    def answer(statements: Sequence[Mapping[str, Any]]) -> Answer:
        for index, item in enumerate(statements):
            if item["id"] in bad_ids:
                message = f"statement[{index}].object.id: refused {item['id'][-2:]}"
                return Answer(status, json.dumps({"message": message}))
        return lrs.store(statements)

    answer.lrs = lrs  # type: ignore[attr-defined]
    return answer


@pytest.mark.parametrize("status", [400, 409, 413])
def test_refused_statements_are_set_aside_and_the_rest_delivered_in_order(
    make: Callable[..., Emitter], status: int
) -> None:
    answer = refusing(3, 7, status=status)
    lrs = ScriptedLrs(*[answer] * 50)
    emitter = make(lrs, batch_size=10)
    delivery = emitter.send([statement(n) for n in range(10)])
    assert (delivery.delivered, delivery.rejected, delivery.pending) == (8, 2, 0)
    stored = answer.lrs.stored  # type: ignore[attr-defined]
    assert list(stored) == [statement(n)["id"] for n in range(10) if n not in (3, 7)]
    rejected = emitter.spool.rejected()
    assert [(r.statement_id, r.status) for r in rejected] == [
        (statement(3)["id"], status),
        (statement(7)["id"], status),
    ]
    assert rejected[0].message == "statement[0].object.id: refused 03"
    assert rejected[0].statement == statement(3)
    assert delivery.rejections == rejected


@pytest.mark.parametrize("status", [401, 403, 404])
def test_a_refused_request_stops_the_flush_at_once(
    make: Callable[..., Emitter], sleeps: list[float], status: int
) -> None:
    delivery = make(ScriptedLrs(status)).send([statement(1)])
    assert delivery.problem == f"the LRS refused the request: {status} scripted {status}"
    assert (delivery.pending, sleeps) == (1, [])


def test_too_many_requests_is_waited_out(make: Callable[..., Emitter]) -> None:
    assert make(ScriptedLrs(429)).send([statement(1)]).complete


def test_enqueue_checks_every_statement_first(make: Callable[..., Emitter]) -> None:
    emitter = make(ScriptedLrs())
    broken = {**statement(2), "actor": {"mbox": "kari"}}
    with pytest.raises(StatementInvalid, match=r"statement\[1\].actor.mbox"):
        emitter.enqueue([statement(1), broken])
    assert emitter.spool.pending_count() == 0


def test_a_statement_without_an_id_gets_one_when_spooled(make: Callable[..., Emitter]) -> None:
    emitter = make(ScriptedLrs())
    without = {k: v for k, v in statement(1).items() if k != "id"}
    assert emitter.enqueue([without]) == 1
    [(_, spooled)] = emitter.spool.pending(10)
    assert uuid.UUID(spooled["id"])


def test_adapter_statements_sent_twice_arrive_once(make: Callable[..., Emitter]) -> None:
    lrs = ScriptedLrs()
    emitter = make(lrs)
    made = get_adapter("kurs-og-samlinger").statements(RECORDS["kurs-og-samlinger"][0])
    assert emitter.send(made).complete
    assert emitter.send(made).complete
    assert len(lrs.stored) == len(made)


def test_one_process_delivers_a_spool_at_a_time(make: Callable[..., Emitter]) -> None:
    emitter = make(ScriptedLrs())
    emitter.enqueue([statement(1)])
    with emitter.spool.exclusive() as ours:
        assert ours
        other = make(ScriptedLrs())
        delivery = other.flush()
    assert delivery.problem == "another process is delivering this spool; try again later"
    assert delivery.pending == 1


def test_the_transport_reports_an_lrs_that_is_not_there() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    transport = RemoteLrsTransport(f"http://127.0.0.1:{port}/xapi", "key", "secret")
    with pytest.raises(TransportFailure, match="Connection refused"):
        transport.post([statement(1)])


def test_the_transport_gives_up_on_an_lrs_that_never_answers() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        transport = RemoteLrsTransport(f"http://127.0.0.1:{port}/xapi", "k", "s", timeout=0.3)
        with pytest.raises(TransportFailure, match=r"no answer from .* within 0.3 s"):
            transport.post([statement(1)])
