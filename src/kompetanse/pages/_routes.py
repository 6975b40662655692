"""The pages: sign-in, Min læring, Nasjonalt and Katalog (Kontoret is `_office`, Fylket
`_region`, the administration `_admin`; the frame they share is `_web`).

Min læring acts as well: signing up for and cancelling a classroom session, and registering
learning at work (`kompetanse.pages._work`); each form posts with the CSRF token and redirects
back with a confirmation.

Server-rendered (Jinja2), usable without JavaScript. Who may see what is decided by the
catalog's reports (`catalog._access`), exactly as for the JSON API; a page only renders what
a report returned, and a refusal becomes an HTML error page with the same status code.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog import (
    SESSION_COOKIE,
    AccountStore,
    Commands,
    Viewer,
    set_session_cookie,
)
from catalog import _spreadsheets as spreadsheets
from catalog._access import may_confirm
from catalog._deps import ReportsDep, current_viewer
from catalog._evaluation_api import get_evaluations
from catalog.errors import Forbidden, NotFound, TooManyRequests
from kompetanse.pages import _format as fmt
from kompetanse.pages import _views as views
from kompetanse.pages import _work as work
from kompetanse.pages._confirm import Confirmations
from kompetanse.pages._i18n import LANGUAGE_COOKIE, choose, localized, text
from kompetanse.pages._web import (
    HOME,
    PageRoute,
    ViewerDep,
    check_csrf,
    form,
    language,
    local_target,
    person_page,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)


# --- sign-in, sign-out, language --------------------------------------------------------------


@router.get("/")
async def front(request: Request) -> Response:
    viewer = await current_viewer(request)
    return RedirectResponse(HOME[viewer.role] if viewer else "/logg-inn", status_code=303)


@router.get("/logg-inn")
async def sign_in_form(request: Request, neste: str | None = None) -> Response:
    viewer = await current_viewer(request)
    if viewer is not None:
        return RedirectResponse(local_target(neste) or HOME[viewer.role], status_code=303)
    notice = "sign_in_needed" if neste else ("signed_out" if "ut" in request.query_params else "")
    return render(request, "sign_in.html", None, next=local_target(neste) or "", notice=notice)


@router.post("/logg-inn")
async def sign_in(request: Request) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    username, password = fields.get("username", "").strip(), fields.get("password", "")
    target = local_target(fields.get("neste"))
    lang = language(request)
    accounts: AccountStore = request.app.state.accounts
    if not username or not password:
        problem, status = "missing_credentials", 400
    else:
        try:
            token = await accounts.sign_in(
                username,
                password,
                address=request.client.host if request.client else None,
                replacing=request.cookies.get(SESSION_COOKIE),
                throttle=request.app.state.throttle,
            )
        except TooManyRequests as exc:
            locked = render(
                request,
                "sign_in.html",
                None,
                429,
                next=target or "",
                username=username,
                problem=text("locked", lang, seconds=fmt.plural(exc.retry_after, "second", lang)),
            )
            locked.headers["Retry-After"] = str(exc.retry_after)
            return locked
        if token is not None:
            viewer = await accounts.viewer(token)
            home = HOME[viewer.role] if viewer else "/"
            response = RedirectResponse(target or home, status_code=303)
            set_session_cookie(response, request, token)
            return response
        problem, status = "wrong_password", 401
    return render(
        request,
        "sign_in.html",
        None,
        status,
        next=target or "",
        username=username,
        problem=text(problem, lang),
    )


@router.post("/logg-ut")
async def sign_out(request: Request) -> Response:
    fields = await form(request)
    token = request.cookies.get(SESSION_COOKIE)
    target = "/logg-inn?ut"
    if token:
        check_csrf(request, fields)
        accounts: AccountStore = request.app.state.accounts
        id_token = await accounts.sign_out(token)
        provider = getattr(request.app.state, "oidc", None)
        if id_token and provider is not None:  # signed in there: sign out there too
            target = await provider.sign_out_url(request, id_token) or target
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/sprak")
async def switch_language(lang: str = "nb", neste: str | None = None) -> Response:
    """The language toggle: a link, so it works without JavaScript; remembered in a cookie."""
    chosen = choose(lang)
    response = RedirectResponse(local_target(neste) or "/", status_code=303)
    response.set_cookie(
        LANGUAGE_COOKIE, chosen, max_age=365 * 86400, httponly=True, samesite="lax", path="/"
    )
    return response


# --- Min læring ---------------------------------------------------------------------------------


CONFIRMATIONS = {
    "pameldt": "done_enrolled",
    "venteliste": "done_waitlisted",
    "avmeldt": "done_cancelled",
}


@router.get("/min-laering")
async def my_learning(request: Request, viewer: ViewerDep, reports: ReportsDep) -> Response:
    person = _own_person(request, viewer)
    query, lang = request.query_params, language(request)
    confirmation = None
    if query.get("melding") in CONFIRMATIONS and _is_day(query.get("dato", "")):
        key = CONFIRMATIONS[query["melding"]]
        confirmation = text(key, lang, date=views.day(query["dato"]))
    registered = query.get("registrert")
    if registered in work.BY_ADAPTER:
        method = work.BY_ADAPTER[registered].method
        name = next((m.name.model_dump() for m in reports.catalog.methods if m.id == method), {})
        confirmation = text("work_done", lang, method=localized(name, lang))
    if "bekreftet" in query:
        confirmation = text("confirm_done", lang)
    return await _learner_page(request, viewer, reports, person, confirmation=confirmation)


async def _learner_page(
    request: Request,
    viewer: Viewer,
    reports: ReportsDep,
    person: str,
    status_code: int = 200,
    **context: object,
) -> Response:
    """Min læring: the person's page with her forms, the entries awaiting her confirmation
    and where her own entries stand."""
    found = _confirmations(request, reports)
    return await person_page(
        request,
        viewer,
        reports,
        person,
        "learner.html",
        status_code,
        awaiting=await found.awaiting(person),
        confirmations=await found.states(person),
        evaluations_waiting=await _evaluations_waiting(request, viewer),
        **context,
    )


async def _evaluations_waiting(request: Request, viewer: Viewer) -> int:
    """How many evaluations and follow-ups await the viewer (Min læring's link says so)."""
    evaluations = await get_evaluations(request)
    mine = await evaluations.mine(viewer)
    return sum(1 for item in mine["items"] if item["awaits"])


def _confirmations(request: Request, reports: ReportsDep) -> Confirmations:
    return work.confirmations(request, reports)


def _own_person(request: Request, viewer: Viewer) -> str:
    if viewer.person is None:
        raise NotFound(text("not_bound", language(request)))
    return viewer.person


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


@router.post("/min-laering/samlinger/{session}/pamelding")
async def sign_up(session: str, request: Request, viewer: ViewerDep) -> Response:
    """The learner takes a seat (or a place on the waitlist) in a session."""
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    result = await commands.enrol(viewer, session, _own_person(request, viewer))
    starts = (await commands.classroom.get(session)).starts.isoformat()
    message = "pameldt" if result == "enrolled" else "venteliste"
    return RedirectResponse(f"/min-laering?melding={message}&dato={starts}#moduler", 303)


@router.post("/min-laering/samlinger/{session}/avmelding")
async def cancel_seat(session: str, request: Request, viewer: ViewerDep) -> Response:
    """The learner gives up their seat or place; the seat goes to the first waiting."""
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    await commands.cancel(viewer, session, _own_person(request, viewer))
    starts = (await commands.classroom.get(session)).starts.isoformat()
    return RedirectResponse(f"/min-laering?melding=avmeldt&dato={starts}#moduler", 303)


@router.post("/min-laering/laering/{method}")
async def register_learning(
    method: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    """Learning at work, through the method's adapter into the LRS; bad input re-renders the
    form with a message per field."""
    fields = await form(request)
    check_csrf(request, fields)
    person = _own_person(request, viewer)
    spec = work.BY_ADAPTER.get(method)
    lang = language(request)
    if spec is None:
        raise NotFound(f"no form for {method!r}")
    who = await reports.person(viewer, person)
    outcome = await work.register(
        request.app.state.statements,
        spec,
        fields,
        person=person,
        office=str(who["office"]),
        today=reports.today(),
        base_iri=request.app.state.settings.base_iri,
        lang=lang,
    )
    if outcome.problems:
        return await _learner_page(
            request,
            viewer,
            reports,
            person,
            400,
            work_method=method,
            work_problems=outcome.problems,
            work_values=fields,
        )
    return RedirectResponse(f"/min-laering?registrert={quote(method)}#arbeid", 303)


@router.post("/min-laering/bekreftelser/{entry}")
async def confirm_learning(
    entry: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    """The colleague or leader a learner named confirms her entry: a statement of their own.
    Anyone else (another learner, a leader she did not name, the learner herself) is refused
    alike, whether the entry exists or not."""
    fields = await form(request)
    check_csrf(request, fields)
    person = _own_person(request, viewer)
    found = _confirmations(request, reports)
    asked = await found.request_to(entry.lower(), await found.agents_of(person))
    learner = await reports.store.person_for(asked["actor"]) if asked else None
    if asked is None or not may_confirm(viewer, named=True, learner=learner):
        raise Forbidden(text("error_not_confirmer", language(request)))
    await found.confirm(asked, datetime.now(UTC))
    return RedirectResponse("/min-laering?bekreftet#bekreft", 303)


# --- Nasjonalt ----------------------------------------------------------------------------------


@router.get("/nasjonalt")
async def national_page(request: Request, viewer: ViewerDep, reports: ReportsDep) -> Response:
    regions = views.with_total(await reports.regions(viewer))
    return render(
        request,
        "national.html",
        viewer,
        regions=regions,
        percent=views.percent,
        compliance=await reports.compliance(viewer, levels=frozenset({"nation"})),
        lag=await request.app.state.catalog.lag(),
    )


NATIONAL_TABLES = {"fylker": "counties", "etterlevelse": "compliance"}


@router.get("/nasjonalt/eksport/{table}.{format}")
async def national_download(
    table: str, format: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    """The national page's tables for people to read (CSV or XLSX): headers in the page's
    language, names, counts with their shares, a named sheet."""
    if table not in NATIONAL_TABLES or format not in ("csv", "xlsx"):
        raise NotFound(f"no download {table}.{format}")
    lang = language(request)
    if table == "fylker":
        rows = views.counties_table(views.with_total(await reports.regions(viewer)), lang)
    else:
        found = await reports.compliance(viewer, levels=frozenset({"nation"}))
        rows = views.compliance_table(found, "nation", lang)
    name = f"{table}-{reports.today().isoformat()}"
    if format == "csv":
        content, media = spreadsheets.readable_csv(rows), "text/csv; charset=utf-8"
    else:
        content = spreadsheets.workbook([(text(NATIONAL_TABLES[table], lang), rows)])
        media = spreadsheets.XLSX
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )


# --- Katalog ------------------------------------------------------------------------------------


@router.get("/katalog")
async def catalog_page(
    request: Request, viewer: ViewerDep, reports: ReportsDep, omrade: str = ""
) -> Response:
    catalog = reports.catalog
    packages = [p for p in catalog.packages if not omrade or omrade in p.competence_areas]
    return render(
        request,
        "catalog.html",
        viewer,
        packages=packages,
        areas=catalog.areas,
        area=omrade,
    )


@router.get("/katalog/{package}")
async def package_page(
    package: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    found = next((p for p in reports.catalog.packages if p.id == package), None)
    if found is None:
        raise NotFound(f"no package {package!r}")
    return render(request, "package.html", viewer, package=found)
