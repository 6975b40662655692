"""Personal data under /api, for administrators: a person's export and erasure (GDPR
articles 15 and 17) and the audit log, as JSON or CSV."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from catalog._access import may_administer, require
from catalog._api import ViewerDep, _tabular
from catalog._audit import AuditLog
from catalog._deps import PrivacyDep, parse_json
from catalog.errors import Invalid

router = APIRouter(prefix="/api")
AUDIT_COLUMNS = ["at", "actor", "action", "target", "detail"]


@router.get("/people/{person}/export")
async def export_person(person: str, viewer: ViewerDep, privacy: PrivacyDep) -> Response:
    """Everything held about the person, as a JSON download (administrators; audited)."""
    require(may_administer(viewer), f"the data held about {person}")
    found = await privacy.export(person, by=viewer.username)
    return Response(
        json.dumps(found, ensure_ascii=False, indent=2, default=str),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="innsyn-{person}.json"'},
    )


@router.post("/people/{person}/erasure")
async def erase_person(
    person: str, request: Request, viewer: ViewerDep, privacy: PrivacyDep
) -> dict[str, Any]:
    """Erase the person everywhere: {"reason": text}. Answers the receipt (what was removed
    and redacted, counts, when, by whom), which the audit log keeps (administrators)."""
    require(may_administer(viewer), f"erasing {person}")
    body = parse_json(await request.body(), "a JSON object with reason")
    if not isinstance(body, dict):
        raise Invalid("a JSON object with reason", path="body")
    if not isinstance(body.get("reason"), str):
        raise Invalid("a string is required", path="reason")
    return await privacy.erase(person, body["reason"], by=viewer.username)


@router.get("/audit")
async def audit_log(
    request: Request,
    viewer: ViewerDep,
    person: str | None = None,
    actor: str | None = None,
    since: str | None = None,
    action: str | None = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
    format: str = "json",
) -> Response:
    """The audit log, newest first: entries about a person (`person`), by a user (`actor`),
    from a moment on (`since`, an ISO date or time), of one kind (`action`); JSON or CSV
    (administrators)."""
    require(may_administer(viewer), "the audit log")
    audit: AuditLog = request.app.state.catalog.accounts.audit
    entries = await audit.entries(
        since=_moment(since), action=action, target=person, actor=actor, limit=limit
    )
    if format == "json":
        return JSONResponse(entries)
    rows = [{**entry, "detail": json.dumps(entry.get("detail", {}))} for entry in entries]
    return _tabular(rows, AUDIT_COLUMNS, "revisjonslogg", format)


def _moment(since: str | None) -> str | None:
    """`since` as the log's times are written (ISO, UTC), a date meaning its midnight UTC."""
    if since is None:
        return None
    try:
        if len(since) == 10:
            midnight = datetime.combine(date.fromisoformat(since), datetime.min.time(), UTC)
            return midnight.isoformat(timespec="milliseconds")
        moment = datetime.fromisoformat(since)
    except ValueError as exc:
        raise Invalid("since: an ISO date or time, e.g. 2026-03-01T08:00Z") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")
