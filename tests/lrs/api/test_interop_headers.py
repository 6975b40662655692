"""What third-party xAPI clients read from the headers, byte for byte: a document comes back
with exactly the content type it was stored with (no charset added), and a multipart response
names an unquoted boundary made of token characters (TinCanJS reads no quoted one)."""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import re

import httpx
import pytest

from tests.lrs.api.helpers import statement

pytestmark = pytest.mark.anyio
STATE = {
    "activityId": "https://kompetanse.example/activities/ny-i-nav",
    "agent": json.dumps({"mbox": "mailto:kari@nav.example"}),
    "stateId": "notes",
}
# RFC 2045 token: any visible ASCII character but the tspecials ()<>@,;:\"/[]?=
TOKEN = re.compile(r"[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+")


def raw_header(response: httpx.Response, name: str) -> bytes:
    [value] = [v for k, v in response.headers.raw if k.lower() == name.lower().encode()]
    return value


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param("text/plain", id="text-plain"),
        pytest.param("text/csv", id="text-csv"),
        pytest.param("text/plain; charset=iso-8859-1", id="declared-charset"),
        pytest.param("application/json", id="json"),
        pytest.param("application/xml", id="xml"),
    ],
)
async def test_a_document_comes_back_with_its_stored_content_type(
    client: httpx.AsyncClient, content_type: str
) -> None:
    put = await client.put(
        "/xapi/activities/state",
        params=STATE,
        content=b"{}" if "json" in content_type else b"side 7",
        headers={"Content-Type": content_type},
    )
    assert put.status_code == 204, put.text
    for method in ("GET", "HEAD"):
        got = await client.request(method, "/xapi/activities/state", params=STATE)
        assert got.status_code == 200
        assert raw_header(got, "Content-Type") == content_type.encode()


async def test_a_multipart_response_has_an_unquoted_token_boundary(
    client: httpx.AsyncClient,
) -> None:
    content = b"Deltakerliste\r\n--kompetanse-not-a-boundary\r\n"
    sha2 = hashlib.sha256(content).hexdigest()
    body = statement(
        attachments=[
            {
                "usageType": "https://kompetanse.example/attachments/attendance-list",
                "display": {"nb": "Deltakerliste"},
                "contentType": "text/plain",
                "length": len(content),
                "sha2": sha2,
            }
        ]
    )
    boundary = "client-boundary"
    sent = b"".join(
        [
            f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
            json.dumps(body).encode(),
            f"\r\n--{boundary}\r\nContent-Type: text/plain\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n".encode(),
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    posted = await client.post(
        "/xapi/statements",
        content=sent,
        headers={"Content-Type": f"multipart/mixed; boundary={boundary}"},
    )
    assert posted.status_code == 200, posted.text
    [statement_id] = posted.json()
    got = await client.get(
        "/xapi/statements", params={"statementId": statement_id, "attachments": "true"}
    )
    header = raw_header(got, "Content-Type").decode("ascii")
    media_type, _, parameter = header.partition("; ")
    assert media_type == "multipart/mixed"
    name, _, value = parameter.partition("=")
    assert name == "boundary"
    assert TOKEN.fullmatch(value), f"not an unquoted token boundary: {value!r}"
    assert len(value) <= 70  # RFC 2046's limit
    # A standard MIME parser reads the parts with that header.
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + header.encode() + b"\r\n\r\n" + got.content
    )
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["application/json", "text/plain"]
    assert json.loads(parts[0].get_payload(decode=True))["id"] == statement_id
    assert parts[1].get_payload(decode=True) == content
    assert parts[1]["X-Experience-API-Hash"] == sha2
