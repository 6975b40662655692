"""Kontoret: the leader's page of an office, a person in it, and the leader's actions."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from catalog import (
    Commands,
    Reports,
    Viewer,
)
from catalog._deps import ReportsDep
from catalog.errors import NotFound
from kompetanse.pages import _views as views
from kompetanse.pages._i18n import text
from kompetanse.pages._web import (
    PageRoute,
    ViewerDep,
    check_csrf,
    form,
    language,
    own_unit,
    person_page,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)


# --- Kontoret -----------------------------------------------------------------------------------


@router.get("/kontoret")
async def my_office(viewer: ViewerDep) -> Response:
    return own_unit(viewer, "leader", viewer.office, "/kontoret")


@router.get("/kontoret/{office}")
async def office_page(
    office: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    report = await reports.office_report(viewer, office)
    overview = report.overview
    lang = language(request)
    assigned = [str(p["package"]) for p in overview["packages"]]
    chosen = views.MatrixFilter.of(request.query_params)
    columns, rows = views.office_matrix(report.rows, assigned, chosen)
    roles = sorted({role for row in report.rows for role in row.person.roles})
    year = reports.today().year
    total = sum(overview["hours_by_month"].values())
    chart = views.hours_chart(
        overview["hours_by_month"],
        text("hours_chart_label", lang, year=year, total=views.hours_text(total)),
        views.MONTHS[lang],
    )
    coverage_roles = sorted({role for cells in overview["coverage"].values() for role in cells})
    return render(
        request,
        "office.html",
        viewer,
        report=report,
        overview=overview,
        columns=columns,
        rows=rows,
        roles=roles,
        statuses=views.STATUSES,
        chosen=chosen,
        chart=chart,
        year=year,
        months=views.MONTHS[lang],
        coverage_roles=coverage_roles,
        heat_class=views.heat_class,
        percent=views.percent,
    )


@router.get("/kontoret/{office}/personer/{person}")
async def office_person(
    office: str, person: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    return await _person_in_office(request, viewer, reports, office, person)


async def _person_in_office(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    office: str,
    person: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    who = await reports.person(viewer, person)
    if who["office"] != office:
        raise NotFound(f"no person {person!r} at office {office!r}")
    exempted = request.query_params.get("fritatt")
    return await person_page(
        request,
        viewer,
        reports,
        person,
        "person.html",
        status_code,
        office=office,
        office_name=who["office_name"],
        may_exempt=viewer.role != "learner",
        exempted=exempted if exempted in {p.id for p in reports.catalog.packages} else None,
        **context,
    )


@router.post("/kontoret/{office}/personer/{person}/fritak")
async def grant_exemption(
    office: str, person: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    package, reason = fields.get("package", ""), fields.get("reason", "").strip()
    lang = language(request)
    problems = {}
    if package not in {p.id for p in reports.catalog.packages}:
        problems["package"] = text("choose_package", lang)
    if not reason:
        problems["reason"] = text("reason_missing", lang)
    if problems:
        return await _person_in_office(
            request, viewer, reports, office, person, 400, problems=problems, form=fields
        )
    who = await reports.person(viewer, person)
    if who["office"] != office:
        raise NotFound(f"no person {person!r} at office {office!r}")
    commands: Commands = request.app.state.commands
    await commands.exempt(viewer, person, package, reason)
    target = f"/kontoret/{quote(office)}/personer/{quote(person)}?fritatt={quote(package)}"
    return RedirectResponse(target, status_code=303)
