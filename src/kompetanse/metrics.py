"""The product's Prometheus metrics, defined once, and `/metrics` in Prometheus' text format.

Other modules import what they count from here, e.g. the e-mail sender:

    from kompetanse.metrics import EMAILS_FAILED, EMAILS_SENT
    EMAILS_SENT.inc()

`/metrics` answers only a request with `Authorization: Bearer <KOMPETANSE_METRICS_TOKEN>`;
with no token set it answers 404 (metrics are off). Under `kompetanse serve --workers N` every
process counts in files of its own (prometheus-client's multiprocess mode, in
`PROMETHEUS_MULTIPROC_DIR`, which `serve` sets) and a scrape of any one adds them all up.
"""

from __future__ import annotations

import email.parser
import email.policy
import inspect
import json
import logging
import math
import os
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kompetanse.logs import route_template
from lrs.api import error_response
from lrs.errors import LrsError, StoreUnavailable

log = logging.getLogger(__name__)
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# The text format every Prometheus reads (what generate_latest writes); newer clients announce
# version=1.0.0, which older servers do not know.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

HTTP_REQUESTS = Counter(
    "kompetanse_http_requests_total",
    "HTTP requests answered, by method, route (the path template) and status",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "kompetanse_http_request_duration_seconds",
    "Time from a request's arrival to the end of its response, by method and route",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
STATEMENTS_STORED = Counter(
    "kompetanse_statements_stored",
    "Statements in accepted PUT/POST requests (stored now, or stored already)",
)
STATEMENTS_REJECTED = Counter(
    "kompetanse_statements_rejected",
    "Statements in refused PUT/POST requests (a batch is refused whole), by HTTP status",
    ["status"],
)
STATEMENT_BATCH_SIZE = Histogram(
    "kompetanse_statement_batch_size",
    "Statements per PUT/POST request on the Statements resource",
    buckets=(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000),
)
PROJECTION_LAG = Gauge(
    "kompetanse_projection_lag_seconds",
    "How far the catalog's completion projection is behind the statements (NaN: unknown)",
    multiprocess_mode="livemostrecent",
)
EMAILS_SENT = Counter("kompetanse_emails_sent", "E-mails handed to the mail server")
EMAILS_FAILED = Counter("kompetanse_emails_failed", "E-mails the mail server did not take")
STORE_ERRORS = Counter(
    "kompetanse_store_errors",
    "Requests answered 503 because the database failed, by kind (the driver's error class)",
    ["kind"],
)


class StatementMetrics:
    """Counts the statements of every PUT and POST on the Statements resource: stored (the ids
    answered), refused (by status; a batch is refused whole) and the batch sizes. The request's
    body is kept (the chunks the app reads anyway) and read again only when it was refused."""

    def __init__(self, app: ASGIApp, path: str = "/xapi/statements") -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = _method(scope) if scope["type"] == "http" else None
        if method not in ("PUT", "POST") or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        received: list[bytes] = []
        answered: list[bytes] = []
        status = 500

        async def receiving() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received.append(message.get("body", b""))
            return message

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body" and status == 200:
                answered.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receiving, sending)
        if status in (200, 204):
            count = (
                1 if scope["method"] == "PUT" else _count(b"".join(answered), "application/json")
            )
            STATEMENTS_STORED.inc(count)
        else:
            count = _count(b"".join(received), _header(scope, b"content-type"))
            STATEMENTS_REJECTED.labels(status=str(status)).inc(count)
        STATEMENT_BATCH_SIZE.observe(count)


def _alternate(scope: Scope) -> bool:
    """The Alternate Request Syntax: `POST ...?method=PUT` with the statement in a form."""
    return scope["method"] == "POST" and b"method=" in scope.get("query_string", b"")


def _method(scope: Scope) -> str:
    """The method the request means (the Alternate Request Syntax names it in the query)."""
    if _alternate(scope):
        query = scope["query_string"].decode("latin-1")
        return str(dict(parse_qsl(query)).get("method", "")).upper()
    return str(scope["method"])


def _header(scope: Scope, name: bytes) -> str:
    value: bytes = dict(scope["headers"]).get(name, b"")
    return value.decode("latin-1")


def _count(body: bytes, content_type: str) -> int:
    """The statements in a body: a JSON array's length, else one (a statement, or a body that
    holds none that could be read). A multipart body's statements are its first part."""
    if content_type.lower().startswith("multipart/"):
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
        )
        first = next(iter(message.iter_parts()), None) if message.is_multipart() else None
        payload = first.get_payload(decode=True) if first is not None else None
        body = payload if isinstance(payload, bytes) else b""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse: refused
        return 1
    return len(parsed) if isinstance(parsed, list) else 1


class HttpMetrics:
    """Counts every HTTP response by method, route and status, and times it. The route is the
    matched path template (`/kontoret/{office}`), `unmatched` for a 404 that matched none (so
    a scan of random paths does not make a series per path), or `other` (static files)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = route_template(scope) or ("unmatched" if status == 404 else "other")
            method = scope["method"]
            HTTP_REQUESTS.labels(method=method, route=route, status=str(status)).inc()
            HTTP_LATENCY.labels(method=method, route=route).observe(time.perf_counter() - started)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    token = request.app.state.settings.metrics_token
    if token is None:
        return error_response(404, "metrics are off: set KOMPETANSE_METRICS_TOKEN", basic=False)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        given.strip().encode(), token.get_secret_value().encode()
    ):
        response = error_response(401, "/metrics: send Authorization: Bearer <token>", basic=False)
        response.headers["WWW-Authenticate"] = 'Bearer realm="kompetanse metrics"'
        return response
    await _measure_projection_lag(request.app)
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE)


async def _measure_projection_lag(app: FastAPI) -> None:
    """The catalog's own measure, where it has one (`CatalogService.projection_lag`); without
    one the projection is updated while each statement is stored, so it is not behind."""
    projection_lag = getattr(getattr(app.state, "catalog", None), "projection_lag", None)
    if projection_lag is None:
        PROJECTION_LAG.set(0.0)
        return
    try:
        PROJECTION_LAG.set(float(await projection_lag()))
    except Exception:
        log.warning("the projection's lag could not be measured", exc_info=True)
        PROJECTION_LAG.set(math.nan)


def _registry() -> CollectorRegistry:
    if not os.environ.get(MULTIPROCESS_DIR):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def install(app: FastAPI) -> None:
    """`/metrics`, the HTTP metrics (middleware: call it after every other but the logs'), and
    store errors counted by kind as they become 503s (the LRS's own handler still answers)."""
    answer = app.exception_handlers[LrsError]

    async def store_unavailable(request: Request, exc: Exception) -> Any:
        cause = exc.__cause__
        kind = type(cause).__name__ if cause is not None else type(exc).__name__
        STORE_ERRORS.labels(kind=kind).inc()
        log.warning("the database failed (%s): %s", kind, exc)
        answered = answer(request, exc)
        return await answered if inspect.isawaitable(answered) else answered

    app.add_exception_handler(StoreUnavailable, store_unavailable)
    app.include_router(router)
    app.add_middleware(StatementMetrics)
    app.add_middleware(HttpMetrics)


__all__ = [
    "EMAILS_FAILED",
    "EMAILS_SENT",
    "HTTP_LATENCY",
    "HTTP_REQUESTS",
    "PROJECTION_LAG",
    "STATEMENTS_REJECTED",
    "STATEMENTS_STORED",
    "STATEMENT_BATCH_SIZE",
    "STORE_ERRORS",
    "HttpMetrics",
    "StatementMetrics",
    "install",
]
