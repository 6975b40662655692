"""The administration pages (administrators only): a person's data under GDPR, its export
(a download of `GET /api/people/{id}/export`) and erasure (a form with a reason, CSRF-checked,
answered with the receipt), and the audit log with its filters and a CSV link.

The work is done by the catalog's services (`Privacy`, `AuditLog`), as for `/api`: these
routes check who asks, read the form and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog import Reports
from catalog._access import may_administer, require
from catalog._audit import ACTIONS, AuditLog
from catalog._deps import PrivacyDep, ReportsDep
from catalog._privacy_api import _moment
from catalog.errors import Invalid
from kompetanse.pages._i18n import text
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
AUDIT_SHOWN = 200
FILTERS = ("person", "actor", "action", "since")


@router.get("/admin")
async def admin_page(request: Request, viewer: ViewerDep, person: str | None = None) -> Response:
    """Look up a person by employee id; then their person page here."""
    require(may_administer(viewer), text("admin_title", language(request)).lower())
    if person and person.strip():
        return RedirectResponse(f"/admin/personer/{person.strip()}", status_code=303)
    return render(request, "admin.html", viewer)


@router.get("/admin/personer/{person}")
async def admin_person(
    person: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    require(may_administer(viewer), f"the data held about {person}")
    return await _person(request, viewer, reports, person)


async def _person(
    request: Request,
    viewer: Any,
    reports: Reports,
    person: str,
    status_code: int = 200,
    **context: Any,
) -> Response:
    who = await reports.person(viewer, person)  # 404 for no such person
    return render(request, "admin_person.html", viewer, status_code, who=who, **context)


@router.post("/admin/personer/{person}/sletting")
async def erase(
    person: str, request: Request, viewer: ViewerDep, reports: ReportsDep, privacy: PrivacyDep
) -> Response:
    require(may_administer(viewer), f"erasing {person}")
    fields = await form(request)
    check_csrf(request, fields)
    reason = fields.get("reason", "").strip()
    if not reason:
        problem = text("erase_reason_missing", language(request))
        return await _person(request, viewer, reports, person, 400, problem=problem)
    receipt = await privacy.erase(person, reason, by=viewer.username)
    return render(request, "admin_receipt.html", viewer, receipt=receipt)


@router.get("/admin/revisjonslogg")
async def audit_page(request: Request, viewer: ViewerDep) -> Response:
    require(may_administer(viewer), text("audit_title", language(request)).lower())
    chosen = {k: request.query_params.get(k, "").strip() for k in FILTERS}
    audit: AuditLog = request.app.state.catalog.accounts.audit
    problem, entries, status_code = None, [], 200
    try:
        since = _moment(chosen["since"] or None)
    except Invalid as exc:
        problem, status_code = exc.message, 400
    else:
        entries = await audit.entries(
            since=since,
            action=chosen["action"] or None,
            target=chosen["person"] or None,
            actor=chosen["actor"] or None,
            limit=AUDIT_SHOWN,
        )
    given = {k: v for k, v in chosen.items() if v}
    return render(
        request,
        "admin_audit.html",
        viewer,
        status_code,
        chosen=chosen,
        actions=ACTIONS,
        entries=entries,
        problem=problem,
        csv=f"/api/audit?{urlencode({**given, 'format': 'csv', 'limit': 100_000})}",
    )
