"""The About resource: which xAPI versions this LRS speaks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter()


@router.api_route("/about", methods=["GET", "HEAD"])
async def about(request: Request) -> JSONResponse:
    """No authentication and no version header needed (Communication §2.8)."""
    return JSONResponse({"version": request.app.state.xapi_versions, "extensions": {}})
