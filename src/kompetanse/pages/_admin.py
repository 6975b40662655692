"""The administration pages (administrators only): an overview (the completion projection's
lag and a link to every administration page), a person's data under GDPR, its export (a
download of `GET /api/people/{id}/export`) and erasure (a form with a reason, CSRF-checked,
answered with the receipt), the audit log with its filters and a CSV link, the actors no
person matches and the activities no module names. Users are in `_admin_accounts`, xAPI
credentials in `_admin_credentials`, the HR import by upload in `_admin_import`; their routes
join this router.

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
from kompetanse.pages import _admin_accounts, _admin_credentials, _admin_import
from kompetanse.pages import _format as fmt
from kompetanse.pages._admin_accounts import page
from kompetanse.pages._i18n import text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
router.include_router(_admin_accounts.router)
router.include_router(_admin_credentials.router)
router.include_router(_admin_import.router)
AUDIT_SHOWN = 200
FILTERS = ("person", "actor", "action", "since")


@router.get("/admin")
async def admin_page(
    request: Request, viewer: ViewerDep, reports: ReportsDep, person: str | None = None
) -> Response:
    """The overview: the projection's lag, every administration page, and a person looked
    up by employee id (then their person page here)."""
    require(may_administer(viewer), text("nav_admin", language(request)).lower())
    if person and person.strip():
        return RedirectResponse(f"/admin/personer/{person.strip()}", status_code=303)
    catalog = request.app.state.catalog
    links = [
        ("/admin/brukere", "adm_users", len(await request.app.state.accounts.accounts())),
        ("/admin/xapi-nokler", "adm_credentials", await request.app.state.credentials.count()),
        ("/admin/import", "imp_title", None),
        ("/admin/ukjente-aktorer", "adm_unmatched", len(await reports.store.unmatched_actors())),
        ("/admin/ukjente-aktiviteter", "adm_unmapped", len(await reports.unmapped_activities())),
        ("/admin/revisjonslogg", "audit_title", None),
        ("/admin/utsendinger", "mail_title", None),
    ]
    return page(request, "admin.html", viewer, lag=await catalog.lag(), links=links)


@router.get("/admin/ukjente-aktorer")
async def unmatched_page(request: Request, viewer: ViewerDep, reports: ReportsDep) -> Response:
    """Actors of statements that match no person (as `GET /api/unmatched-actors`)."""
    require(may_administer(viewer), text("adm_unmatched", language(request)).lower())
    actors = [{**doc, "key": doc["_id"]} for doc in await reports.store.unmatched_actors()]
    return page(request, "admin_unmatched.html", viewer, actors=actors)


@router.get("/admin/ukjente-aktiviteter")
async def unmapped_page(request: Request, viewer: ViewerDep, reports: ReportsDep) -> Response:
    """Activities of statements that no catalog module names (`GET /api/unmapped-activities`)."""
    require(may_administer(viewer), text("adm_unmapped", language(request)).lower())
    rows = await reports.unmapped_activities()
    return page(request, "admin_unmapped.html", viewer, activities=rows)


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
        typed = fmt.parse_day(chosen["since"]) if chosen["since"] else None
        since = _moment(typed.isoformat() if typed else chosen["since"] or None)
    except Invalid:
        problem, status_code = text("audit_since_bad", language(request)), 400
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


words(
    {
        "adm_overview_intro": (
            "Brukere, xAPI-nøkler, import fra HR, det som ikke passer med registeret eller "
            "katalogen, revisjonsloggen og personvern.",
            "Users, xAPI credentials, the HR import, what matches neither the register nor "
            "the catalog, the audit log and privacy.",
        ),
        "adm_pages": ("Sidene for administratorer", "The administrators' pages"),
        "adm_projection": ("Fullføringsberegningen", "The completion projection"),
        "adm_projection_current": (
            "Beregningen er à jour med utsagnsloggen.",
            "The projection is up to date with the statement log.",
        ),
        "adm_projection_behind": (
            "Beregningen ligger {seconds} bak utsagnsloggen.",
            "The projection is {seconds} behind the statement log.",
        ),
        "adm_lag_seconds": ("Etterslep (sekunder)", "Lag (seconds)"),
        "adm_checkpoint": ("Lest til", "Read up to"),
        "adm_newest": ("Nyeste utsagn", "Newest statement"),
        "adm_summaries_behind": ("Oppsummeringer som venter", "Summaries behind"),
        "adm_pending": ("Personer som venter på ny status", "People waiting for a refresh"),
        "adm_failures": ("Feil på rad", "Failures in a row"),
        "adm_rebuilding": ("Bygges på nytt", "Rebuilding"),
        "adm_last_error": ("Siste feil", "Last error"),
        "adm_users_count": ("{n} brukere", "{n} users"),
        "adm_users_count_one": ("{n} bruker", "{n} user"),
        "adm_credentials_count": ("{n} nøkler", "{n} credentials"),
        "adm_credentials_count_one": ("{n} nøkkel", "{n} credential"),
        "adm_unmatched": ("Ukjente aktører", "Unmatched actors"),
        "adm_unmatched_count": ("{n} aktører", "{n} actors"),
        "adm_unmatched_count_one": ("{n} aktør", "{n} actor"),
        "adm_unmatched_intro": (
            "Aktører i utsagn som ingen person i registeret har: en plattform som sender en "
            "ukjent e-postadresse eller konto, eller en person som ennå ikke er importert.",
            "Actors of statements that no person in the register has: a platform sending an "
            "unknown e-mail address or account, or a person not imported yet.",
        ),
        "adm_unmatched_none": (
            "Alle aktører passer med en person.",
            "Every actor matches a person.",
        ),
        "adm_identifier": ("Identifikator", "Identifier"),
        "adm_agent_name": ("Navn i utsagnet", "Name in the statement"),
        "adm_first_seen": ("Først sett", "First seen"),
        "adm_last_seen": ("Sist sett", "Last seen"),
        "adm_unmapped": ("Ukjente aktiviteter", "Unmapped activities"),
        "adm_unmapped_count": ("{n} aktiviteter", "{n} activities"),
        "adm_unmapped_count_one": ("{n} aktivitet", "{n} activity"),
        "adm_unmapped_intro": (
            "Aktiviteter i utsagn som ingen modul i katalogen nevner: en plattform som sender "
            "feil IRI, eller en modul som mangler i katalogen.",
            "Activities of statements that no catalog module names: a platform sending the "
            "wrong IRI, or a module missing from the catalog.",
        ),
        "adm_unmapped_none": (
            "Alle aktiviteter hører til en modul.",
            "Every activity belongs to a module.",
        ),
        "adm_statements": ("Utsagn", "Statements"),
    }
)
