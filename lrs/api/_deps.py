"""Dependencies shared by the LRS routes: the negotiated version, the credential, the services.

Each is `async def` though none awaits: FastAPI runs a plain `def` dependency in a worker
thread, which cost a single-statement POST more than its store's work.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import Depends, Request

from lrs.auth import Credential, CredentialStore, Throttle
from lrs.definitions import DefinitionService
from lrs.errors import BadRequest, TooManyRequests, Unauthorized
from lrs.model import XapiVersion
from lrs.statements import StatementService


async def negotiate_version(request: Request) -> XapiVersion:
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


async def get_statements(request: Request) -> StatementService:
    service: StatementService = request.app.state.statements
    return service


async def get_definitions(request: Request) -> DefinitionService:
    """Activities and Agents, kept by the statements service as statements arrive."""
    service: StatementService = request.app.state.statements
    return service.definitions


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


VersionDep = Annotated[XapiVersion, Depends(negotiate_version)]
CredentialDep = Annotated[Credential, Depends(authenticate)]
StatementsDep = Annotated[StatementService, Depends(get_statements)]
DefinitionsDep = Annotated[DefinitionService, Depends(get_definitions)]
