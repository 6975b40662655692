"""The document resources: State, Activity Profile and Agent Profile (Communication §2.2-§2.7).

The three differ only in which parameters name a document; `RESOURCES` says so, and one
handler serves GET, HEAD, PUT, POST and DELETE for each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from lrs.api import _openapi
from lrs.api._deps import xapi_call
from lrs.api._params import check_known, parse_agent, parse_iri, parse_timestamp_param, parse_uuid
from lrs.auth import Action, authorize
from lrs.documents import DocumentService, Preconditions
from lrs.errors import BadRequest
from lrs.model import XapiVersion, parse_timestamp
from lrs.store import DocumentScope, ifi_key

router = APIRouter()


@dataclass(frozen=True)
class Resource:
    """What names a document in one resource, and which actions read and write it."""

    kind: str
    path: str
    id_param: str
    activity: bool
    agent: bool
    registration: bool
    read: Action
    write: Action

    def params(self, method: str, has_id: bool) -> frozenset[str]:
        names = {self.id_param}
        names |= {"activityId"} if self.activity else set()
        names |= {"agent"} if self.agent else set()
        names |= {"registration"} if self.registration else set()
        if method in ("GET", "HEAD") and not has_id:
            names.add("since")
        return frozenset(names)


RESOURCES = [
    Resource(
        "state",
        "/activities/state",
        "stateId",
        activity=True,
        agent=True,
        registration=True,
        read=Action.READ_STATE,
        write=Action.WRITE_STATE,
    ),
    Resource(
        "activity_profile",
        "/activities/profile",
        "profileId",
        activity=True,
        agent=False,
        registration=False,
        read=Action.READ_PROFILES,
        write=Action.WRITE_PROFILES,
    ),
    Resource(
        "agent_profile",
        "/agents/profile",
        "profileId",
        activity=False,
        agent=True,
        registration=False,
        read=Action.READ_PROFILES,
        write=Action.WRITE_PROFILES,
    ),
]


def documents_of(request: Request) -> DocumentService:
    service: DocumentService = request.app.state.documents
    return service


def _parse(
    resource: Resource, request: Request, version: XapiVersion
) -> tuple[DocumentScope, str | None, str | None]:
    """The scope, the document id (None: all of them) and `since`, from the parameters."""
    params = dict(request.query_params)
    if len(params) != len(request.query_params.multi_items()):
        raise BadRequest("a parameter is given more than once")
    doc_id = params.get(resource.id_param)
    check_known(params, resource.params(request.method, doc_id is not None))
    if doc_id is None and request.method in ("PUT", "POST"):
        raise BadRequest(f"{resource.id_param}: the parameter is required")
    if doc_id is None and request.method == "DELETE" and resource.kind != "state":
        raise BadRequest(f"{resource.id_param}: the parameter is required")
    agent = None
    if resource.agent:
        agent = ifi_key(parse_agent(params, version))
    scope = DocumentScope(
        kind=resource.kind,
        activity=parse_iri(params, "activityId", required=True) if resource.activity else None,
        agent=agent,
        registration=parse_uuid(params, "registration") if resource.registration else None,
    )
    return scope, doc_id, parse_timestamp_param(params, "since")


def _endpoint(resource: Resource) -> Any:
    async def handle(request: Request) -> Response:
        call, service = await xapi_call(request), documents_of(request)
        version, credential = call.version, call.credential
        reading = request.method in ("GET", "HEAD")
        authorize(credential.scopes, resource.read if reading else resource.write)
        scope, doc_id, since = _parse(resource, request, version)
        preconditions = Preconditions(
            request.headers.get("if-match"), request.headers.get("if-none-match")
        )
        if reading and doc_id is None:
            listed = await service.ids(scope, since)
            headers = _modified(listed.last_modified)
            body = b"" if request.method == "HEAD" else json.dumps(listed.ids).encode()
            return Response(body, media_type="application/json", headers=headers)
        if reading:
            assert doc_id is not None  # noqa: S101 - the list case returned above
            found = await service.get(scope, doc_id)
            # Exactly the stored content type: Starlette's media_type would add a charset to
            # text/* (a claim the client never made, and TinCanJS compares the header).
            headers = {
                "ETag": f'"{found.etag}"',
                "Content-Type": found.content_type,
                **_modified(found.updated),
            }
            body = b"" if request.method == "HEAD" else found.content
            return Response(body, headers=headers)
        if request.method == "DELETE":
            if doc_id is None:
                await service.delete_all(scope)
            else:
                await service.delete(scope, doc_id, preconditions)
            return Response(status_code=204)
        assert doc_id is not None  # noqa: S101 - checked in _parse
        content = await request.body()
        content_type = request.headers.get("content-type") or "application/octet-stream"
        if request.method == "PUT":
            etag = await service.put(scope, doc_id, content, content_type, preconditions, version)
        else:
            etag = await service.post(scope, doc_id, content, content_type, preconditions)
        return Response(status_code=204, headers={"ETag": f'"{etag}"'})

    handle.__name__ = f"{resource.kind}_documents"
    return handle


def _modified(updated: str | None) -> dict[str, str]:
    if updated is None:
        return {}
    return {"Last-Modified": format_datetime(parse_timestamp(updated), usegmt=True)}


for _resource in RESOURCES:
    # One handler; three routes only so that OpenAPI can say what each method takes.
    _handle = _endpoint(_resource)
    for _methods in (["GET", "HEAD"], ["DELETE"], ["PUT", "POST"]):
        router.add_api_route(
            _resource.path,
            _handle,
            methods=_methods,
            status_code=200,
            summary=f"{_resource.kind.replace('_', ' ').title()} documents",
            openapi_extra=_openapi.documents(
                _resource.id_param,
                activity=_resource.activity,
                with_agent=_resource.agent,
                registration=_resource.registration,
                writing="PUT" in _methods,
                reading="GET" in _methods,
            ),
        )
