"""Sending a batch of statements to an LRS: TinCanPy's `RemoteLRS`, the reference xAPI client.

The statements are sent as the adapters built them (TinCanPy's own statement model would
rewrite durations and timestamps and drop what it does not know), through RemoteLRS's
request machinery: its endpoint handling, Basic authentication and version header.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tincan import HTTPRequest, RemoteLRS

from adapters._errors import TransportFailure


@dataclass(frozen=True)
class Answer:
    """What the LRS answered: the HTTP status and the body as text."""

    status: int
    body: str

    def message(self) -> str:
        """The LRS's error message (the ``message`` of a JSON error body), else the body."""
        try:
            parsed = json.loads(self.body)
        except ValueError:
            parsed = None
        message = parsed.get("message") if isinstance(parsed, dict) else None
        if isinstance(message, str):
            return message
        return self.body.strip()[:1000] or f"HTTP {self.status}"


class Transport(Protocol):
    """Posts one batch; raises `TransportFailure` when the LRS cannot be reached."""

    def post(self, statements: Sequence[Mapping[str, Any]]) -> Answer: ...


class _RemoteLRS(RemoteLRS):  # type: ignore[misc]  # TinCanPy is untyped
    def post_statements(self, body: str) -> Any:
        request = HTTPRequest(
            method="POST",
            resource="statements",
            headers={"Content-Type": "application/json"},
            query_params={},
            content=body,
        )
        return self._send_request(request)


class RemoteLrsTransport:
    """Batches to any conformant LRS over TinCanPy's RemoteLRS (HTTP Basic, xAPI 1.0.3).

    `timeout` bounds each request (RemoteLRS sets no socket timeout): a request that has not
    been answered by then counts as failed and is retried, which is safe because statement
    ids are deterministic and the LRS accepts an identical statement again.
    """

    def __init__(
        self,
        endpoint: str,
        username: str,
        password: str,
        *,
        version: str = "1.0.3",
        timeout: float = 60.0,
    ) -> None:
        self._lrs = _RemoteLRS(
            endpoint=endpoint, version=version, username=username, password=password
        )
        self.endpoint = str(self._lrs.endpoint)
        self.timeout = timeout

    def post(self, statements: Sequence[Mapping[str, Any]]) -> Answer:
        # ASCII JSON: RemoteLRS hands the body to http.client, which encodes text as Latin-1.
        body = json.dumps(list(statements), ensure_ascii=True)
        outcome: list[Any] = []

        def send() -> None:
            try:
                outcome.append(self._lrs.post_statements(body))
            except Exception as exc:  # network, protocol or TinCanPy errors alike
                outcome.append(exc)

        worker = threading.Thread(target=send, name="kompetanse-emitter", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive() or not outcome:
            raise TransportFailure(f"no answer from {self.endpoint} within {self.timeout:g} s")
        if isinstance(outcome[0], Exception):
            raise TransportFailure(f"{self.endpoint}: {outcome[0]}") from outcome[0]
        response = outcome[0]
        data = response.data
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data or "")
        return Answer(int(response.response.status), text)
