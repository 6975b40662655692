"""The emitter: statements to an LRS without losing any.

`enqueue` writes statements to the durable spool (nothing is sent yet); `flush` delivers the
spool in order, in batches, retrying with exponential backoff while the LRS is unreachable or
answers 5xx/429. What the LRS refuses for good (400, 409, 413) is narrowed down by splitting
the batch until the refused statements stand alone; they are set aside with the LRS's message
and the rest is delivered. When the LRS stays down, the flush stops and everything stays in the
spool for the next one. Deterministic statement ids make re-sending safe: the LRS accepts an
identical statement again without storing it twice, so everything arrives exactly once::

    transport = RemoteLrsTransport("https://lrs.example/xapi", key, secret)
    with Emitter(transport, Path("spool.sqlite3")) as emitter:
        emitter.enqueue(get_adapter("kurs-og-samlinger").statements(record))
        delivery = emitter.flush()   # Delivery(delivered=2, rejected=0, pending=0, ...)
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from adapters._base import XAPI_VERSION
from adapters._errors import TransportFailure
from adapters._spool import Rejection, Spool
from adapters._transport import Answer, Transport
from lrs.model import validate_statement

PERMANENT = frozenset({400, 409, 413})
"""Answers about the statements themselves: sending them again cannot help."""
TRANSIENT = frozenset({408, 425, 429})
"""Answers that may change by waiting (with every 5xx)."""

Progress = Callable[[int, int], None]
"""Called with (statements settled so far, statements to settle) during a flush."""


@dataclass(frozen=True)
class Retry:
    """How a batch is retried within one flush: `attempts` tries, the delays doubling from
    `first_delay` up to `max_delay`, each with up to half of it as random jitter."""

    attempts: int = 6
    first_delay: float = 0.5
    max_delay: float = 30.0

    def delays(self, rng: random.Random) -> Iterator[float]:
        delay = self.first_delay
        while True:
            yield delay / 2 + rng.uniform(0, delay / 2)
            delay = min(delay * 2, self.max_delay)


@dataclass
class Delivery:
    """What one flush did. `problem` says why it stopped before the spool was empty."""

    delivered: int = 0
    rejected: int = 0
    pending: int = 0
    problem: str | None = None
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.problem is None and self.pending == 0


class Emitter:
    """Sends statements to an LRS through `transport`, spooled on disk at `spool`."""

    def __init__(
        self,
        transport: Transport,
        spool: Spool | Path,
        *,
        batch_size: int = 100,
        retry: Retry | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.transport = transport
        self.spool = spool if isinstance(spool, Spool) else Spool(spool)
        self.batch_size = batch_size
        self.retry = retry or Retry()
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not a secret

    def __enter__(self) -> Emitter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.spool.close()

    def enqueue(self, statements: Iterable[Mapping[str, Any]]) -> int:
        """Check and spool statements, in order; returns how many were new.

        A statement without an id gets a random one now, so that re-sending it is safe too.
        Raises `lrs.errors.StatementInvalid` (spooling nothing) if one breaks the xAPI rules.
        """
        ready = []
        for index, statement in enumerate(statements):
            item = dict(statement)
            item.setdefault("id", str(uuid.uuid4()))
            validate_statement(item, version=XAPI_VERSION, path=f"statement[{index}]")
            ready.append(item)
        return self.spool.add(ready)

    def send(
        self, statements: Iterable[Mapping[str, Any]], progress: Progress | None = None
    ) -> Delivery:
        """Enqueue, then flush."""
        self.enqueue(statements)
        return self.flush(progress)

    def flush(self, progress: Progress | None = None) -> Delivery:
        """Deliver the spool, oldest first, until it is empty or the LRS cannot be reached."""
        report = Delivery()
        with self.spool.exclusive() as ours:
            if not ours:
                report.problem = "another process is delivering this spool; try again later"
            else:
                total = self.spool.pending_count()
                while report.problem is None:
                    batch = self.spool.pending(self.batch_size)
                    if not batch:
                        break
                    report.problem = self._deliver(batch, report)
                    if progress is not None:
                        progress(report.delivered + report.rejected, total)
        report.pending = self.spool.pending_count()
        return report

    def _deliver(self, batch: list[tuple[int, dict[str, Any]]], report: Delivery) -> str | None:
        answer, problem = self._post(batch)
        if answer is None:
            return problem
        if 200 <= answer.status < 300:
            self.spool.delivered(seq for seq, _ in batch)
            report.delivered += len(batch)
            return None
        if answer.status not in PERMANENT:
            return f"the LRS refused the request: {answer.status} {answer.message()}"
        if len(batch) == 1:
            report.rejections.append(
                self.spool.reject(batch[0][0], answer.status, answer.message())
            )
            report.rejected += 1
            return None
        middle = len(batch) // 2
        return self._deliver(batch[:middle], report) or self._deliver(batch[middle:], report)

    def _post(self, batch: list[tuple[int, dict[str, Any]]]) -> tuple[Answer | None, str]:
        statements = [statement for _, statement in batch]
        delays = self.retry.delays(self._rng)
        failure = ""
        for attempt in range(1, self.retry.attempts + 1):
            try:
                answer = self.transport.post(statements)
            except TransportFailure as exc:
                failure = f"the LRS cannot be reached: {exc}"
            else:
                if answer.status not in TRANSIENT and answer.status < 500:
                    return answer, ""
                failure = f"the LRS answered {answer.status}: {answer.message()}"
            if attempt < self.retry.attempts:
                self._sleep(next(delays))
        tries = f"{self.retry.attempts} attempt{'s' if self.retry.attempts > 1 else ''}"
        return None, f"{failure} ({tries}; the statements stay spooled)"
