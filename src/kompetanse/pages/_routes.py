"""The pages: sign-in, Min læring, Kontoret, Fylket, Nasjonalt and Katalog.

Min læring acts as well: signing up for and cancelling a classroom session, and registering
learning at work (`kompetanse.pages._work`); each form posts with the CSRF token and redirects
back with a confirmation.

Server-rendered (Jinja2), usable without JavaScript. Who may see what is decided by the
catalog's reports (`catalog._access`), exactly as for the JSON API; a page only renders what
a report returned, and a refusal becomes an HTML error page with the same status code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from adapters.vocabulary import VERB_DISPLAY
from catalog import (
    SESSION_COOKIE,
    SESSION_LIFETIME,
    AccountStore,
    CatalogError,
    Commands,
    Reports,
    Viewer,
    set_session_cookie,
)
from catalog.errors import Invalid, NotFound, TooManyRequests
from kompetanse.pages import _views as views
from kompetanse.pages import _work as work
from kompetanse.pages._i18n import LANGUAGE_COOKIE, Language, choose, localized, text
from lrs.errors import LrsError

SESSION_LIFETIME_SECONDS = int(SESSION_LIFETIME.total_seconds())
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
HOME = {
    "learner": "/min-laering",
    "leader": "/kontoret",
    "coordinator": "/fylket",
    "directorate": "/nasjonalt",
    "admin": "/nasjonalt",
}


class SignInNeeded(Exception):
    """No valid session: the page redirects to the sign-in form."""


class PageRoute(APIRoute):
    """A page route: refusals and missing sessions become HTML pages and redirects."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInNeeded:
                target = request.url.path
                if request.url.query:
                    target += "?" + request.url.query
                return RedirectResponse(f"/logg-inn?neste={quote(target)}", status_code=303)
            except (LrsError, CatalogError) as exc:
                return await error_page(request, exc.status_code, exc.message)

        return page


router = APIRouter(route_class=PageRoute, include_in_schema=False)


# --- the frame: who is signed in, which language, the CSRF token --------------------------------


def language(request: Request) -> Language:
    return choose(request.cookies.get(LANGUAGE_COOKIE))


async def current_viewer(request: Request) -> Viewer | None:
    accounts: AccountStore = request.app.state.accounts
    return await accounts.viewer(request.cookies.get(SESSION_COOKIE))


async def signed_in(request: Request) -> Viewer:
    viewer = await current_viewer(request)
    if viewer is None:
        raise SignInNeeded
    return viewer


async def get_reports(request: Request) -> Reports:
    reports: Reports = request.app.state.reports
    return reports


ViewerDep = Annotated[Viewer, Depends(signed_in)]
ReportsDep = Annotated[Reports, Depends(get_reports)]


PRESESSION_COOKIE = "kompetanse_presession"


def csrf_seed(request: Request) -> str | None:
    """The secret a form's token is derived from: the session token, which only the signed-in
    browser holds (HttpOnly); before sign-in a random cookie of its own (so the sign-in form
    has a token no other site can know either)."""
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)


def csrf_token(request: Request, seed: str | None = None) -> str:
    secret = seed or csrf_seed(request) or ""
    return hmac.new(secret.encode(), b"kompetanse-csrf", hashlib.sha256).hexdigest()


async def form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body; a POST from a page must carry the CSRF token."""
    try:
        fields = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as exc:
        raise Invalid("body: not UTF-8") from exc
    return fields


def check_csrf(request: Request, fields: dict[str, str]) -> None:
    # as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500)
    if csrf_seed(request) is None or not hmac.compare_digest(
        fields.get("csrf", "").encode(), csrf_token(request).encode()
    ):
        raise Invalid(text("csrf", language(request)))


def navigation(viewer: Viewer | None, lang: Language) -> list[tuple[str, str]]:
    if viewer is None:
        return []
    items = []
    if viewer.person:
        items.append(("/min-laering", text("nav_learner", lang)))
    if viewer.role == "leader":
        items.append(("/kontoret", text("nav_office", lang)))
    if viewer.role == "coordinator":
        items.append(("/fylket", text("nav_region", lang)))
    if viewer.role in ("directorate", "admin"):
        items.append(("/nasjonalt", text("nav_national", lang)))
    items.append(("/katalog", text("nav_catalog", lang)))
    return items


def render(
    request: Request,
    template: str,
    viewer: Viewer | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = language(request)
    reports: Reports = request.app.state.reports
    catalog = reports.catalog
    names = {
        "area": {a.id: a.name.model_dump() for a in catalog.areas},
        "role": {r.id: r.name.model_dump() for r in catalog.roles},
        "method": {m.id: m.name.model_dump() for m in catalog.methods},
        "package": {p.id: p.name.model_dump() for p in catalog.packages},
    }

    def name_of(kind: str, item: str) -> str:
        found = names[kind].get(item)
        return localized(found, lang) if found else item

    def verb(entry: dict[str, Any]) -> str:
        """A verb in words: the statement's display, else the vocabulary's, else its IRI."""
        known = VERB_DISPLAY.get(entry["verb_id"], {})
        display = entry["verb"]
        if lang in display or lang not in known:
            return localized(display, lang) or localized(known, lang) or entry["verb_id"]
        return known[lang]

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    path = request.url.path
    seed = csrf_seed(request)
    new_seed = None if seed else secrets.token_urlsafe(32)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": t,
            "name_of": name_of,
            "localized": lambda value: localized(value, lang),
            "verb": verb,
            "hours": views.hours_text,
            "viewer": viewer,
            "navigation": navigation(viewer, lang),
            "path": path,
            "here": path + (f"?{request.url.query}" if request.url.query else ""),
            "csrf": csrf_token(request, seed or new_seed),
            "provider": provider_label(request),
            "today": reports.today().isoformat(),
            **context,
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    if new_seed:
        response.set_cookie(
            PRESESSION_COOKIE,
            new_seed,
            max_age=SESSION_LIFETIME_SECONDS,
            httponly=True,
            samesite="strict",
            secure=behind_tls(request),
            path="/",
        )
    return response


def behind_tls(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    viewer = await current_viewer(request)
    lang = language(request)
    key = f"error_{status_code}"
    title = text(key if key in _ERROR_KEYS else "error", lang)
    return render(
        request, "error.html", viewer, status_code, title=title, message=message, code=status_code
    )


_ERROR_KEYS = {"error_400", "error_403", "error_404"}


def local_target(value: str | None) -> str | None:
    """A redirect target only if it stays on this site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


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


def provider_label(request: Request) -> str | None:
    """The sign-in button's name for the identity provider, when one is set up."""
    provider = getattr(request.app.state, "oidc", None)
    return None if provider is None else str(provider.settings.label)


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
                problem=text("locked", lang, seconds=exc.retry_after),
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
    return await person_page(
        request, viewer, reports, person, "learner.html", confirmation=confirmation
    )


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
        return await person_page(
            request,
            viewer,
            reports,
            person,
            "learner.html",
            400,
            work_method=method,
            work_problems=outcome.problems,
            work_values=fields,
        )
    return RedirectResponse(f"/min-laering?registrert={quote(method)}#arbeid", 303)


async def person_page(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    person: str,
    template: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    who = await reports.person(viewer, person)
    requirements = await reports.requirements(viewer, person)
    record = await reports.record(viewer, person)
    by_priority: dict[str, list[Any]] = {"skal": [], "bør": [], "kan": []}
    for requirement in requirements:
        by_priority[requirement.priority].append(requirement)
    for items in by_priority.values():
        items.sort(key=lambda r: (r.status in ("completed", "waived"), r.due or "9999"))
    steps = [
        (r, views.module_steps(reports.catalog.package(r.package_id), r))
        for priority in ("skal", "bør", "kan")
        for r in by_priority[priority]
    ]
    return render(
        request,
        template,
        viewer,
        status_code,
        who=who,
        by_priority=by_priority,
        requirements=requirements,
        record=record,
        free_seats=views.free_seats,
        steps=steps,
        own=viewer.person == person,
        day=views.day,
        work_forms=work.FORMS,
        **context,
    )


# --- Kontoret -----------------------------------------------------------------------------------


@router.get("/kontoret")
async def my_office(viewer: ViewerDep) -> Response:
    return _own_unit(viewer, "leader", viewer.office, "/kontoret")


def _own_unit(viewer: Viewer, role: str, unit: str | None, prefix: str) -> Response:
    """The page of the viewer's own office or county; other roles go to their home page."""
    target = f"{prefix}/{quote(unit)}" if viewer.role == role and unit else HOME[viewer.role]
    return RedirectResponse(target, status_code=303)


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


# --- Fylket and Nasjonalt -----------------------------------------------------------------------


@router.get("/fylket")
async def my_region(viewer: ViewerDep) -> Response:
    return _own_unit(viewer, "coordinator", viewer.region, "/fylket")


@router.get("/fylket/{region}")
async def region_page(
    region: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    name = await reports.region_name(viewer, region)
    report = await reports.region_report(viewer, region)
    offices = views.with_total(report["offices"])
    sessions = await reports.sessions(viewer, region)
    return render(
        request,
        "region.html",
        viewer,
        compliance=await reports.compliance(viewer, region=region, levels=frozenset({"county"})),
        lag=await request.app.state.catalog.lag(),
        region=region,
        region_name=name,
        offices=offices,
        pipeline=report["pipeline"]["modules"],
        sessions=sessions,
        percent=views.percent,
        module_name=_module_name(reports),
    )


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


def _module_name(reports: Reports) -> Callable[[str, str], dict[str, str]]:
    names = {(p.id, m.id): m.name.model_dump() for p in reports.catalog.packages for m in p.modules}
    return lambda package, module: names.get((package, module), {"und": module})


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
