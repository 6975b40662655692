"""What every LRS route starts from: the negotiated version and the credential (`xapi_call`),
and the services.

Each route calls these itself rather than declaring them as FastAPI dependencies: solving
dependencies cost a single-statement POST about a tenth of its CPU time (BENCHMARKS.md), and
these take nothing from the request that the OpenAPI document would show.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from fastapi import Request

from lrs.auth import Credential, CredentialStore, Throttle
from lrs.definitions import DefinitionService
from lrs.errors import BadRequest, TooManyRequests, Unauthorized
from lrs.model import XapiVersion
from lrs.statements import StatementService


@dataclass(frozen=True)
class XapiCall:
    version: XapiVersion
    credential: Credential


async def xapi_call(request: Request) -> XapiCall:
    """The request's version (400 without one the LRS serves), then its credential (401, or
    429 while locked), in that order."""
    version = negotiate_version(request)
    return XapiCall(version, await authenticate(request))


def negotiate_version(request: Request) -> XapiVersion:
    """The xAPI version of the request, from `X-Experience-API-Version` (required)."""
    served: list[XapiVersion] = request.app.state.xapi_versions
    supported = " or ".join(f"{v.rsplit('.', 1)[0]}.x" for v in served)
    header = request.headers.get("x-experience-api-version")
    if header is None:
        raise BadRequest(f"X-Experience-API-Version: the header is required ({supported})")
    version = version_of(header, served)
    if version is None:
        raise BadRequest(f"X-Experience-API-Version: {header!r} is not supported ({supported})")
    return version


def version_of(header: str, served: list[XapiVersion]) -> XapiVersion | None:
    """The served version a header value names ("1.0", "1.0.2" -> 1.0.3), or None."""
    parts = header.strip().split(".")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        for version in served:
            if parts[:2] == version.split(".")[:2]:
                return version
    return None


def statements_of(request: Request) -> StatementService:
    service: StatementService = request.app.state.statements
    return service


def definitions_of(request: Request) -> DefinitionService:
    """Activities and Agents, kept by the statements service as statements arrive."""
    return statements_of(request).definitions


async def authenticate(request: Request) -> Credential:
    """The credential named by HTTP Basic authentication; 401 without a valid one, 429 while
    its key or the client's address is locked after too many failures (`lrs.auth.Throttle`)."""
    store: CredentialStore = request.app.state.credentials
    throttle: Throttle = request.app.state.throttle
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise Unauthorized("authentication required: HTTP Basic with an LRS key and secret")
    try:
        key, separator, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise Unauthorized("Authorization: malformed HTTP Basic credentials") from exc
    if not separator:
        raise Unauthorized("Authorization: HTTP Basic credentials are key:secret")
    address = request.client.host if request.client else None
    wait = throttle.wait(f"key {key}", address)
    credential = await store.verify(key, secret, check=wait == 0)
    if credential is not None:
        throttle.succeeded(f"key {key}")
        return credential
    if wait:
        raise TooManyRequests(
            f"too many failed attempts with this key or from this address: try again in {wait} s",
            wait,
        )
    throttle.failed(f"key {key}", address)
    raise Unauthorized("the key or secret is wrong, or the credential was revoked")
