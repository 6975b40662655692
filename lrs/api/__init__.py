"""The LRS's HTTP surface: mount `router` at the xAPI base and call `install`."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from lrs.api import _about, _activities, _agents, _documents, _statements
from lrs.api._alternate import AlternateRequestSyntax
from lrs.api._errors import error_response, install_error_handlers
from lrs.api._middleware import BodyLimit, XapiHeaders
from lrs.model import XapiVersion

XAPI_BASE = _statements.XAPI_BASE
CORS_REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "X-Experience-API-Version",
    "If-Match",
    "If-None-Match",
    "Accept-Language",
]
CORS_RESPONSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "X-Experience-API-Version",
    "X-Experience-API-Consistent-Through",
]

router = APIRouter()
router.include_router(_about.router)
router.include_router(_statements.router)
router.include_router(_documents.router)
router.include_router(_activities.router)
router.include_router(_agents.router)


def install(
    app: FastAPI,
    *,
    max_body_bytes: int,
    versions: list[XapiVersion],
    cors_origins: list[str],
) -> None:
    """Mount the LRS at XAPI_BASE, serving `versions`, with its error handlers and middleware.

    Middleware, outermost first: CORS (browser clients), the body size limit, the Alternate
    Request Syntax (1.0.3), the xAPI response headers, and the JSON 500 for what nobody
    foresaw (`UnexpectedErrors`, which keeps the connection open).
    """
    app.state.xapi_versions = sorted(versions)
    install_error_handlers(app)
    app.include_router(router, prefix=XAPI_BASE)
    app.add_middleware(XapiHeaders, base=XAPI_BASE, versions=sorted(versions))
    app.add_middleware(
        AlternateRequestSyntax,
        base=XAPI_BASE,
        enabled="1.0.3" in versions,
        max_bytes=max_body_bytes,
    )
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=cors_origins,
        allow_methods=["GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS"],
        allow_headers=CORS_REQUEST_HEADERS,
        expose_headers=CORS_RESPONSE_HEADERS,
        max_age=3600,
    )


__all__ = ["XAPI_BASE", "error_response", "install", "router"]
