"""JSON responses of the Activities and Agents resources, with their ETag."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import Request, Response


def json_response(body: Any, request: Request) -> Response:
    """`body` as JSON with an ETag, the quoted SHA-1 of the content (Communication §3.1.s4);
    the same headers and no body for HEAD."""
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    etag = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    if request.method == "HEAD":
        content = b""
    return Response(content, media_type="application/json", headers={"ETag": f'"{etag}"'})
