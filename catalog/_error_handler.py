"""The catalog's errors as HTTP answers, in one handler: the LRS's JSON error shape
(`lrs.api.error_response`), `path` when one property is to blame, `Retry-After` on a 429.
The pages render the same errors as HTML (`kompetanse.pages`)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from catalog.errors import CatalogError, TooManyRequests
from lrs.api import error_response


def catalog_error_response(exc: CatalogError) -> JSONResponse:
    # The catalog's API signs in with a session cookie: no HTTP Basic prompt on a 401.
    response = error_response(exc.status_code, exc.message, exc.path, basic=False)
    if isinstance(exc, TooManyRequests):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _catalog_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CatalogError)  # noqa: S101 - registered for CatalogError only
    return catalog_error_response(exc)


def install_error_handler(app: FastAPI) -> None:
    """Answer every CatalogError that reaches the app (the JSON API's) with its status."""
    app.add_exception_handler(CatalogError, _catalog_error)
