"""Fylket: the county coordinator's page of a county and what they do on it.

- `/fylket/{county}`: the offices (a column per package), the pipeline (who still needs a
  classroom module, with their office, a link to them, the package and module, and a form per
  row to place them in a session, or move them, saying which deadline each session meets),
  the sessions scheduled and cancelled, the compliance; one filter (office, package, only those
  who cannot make it) drives the tables and the downloads;
- `/fylket/{county}/samlinger/ny` and `/fylket/{county}/samlinger/{id}`: schedule a session,
  see one with its people, change it (seats added go to the first waiting), move a person to
  another session, cancel it (its people released, shown again in the pipeline);
- `/fylket/{county}/eksport/{table}.{csv|xlsx}`: the offices, the pipeline, the sessions with
  their people, as the page shows them with the filter chosen.

Every form posts with the CSRF token and redirects back with a confirmation; bad input shows
the form again with a message per field (400). Who may: `catalog._access.may_schedule`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from catalog import Commands, Reports, Viewer
from catalog import _spreadsheets as spreadsheets
from catalog._deps import ReportsDep
from catalog.errors import Conflict, Invalid, NotFound
from kompetanse.pages import _region_export as export
from kompetanse.pages import _region_views as rv
from kompetanse.pages import _views as views
from kompetanse.pages._i18n import Language, localized, text, words
from kompetanse.pages._region_words import WORDS
from kompetanse.pages._web import (
    PageRoute,
    ViewerDep,
    check_csrf,
    form,
    language,
    local_target,
    own_unit,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

words(WORDS)


def _count(n: int, key: str, lang: Language) -> str:
    """A count in words with the right number ("1 person", "2 personer")."""
    return text(f"{key}_one", lang) if n == 1 else text(f"{key}_many", lang, n=n)


# --- the county page --------------------------------------------------------------------------


@router.get("/fylket")
async def my_region(viewer: ViewerDep) -> Response:
    return own_unit(viewer, "coordinator", viewer.region, "/fylket")


@router.get("/fylket/{region}")
async def region_page(
    region: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    view = await _county(request, viewer, reports, region)
    return render(
        request,
        "region.html",
        viewer,
        **view,
        confirmation=_confirmation(request),
        compliance=await reports.compliance(viewer, region=region, levels=frozenset({"county"})),
        lag=await request.app.state.catalog.lag(),
        cancelled=await reports.sessions(viewer, region, cancelled=True),
    )


async def _county(
    request: Request, viewer: Viewer, reports: Reports, region: str
) -> dict[str, Any]:
    """What the county page and its downloads show, with the filter chosen."""
    name = await reports.region_name(viewer, region)
    report = await reports.region_report(viewer, region)
    offices = views.with_total(report["offices"])
    order = [p.id for p in reports.catalog.packages]
    chosen = rv.RegionFilter.of(request.query_params, [o["office"] for o in offices], order)
    sessions = await reports.sessions(viewer, region)
    columns = rv.package_columns(offices, order, chosen)
    return {
        "region": region,
        "region_name": name,
        "all_offices": offices,
        "offices": rv.shown_offices(offices, chosen),
        "columns": columns,
        "all_columns": rv.package_columns(offices, order, rv.RegionFilter()),
        "package_cell": rv.package_cell,
        "pipeline": rv.pipeline_rows(report["pipeline"]["modules"], chosen),
        "pipeline_packages": sorted({m["package"] for m in report["pipeline"]["modules"]}),
        "sessions": [s for s in sessions if not chosen.package or s["package"] == chosen.package],
        "chosen": chosen,
        "percent": views.percent,
        "day": views.day,
        "module_name": _module_name(reports),
        "options": rv.options,
        "count": lambda n, key: _count(n, key, language(request)),
        "tables": rv.TABLES,
    }


def _module_name(reports: Reports) -> Any:
    names = {(p.id, m.id): m.name.model_dump() for p in reports.catalog.packages for m in p.modules}
    return lambda package, module: names.get((package, module), {"und": module})


CONFIRMATIONS = {
    "planlagt": "rg_done_created",
    "endret": "rg_done_edited",
    "avlyst": "rg_done_cancelled",
    "plassert": "rg_done_placed",
    "venteliste": "rg_done_waitlisted",
    "flyttet": "rg_done_moved",
    "flyttet-venteliste": "rg_done_moved_waiting",
    "alle": "rg_done_all",
}


def _confirmation(request: Request) -> str | None:
    """The confirmation a redirect asked for (a code and a date, counts; never a name)."""
    query, lang = request.query_params, language(request)
    key = CONFIRMATIONS.get(query.get("melding", ""))
    starts = rv.parse_day(query.get("dato", ""))
    if key is None or starts is None:
        return None
    n = int(query["n"]) if query.get("n", "").isdigit() else 0
    if key == "rg_done_all":
        left = int(query["igjen"]) if query.get("igjen", "").isdigit() else 0
        said = _count(n, "rg_done_all", lang)
        return said + (" " + _count(left, "rg_done_left", lang) if left else "")
    said = text(key, lang, date=views.day(starts.isoformat()), people=_count(n, "rg_people", lang))
    if key == "rg_done_edited" and n:
        said += " " + _count(n, "rg_done_promoted", lang)
    if key.startswith("rg_done_moved") and query.get("opp") == "1":
        said += " " + text("rg_done_moved_up", lang)
    return said


def _done(target: str, message: str, starts: str, anchor: str = "", **extra: str) -> Response:
    query = urlencode({"melding": message, "dato": starts, **extra})
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}{query}{anchor}", status_code=303)


@router.post("/fylket/{region}/plassering")
async def place(region: str, request: Request, viewer: ViewerDep, reports: ReportsDep) -> Response:
    """Give a person of the pipeline a seat (or a place on the waitlist) in a session."""
    await reports.region_name(viewer, region)
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    session = await _session_in(commands, region, fields.get("session", ""))
    result = await commands.enrol(viewer, session.id, fields.get("person", ""))
    back = local_target(fields.get("tilbake")) or f"/fylket/{quote(region)}"
    message = "plassert" if result == "enrolled" else "venteliste"
    return _done(back, message, session.starts.isoformat(), "#loypa")


@router.post("/fylket/{region}/plassering/alle")
async def place_all(
    region: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    """Give everyone of a module's pipeline (as filtered) without a seat one at once: the
    session suggested, else the earliest with a seat free; no one is put on a waitlist."""
    view = await _county(request, viewer, reports, region)
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    wanted = (fields.get("package", ""), fields.get("module", ""))
    module = next((m for m in view["pipeline"] if (m["package"], m["module"]) == wanted), None)
    if module is None:
        raise NotFound(f"no pipeline of {wanted[0]}/{wanted[1]} in county {region!r}")
    placed = 0
    for person, session in rv.placements_for_all(module, reports.today().isoformat()):
        try:
            placed += await commands.enrol(viewer, session, person) == "enrolled"
        except (Conflict, Invalid):  # completed or exempt since the page was read: left out
            continue
    left = sum(1 for row in module["rows"] if not row.get("booked")) - placed
    query = view["chosen"].query()
    target = f"/fylket/{quote(region)}" + (f"?{query}" if query else "")
    return _done(
        target, "alle", reports.today().isoformat(), "#loypa", n=str(placed), igjen=str(left)
    )


# --- a session: schedule, see, change, move people, cancel --------------------------------------


@router.get("/fylket/{region}/samlinger/ny")
async def new_session(
    region: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    name = await reports.region_name(viewer, region)
    return _session_form(request, viewer, reports, region, name, None, {}, {})


@router.post("/fylket/{region}/samlinger")
async def create_session(
    region: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    name = await reports.region_name(viewer, region)
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    draft, problems = rv.read_form(fields)
    if draft is not None:
        problems = await commands.session_problems(viewer, region, draft)
    if draft is None or problems:
        return _session_form(request, viewer, reports, region, name, None, fields, problems, 400)
    session = await commands.schedule(viewer, region, draft)
    target = f"/fylket/{quote(region)}/samlinger/{quote(session.id)}"
    return _done(target, "planlagt", session.starts.isoformat())


@router.get("/fylket/{region}/samlinger/{session}")
async def session_page(
    region: str, session: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    return await _session_page(request, viewer, reports, region, session)


@router.post("/fylket/{region}/samlinger/{session}/endre")
async def edit_session(
    region: str, session: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    fields, commands, before = await _posted_to(request, viewer, reports, region, session)
    draft, problems = rv.read_form(fields)
    if draft is not None:
        problems = await commands.session_problems(viewer, region, draft, before)
    if draft is None or problems:
        return await _session_page(
            request, viewer, reports, region, session, 400, values=fields, problems=problems
        )
    after, promoted = await commands.edit_session(viewer, session, draft)
    target = f"/fylket/{quote(region)}/samlinger/{quote(session)}"
    return _done(target, "endret", after.starts.isoformat(), n=str(len(promoted)))


@router.post("/fylket/{region}/samlinger/{session}/avlys")
async def cancel_session(
    region: str, session: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    fields, commands, _ = await _posted_to(request, viewer, reports, region, session)
    if fields.get("bekreft") != "ja":
        problem = text("rg_cancel_unconfirmed", language(request))
        return await _session_page(
            request, viewer, reports, region, session, 400, cancel_problem=problem
        )
    cancelled = await commands.cancel_session(viewer, session)
    n = str(len(cancelled.released))
    return _done(
        f"/fylket/{quote(region)}", "avlyst", cancelled.starts.isoformat(), "#avlyste", n=n
    )


@router.post("/fylket/{region}/samlinger/{session}/flytt")
async def move(
    region: str, session: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    """Move a person to another session: a seat there (or its waitlist), the old seat freed."""
    fields, commands, _ = await _posted_to(request, viewer, reports, region, session)
    target = await _session_in(commands, region, fields.get("to", ""))
    result, promoted = await commands.move(viewer, session, fields.get("person", ""), target.id)
    back = (
        local_target(fields.get("tilbake")) or f"/fylket/{quote(region)}/samlinger/{quote(session)}"
    )
    message = "flyttet" if result == "enrolled" else "flyttet-venteliste"
    return _done(back, message, target.starts.isoformat(), opp="1" if promoted else "0")


async def _posted_to(
    request: Request, viewer: Viewer, reports: Reports, region: str, session: str
) -> tuple[dict[str, str], Commands, Any]:
    """A form posted to one of the county's sessions: its fields (the CSRF token checked), the
    commands and the session (404 if the county or the session is not the viewer's)."""
    await reports.region_name(viewer, region)
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    return fields, commands, await _session_in(commands, region, session)


async def _session_in(commands: Commands, region: str, session_id: str) -> Any:
    """The session, if it is one of the county's (404 otherwise: the URL names the county)."""
    try:
        found = await commands.classroom.get(session_id)
    except NotFound:
        found = None
    if found is None or found.region != region:
        raise NotFound(f"no session {session_id!r} in county {region!r}")
    return found


async def _session_page(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    region: str,
    session_id: str,
    status_code: int = 200,
    *,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    cancel_problem: str | None = None,
) -> HTMLResponse:
    name = await reports.region_name(viewer, region)
    commands: Commands = request.app.state.commands
    await _session_in(commands, region, session_id)
    session = await reports.session(viewer, session_id)
    others = [
        s
        for s in await reports.sessions(viewer, region)
        if (s["package"], s["module"]) == (session["package"], session["module"])
    ]
    return render(
        request,
        "session.html",
        viewer,
        status_code,
        region=region,
        region_name=name,
        session=session,
        others=others,
        confirmation=_confirmation(request),
        cancel_problem=cancel_problem,
        **_form_context(
            request, reports, values or rv.form_values(session), problems or {}, session
        ),
    )


def _session_form(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    region: str,
    name: str,
    session: dict[str, Any] | None,
    values: dict[str, str],
    problems: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "session_new.html",
        viewer,
        status_code,
        region=region,
        region_name=name,
        **_form_context(request, reports, values, problems, session),
    )


def _form_context(
    request: Request,
    reports: Reports,
    values: dict[str, str],
    problems: dict[str, str],
    session: dict[str, Any] | None,
) -> dict[str, Any]:
    lang = language(request)
    packages = sorted(reports.catalog.packages, key=lambda p: not p.pipeline)  # Ny i NAV first
    modules = [
        (
            f"{p.id}/{m.id}",
            f"{localized(p.name.model_dump(), lang)}: {localized(m.name.model_dump(), lang)}",
        )
        for p in packages
        for m in p.modules
        if m.classroom
    ]
    enrolled = int(session["enrolled"]) if session else 0
    messages = {
        field: text(code if code.startswith("rg_") else f"rg_p_{code}", lang, n=enrolled)
        for field, code in problems.items()
    }
    return {
        "modules": modules,
        "values": values,
        "problems": messages,
        "fields": rv.FIELDS,
        "day": views.day,
        "options": rv.options,
        "module_name": _module_name(reports),
        "count_people": lambda n: _count(n, "rg_people", lang),
    }


# --- the downloads ----------------------------------------------------------------------------


@router.get("/fylket/{region}/eksport/{table}.{format}")
async def download(
    region: str, table: str, format: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    """A table of the county page as it shows it with the filter chosen, as CSV or XLSX."""
    if table not in rv.TABLES or format not in ("csv", "xlsx"):
        raise NotFound(f"no download {table}.{format}")
    view = await _county(request, viewer, reports, region)
    lang = language(request)
    chosen: rv.RegionFilter = view["chosen"]

    def package_name(package: str) -> str:
        found = next((p for p in reports.catalog.packages if p.id == package), None)
        return localized(found.name.model_dump(), lang) if found else package

    def module_name(package: str, module: str) -> str:
        return localized(view["module_name"](package, module), lang)

    offices = {o["office"]: o["name"] for o in view["all_offices"]}
    sheets: list[tuple[str, list[list[str]]]]
    if table == "kontorer":
        rows = export.offices_table(view["offices"], view["columns"], lang, package_name)
        sheets = [(text("rg_table_kontorer", lang), rows)]
    elif table == "etterlevelse":
        found = await reports.compliance(viewer, region=region, levels=frozenset({"county"}))
        rows = views.compliance_table(found, "county", lang)
        sheets = [(text("rg_table_etterlevelse", lang), rows)]
    elif table == "loypa":
        rows = export.pipeline_table(view["pipeline"], lang, package_name, module_name)
        sheets = [(text("rg_table_loypa", lang), rows)]
    else:
        shown = {s["id"] for s in view["sessions"]}
        detailed = [
            s for s in await reports.sessions_with_people(viewer, region) if s["id"] in shown
        ]
        if chosen.office:
            for session in detailed:
                session["people"] = [p for p in session["people"] if p["office"] == chosen.office]
        summary, people = export.sessions_tables(detailed, lang, package_name, module_name)
        rows = people
        sheets = [
            (text("rg_sheet_samlinger", lang), summary),
            (text("rg_sheet_people", lang), people),
        ]
    filters = export.filter_table(
        chosen,
        lang,
        view["region_name"],
        reports.today(),
        lambda o: offices.get(o, o),
        package_name,
    )
    name = f"{table}-{region}"
    if format == "csv":
        return _file(spreadsheets.readable_csv(rows), "text/csv; charset=utf-8", f"{name}.csv")
    content = spreadsheets.workbook([*sheets, (text("rg_sheet_filter", lang), filters)])
    return _file(content, spreadsheets.XLSX, f"{name}.xlsx")


def _file(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
