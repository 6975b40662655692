"""Signed statements (Data §2.6): a statement's JWS signature attachment must be well formed.

A statement is signed by an attachment with usageType
``http://adlnet.gov/expapi/attachments/signature``. The LRS rejects (400) a statement unless:

- the attachment's contentType is ``application/octet-stream`` and its bytes were sent as a
  multipart/mixed part (a fileUrl is not enough: the LRS must read the signature);
- the part is a JWS in Compact Serialization (RFC 7515): three base64url segments;
- the protected header is a JSON object whose ``alg`` is RS256, RS384 or RS512, with no
  ``crit`` extensions (this LRS understands none);
- the payload is a JSON object that is the same statement as the one sent, by the statement
  comparison rules (Data §2.3.1; attachments, the signature among them, are not compared);
- when the header carries an ``x5c`` certificate chain, the signature verifies with the public
  key of its first certificate. As the specification notes, this catches mistakes, it does not
  authenticate the signer: no chain or trust is checked.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from lrs.errors import StatementInvalid
from lrs.model import same_statement

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
OCTET_STREAM = "application/octet-stream"
ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
Document = dict[str, Any]


def check_signatures(
    statements: list[Document], parts: Mapping[str, tuple[str, bytes]], *, single: bool
) -> None:
    """Check every signature attachment of `statements` against its part (sha2 -> part).

    Raises StatementInvalid naming the attachment, e.g. ``statement[0].attachments[1]``.
    """
    for index, statement in enumerate(statements):
        where = "statement" if single else f"statement[{index}]"
        for position, attachment in enumerate(statement.get("attachments", [])):
            if attachment.get("usageType") == SIGNATURE:
                _check(statement, attachment, parts, f"{where}.attachments[{position}]")


def _check(
    statement: Document, attachment: Document, parts: Mapping[str, tuple[str, bytes]], where: str
) -> None:
    content_type = str(attachment.get("contentType", ""))
    if content_type.split(";")[0].strip().lower() != OCTET_STREAM:
        raise StatementInvalid(
            f"{where}.contentType",
            f"a signature's contentType must be {OCTET_STREAM}; got {content_type!r}",
        )
    part = parts.get(str(attachment.get("sha2", "")).lower())
    if part is None:
        raise StatementInvalid(
            where, "a signature must be sent as a multipart/mixed part, not only as a fileUrl"
        )
    header, payload, signed, signature = _split(part[1], where)
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise StatementInvalid(
            where, f"the JWS alg must be RS256, RS384 or RS512; got {algorithm!r}"
        )
    if "crit" in header:
        raise StatementInvalid(
            where, f"the JWS header's crit extensions are not understood: {header['crit']!r}"
        )
    if not isinstance(payload, dict):
        raise StatementInvalid(where, "the JWS payload must be a JSON object: the statement")
    if not same_statement(payload, statement):
        raise StatementInvalid(
            where, "the JWS payload is not the same statement as the one sent (Data §2.6)"
        )
    if "x5c" in header:
        _verify(header["x5c"], ALGORITHMS[algorithm](), signed, signature, where)


def _split(jws: bytes, where: str) -> tuple[Document, Any, bytes, bytes]:
    """(header, payload, signing input, signature) of a JWS Compact Serialization."""
    try:
        text = jws.decode("ascii").strip()
    except UnicodeDecodeError:
        raise StatementInvalid(where, "the signature is not a JWS: not ASCII") from None
    segments = text.split(".")
    if len(segments) != 3 or not all(_BASE64URL.fullmatch(s) for s in segments):
        raise StatementInvalid(
            where, "the signature is not a JWS Compact Serialization (three base64url segments)"
        )
    header_b64, payload_b64, signature_b64 = segments
    header = _json(_decode(header_b64, where, "header"), where, "header")
    if not isinstance(header, dict):
        raise StatementInvalid(where, "the JWS header must be a JSON object")
    payload = _json(_decode(payload_b64, where, "payload"), where, "payload")
    signature = _decode(signature_b64, where, "signature")
    if not signature:
        raise StatementInvalid(where, "the JWS has no signature")
    return header, payload, f"{header_b64}.{payload_b64}".encode("ascii"), signature


def _decode(segment: str, where: str, what: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        raise StatementInvalid(where, f"the JWS {what} is not base64url") from None


def _json(raw: bytes, where: str, what: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise StatementInvalid(where, f"the JWS {what} is not JSON") from None


def _verify(
    chain: Any, algorithm: hashes.HashAlgorithm, signed: bytes, signature: bytes, where: str
) -> None:
    """The signature verifies with the public key of the chain's first certificate."""
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise StatementInvalid(where, "the JWS header's x5c must be a list of certificates")
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True))
        key = certificate.public_key()
    except (binascii.Error, ValueError, UnsupportedAlgorithm):
        raise StatementInvalid(
            where, "the JWS header's x5c[0] is not a base64 DER X.509 certificate"
        ) from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise StatementInvalid(where, "the JWS header's x5c[0] certificate has no RSA key")
    try:
        key.verify(signature, signed, padding.PKCS1v15(), algorithm)
    except InvalidSignature:
        raise StatementInvalid(
            where, "the signature does not verify with the x5c[0] certificate's key"
        ) from None
