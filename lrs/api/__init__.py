"""The LRS's HTTP surface: mount `router` at the xAPI base and call `install`."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from lrs.api import _about, _activities, _agents, _documents, _statements
from lrs.api._errors import error_response, install_error_handlers
from lrs.api._middleware import BodyLimit, XapiHeaders
from lrs.model import XapiVersion

XAPI_BASE = _statements.XAPI_BASE

router = APIRouter()
router.include_router(_about.router)
router.include_router(_statements.router)
router.include_router(_documents.router)
router.include_router(_activities.router)
router.include_router(_agents.router)


def install(app: FastAPI, *, max_body_bytes: int, versions: list[XapiVersion]) -> None:
    """Mount the LRS at XAPI_BASE, serving `versions`, with its error handlers and middleware."""
    app.state.xapi_versions = sorted(versions)
    install_error_handlers(app)
    app.include_router(router, prefix=XAPI_BASE)
    app.add_middleware(XapiHeaders, base=XAPI_BASE, versions=sorted(versions))
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)


__all__ = ["XAPI_BASE", "error_response", "install", "router"]
