"""multipart/mixed bodies (statements with attachments), read and written (Communication §1.5.2)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from lrs.errors import BadRequest


@dataclass(frozen=True)
class Part:
    headers: dict[str, str]  # lower-case names
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def boundary_of(content_type: str) -> str:
    """The boundary parameter of a multipart Content-Type."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "boundary" and value.strip():
            return value.strip().strip('"')
    raise BadRequest("Content-Type: multipart/mixed needs a boundary parameter")


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """The parts of a multipart body, in order; BadRequest names what is malformed."""
    boundary = boundary_of(content_type).encode()
    newline = b"\r\n" if b"\r\n" in body else b"\n"
    delimiter = newline + b"--" + boundary
    sections = (newline + body).split(delimiter)
    if len(sections) < 3 or not sections[-1].startswith(b"--"):
        raise BadRequest("body: a multipart/mixed body must have parts and a closing boundary")
    parts = []
    for index, section in enumerate(sections[1:-1]):
        head, separator, content = section.partition(newline + newline)
        if not separator:
            raise BadRequest(f"body part {index}: no blank line after the part's headers")
        headers: dict[str, str] = {}
        for line in head.decode("latin-1").splitlines():
            if not line.strip():
                continue
            name, colon, value = line.partition(":")
            if not colon:
                raise BadRequest(f"body part {index}: malformed header line {line!r}")
            headers[name.strip().lower()] = value.strip()
        parts.append(Part(headers, content))
    return parts


def build_multipart(first: bytes, attachments: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/mixed body: JSON first, then (sha2, content type, bytes) parts.

    Returns the body and its Content-Type. The boundary is made of token characters only
    (letters, digits and "-"), so it needs no quotes: some clients (TinCanJS) cannot read a
    quoted one.
    """
    boundary = "kompetanse-" + secrets.token_hex(16)
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        first,
    ]
    for sha2, media_type, content in attachments:
        chunks.append(
            f"\r\n--{boundary}\r\nContent-Type: {media_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n".encode()
        )
        chunks.append(content)
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/mixed; boundary={boundary}"
