"""The Statements resource: PUT, POST, GET and HEAD on /statements."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from lrs.api import _openapi
from lrs.api._body import read_statements
from lrs.api._deps import statements_of, xapi_call
from lrs.api._multipart import build_multipart
from lrs.api._params import (
    PRESENTATION_PARAMS,
    SINGLE_PARAMS,
    Presentation,
    check_known,
    parse_presentation,
    parse_query,
    parse_statement_id,
)
from lrs.auth import Action, authorize
from lrs.errors import BadRequest, NotFound
from lrs.model import format_timestamp, parse_timestamp
from lrs.statements import StatementService, mine_key, present
from lrs.store import decode_more, encode_more

XAPI_BASE = "/xapi"
router = APIRouter()


@router.put("/statements", status_code=204, openapi_extra=_openapi.statements_put())
async def put_statement(request: Request) -> Response:
    call, service = await xapi_call(request), statements_of(request)
    authorize(call.credential.scopes, Action.WRITE_STATEMENTS)
    check_known(request.query_params, frozenset({"statementId"}))
    statement_id = parse_statement_id(request.query_params, "statementId")
    body, attachments = await read_statements(request)
    await service.save(
        [body],
        version=call.version,
        credential=call.credential,
        statement_id=statement_id,
        attachments=attachments,
    )
    return Response(status_code=204)


@router.post("/statements", openapi_extra=_openapi.statements_post())
async def post_statements(request: Request) -> Response:
    call, service = await xapi_call(request), statements_of(request)
    authorize(call.credential.scopes, Action.WRITE_STATEMENTS)
    check_known(request.query_params, frozenset())
    body, attachments = await read_statements(request)
    bodies = body if isinstance(body, list) else [body]
    limit = request.app.state.settings.limits.max_statements_per_request
    if not bodies:
        raise BadRequest("body: an empty array holds no statements")
    if len(bodies) > limit:
        raise BadRequest(f"body: at most {limit} statements in one request")
    ids = await service.save(
        bodies, version=call.version, credential=call.credential, attachments=attachments
    )
    return _json(ids)


@router.api_route("/statements", methods=["GET", "HEAD"], openapi_extra=_openapi.statements_get())
async def get_statements(request: Request) -> Response:
    call, service = await xapi_call(request), statements_of(request)
    credential = call.credential
    mine = mine_key(credential) if authorize(credential.scopes, Action.READ_STATEMENTS) else None
    params = dict(request.query_params)
    if len(params) != len(request.query_params.multi_items()):
        raise BadRequest("a parameter is given more than once")
    consistent = format_timestamp(service.clock.now())
    single = SINGLE_PARAMS & set(params)
    if single:
        name = sorted(single)[0]
        check_known(params, frozenset({name}) | PRESENTATION_PARAMS)
        presentation = parse_presentation(params)
        statement_id = parse_statement_id(params, name)
        found = await service.get(
            statement_id, voided=name == "voidedStatementId", credential_mine=mine
        )
        if found is None:
            raise NotFound(f"{name}: no statement {statement_id}")
        body = present(found, presentation.format, _languages(request))
        return await _render(
            body, [found], presentation, service, request, consistent, found["stored"]
        )
    cursor = None
    if "more" in params:
        check_known(params, frozenset({"more"}))
        params, cursor = decode_more(params["more"])
    query = replace(parse_query(params, call.version), cursor=cursor)
    presentation = parse_presentation(params)
    if mine is not None:
        query = replace(query, authority=mine)
    max_limit = request.app.state.settings.limits.max_query_limit
    limit = min(query.limit or max_limit, max_limit)
    page = await service.query(query, limit)
    more = ""
    if page.more is not None:
        token = encode_more(params, page.more)
        more = f"{request.scope.get('root_path', '')}{XAPI_BASE}/statements?more={token}"
    languages = _languages(request)
    statements = [present(s, presentation.format, languages) for s in page.statements]
    newest = max((s["stored"] for s in page.statements), default=consistent)
    return await _render(
        {"statements": statements, "more": more},
        page.statements,
        presentation,
        service,
        request,
        consistent,
        newest,
    )


async def _render(
    body: Any,
    statements: list[dict[str, Any]],
    presentation: Presentation,
    service: StatementService,
    request: Request,
    consistent: str,
    last_modified: str,
) -> Response:
    """JSON, or multipart/mixed with the attachments' bytes when attachments=true."""
    if not presentation.attachments:
        return _json(body, request, consistent, last_modified)
    parts = await service.attachments_of(statements)
    content, content_type = build_multipart(_dumps(body), parts)
    response = _json(body, request, consistent, last_modified)
    if request.method != "HEAD":
        response.body = content
        response.headers["Content-Length"] = str(len(content))
    response.headers["Content-Type"] = content_type
    return response


def _json(
    body: Any,
    request: Request | None = None,
    consistent: str | None = None,
    last_modified: str | None = None,
) -> Response:
    headers: dict[str, str] = {}
    if consistent is not None:
        headers["X-Experience-API-Consistent-Through"] = consistent
    if last_modified is not None:
        headers["Last-Modified"] = _http_date(parse_timestamp(last_modified))
    content = b"" if request is not None and request.method == "HEAD" else _dumps(body)
    return Response(content, media_type="application/json", headers=headers)


def _dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _languages(request: Request) -> list[str]:
    """Accept-Language as a preference list, best first."""
    weighted = []
    for position, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = item.strip().partition(";")
        if not tag:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]
