"""Nettverk: the competence networks' pages (`catalog._networks`).

The county's coordinator creates the county's networks, names their members and records each
meeting with who attended; the member sees their networks on Min læring and, for each meeting
they attended, says "Jeg har delt" (when, how, a few words); the office's leader sees, for the
office's people, who attended and who has not shared back yet and for how many days; the
county the same across its offices. Forms carry the CSRF token; a bad field re-renders the
page with an alert naming it and the field marked invalid; a good one redirects back with a
confirmation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from adapters.vocabulary import ATTENDED
from catalog._access import may_run_network
from catalog._networks import HOW
from catalog._networks_api import NetworksDep, SaveDep
from catalog.errors import Invalid
from kompetanse.pages._format import parse_day
from kompetanse.pages._i18n import text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

words(
    {
        "net_title": ("Nettverk", "Networks"),
        "net_link": ("Nettverk og deling", "Networks and sharing back"),
        "net_intro_learner": (
            "Etter hvert nettverksmøte du har deltatt på, skal du dele det du lærte på eget "
            "kontor. Registrer her når og hvordan du delte.",
            "After each network meeting you attended, share what you learned at your own "
            "office. Record here when and how you shared it.",
        ),
        "net_none": ("Du er ikke med i noe nettverk.", "You are in no network."),
        "net_meeting": ("Møte", "Meeting"),
        "net_held_on": ("Dato", "Date"),
        "net_topic": ("Tema", "Topic"),
        "net_attended": ("Deltok", "Attended"),
        "net_shared": ("Delt", "Shared back"),
        "net_yes": ("Ja", "Yes"),
        "net_no": ("Nei", "No"),
        "net_not_attended": ("Deltok ikke", "Did not attend"),
        "net_waiting": ("Ikke delt ennå ({days} dager)", "Not shared yet ({days} days)"),
        "net_shared_on": ("Delt {date} ({how})", "Shared {date} ({how})"),
        "net_share": ("Jeg har delt", "I have shared it"),
        "net_share_legend": ("Jeg har delt: {topic}", "I have shared: {topic}"),
        "net_shared_on_label": ("Dato for delingen", "Date shared"),
        "net_day_hint": ("dd.mm.åååå", "dd.mm.yyyy"),
        "net_how": ("Hvordan", "How"),
        "net_text": ("Kort om hva du delte (valgfritt)", "Briefly what you shared (optional)"),
        "net_how_personalmote": ("Personalmøte", "Staff meeting"),
        "net_how_fagmote": ("Fagmøte", "Professional meeting"),
        "net_how_teammote": ("Teammøte", "Team meeting"),
        "net_how_e-post": ("E-post", "E-mail"),
        "net_how_annet": ("Annet", "Other"),
        "net_done_shared": ("Delingen er registrert.", "The sharing is recorded."),
        "net_done_created": ("Nettverket er opprettet.", "The network is created."),
        "net_done_members": ("Medlemmene er lagret.", "The members are saved."),
        "net_done_meeting": ("Møtet er registrert.", "The meeting is recorded."),
        "net_done_attendance": ("Oppmøtet er lagt til.", "The attendance is added."),
        "net_add_attendance": ("Legg til oppmøte: {topic}", "Add attendance: {topic}"),
        "net_add_attendance_hint": (
            "Medlemmer som deltok, men ikke ble registrert da møtet ble lagt inn.",
            "Members who attended but were not recorded when the meeting was entered.",
        ),
        "net_save_attendance": ("Legg til oppmøtet", "Add the attendance"),
        "net_problems": ("Det kunne ikke lagres:", "It could not be saved:"),
        "net_office_title": ("Nettverk: {office}", "Networks: {office}"),
        "net_office_intro": (
            "Hvem på kontoret som deltok på hvert nettverksmøte, og hvem som ikke har delt "
            "det på kontoret ennå.",
            "Who at the office attended each network meeting, and who has not shared it at "
            "the office yet.",
        ),
        "net_office_none": (
            "Ingen på kontoret er med i et nettverk.",
            "No one at the office is in a network.",
        ),
        "net_person": ("Person", "Person"),
        "net_office": ("Kontor", "Office"),
        "net_members": ("Medlemmer per kontor", "Members per office"),
        "net_not_shared": ("Ikke delt ennå: {n}", "Not shared yet: {n}"),
        "net_export": ("Last ned som CSV", "Download as CSV"),
        "net_region_title": ("Nettverk i fylket", "The county's networks"),
        "net_new": ("Nytt nettverk", "New network"),
        "net_name": ("Navn", "Name"),
        "net_member_ids": (
            "Medlemmer (NAV-identer, skilt med komma)",
            "Members (NAV idents, comma-separated)",
        ),
        "net_create": ("Opprett nettverket", "Create the network"),
        "net_save_members": ("Lagre medlemmene", "Save the members"),
        "net_new_meeting": ("Registrer et møte", "Record a meeting"),
        "net_who_attended": ("Hvem deltok", "Who attended"),
        "net_record_meeting": ("Registrer møtet", "Record the meeting"),
        "net_field_name": ("Navn", "Name"),
        "net_field_id": ("Navn", "Name"),
        "net_field_members": ("Medlemmer", "Members"),
        "net_field_held_on": ("Dato", "Date"),
        "net_field_topic": ("Tema", "Topic"),
        "net_field_attended": ("Hvem deltok", "Who attended"),
        "net_field_shared_on": ("Dato for delingen", "Date shared"),
        "net_field_how": ("Hvordan", "How"),
        "net_field_text": ("Kort om hva du delte", "What you shared"),
        "net_field_": ("Skjemaet", "The form"),
        "net_package": ("Katalogpakke (valgfritt)", "Catalog package (optional)"),
        "net_package_none": ("Ingen", "None"),
        "net_package_hint": (
            "Møtene teller da som pakkens samlinger, og delingen som pakkens deling.",
            "The meetings then count as the package's meetings, and sharing back as its sharing.",
        ),
        "net_module": ("Samling i pakken", "Meeting of the package"),
        "net_field_package": ("Katalogpakke", "Catalog package"),
        "net_field_module": ("Samling i pakken", "Meeting of the package"),
        "net_bad_day": ("skriv datoen som dd.mm.åååå", "write the date as dd.mm.yyyy"),
    }
)


def _problem(exc: Invalid) -> dict[str, str]:
    """The field an Invalid names (its path up to an index), and its message."""
    field = (exc.path or "").split("[")[0]
    message = exc.message.removeprefix(f"{exc.path}: ") if exc.path else exc.message
    return {field: message}


def _day(value: str) -> str:
    found = parse_day(value)
    return found.isoformat() if found else value.strip()


def _hows(request: Request) -> list[tuple[str, str]]:
    lang = language(request)
    return [(how, text(f"net_how_{how}", lang)) for how in HOW]


def _done(request: Request) -> str | None:
    done = request.query_params.get("gjort", "")
    known = ("shared", "created", "members", "meeting", "attendance")
    return text(f"net_done_{done}", language(request)) if done in known else None


# --- Min læring: one's networks and the sharing back -------------------------------------------


@router.get("/min-laering/nettverk")
async def my_networks(request: Request, viewer: ViewerDep, networks: NetworksDep) -> Response:
    return await _learner_page(request, viewer, networks)


async def _learner_page(
    request: Request,
    viewer: Any,
    networks: Any,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "network_learner.html",
        viewer,
        status_code,
        mine=await networks.mine(viewer),
        hows=_hows(request),
        values=values or {},
        problems=problems or {},
        confirmation=_done(request),
    )


@router.post("/min-laering/nettverk/delt")
async def share_back(
    request: Request, viewer: ViewerDep, networks: NetworksDep, save: SaveDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    body = {
        "shared_on": _day(fields.get("shared_on", "")),
        "how": fields.get("how", ""),
        "text": fields.get("text", ""),
    }
    person = viewer.person or ""
    if fields.get("shared_on", "").strip() and parse_day(fields["shared_on"]) is None:
        problems = {"shared_on": text("net_bad_day", language(request))}
        return await _learner_page(request, viewer, networks, 400, fields, problems)
    try:
        await networks.share_back(viewer, person, fields.get("meeting", ""), body, save)
    except Invalid as exc:
        return await _learner_page(request, viewer, networks, 400, fields, _problem(exc))
    return RedirectResponse("/min-laering/nettverk?gjort=shared", status_code=303)


# --- Kontoret: the office's people in networks -------------------------------------------------


@router.get("/kontoret/{office}/nettverk")
async def office_networks(
    office: str, request: Request, viewer: ViewerDep, networks: NetworksDep
) -> Response:
    found = await networks.of_office(viewer, office)
    place = await networks.people.office(office)
    return render(
        request,
        "network_office.html",
        viewer,
        office=office,
        office_name=(place or {}).get("name", office),
        networks=found,
        hows=dict(_hows(request)),
    )


# --- Fylket: the coordinator's networks ---------------------------------------------------------


@router.get("/fylket/{region}/nettverk")
async def region_networks(
    region: str, request: Request, viewer: ViewerDep, networks: NetworksDep
) -> Response:
    return await _region_page(request, viewer, networks, region)


async def _region_page(
    request: Request,
    viewer: Any,
    networks: Any,
    region: str,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    form_of: str = "",
) -> Response:
    found = await networks.in_region(viewer, region)
    packages = [
        p
        for p in networks.catalog.packages
        if p.owner == "county"
        and p.owner_unit == region
        and any(m.method == "kompetansenettverk" for m in p.modules)
    ]
    return render(
        request,
        "network_region.html",
        viewer,
        status_code,
        region=region,
        networks=found,
        may_run=may_run_network(viewer, region),
        packages=packages,
        modules={
            p.id: [
                m
                for m in p.modules
                if m.method == "kompetansenettverk" and ATTENDED in m.criterion.verbs
            ]
            for p in packages
        },
        hows=dict(_hows(request)),
        values=values or {},
        problems=problems or {},
        form_of=form_of,
        confirmation=_done(request),
    )


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


@router.post("/fylket/{region}/nettverk")
async def create_network(
    region: str, request: Request, viewer: ViewerDep, networks: NetworksDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    body = {
        "name": fields.get("name", ""),
        "members": _ids(fields.get("members", "")),
        "package": fields.get("package", ""),
    }
    try:
        await networks.create(viewer, region, body)
    except Invalid as exc:
        return await _region_page(
            request, viewer, networks, region, 400, fields, _problem(exc), "new"
        )
    return RedirectResponse(f"/fylket/{region}/nettverk?gjort=created", status_code=303)


@router.post("/fylket/{region}/nettverk/{network}/medlemmer")
async def set_members(
    region: str, network: str, request: Request, viewer: ViewerDep, networks: NetworksDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    try:
        await networks.set_members(
            viewer, region, network, {"members": _ids(fields.get("members", ""))}
        )
    except Invalid as exc:
        return await _region_page(
            request, viewer, networks, region, 400, fields, _problem(exc), f"members-{network}"
        )
    return RedirectResponse(f"/fylket/{region}/nettverk?gjort=members", status_code=303)


@router.post("/fylket/{region}/nettverk/{network}/moter")
async def record_meeting(
    region: str,
    network: str,
    request: Request,
    viewer: ViewerDep,
    networks: NetworksDep,
    save: SaveDep,
) -> Response:
    fields = await form(request)
    pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    check_csrf(request, fields)
    where = f"meeting-{network}"
    if fields.get("held_on", "").strip() and parse_day(fields["held_on"]) is None:
        problems = {"held_on": text("net_bad_day", language(request))}
        return await _region_page(request, viewer, networks, region, 400, fields, problems, where)
    body = {
        "held_on": _day(fields.get("held_on", "")),
        "topic": fields.get("topic", ""),
        "attended": [v for k, v in pairs if k == "attended"],
        "module": fields.get("module", ""),
    }
    try:
        await networks.record_meeting(viewer, region, network, body, save)
    except Invalid as exc:
        return await _region_page(
            request, viewer, networks, region, 400, fields, _problem(exc), where
        )
    return RedirectResponse(f"/fylket/{region}/nettverk?gjort=meeting", status_code=303)


@router.post("/fylket/{region}/nettverk/{network}/moter/{meeting}/oppmote")
async def add_attendance(
    region: str,
    network: str,
    meeting: str,
    request: Request,
    viewer: ViewerDep,
    networks: NetworksDep,
    save: SaveDep,
) -> Response:
    """Members who attended a recorded meeting but were left out: an "attended" statement
    each, as when the meeting was recorded."""
    fields = await form(request)
    pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    check_csrf(request, fields)
    body = {"attended": [v for k, v in pairs if k == "attended"]}
    try:
        await networks.set_attended(viewer, region, network, meeting, body, save)
    except Invalid as exc:
        where = f"attendance-{network}-{meeting}"
        return await _region_page(
            request, viewer, networks, region, 400, fields, _problem(exc), where
        )
    return RedirectResponse(f"/fylket/{region}/nettverk?gjort=attendance", status_code=303)
