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
from catalog._deps import ReportsDep
from catalog.errors import NotFound
from kompetanse.pages import _region_views as rv
from kompetanse.pages import _views as views
from kompetanse.pages._i18n import Language, localized, text, words
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

words(
    {
        # the filter
        "rg_filters": ("Utvalg", "Selection"),
        "rg_all_offices": ("Alle kontorer", "All offices"),
        "rg_all_packages": ("Alle pakker", "All packages"),
        "rg_only_at_risk": (
            "Bare de som ikke rekker fristen",
            "Only those who cannot make the deadline",
        ),
        "rg_show": ("Vis", "Show"),
        "rg_filter_applied": (
            "Tabellene og nedlastingene viser utvalget.",
            "The tables and the downloads show the selection.",
        ),
        # offices
        "rg_offices_caption": (
            "Per kontor: fullført av dem det gjelder, og forfalte, i alt og per pakke.",
            "Per office: completed of those it applies to, and overdue, in all and per package.",
        ),
        "rg_overdue_one": ("1 forfalt", "1 overdue"),
        "rg_overdue_many": ("{n} forfalte", "{n} overdue"),
        # pipeline
        "rg_pipeline_intro": (
            "Alle som fortsatt trenger en samling, med kontor og frist. De som ikke rekker "
            "fristen med planlagte samlinger står først. Plasser dem i en samling, eller flytt "
            "dem til en annen.",
            "Everyone who still needs a classroom session, with office and deadline. Those who "
            "cannot make the deadline with the scheduled sessions come first. Place them in a "
            "session, or move them to another.",
        ),
        "rg_pipeline_caption": (
            "{package}: {module}. {people} trenger modulen, {risk} rekker ikke fristen.",
            "{package}: {module}. {people} need the module, {risk} cannot make the deadline.",
        ),
        "rg_people_one": ("1 person", "1 person"),
        "rg_people_many": ("{n} personer", "{n} people"),
        "rg_package_module": ("Pakke og modul", "Package and module"),
        "rg_situation": ("Situasjon", "Situation"),
        "rg_action": ("Plasser i samling", "Place in a session"),
        "rg_at_risk_word": ("Rekker ikke fristen", "Cannot make the deadline"),
        "rg_suggested": ("Kan få plass i tide", "Can get a seat in time"),
        "rg_suggested_session": ("ledig plass {date}", "a free seat on {date}"),
        "rg_booked": ("Påmeldt", "Enrolled"),
        "rg_waitlisted": ("På venteliste", "Waitlisted"),
        "rg_meets": ("rekker fristen", "meets the deadline"),
        "rg_misses": ("etter fristen", "after the deadline"),
        "rg_released": (
            "Samlingen {date} ble avlyst: trenger ny plass",
            "The session on {date} was cancelled: needs a new seat",
        ),
        "rg_place_label": ("Samling for {name}", "Session for {name}"),
        "rg_move_label": ("Flytt {name} til", "Move {name} to"),
        "rg_place_button": ("Plasser", "Place"),
        "rg_move_button": ("Flytt", "Move"),
        "rg_option": (
            "{date}{place} – {deadline} – {seats}",
            "{date}{place} – {deadline} – {seats}",
        ),
        "rg_option_meets": ("rekker fristen {due}", "meets the deadline {due}"),
        "rg_option_misses": ("etter fristen {due}", "after the deadline {due}"),
        "rg_free_one": ("1 ledig plass", "1 free seat"),
        "rg_free_many": ("{n} ledige plasser", "{n} free seats"),
        "rg_full": ("fullt, venteliste", "full, waitlist"),
        "rg_no_options": (
            "Ingen samling å plassere i: planlegg en ny.",
            "No session to place in: schedule a new one.",
        ),
        # sessions
        "rg_new_session": ("Planlegg en samling", "Schedule a session"),
        "rg_ends": ("Siste dag", "Last day"),
        "rg_days": ("Dager", "Days"),
        "rg_place": ("Sted", "Place"),
        "rg_instructors": ("Instruktører", "Instructors"),
        "rg_open_session": ("Samlingen {date}", "The session on {date}"),
        "rg_cancelled_title": ("Avlyste samlinger", "Cancelled sessions"),
        "rg_released_count": ("Frigitt", "Released"),
        "rg_session_title": ("Samling {date}", "Session on {date}"),
        "rg_back": ("Tilbake til {county}", "Back to {county}"),
        "rg_people_title": ("Deltakere", "Participants"),
        "rg_people_caption": (
            "{seats} av {total} plasser tatt, {waiting} på venteliste.",
            "{seats} of {total} seats taken, {waiting} waitlisted.",
        ),
        "rg_seat_enrolled": ("Plass", "Seat"),
        "rg_seat_waitlisted": ("Venteliste", "Waitlist"),
        "rg_seat_released": ("Frigitt (avlyst)", "Released (cancelled)"),
        "rg_no_people": ("Ingen påmeldte ennå.", "No one enrolled yet."),
        "rg_is_cancelled": (
            "Samlingen er avlyst. Disse hadde plass eller sto på ventelisten, og trenger ny plass:",
            "The session is cancelled. These had a seat or were waitlisted, and need a new seat:",
        ),
        "rg_edit_title": ("Endre samlingen", "Change the session"),
        "rg_save": ("Lagre endringene", "Save the changes"),
        "rg_create": ("Planlegg samlingen", "Schedule the session"),
        "rg_cancel_title": ("Avlys samlingen", "Cancel the session"),
        "rg_cancel_intro": (
            "{enrolled} med plass og {waiting} på ventelisten mister plassen. De vises igjen i "
            "løypa som uten plass, så du kan plassere dem i en annen samling. Det kan ikke angres.",
            "{enrolled} with a seat and {waiting} on the waitlist lose their place. They show "
            "in the pipeline again as without a seat, so you can place them in another "
            "session. It cannot be undone.",
        ),
        "rg_cancel_button": ("Avlys samlingen {date}", "Cancel the session on {date}"),
        # the form
        "rg_f_module": ("Modul", "Module"),
        "rg_f_starts": ("Første dag", "First day"),
        "rg_f_ends": ("Siste dag (valgfritt)", "Last day (optional)"),
        "rg_f_days": ("Dager samlingen møtes (valgfritt)", "Days the session meets (optional)"),
        "rg_f_place": ("Sted", "Place"),
        "rg_f_instructors": ("Instruktører (valgfritt)", "Instructors (optional)"),
        "rg_f_seats": ("Plasser", "Seats"),
        "rg_hint_day": ("dd.mm.åååå", "dd.mm.yyyy"),
        "rg_hint_ends": ("dd.mm.åååå. Tomt: én dag.", "dd.mm.yyyy. Empty: one day."),
        "rg_hint_days": (
            "Datoer (dd.mm.åååå) skilt med komma. Tomt: hver ukedag fra første til siste dag.",
            "Dates (dd.mm.yyyy) separated by commas. Empty: every weekday from the first day "
            "to the last.",
        ),
        "rg_hint_instructors": (
            "Ansattnumre i fylket, skilt med komma",
            "Employee ids in the county, separated by commas",
        ),
        "rg_problems": ("Rett opp dette:", "Please correct the following:"),
        "rg_required": ("Fyll inn feltet.", "Fill in the field."),
        "rg_bad_day": ("Skriv datoen som dd.mm.åååå.", "Write the date as dd.mm.yyyy."),
        "rg_bad_days": (
            "Skriv hver dato som dd.mm.åååå, skilt med komma.",
            "Write each date as dd.mm.yyyy, separated by commas.",
        ),
        "rg_bad_seats": ("Skriv et helt tall, for eksempel 25.", "Write a whole number, e.g. 25."),
        "rg_p_module_unknown": (
            "Velg en samlingsmodul fra katalogen.",
            "Choose a classroom module of the catalog.",
        ),
        "rg_p_module_has_people": (
            "Noen har plass eller står på venteliste. Flytt dem før du bytter modul.",
            "People hold seats or places. Move them before changing the module.",
        ),
        "rg_p_starts_past": ("Første dag er passert.", "The first day has passed."),
        "rg_p_ends_before_start": (
            "Siste dag er før første dag.",
            "The last day is before the first.",
        ),
        "rg_p_ends_too_far": (
            "En samling varer høyst 31 dager.",
            "A session lasts at most 31 days.",
        ),
        "rg_p_days_outside": (
            "Alle dagene må være mellom første og siste dag.",
            "Every day must be between the first day and the last.",
        ),
        "rg_p_place_too_long": ("Skriv høyst 200 tegn.", "Write at most 200 characters."),
        "rg_p_instructors_unknown": (
            "Oppgi ansattnumre for personer i fylket.",
            "Give the employee ids of people in the county.",
        ),
        "rg_p_seats_too_few": ("Minst 1 plass.", "At least 1 seat."),
        "rg_p_seats_too_many": ("Høyst 500 plasser.", "At most 500 seats."),
        "rg_p_seats_below_enrolled": (
            "Færre plasser enn påmeldte ({n}). Flytt eller meld av noen først.",
            "Fewer seats than people enrolled ({n}). Move or cancel some first.",
        ),
        # confirmations
        "rg_done_created": ("Samlingen {date} er planlagt.", "The session on {date} is scheduled."),
        "rg_done_edited": ("Samlingen {date} er endret.", "The session on {date} is changed."),
        "rg_done_promoted_one": (
            "1 fra ventelisten fikk plass.",
            "1 person on the waitlist got a seat.",
        ),
        "rg_done_promoted_many": (
            "{n} fra ventelisten fikk plass.",
            "{n} people on the waitlist got a seat.",
        ),
        "rg_done_cancelled": (
            "Samlingen {date} er avlyst. {people} er frigitt og trenger ny plass; de står i løypa.",
            "The session on {date} is cancelled. {people} released need a new seat; they are "
            "in the pipeline.",
        ),
        "rg_done_placed": (
            "Plassert på samlingen {date}.",
            "Placed in the session on {date}.",
        ),
        "rg_done_waitlisted": (
            "Samlingen {date} er full: satt på ventelisten.",
            "The session on {date} is full: put on the waitlist.",
        ),
        "rg_done_moved": ("Flyttet til samlingen {date}.", "Moved to the session on {date}."),
        "rg_done_moved_waiting": (
            "Flyttet til ventelisten for samlingen {date}.",
            "Moved to the waitlist of the session on {date}.",
        ),
        "rg_done_moved_up": (
            "Plassen som ble ledig gikk til den første på ventelisten.",
            "The seat freed went to the first on the waitlist.",
        ),
        # downloads
        "rg_downloads": ("Last ned", "Download"),
        "rg_table_kontorer": ("Kontorer", "Offices"),
        "rg_table_loypa": ("Løypa", "Pipeline"),
        "rg_table_samlinger": ("Samlinger med deltakere", "Sessions with participants"),
        "rg_sheet_samlinger": ("Samlinger", "Sessions"),
        "rg_sheet_people": ("Deltakere", "Participants"),
        "rg_sheet_filter": ("Utvalg", "Selection"),
        "rg_x_office_id": ("Kontor-id", "Office id"),
        "rg_x_completed_of": ("{package} – fullført", "{package} – completed"),
        "rg_x_overdue_of": ("{package} – forfalte", "{package} – overdue"),
        "rg_x_situation": ("Situasjon", "Situation"),
        "rg_x_session": ("Samling", "Session"),
        "rg_x_seat": ("Plass", "Seat"),
        "rg_x_deadline": ("Rekker fristen", "Meets the deadline"),
        "rg_x_filter": ("Filter", "Filter"),
        "rg_x_value": ("Verdi", "Value"),
        "rg_x_taken": ("Hentet", "Taken"),
        "rg_x_shown": ("Løypa viser", "The pipeline shows"),
        "rg_not_in_county": ("ingen slik samling i fylket", "no such session in the county"),
    }
)


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
}


def _confirmation(request: Request) -> str | None:
    """The confirmation a redirect asked for (a code and a date, counts; never a name)."""
    query, lang = request.query_params, language(request)
    key = CONFIRMATIONS.get(query.get("melding", ""))
    starts = rv.parse_day(query.get("dato", ""))
    if key is None or starts is None:
        return None
    n = int(query["n"]) if query.get("n", "").isdigit() else 0
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
    session = await commands.add_session(
        viewer,
        region,
        draft.package_id,
        draft.module_id,
        draft.starts,
        draft.seats,
        ends=draft.ends,
        days=draft.days,
        place=draft.place,
        instructors=draft.instructors,
    )
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
    await reports.region_name(viewer, region)
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    before = await _session_in(commands, region, session)
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
    await reports.region_name(viewer, region)
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    await _session_in(commands, region, session)
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
    await reports.region_name(viewer, region)
    fields = await form(request)
    check_csrf(request, fields)
    commands: Commands = request.app.state.commands
    await _session_in(commands, region, session)
    target = await _session_in(commands, region, fields.get("to", ""))
    result, promoted = await commands.move(viewer, session, fields.get("person", ""), target.id)
    back = (
        local_target(fields.get("tilbake")) or f"/fylket/{quote(region)}/samlinger/{quote(session)}"
    )
    message = "flyttet" if result == "enrolled" else "flyttet-venteliste"
    return _done(back, message, target.starts.isoformat(), opp="1" if promoted else "0")


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
        rows = rv.offices_table(view["offices"], view["columns"], lang, package_name)
        sheets = [(text("rg_table_kontorer", lang), rows)]
    elif table == "loypa":
        rows = rv.pipeline_table(view["pipeline"], lang, package_name, module_name)
        sheets = [(text("rg_table_loypa", lang), rows)]
    else:
        detailed = [await reports.session(viewer, s["id"]) for s in view["sessions"]]
        if chosen.office:
            for session in detailed:
                session["people"] = [p for p in session["people"] if p["office"] == chosen.office]
        summary, people = rv.sessions_tables(detailed, lang, package_name, module_name)
        rows = people
        sheets = [
            (text("rg_sheet_samlinger", lang), summary),
            (text("rg_sheet_people", lang), people),
        ]
    filters = rv.filter_table(
        chosen,
        lang,
        view["region_name"],
        reports.today(),
        lambda o: offices.get(o, o),
        package_name,
    )
    name = f"{table}-{region}"
    if format == "csv":
        return _file(rv.to_csv(rows), "text/csv; charset=utf-8", f"{name}.csv")
    content = rv.to_xlsx([*sheets, (text("rg_sheet_filter", lang), filters)])
    return _file(content, rv.XLSX, f"{name}.xlsx")


def _file(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
