"""The About resource: which xAPI versions this LRS speaks."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

router = APIRouter()
VERSIONS = ["1.0.3", "2.0.0"]


@router.api_route("/about", methods=["GET", "HEAD"])
async def about() -> JSONResponse:
    """No authentication and no version header needed (Communication §2.8)."""
    return JSONResponse({"version": VERSIONS, "extensions": {}})
