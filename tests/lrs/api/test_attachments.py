"""Statements with attachments: multipart/mixed in and out, checked against their SHA-256."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from tests.lrs.api.helpers import statement

pytestmark = pytest.mark.anyio
CONTENT = b"Attendance list\r\n--not-a-boundary\r\n\x00\x01binary"
SHA2 = hashlib.sha256(CONTENT).hexdigest()
BOUNDARY = "xapi-test-boundary"


def with_attachment(**overrides: Any) -> dict[str, Any]:
    attachment = {
        "usageType": "https://kompetanse.example/attachments/attendance-list",
        "display": {"nb": "Deltakerliste"},
        "contentType": "application/octet-stream",
        "length": len(CONTENT),
        "sha2": SHA2,
        **overrides,
    }
    return statement(attachments=[attachment])


def multipart(body: Any, parts: list[tuple[dict[str, str], bytes]]) -> tuple[bytes, dict[str, str]]:
    chunks = [
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(body).encode(),
    ]
    for headers, content in parts:
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        chunks += [f"\r\n--{BOUNDARY}\r\n{head}\r\n".encode(), content]
    chunks.append(f"\r\n--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), {"Content-Type": f'multipart/mixed; boundary="{BOUNDARY}"'}


def part(sha2: str = SHA2, content: bytes = CONTENT) -> tuple[dict[str, str], bytes]:
    return (
        {
            "Content-Type": "application/octet-stream",
            "Content-Transfer-Encoding": "binary",
            "X-Experience-API-Hash": sha2,
        },
        content,
    )


async def test_attachment_round_trip(client: httpx.AsyncClient) -> None:
    content, headers = multipart(with_attachment(), [part()])
    response = await client.post("/xapi/statements", content=content, headers=headers)
    assert response.status_code == 200, response.text
    [statement_id] = response.json()
    fetched = await client.get(
        "/xapi/statements", params={"statementId": statement_id, "attachments": "true"}
    )
    assert fetched.status_code == 200
    assert fetched.headers["Content-Type"].startswith("multipart/mixed; boundary=")
    assert CONTENT in fetched.content
    assert f"X-Experience-API-Hash: {SHA2}".encode() in fetched.content
    plain = await client.get("/xapi/statements", params={"statementId": statement_id})
    assert plain.headers["Content-Type"] == "application/json"


async def test_file_url_attachment_needs_no_part(client: httpx.AsyncClient) -> None:
    body = with_attachment(fileUrl="https://kompetanse.example/files/list.pdf")
    response = await client.post("/xapi/statements", json=body)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "parts", "fragment"),
    [
        pytest.param(with_attachment(), [], "no fileUrl and no multipart", id="missing-part"),
        pytest.param(
            with_attachment(), [part(sha2="0" * 64)], "not the SHA-256", id="hash-mismatch"
        ),
        pytest.param(
            statement(), [part()], "belongs to no attachment", id="part-without-attachment"
        ),
        pytest.param(
            with_attachment(),
            [({"Content-Type": "text/plain", "X-Experience-API-Hash": SHA2}, CONTENT)],
            "Content-Transfer-Encoding",
            id="no-transfer-encoding",
        ),
    ],
)
async def test_bad_multipart_requests_are_refused(
    client: httpx.AsyncClient,
    body: dict[str, Any],
    parts: list[tuple[dict[str, str], bytes]],
    fragment: str,
) -> None:
    content, headers = multipart(body, parts)
    response = await client.post("/xapi/statements", content=content, headers=headers)
    assert response.status_code == 400
    assert fragment in response.json()["message"]


async def test_json_request_with_an_attachment_lacking_file_url_is_refused(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post("/xapi/statements", json=with_attachment())
    assert response.status_code == 400
    assert response.json()["message"].startswith("statement[0].attachments[0].sha2")


async def test_malformed_multipart_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/xapi/statements",
        content=b"no boundaries here",
        headers={"Content-Type": f"multipart/mixed; boundary={BOUNDARY}"},
    )
    assert response.status_code == 400
    missing = await client.post(
        "/xapi/statements", content=b"x", headers={"Content-Type": "multipart/mixed"}
    )
    assert missing.status_code == 400
    assert "boundary" in missing.json()["message"]


async def test_large_attachment_is_stored_in_chunks_and_returned_whole(
    client: httpx.AsyncClient,
) -> None:
    big = bytes(range(256)) * (3 * 4096 + 7)  # a little over 3 MiB: four chunks
    sha2 = hashlib.sha256(big).hexdigest()
    body = with_attachment(length=len(big), sha2=sha2)
    content, headers = multipart(body, [part(sha2=sha2, content=big)])
    response = await client.post("/xapi/statements", content=content, headers=headers)
    assert response.status_code == 200, response.text
    [statement_id] = response.json()
    fetched = await client.get(
        "/xapi/statements", params={"statementId": statement_id, "attachments": "true"}
    )
    assert big in fetched.content


async def test_attachment_over_the_size_limit_gets_413(
    app: object, client: httpx.AsyncClient
) -> None:
    limit = app.state.settings.limits.max_body_bytes  # type: ignore[attr-defined]
    huge = b"\0" * (limit + 1)
    content, headers = multipart(with_attachment(), [part(content=huge)])
    response = await client.post("/xapi/statements", content=content, headers=headers)
    assert response.status_code == 413
