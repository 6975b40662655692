"""Signed statements (Data §2.6): JWS signature attachments, accepted and refused through HTTP."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from tests.lrs.api.helpers import new_id, statement

pytestmark = pytest.mark.anyio
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
BOUNDARY = "signed-statement-boundary"
HASHES = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    """One RSA key for the module: generating one takes a noticeable fraction of a second."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def certificate(key: rsa.RSAPrivateKey) -> str:
    """A self-signed X.509 certificate for `key`, base64 DER as in a JWS x5c header."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kompetanse test signer")])
    now = datetime.now(UTC)
    built = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(built.public_bytes(Encoding.DER)).decode()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jws(header: dict[str, Any], payload: bytes, key: rsa.RSAPrivateKey) -> bytes:
    """A JWS Compact Serialization signed with RSASSA-PKCS1-v1_5 (RFC 7515, RFC 7518)."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(payload)}"
    algorithm = HASHES.get(header.get("alg", ""), hashes.SHA256())
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), algorithm)
    return f"{signing_input}.{b64url(signature)}".encode()


def signed(
    body: dict[str, Any], signature: bytes, content_type: str = "application/octet-stream"
) -> dict[str, Any]:
    """`body` with a signature attachment for these bytes appended."""
    attachment = {
        "usageType": SIGNATURE,
        "display": {"en-US": "Signature"},
        "contentType": content_type,
        "length": len(signature),
        "sha2": hashlib.sha256(signature).hexdigest(),
    }
    return {**body, "attachments": [*body.get("attachments", []), attachment]}


def multipart(body: Any, parts: list[bytes]) -> tuple[bytes, dict[str, str]]:
    chunks = [f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode()]
    chunks.append(json.dumps(body).encode())
    for content in parts:
        sha2 = hashlib.sha256(content).hexdigest()
        chunks.append(
            f"\r\n--{BOUNDARY}\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n".encode()
        )
        chunks.append(content)
    chunks.append(f"\r\n--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), {"Content-Type": f"multipart/mixed; boundary={BOUNDARY}"}


async def post(http: httpx.AsyncClient, body: Any, parts: list[bytes]) -> httpx.Response:
    content, headers = multipart(body, parts)
    return await http.post("/xapi/statements", content=content, headers=headers)


def original() -> dict[str, Any]:
    return {**statement(), "id": new_id(), "timestamp": "2026-11-23T10:00:00.000Z"}


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
async def test_a_signed_statement_is_stored_with_its_signature(
    client: httpx.AsyncClient, key: rsa.RSAPrivateKey, certificate: str, alg: str
) -> None:
    body = original()
    signature = jws({"alg": alg, "x5c": [certificate]}, json.dumps(body).encode(), key)
    response = await post(client, signed(body, signature), [signature])
    assert response.status_code == 200, response.text
    fetched = await client.get(
        "/xapi/statements", params={"statementId": body["id"], "attachments": "true"}
    )
    assert signature in fetched.content


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: s, id="as-signed"),
        pytest.param(lambda s: s.pop("id"), id="payload-without-id"),
        pytest.param(lambda s: s["verb"].pop("display"), id="payload-without-verb-display"),
        pytest.param(
            lambda s: s["actor"].update(mbox="mailto:kari@NAV.EXAMPLE"), id="mbox-domain-case"
        ),
        pytest.param(
            lambda s: s.update(timestamp="2026-11-23T11:00:00+01:00"), id="timestamp-zone"
        ),
    ],
)
async def test_the_payload_is_compared_as_a_statement(
    client2: httpx.AsyncClient, key: rsa.RSAPrivateKey, change: Any
) -> None:
    body = original()
    payload = copy.deepcopy(body)
    change(payload)
    signature = jws({"alg": "RS256"}, json.dumps(payload).encode(), key)
    response = await post(client2, signed(body, signature), [signature])
    assert response.status_code == 200, response.text


async def test_a_signature_is_found_among_other_attachments_and_statements(
    client: httpx.AsyncClient, key: rsa.RSAPrivateKey
) -> None:
    note = b"attendance list"
    first = original()
    second = {
        **original(),
        "attachments": [
            {
                "usageType": "https://kompetanse.example/attachments/attendance",
                "display": {"en-US": "Attendance"},
                "contentType": "text/plain",
                "length": len(note),
                "sha2": hashlib.sha256(note).hexdigest(),
            }
        ],
    }
    signature = jws({"alg": "RS256"}, json.dumps({**first, "verb": {"id": "x:y"}}).encode(), key)
    response = await post(client, [first, signed(second, signature)], [note, signature])
    assert response.status_code == 400
    error = response.json()
    assert error["path"] == "statement[1].attachments[1]"
    assert "not the same statement" in error["message"]


async def test_a_put_names_the_statement_without_an_index(
    client: httpx.AsyncClient, key: rsa.RSAPrivateKey
) -> None:
    body = original()
    signature = jws({"alg": "HS256"}, json.dumps(body).encode(), key)
    content, headers = multipart(signed(body, signature), [signature])
    response = await client.put(
        "/xapi/statements", params={"statementId": body["id"]}, content=content, headers=headers
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("statement.attachments[0]: the JWS alg")


def with_signature(token: bytes, signature: bytes) -> bytes:
    """The JWS with its signature segment replaced."""
    return token.rsplit(b".", 1)[0] + b"." + b64url(signature).encode()


def tampered(token: bytes) -> bytes:
    signature = bytearray(base64.urlsafe_b64decode(token.rsplit(b".", 1)[1] + b"=="))
    signature[0] ^= 0xFF
    return with_signature(token, bytes(signature))


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        pytest.param(
            lambda body, key, cert: jws({"alg": "RS256"}, b'{"verb": "something else"}', key),
            "not the same statement",
            id="payload-mismatch",
        ),
        pytest.param(
            lambda body, key, cert: jws({"alg": "HS256"}, json.dumps(body).encode(), key),
            "alg must be RS256, RS384 or RS512; got 'HS256'",
            id="alg-hs256",
        ),
        pytest.param(
            lambda body, key, cert: jws({"typ": "JWT"}, json.dumps(body).encode(), key),
            "alg must be",
            id="no-alg",
        ),
        pytest.param(
            lambda body, key, cert: jws(
                {"alg": "RS256"}, json.dumps(body).replace('"', "'", 1).encode(), key
            ),
            "payload is not JSON",
            id="payload-not-json",
        ),
        pytest.param(
            lambda body, key, cert: jws({"alg": "RS256"}, b"[1, 2]", key),
            "payload must be a JSON object",
            id="payload-not-an-object",
        ),
        pytest.param(
            lambda body, key, cert: b"not a jws",
            "not a JWS Compact Serialization",
            id="one-segment",
        ),
        pytest.param(
            lambda body, key, cert: b"a.b.c.d.e",
            "not a JWS Compact Serialization",
            id="json-web-encryption-segments",
        ),
        pytest.param(
            lambda body, key, cert: b"eyJhbGci+/.e30.c2ln",
            "not a JWS Compact Serialization",
            id="not-base64url",
        ),
        pytest.param(
            lambda body, key, cert: b"e.e30.c2ln", "header is not base64url", id="bad-padding"
        ),
        pytest.param(
            lambda body, key, cert: b"bm90IGpzb24.e30.c2ln",
            "header is not JSON",
            id="header-not-json",
        ),
        pytest.param(lambda body, key, cert: b"\xffsignature", "not ASCII", id="binary-not-a-jws"),
        pytest.param(
            lambda body, key, cert: with_signature(
                jws({"alg": "RS256"}, json.dumps(body).encode(), key), b""
            ),
            "no signature",
            id="empty-signature",
        ),
        pytest.param(
            lambda body, key, cert: jws(
                {"alg": "RS256", "crit": ["exp"], "exp": 1}, json.dumps(body).encode(), key
            ),
            "crit",
            id="critical-extension",
        ),
        pytest.param(
            lambda body, key, cert: tampered(
                jws({"alg": "RS256", "x5c": [cert]}, json.dumps(body).encode(), key)
            ),
            "does not verify",
            id="signature-does-not-verify",
        ),
        pytest.param(
            lambda body, key, cert: jws(
                {"alg": "RS256", "x5c": ["bm90"]}, json.dumps(body).encode(), key
            ),
            "x5c[0] is not a base64 DER X.509 certificate",
            id="x5c-not-a-certificate",
        ),
        pytest.param(
            lambda body, key, cert: jws(
                {"alg": "RS256", "x5c": cert}, json.dumps(body).encode(), key
            ),
            "x5c must be a list",
            id="x5c-not-a-list",
        ),
    ],
)
async def test_malformed_signatures_get_400(
    client: httpx.AsyncClient,
    key: rsa.RSAPrivateKey,
    certificate: str,
    make: Any,
    fragment: str,
) -> None:
    body = original()
    signature = make(body, key, certificate)
    response = await post(client, [signed(body, signature)], [signature])
    assert response.status_code == 400
    error = response.json()
    assert error["path"] == "statement[0].attachments[0]"
    assert fragment in error["message"]


async def test_a_certificate_of_another_key_does_not_verify(
    client: httpx.AsyncClient, key: rsa.RSAPrivateKey, certificate: str
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    body = original()
    signature = jws({"alg": "RS256", "x5c": [certificate]}, json.dumps(body).encode(), other)
    response = await post(client, signed(body, signature), [signature])
    assert response.status_code == 400
    assert "does not verify" in response.json()["message"]


async def test_a_signature_must_be_octet_stream(
    client: httpx.AsyncClient, key: rsa.RSAPrivateKey
) -> None:
    body = original()
    signature = jws({"alg": "RS256"}, json.dumps(body).encode(), key)
    response = await post(client, signed(body, signature, "text/plain; charset=ascii"), [signature])
    assert response.status_code == 400
    assert response.json()["path"] == "statement[0].attachments[0].contentType"


@pytest.mark.parametrize(
    ("file_url", "fragment"),
    [
        pytest.param(None, "no fileUrl and no multipart/mixed part", id="no-part"),
        pytest.param("https://kompetanse.example/sig.jws", "multipart/mixed part", id="file-url"),
    ],
)
async def test_a_signature_needs_its_part(
    client: httpx.AsyncClient, key: rsa.RSAPrivateKey, file_url: str | None, fragment: str
) -> None:
    body = original()
    attachment = signed(body, jws({"alg": "RS256"}, json.dumps(body).encode(), key))
    if file_url is not None:
        attachment["attachments"][0]["fileUrl"] = file_url
    response = await client.post("/xapi/statements", json=attachment)
    assert response.status_code == 400
    assert response.json()["message"].startswith("statement[0].attachments[0]")
    assert fragment in response.json()["message"]


async def test_the_specifications_example_is_accepted(client: httpx.AsyncClient) -> None:
    """xAPI Data Appendix D: its JWS verifies with its x5c certificate (expired, and signed with
    SHA-1 by its CA: a well-formedness check looks at neither)."""
    example = json.loads((Path(__file__).parent / "signed_example.json").read_text())
    token = example["jws"].encode()
    assert example["statement"]["attachments"][0]["sha2"] == hashlib.sha256(token).hexdigest()
    response = await post(client, example["statement"], [token])
    assert response.status_code == 200, response.text
    changed = {**example["statement"], "id": new_id(), "timestamp": "2013-04-01T12:00:01Z"}
    refused = await post(client, changed, [token])
    assert refused.status_code == 400
    assert "not the same statement" in refused.json()["message"]
