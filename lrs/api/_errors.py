"""One JSON error shape for every failure, produced in one place.

    {"status": 400, "error": "Bad Request", "message": "statement[3].actor.mbox: ...",
     "path": "statement[3].actor.mbox"}

`path` is present when the error is about one property.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lrs.errors import LrsError, PayloadTooLarge, StatementInvalid, TooManyRequests, Unauthorized

log = logging.getLogger(__name__)
REALM = 'Basic realm="kompetanse LRS", charset="UTF-8"'


def error_response(
    status: int, message: str, path: str | None = None, *, basic: bool = True
) -> JSONResponse:
    body: dict[str, object] = {
        "status": status,
        "error": HTTPStatus(status).phrase,
        "message": message,
    }
    if path is not None:
        body["path"] = path
    headers = {"WWW-Authenticate": REALM} if status == 401 and basic else None
    return JSONResponse(body, status_code=status, headers=headers)


async def _lrs_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, LrsError)  # noqa: S101 - registered for LrsError only
    path = exc.path if isinstance(exc, StatementInvalid | PayloadTooLarge) else None
    if isinstance(exc, Unauthorized):
        # The xAPI resources use HTTP Basic; the catalog's API a session cookie (no browser prompt).
        return error_response(401, exc.message, basic=request.url.path.startswith("/xapi"))
    if isinstance(exc, TooManyRequests):
        response = error_response(429, exc.message)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    return error_response(exc.status_code, exc.message, path)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)  # noqa: S101
    return error_response(exc.status_code, str(exc.detail))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    first = exc.errors()[0]
    path = ".".join(str(part) for part in first["loc"])
    return error_response(400, f"{path}: {first['msg']}", path)


class UnexpectedErrors:
    """Answers an unexpected exception with the JSON 500 itself, logged once.

    Starlette's own handler for `Exception` answers and then raises again, and uvicorn closes
    the connection; this keeps it open for the client's next request (a keep-alive pool).
    Innermost of the middleware, so the others still add their headers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            if started:
                raise
            log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            response = error_response(500, "the server failed; the error is logged")
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LrsError, _lrs_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_middleware(UnexpectedErrors)
