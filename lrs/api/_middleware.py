"""ASGI middleware for the xAPI base path: the version header and the request size limit."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lrs.api._deps import version_of
from lrs.errors import PayloadTooLarge
from lrs.model import XapiVersion, format_timestamp


class XapiHeaders:
    """Every response under the xAPI base carries `X-Experience-API-Version`.

    The value is the version negotiated from the request, or the newest served version when the
    request names none that is served.
    Every answer to GET/HEAD on the Statements resource, errors included, also carries
    `X-Experience-API-Consistent-Through` (clients poll it to know their writes are visible).
    """

    def __init__(self, app: ASGIApp, base: str, versions: list[XapiVersion]) -> None:
        self.app = app
        self.base = base
        self.versions = versions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.base):
            await self.app(scope, receive, send)
            return
        requested = dict(scope["headers"]).get(b"x-experience-api-version", b"")
        negotiated = version_of(requested.decode("latin-1"), self.versions)
        version = (negotiated or max(self.versions)).encode()
        statements_read = (
            scope["method"] in ("GET", "HEAD")
            and scope["path"].rstrip("/") == f"{self.base}/statements"
        )

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"x-experience-api-version"
                ]
                headers.append((b"x-experience-api-version", version))
                if statements_read and not any(
                    k.lower() == b"x-experience-api-consistent-through" for k, _ in headers
                ):
                    now = format_timestamp(datetime.now(UTC)).encode()
                    headers.append((b"x-experience-api-consistent-through", now))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_version)


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # Raised inside the app, so the LRS's error handler answers 413.
                    raise PayloadTooLarge(self._message)
            return message

        await self.app(scope, counting_receive, send)

    @property
    def _message(self) -> str:
        return f"the request body is larger than {self.max_bytes} bytes"

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "status": 413,
                "error": "Content Too Large",
                "message": self._message,
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
