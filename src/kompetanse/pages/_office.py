"""Kontoret: the leader's page of an office, a person in it, and the leader's actions.

One filter (`catalog._office_table.OfficeFilter`: role, package, status, search, sort) drives
the counts per package, the lists, the matrix and the download. The leader enrols people in
classroom sessions (from the lists and the person page), offers everyone overdue on a package
the next session with free seats at once, and grants and revokes exemptions. Every action is a
form with the CSRF token, answered with a redirect back and a confirmation.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from catalog import Reports, Viewer
from catalog import _spreadsheets as spreadsheets
from catalog._deps import CommandsDep, ReportsDep
from catalog._offers import SessionOffer, offer_to_overdue, session_offer
from catalog._office_table import CHOICES, OfficeFilter, OfficeTable
from catalog._progress import PackageStatus
from catalog._sessions import Session
from catalog.errors import NotFound
from kompetanse.pages import _format as fmt
from kompetanse.pages import _office_export as export
from kompetanse.pages import _views as views
from kompetanse.pages import _work as work
from kompetanse.pages._format import plural
from kompetanse.pages._i18n import Language, localized, text, words
from kompetanse.pages._web import (
    PageRoute,
    ViewerDep,
    check_csrf,
    form,
    language,
    local_target,
    own_unit,
    person_page,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

OUTCOMES = ("enrolled", "waitlisted", "booked", "no_classroom", "no_session", "refused")
"""What the offer to everyone overdue did for each person, in the order the page tells it."""

words(
    {
        "office_first_view": ("Per pakke", "By package"),
        "office_first_intro": (
            "Hvor mange som har fristen bak seg, snart må være ferdige, er i rute og er "
            "ferdige. Velg et tall for å se hvem.",
            "How many are past the deadline, must finish soon, are on track and are done. "
            "Choose a number to see who.",
        ),
        "office_counts_caption": (
            "Personer per pakke og status. Hvert tall er en lenke som filtrerer listene og "
            "matrisen.",
            "People per package and status. Each number is a link that filters the lists and "
            "the matrix.",
        ),
        "office_on_track": ("I rute", "On track"),
        "status_on_track": ("I rute", "On track"),
        "office_count_link": ("{n} {status} på {package}", "{n} {status} on {package}"),
        "office_search": ("Søk etter navn", "Search by name"),
        "office_search_hint": (
            "Navn eller ansattnummer, helt eller delvis.",
            "A name or employee id, in full or in part.",
        ),
        "office_clear": ("Fjern filtrene", "Clear the filters"),
        "office_lists": ("Hvem som må gjøre noe", "Who must act"),
        "office_list_status": ("Status: {status}", "Status: {status}"),
        "office_list_caption": (
            "{people} på {package}.",
            "{people} on {package}.",
        ),
        "office_every_package": ("alle pakker", "every package"),
        "office_session": ("Samling", "Session"),
        "office_enrol": ("Meld på {date}", "Enrol for {date}"),
        "office_enrol_waitlist": ("Sett på venteliste {date}", "Put on the waitlist for {date}"),
        "office_booked": ("Har plass {date}", "Has a seat on {date}"),
        "office_waitlisted": ("På venteliste {date}", "On the waitlist for {date}"),
        "office_no_session": ("Ingen samling planlagt", "No session scheduled"),
        "office_classroom_done": ("Samlingen er fullført", "The gathering is completed"),
        "office_offer_title": (
            "Tilby samling til alle forfalte",
            "Offer a session to everyone overdue",
        ),
        "office_offer_intro": (
            "Gir hver som har fristen bak seg og fortsatt mangler samlingen, en plass på neste "
            "samling med ledige plasser (eller venteliste når alle er fulle). Den som har "
            "fullført samlingen, meldes ikke på.",
            "Gives everyone past the deadline who still needs the classroom gathering a seat "
            "in the next session with free seats (or the waitlist when all are full). No one "
            "who has completed the gathering is enrolled.",
        ),
        "office_offer_button": (
            "Tilby neste samling til alle {n} forfalte på {package}",
            "Offer the next session to all {n} overdue on {package}",
        ),
        "office_offer_done": (
            "Tilbudet om samling på {package} er sendt.",
            "The offer of a session on {package} is done.",
        ),
        "office_outcome_enrolled": ("Fikk plass", "Got a seat"),
        "office_outcome_waitlisted": ("Satt på venteliste", "Put on the waitlist"),
        "office_outcome_booked": (
            "Hadde allerede plass eller venteliste",
            "Already had a seat or a place",
        ),
        "office_outcome_no_classroom": (
            "Ikke plassert: har fullført samlingen, bare e-læring gjenstår",
            "Not placed: has completed the gathering, only e-learning is left",
        ),
        "office_outcome_no_session": (
            "Ikke plassert: ingen samling er planlagt i fylket",
            "Not placed: no session is scheduled in the county",
        ),
        "office_outcome_refused": (
            "Ikke plassert: reglene tillot det ikke",
            "Not placed: the rules did not allow it",
        ),
        "office_outcome_session": ("samling {date}", "session on {date}"),
        "office_done_enrolled": (
            "{name} har fått plass på samlingen {date}.",
            "{name} has a seat in the session on {date}.",
        ),
        "office_done_waitlisted": (
            "{name} står på ventelisten til samlingen {date}.",
            "{name} is on the waitlist for the session on {date}.",
        ),
        "office_done_cancelled": (
            "{name} er meldt av samlingen {date}.",
            "{name} is taken off the session on {date}.",
        ),
        "office_sessions_title": ("Samlinger", "Sessions"),
        "office_sessions_intro": (
            "Meld på eller av samlinger for klasseromsmoduler som ikke er fullført.",
            "Enrol in or take off sessions of classroom modules not yet completed.",
        ),
        "office_no_classroom": (
            "Ingen klasseromsmoduler gjenstår.",
            "No classroom module is left.",
        ),
        "office_unenrol": ("Meld av {date}", "Take off {date}"),
        "office_exemptions_title": ("Fritak", "Exemptions"),
        "office_exemptions_active": ("Gjeldende fritak", "Exemptions in force"),
        "office_exemptions_none": ("Ingen gjeldende fritak.", "No exemption in force."),
        "office_exemptions_history": ("Historikk", "History"),
        "office_exemption_granted_by": ("Gitt av", "Granted by"),
        "office_exemption_granted_at": ("Dato", "Date"),
        "office_exemption_action": ("Hendelse", "Event"),
        "office_exemption_by": ("Av", "By"),
        "office_exemption_grant": ("Gitt", "Granted"),
        "office_exemption_revoke": ("Opphevet", "Revoked"),
        "office_revoke": ("Opphev fritaket", "Revoke the exemption"),
        "office_revoke_reason": ("Hvorfor fritaket oppheves", "Why the exemption ends"),
        "office_revoke_missing": (
            "Skriv en begrunnelse for å oppheve fritaket.",
            "Write a reason for revoking the exemption.",
        ),
        "office_revoked": (
            "Fritaket fra {package} er opphevet.",
            "The exemption from {package} is revoked.",
        ),
        "office_matrix_caption": (
            "{people} og {packages}. Status står som tekst i hver celle; navnekolonnen står "
            "fast når tabellen rulles sidelengs.",
            "{people} and {packages}. The status is written in each cell; the name column "
            "stays put when the table scrolls sideways.",
        ),
        "office_export_csv": ("Tabellen som CSV", "The table as CSV"),
        "office_export_xlsx": ("Tabellen som Excel (XLSX)", "The table as Excel (XLSX)"),
        "office_export_note": ("med filteret over", "with the filter above"),
    }
)


def count_of(n: int, key: str, lang: Language) -> str:
    """`n` with its noun in the right number ("1 person", "3 personer"; "1 pakke")."""
    return plural(n, {"people": "person", "packages": "package"}[key], lang)


# --- Kontoret -----------------------------------------------------------------------------------


@router.get("/kontoret")
async def my_office(viewer: ViewerDep) -> Response:
    return own_unit(viewer, "leader", viewer.office, "/kontoret")


@router.get("/kontoret/{office}")
async def office_page(
    office: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    chosen = OfficeFilter.of(request.query_params)
    report = await reports.office_report(viewer, office, chosen)
    overview, table = report.overview, report.table
    lang = language(request)
    year = reports.today().year
    total = sum(overview["hours_by_month"].values())
    chart = views.hours_chart(
        overview["hours_by_month"],
        text("hours_chart_label", lang, year=year, total=fmt.hours_phrase(total, lang)),
        views.MONTHS[lang],
    )
    coverage_roles = sorted({role for cells in overview["coverage"].values() for role in cells})
    query = table.chosen.query()
    done, who = request.query_params.get("meldt"), request.query_params.get("hvem")
    names = {row.person.id: row.name for row in report.rows}
    confirmation = None
    if done in ("enrolled", "waitlisted", "cancelled") and who in names:
        if _is_day(request.query_params.get("dato", "")):
            day = views.day(request.query_params["dato"])
            confirmation = text(f"office_done_{done}", lang, name=names[who], date=day)
    return render(
        request,
        "office.html",
        viewer,
        report=report,
        overview=overview,
        table=table,
        chosen=table.chosen,
        choices=CHOICES,
        offers=_list_offers(reports, report.rows, table, report.sessions),
        offerable=_offerable(reports, report.rows),
        classroom=_classroom_packages(reports),
        outcome=_outcome(request, report.rows, report.sessions),
        query=query,
        confirmation=confirmation,
        export_query=f"?{query}" if query else "",
        people_text=count_of(len(table.rows), "people", lang),
        packages_text=count_of(len(table.columns), "packages", lang),
        count_of=lambda n, key: count_of(n, key, lang),
        day=views.day,
        chart=chart,
        year=year,
        months=views.MONTHS[lang],
        coverage_roles=coverage_roles,
        heat_class=views.heat_class,
        percent=views.percent,
    )


@router.get("/kontoret/{office}/eksport.{kind}")
async def office_export(
    office: str, kind: str, request: Request, viewer: ViewerDep, reports: ReportsDep
) -> Response:
    """The matrix with the page's filter, as CSV or XLSX for people to read."""
    if kind not in export.FORMATS:
        raise NotFound(f"no download {kind!r} (csv or xlsx)")
    chosen = OfficeFilter.of(request.query_params)
    report = await reports.office_report(viewer, office, chosen)
    lang = language(request)
    catalog = reports.catalog
    names = {
        "package": {p.id: p.name.model_dump() for p in catalog.packages},
        "role": {r.id: r.name.model_dump() for r in catalog.roles},
    }

    def name_of(what: str, item: str) -> str:
        found = names[what].get(item)
        return localized(found, lang) if found else item

    taken = reports.today()
    rows = export.office_rows(report.table, lang, name_of)
    filename = f"status-{office}-{taken.isoformat()}.{kind}"
    if kind == "csv":
        content, media = spreadsheets.readable_csv(rows), "text/csv; charset=utf-8"
    else:
        chosen_rows = export.filter_rows(report.table, lang, report.name, taken, name_of)
        sheets = [
            (f"{text('ox_sheet', lang)} – {report.name}", rows),
            (text("ox_filter_sheet", lang), chosen_rows),
        ]
        content, media = spreadsheets.workbook(sheets), spreadsheets.XLSX
    return Response(
        content,
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="{quote(filename)}"',
            "Cache-Control": "no-store",
        },
    )


def _statuses(rows: list[Any]) -> dict[tuple[str, str], tuple[Any, PackageStatus]]:
    return {(row.person.id, s.package_id): (row.person, s) for row in rows for s in row.statuses}


def _list_offers(
    reports: Reports, rows: list[Any], table: OfficeTable, sessions: list[Session]
) -> dict[tuple[str, str], SessionOffer]:
    """For each line of the lists whose package has a classroom module the person still
    needs: their booking, or the session to enrol them in."""
    statuses = _statuses(rows)
    today = reports.today()
    found = {}
    for entries in table.entries.values():
        for entry in entries:
            person, status = statuses[(entry.person, entry.package)]
            package = reports.catalog.package(entry.package)
            offer = session_offer(package, status, person.id, person.region, sessions, today)
            if offer is not None:
                found[(entry.person, entry.package)] = offer
    return found


def _classroom_packages(reports: Reports) -> set[str]:
    return {p.id for p in reports.catalog.packages if any(m.classroom for m in p.modules)}


def _offerable(reports: Reports, rows: list[Any]) -> list[tuple[str, int]]:
    """The packages with a classroom module and someone overdue (everyone in the office, not
    only those the filter shows), Ny i NAV first, with how many are overdue."""
    counts: dict[str, int] = {}
    for row in rows:
        for status in row.statuses:
            if status.status == "overdue":
                counts[status.package_id] = counts.get(status.package_id, 0) + 1
    classroom = _classroom_packages(reports)
    found = [(p, n) for p, n in counts.items() if p in classroom]
    return sorted(found, key=lambda item: (item[0] != "ny-i-nav", item[0]))


def _outcome(request: Request, rows: list[Any], sessions: list[Session]) -> dict[str, Any] | None:
    """The offer's result from the redirect's query (person ids per outcome), with names and
    the session each got; ids not of this office are left out."""
    query = request.query_params
    package = query.get("tilbud")
    if not package:
        return None
    names = {row.person.id: row.name for row in rows}
    booked: dict[str, str] = {}
    for session in sessions:
        if session.package_id == package:
            for person in (*session.enrolled, *session.waitlist):
                booked.setdefault(person, session.starts.isoformat())
    found: dict[str, list[dict[str, str | None]]] = {}
    for outcome in OUTCOMES:
        people = [p for p in query.get(outcome, "").split(",") if p in names]
        found[outcome] = [{"person": p, "name": names[p], "starts": booked.get(p)} for p in people]
    return {"package": package, "outcomes": found}


@router.post("/kontoret/{office}/tilbud")
async def offer_sessions(
    office: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> Response:
    """Offer everyone of the office overdue on the package the next session with free seats."""
    fields = await form(request)
    check_csrf(request, fields)
    package = fields.get("package", "")
    offered = await offer_to_overdue(commands, viewer, office, package)
    by_outcome: dict[str, list[str]] = {outcome: [] for outcome in OUTCOMES}
    for item in offered:
        by_outcome[item.outcome].append(item.person)
    query = [("pakke", package), ("status", "overdue"), ("tilbud", package)]
    query += [(k, ",".join(v)) for k, v in by_outcome.items() if v]
    return RedirectResponse(f"/kontoret/{quote(office)}?{urlencode(query)}#tilbud", 303)


# --- a person at the office ---------------------------------------------------------------------


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
    query, lang = request.query_params, language(request)
    packages = {p.id for p in reports.catalog.packages}
    exempted = query.get("fritatt")
    revoked = query.get("opphevet")
    confirmation = None
    if revoked in packages:
        name = localized(reports.catalog.package(revoked).name.model_dump(), lang)
        confirmation = text("office_revoked", lang, package=name)
    done = query.get("meldt")
    if done in ("enrolled", "waitlisted", "cancelled") and _is_day(query.get("dato", "")):
        confirmation = text(
            f"office_done_{done}", lang, name=who["name"], date=views.day(query["dato"])
        )
    commands = request.app.state.commands
    history = await commands.exemption_history(viewer, person)
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
        may_enrol=viewer.role != "learner" and viewer.person != person,
        exempted=exempted if exempted in packages else None,
        confirmation=confirmation,
        exemptions=_exemptions(history),
        history=history["history"],
        granters=await _granters(request, reports, history["history"]),
        confirmations=await work.confirmations(request, reports).states(person),
        **context,
    )


def _exemptions(history: dict[str, Any]) -> list[dict[str, Any]]:
    """Each exemption in force with its latest grant: the reason, who granted it and when."""
    latest = {}
    for event in history["history"]:
        if event["action"] == "grant":
            latest[event["package"]] = event
    return [latest[p] for p in history["active"] if p in latest]


async def _granters(
    request: Request, reports: Reports, history: list[dict[str, Any]]
) -> dict[str, str]:
    """Who granted or revoked, by username: their name and username when the account is
    bound to a person, else the username."""
    found = {}
    for username in {event["by"] for event in history}:
        account = await request.app.state.accounts.account(username)
        person = account.get("person") if account else None
        document = await reports.store.person_document(person) if person else None
        found[username] = f"{document['name']} ({username})" if document else username
    return found


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


async def _office_person(reports: Reports, viewer: Viewer, office: str, person: str) -> None:
    who = await reports.person(viewer, person)
    if who["office"] != office:
        raise NotFound(f"no person {person!r} at office {office!r}")


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
    await _office_person(reports, viewer, office, person)
    commands = request.app.state.commands
    await commands.exempt(viewer, person, package, reason)
    target = f"/kontoret/{quote(office)}/personer/{quote(person)}?fritatt={quote(package)}"
    return RedirectResponse(target, status_code=303)


@router.post("/kontoret/{office}/personer/{person}/fritak/{package}/opphev")
async def revoke_exemption(
    office: str,
    person: str,
    package: str,
    request: Request,
    viewer: ViewerDep,
    reports: ReportsDep,
    commands: CommandsDep,
) -> Response:
    """End the person's exemption from the package, with a reason (kept in the history)."""
    fields = await form(request)
    check_csrf(request, fields)
    reason = fields.get("reason", "").strip()
    if not reason:
        problems = {f"revoke-{package}": text("office_revoke_missing", language(request))}
        return await _person_in_office(
            request, viewer, reports, office, person, 400, revoke_problems=problems
        )
    await _office_person(reports, viewer, office, person)
    await commands.revoke_exemption(viewer, person, package, reason)
    target = f"/kontoret/{quote(office)}/personer/{quote(person)}?opphevet={quote(package)}"
    return RedirectResponse(target, status_code=303)


@router.post("/kontoret/{office}/personer/{person}/samlinger/{session}/pamelding")
async def enrol(
    office: str,
    person: str,
    session: str,
    request: Request,
    viewer: ViewerDep,
    reports: ReportsDep,
    commands: CommandsDep,
) -> Response:
    """A seat for the person in the session (or a place on its waitlist); back to the list
    it was asked from (`neste`), or to the person's page."""
    fields = await form(request)
    check_csrf(request, fields)
    await _office_person(reports, viewer, office, person)
    result = await commands.enrol(viewer, session, person)
    starts = (await commands.classroom.get(session)).starts.isoformat()
    return _back(fields, office, person, result, starts)


@router.post("/kontoret/{office}/personer/{person}/samlinger/{session}/avmelding")
async def unenrol(
    office: str,
    person: str,
    session: str,
    request: Request,
    viewer: ViewerDep,
    reports: ReportsDep,
    commands: CommandsDep,
) -> Response:
    """Take the person off the session; the seat goes to the first waiting."""
    fields = await form(request)
    check_csrf(request, fields)
    await _office_person(reports, viewer, office, person)
    await commands.cancel(viewer, session, person)
    starts = (await commands.classroom.get(session)).starts.isoformat()
    return _back(fields, office, person, "cancelled", starts)


def _back(fields: dict[str, str], office: str, person: str, done: str, starts: str) -> Response:
    confirmation = urlencode({"meldt": done, "dato": starts, "hvem": person})
    target = local_target(fields.get("neste"))
    if target is not None and target.startswith(f"/kontoret/{quote(office)}"):
        path = target.partition("#")[0]
        joiner = "&" if "?" in path else "?"
        return RedirectResponse(f"{path}{joiner}{confirmation}#lister", 303)
    page = f"/kontoret/{quote(office)}/personer/{quote(person)}"
    return RedirectResponse(f"{page}?{confirmation}#samlinger", 303)
