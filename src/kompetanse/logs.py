"""Logs: one request id per request, in a response header and in every line the request causes;
plain text for a terminal (the default) or one JSON object a line (`KOMPETANSE_LOG_FORMAT=json`).

    {"time": "2026-03-02T08:15:00.123Z", "level": "info", "logger": "kompetanse.access",
     "message": "POST /xapi/statements 200", "request_id": "9f0c...", "method": "POST",
     "path": "/xapi/statements", "route": "/xapi/statements", "status": 200,
     "duration_ms": 4.2}

What a request's line holds is chosen so that no secret and no personal data reaches the logs:
the method, the path without its query string (an xAPI query names agents by e-mail), the
route, the status and the time taken; never headers, bodies or the client's address. Ids
(statement ids, employee ids in a page's path) are what an operator needs to follow a request.

`RequestIds` is the outermost middleware (see `install`); `logging_config` is what `kompetanse
serve` hands uvicorn, so uvicorn's own lines are formatted the same way.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
"""The id of the request being served (None outside a request)."""

access_log = logging.getLogger("kompetanse.access")
# A client's own id is kept when it is short and plain, so a trace can cross services.
_CLIENT_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# Attributes every LogRecord has; anything else was passed in `extra` and is kept in JSON.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "color_message"}


class RequestIds:
    """Gives each HTTP request an id (the client's `X-Request-ID` when it is a plain token of
    8-128 characters, else a new UUID), returns it in `X-Request-ID`, and logs one line per
    request to `kompetanse.access` when the response has started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _CLIENT_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500  # if the app fails before it answers

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            access_log.info(
                "%s %s %d",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "route": route_template(scope),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id.reset(token)


def route_template(scope: Scope) -> str | None:
    """The path template of the route that served the request (`/xapi/statements`,
    `/kontoret/{office}`), or None when none matched. A route of an included router knows its
    path without the router's prefix; the prefix is the request path's leading segments."""
    template = getattr(scope.get("route"), "path", None)
    if not isinstance(template, str) or not template:
        return None
    if ":path}" in template:  # matches several segments: the prefix cannot be told apart
        return template
    path = str(scope["path"])
    extra = path.rstrip("/").count("/") - template.rstrip("/").count("/")
    return "/".join(path.split("/")[: extra + 1]) + template if extra > 0 else template


class RequestIdFilter(logging.Filter):
    """Stamps every record with the id of the request it was logged in (`record.request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, what was passed
    in `extra`, and the exception's traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None)
        if rid is not None:
            line["request_id"] = rid
        for name, value in vars(record).items():
            if name not in _STANDARD and name != "request_id" and not name.startswith("_"):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """uvicorn's look for a terminal, with the request id at the end of a request's lines."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-8s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        rid = getattr(record, "request_id", None)
        return f"{text} [{rid}]" if rid else text


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the server process: every logger (the product's and
    uvicorn's) to stderr, in `log_format` ("text" or "json"), at `level`. uvicorn's access
    log is left off: `RequestIds` writes a line per request that leaves out the query string."""
    formatter = "kompetanse.logs.JsonFormatter" if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": {"()": formatter}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "default",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            name: {"handlers": [], "level": level.upper(), "propagate": True}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


def install(app: FastAPI) -> None:
    """Request ids and the access line, outermost of the middleware (call it last)."""
    app.add_middleware(RequestIds)


__all__ = [
    "REQUEST_ID_HEADER",
    "JsonFormatter",
    "RequestIdFilter",
    "RequestIds",
    "TextFormatter",
    "install",
    "logging_config",
    "request_id",
    "route_template",
]
