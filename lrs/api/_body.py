"""Reading statement bodies: JSON, or multipart/mixed with attachment parts."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import Request

from lrs.api._multipart import parse_multipart
from lrs.errors import BadRequest
from lrs.model import MAX_DEPTH

Attachments = dict[str, tuple[str, bytes]]  # sha2 -> (content type, bytes)


def parse_json(raw: bytes, where: str = "body") -> Any:
    """Parsed JSON; 400 naming `where` when it is not JSON or nests too deep to be read.

    What parses may still be beyond what is stored (`lrs.model.check_storable` says): that
    is also where `NaN` and `Infinity`, which Python's parser reads as numbers though JSON has
    no such thing, are refused, naming the property that holds them.
    """
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise BadRequest(
            f"{where}: nests deeper than the {MAX_DEPTH} levels of JSON the LRS accepts"
        ) from exc
    except ValueError as exc:
        raise BadRequest(f"{where}: not valid JSON ({exc})") from exc


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_statements(request: Request) -> tuple[Any, Attachments | None]:
    """The statement JSON and, for multipart/mixed, the attachment parts by their hash."""
    kind = media_type(request)
    raw = await request.body()
    if kind == "application/json":
        return parse_json(raw), None
    if kind == "multipart/mixed":
        return _read_multipart(raw, request.headers["content-type"])
    raise BadRequest(
        f"Content-Type: {kind or 'none'} is not accepted; use application/json, or "
        "multipart/mixed for statements with attachments"
    )


def _read_multipart(raw: bytes, content_type: str) -> tuple[Any, Attachments]:
    first, *rest = parse_multipart(raw, content_type)
    if first.content_type != "application/json":
        raise BadRequest("body part 0: the first part must be the statements, application/json")
    attachments: Attachments = {}
    for index, part in enumerate(rest, start=1):
        declared = part.headers.get("x-experience-api-hash")
        if not declared:
            raise BadRequest(f"body part {index}: the X-Experience-API-Hash header is required")
        if part.headers.get("content-transfer-encoding", "").lower() != "binary":
            raise BadRequest(f"body part {index}: Content-Transfer-Encoding must be binary")
        actual = hashlib.sha256(part.content).hexdigest()
        if actual != declared.lower():
            raise BadRequest(
                f"body part {index}: X-Experience-API-Hash {declared} is not the SHA-256 "
                f"of the part ({actual})"
            )
        attachments[actual] = (part.content_type or "application/octet-stream", part.content)
    return parse_json(first.content, "body part 0"), attachments
