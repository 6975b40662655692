"""The Alternate Request Syntax of xAPI 1.0.3 (Communication §1.3), for clients that can only POST.

``POST /xapi/statements?method=PUT`` with an ``application/x-www-form-urlencoded`` body whose
fields are the request's headers (Authorization, X-Experience-API-Version, Content-Type,
If-Match, If-None-Match), its parameters, and its ``content``. This middleware turns such a
request into the request it stands for, before anything else sees it. xAPI 2.0 dropped the
syntax, so a request that names 2.0 (or an LRS that serves only 2.0) gets 400.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lrs.api._errors import error_response

HEADER_FIELDS = {
    "authorization",
    "x-experience-api-version",
    "content-type",
    "content-length",
    "if-match",
    "if-none-match",
}
METHODS = {"GET", "HEAD", "PUT", "POST", "DELETE"}
FORM = "application/x-www-form-urlencoded"


class AlternateRequestSyntax:
    def __init__(self, app: ASGIApp, base: str, enabled: bool, max_bytes: int) -> None:
        self.app = app
        self.base = base
        self.enabled = enabled
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.base):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        if "method" not in {name for name, _ in query} or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive, self.max_bytes)
        try:
            rewritten, content = self._rewrite(scope, query, body)
        except _Refused as refused:
            response = error_response(refused.status, refused.message)
            response.headers["X-Experience-API-Version"] = "1.0.3"
            await response(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": content, "more_body": False}

        await self.app(rewritten, replay, send)

    def _rewrite(
        self, scope: Scope, query: list[tuple[str, str]], body: bytes | None
    ) -> tuple[Scope, bytes]:
        if not self.enabled:
            raise _Refused(400, "method: the Alternate Request Syntax is not served (xAPI 2.0)")
        if body is None:
            raise _Refused(413, f"the request body is larger than {self.max_bytes} bytes")
        if len(query) != 1:
            raise _Refused(
                400,
                "method: with the Alternate Request Syntax, the query string "
                "holds only the method; send the parameters as form fields",
            )
        method = query[0][1].upper()
        if method not in METHODS:
            raise _Refused(
                400, f"method: {query[0][1]!r} is not one of {', '.join(sorted(METHODS))}"
            )
        headers = dict(scope["headers"])
        media_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if media_type != FORM.encode():
            raise _Refused(400, f"Content-Type: the Alternate Request Syntax needs {FORM}")
        try:
            fields = parse_qsl(
                body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body)
            )
        except (UnicodeDecodeError, ValueError) as exc:
            raise _Refused(400, f"body: not a URL-encoded form ({exc})") from exc
        form: dict[str, str] = {}
        for name, value in fields:
            if name in form:
                raise _Refused(400, f"{name}: the form field is given more than once")
            form[name] = value
        content = form.pop("content", "").encode()
        if method in ("PUT", "POST") and not content:
            raise _Refused(400, "content: the form field with the request's content is required")
        new_headers = {
            k: v for k, v in headers.items() if k not in (b"content-type", b"content-length")
        }
        for name in list(form):
            if name.lower() in HEADER_FIELDS:
                new_headers[name.lower().encode()] = form.pop(name).encode()
        version = new_headers.get(b"x-experience-api-version", b"")
        if version.strip().startswith(b"2."):
            raise _Refused(400, "method: xAPI 2.0 has no Alternate Request Syntax")
        new_headers.pop(b"content-length", None)
        if content:
            new_headers.setdefault(b"content-type", b"application/json")
            new_headers[b"content-length"] = str(len(content)).encode()
        rewritten: dict[str, Any] = {
            **scope,
            "method": method,
            "headers": list(new_headers.items()),
            "query_string": urlencode(form).encode(),
        }
        return rewritten, content


async def _read_body(receive: Receive, max_bytes: int) -> bytes | None:
    """The whole body, or None when it is larger than `max_bytes`."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
