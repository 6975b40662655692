"""Reading statement bodies: JSON (and, in a later issue, multipart/mixed with attachments)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from lrs.errors import BadRequest


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


async def read_json(request: Request) -> Any:
    """The request body as JSON; BadRequest for another media type or malformed JSON."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise BadRequest(
            f"Content-Type: {media_type or 'none'} is not accepted here; use application/json"
        )
    raw = await request.body()
    try:
        return json.loads(raw, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"body: not valid JSON ({exc})") from exc
