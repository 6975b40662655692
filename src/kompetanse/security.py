"""What every response outside the LRS carries, and what every state-changing request must show.

`SecurityHeaders` adds a Content-Security-Policy without inline script, frame-ancestors
'none' and X-Frame-Options (so no page, such as the exemption form, can be framed), nosniff,
a Referrer-Policy, and HSTS behind TLS. `SameOrigin` refuses a state-changing request
(POST, PUT, PATCH, DELETE) to `/api` or the pages that a browser sent from another site, told
by `Origin` (or, without it, `Sec-Fetch-Site`), and a body to `/api` that is not
`application/json`: an HTML form on another site can post `text/plain`, `multipart/form-data`
or a form, never JSON without CORS's preflight, which this site does not grant for `/api`.
Clients that are not browsers send neither header and are not affected. The pages' forms also
carry a token (`kompetanse.pages`), sign-in included.

The LRS under `/xapi` is left to its own rules: HTTP Basic (never a cookie) and CORS for
e-learning in the browser.
"""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kompetanse.settings import Settings
from lrs.api import XAPI_BASE, error_response
from lrs.auth import Throttle

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON = "application/json"


def content_security_policy(form_targets: tuple[str, ...] = ()) -> str:
    """Only this site's scripts, styles and images; no plugins; never framed. `form_targets`:
    other origins a form may lead to (the identity provider's sign-out)."""
    forms = " ".join(("'self'", *form_targets))
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"object-src 'none'; base-uri 'none'; form-action {forms}; frame-ancestors 'none'"
    )


def behind_tls(headers: Headers, scheme: str) -> bool:
    return scheme == "https" or headers.get("x-forwarded-proto") == "https"


class SecurityHeaders:
    """Security headers on every response outside the LRS."""

    def __init__(self, app: ASGIApp, *, form_targets: tuple[str, ...] = ()) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(form_targets).encode()),
            (b"x-frame-options", b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _is_lrs(scope["path"]):
            await self.app(scope, receive, send)
            return
        tls = behind_tls(Headers(scope=scope), scope["scheme"])

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
                if tls:
                    message["headers"].append(
                        (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
                    )
            await send(message)

        await self.app(scope, receive, sending)


class SameOrigin:
    """Refuses cross-site state-changing requests (403) and non-JSON bodies to /api (415)."""

    def __init__(self, app: ASGIApp, *, public_url: str | None = None) -> None:
        self.app = app
        self.public = urlsplit(public_url) if public_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE or _is_lrs(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = self.cross_site(headers, scope["scheme"])
        status = 403
        if problem is None and scope["path"].startswith("/api/") and _has_body(headers):
            media_type = headers.get("content-type", "").split(";")[0].strip().lower()
            if media_type != JSON:
                problem = f"Content-Type: {JSON} is required (not {media_type or 'none'})"
                status = 415
        if problem is None:
            await self.app(scope, receive, send)
            return
        await error_response(status, problem)(scope, receive, send)

    def cross_site(self, headers: Headers, scheme: str) -> str | None:
        """Why the request came from another site, or None."""
        origin = headers.get("origin")
        if origin is None:
            if headers.get("sec-fetch-site") == "cross-site":
                return "Sec-Fetch-Site: cross-site requests may not change anything here"
            return None
        found = urlsplit(origin)
        if self.public is not None:
            same = (found.scheme, found.netloc) == (self.public.scheme, self.public.netloc)
        else:  # the browser sets Host and Origin; a page on another site cannot forge either
            same = found.netloc == headers.get("host", "") and found.scheme in ("http", "https")
        if same:
            return None
        return (
            f"Origin: {origin} is not this site; requests from other sites may not change anything"
        )


def _is_lrs(path: str) -> bool:
    return path == XAPI_BASE or path.startswith(XAPI_BASE + "/")


def _has_body(headers: Headers) -> bool:
    return headers.get("content-length", "0") != "0" or "transfer-encoding" in headers


def install(app: FastAPI, settings: Settings) -> None:
    """The middleware, outermost of all, so that every answer (a refusal too) has the headers;
    and the one throttle of failed sign-ins and xAPI authentications (`app.state.throttle`)."""
    app.state.throttle = Throttle(
        free_failures=settings.throttle.free_failures,
        free_failures_per_address=settings.throttle.free_failures_per_address,
        first_delay=settings.throttle.first_delay_seconds,
        max_delay=settings.throttle.max_delay_seconds,
        forget_after=settings.throttle.forget_after_seconds,
    )
    issuer = settings.oidc.issuer if settings.oidc.enabled else None
    targets = (_origin(issuer),) if issuer else ()
    unique_operations(app)
    app.add_middleware(SameOrigin, public_url=settings.public_url)
    app.add_middleware(SecurityHeaders, form_targets=targets)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def unique_operations(app: FastAPI) -> None:
    """/openapi.json with one operation id per method: FastAPI gives a route of several methods
    (GET and HEAD, PUT and POST) the same id for each, and warns while it builds the schema."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Duplicate Operation ID", UserWarning)
                schema = build()
            for operations in schema.get("paths", {}).values():
                for method, operation in operations.items():
                    if isinstance(operation, dict) and "operationId" in operation:
                        operation["operationId"] = f"{operation['operationId']}_{method}"
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
