"""Utviklingsplan: the development talk and the individual development plan's pages
(`catalog._development`).

The employee reads their plans on Min læring (the talk, the goals with their progress from
statements), agrees to the goals ("enig") and raises a need at any time; the office's leader
sees the office's people with their plan's status and open needs, records a person's talk and
goals, marks goals reached or dropped, and turns a need into a goal or closes it with an
answer. Forms carry the CSRF token and answer with a redirect back and a confirmation; bad
input re-renders the page with an alert naming each field.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import Viewer
from catalog._development import DevelopmentPlans, parse_day, parse_goal, parse_need, parse_talk
from catalog._development_api import DevelopmentDep
from catalog.errors import NotFound
from kompetanse.pages._i18n import text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

words(
    {
        "dev_link": ("Utviklingsplan", "Development plan"),
        "dev_office_link": ("Utviklingsplaner", "Development plans"),
        "dev_title": ("Utviklingsplan", "Development plan"),
        "dev_office_title": ("Utviklingsplaner {year}", "Development plans {year}"),
        "dev_person_title": ("Utviklingsplan {year}: {name}", "Development plan {year}: {name}"),
        "dev_intro": (
            "Planen lages i utviklingssamtalen med lederen din. Bare du og lederen din ser den.",
            "The plan is made in the development talk with your leader. Only you and your "
            "leader see it.",
        ),
        "dev_no_plan": ("Du har ingen utviklingsplan ennå.", "You have no development plan yet."),
        "dev_talk": ("Utviklingssamtale", "Development talk"),
        "dev_talk_held": ("Samtalen ble holdt {date}.", "The talk was held {date}."),
        "dev_no_talk": ("Ingen samtale registrert.", "No talk recorded."),
        "dev_goals": ("Mål", "Goals"),
        "dev_goals_caption": (
            "Målene for {year}: kobling, frist, status og fremdrift.",
            "The goals of {year}: link, due day, status and progress.",
        ),
        "dev_goal": ("Mål", "Goal"),
        "dev_link_to": ("Kobling", "Link"),
        "dev_due": ("Frist", "Due"),
        "dev_status": ("Status", "Status"),
        "dev_progress": ("Fremdrift", "Progress"),
        "dev_goal_open": ("Åpent", "Open"),
        "dev_goal_done": ("Nådd", "Reached"),
        "dev_goal_dropped": ("Droppet", "Dropped"),
        "dev_late": ("forsinket", "late"),
        "dev_kind_area": ("Kompetanseområde", "Competence area"),
        "dev_kind_package": ("Pakke", "Package"),
        "dev_kind_measure": ("Lokalt tiltak", "Local measure"),
        "dev_not_assigned": ("Ikke tildelt", "Not assigned"),
        "dev_completed_in_area": ("Fullført: {packages}", "Completed: {packages}"),
        "dev_none_completed": ("Ingen fullførte pakker ennå", "No completed packages yet"),
        "dev_no_goals": ("Ingen mål ennå.", "No goals yet."),
        "dev_agreed": (
            "Du og lederen din er enige om målene (du var enig {date}).",
            "You and your leader agree on the goals (you agreed {date}).",
        ),
        "dev_waiting": (
            "Lederen har satt målene. Les dem, og si deg enig om de stemmer med samtalen.",
            "Your leader has set the goals. Read them, and agree if they match the talk.",
        ),
        "dev_agree": ("Jeg er enig i målene for {year}", "I agree to the goals of {year}"),
        "dev_done_agreed": ("Du er enig i planen.", "You agree to the plan."),
        "dev_need": ("Meld et behov", "Raise a need"),
        "dev_need_intro": (
            "Du kan når som helst si fra om kompetanse du mangler. Lederen din svarer, eller "
            "gjør det til et mål i planen.",
            "You can say at any time what competence you lack. Your leader answers, or makes "
            "it a goal in your plan.",
        ),
        "dev_need_area": ("Kompetanseområde", "Competence area"),
        "dev_need_text": ("Hva trenger du?", "What do you need?"),
        "dev_need_send": ("Send behovet", "Send the need"),
        "dev_done_need": ("Behovet er sendt til lederen din.", "The need is sent to your leader."),
        "dev_your_needs": ("Dine behov", "Your needs"),
        "dev_need_status_open": ("Åpent", "Open"),
        "dev_need_status_goal": ("Gjort til mål", "Made a goal"),
        "dev_need_status_closed": ("Besvart", "Answered"),
        "dev_raised": ("Meldt", "Raised"),
        "dev_answer": ("Svar", "Answer"),
        "dev_choose": ("Velg", "Choose"),
        "dev_problems": ("Skjemaet kunne ikke sendes:", "The form could not be sent:"),
        "dev_problem_required": ("må fylles ut", "is required"),
        "dev_problem_day": ("en dato som dd.mm.åååå", "a date as dd.mm.yyyy"),
        "dev_problem_too_long": ("for lang tekst", "too long"),
        "dev_problem_area": ("ukjent kompetanseområde", "no such competence area"),
        "dev_problem_package": ("ukjent pakke", "no such package"),
        "dev_problem_link": (
            "velg et kompetanseområde, en pakke eller skriv et lokalt tiltak",
            "choose a competence area, a package or write a local measure",
        ),
        "dev_problem_links": (
            "velg bare én: kompetanseområde, pakke eller lokalt tiltak",
            "choose only one: competence area, package or local measure",
        ),
        "dev_problem_status": ("ukjent status", "no such status"),
        "dev_field_day": ("Dato for samtalen", "Day of the talk"),
        "dev_field_summary": ("Kort oppsummering", "Short summary"),
        "dev_field_text": ("Målet", "The goal"),
        "dev_field_due": ("Frist", "Due"),
        "dev_field_link": ("Kobling", "Link"),
        "dev_field_area": ("Hvilket kompetanseområde", "Which competence area"),
        "dev_field_package": ("Hvilken pakke", "Which package"),
        "dev_field_measure": ("Beskriv det lokale tiltaket", "Describe the local measure"),
        "dev_field_answer": ("Svar til den ansatte", "Answer to the employee"),
        "dev_field_need_due": ("Frist for målet", "Due day of the goal"),
        "dev_field_need_answer": ("Svar til den ansatte", "Answer to the employee"),
        "dev_day_hint": ("dd.mm.åååå", "dd.mm.yyyy"),
        "dev_link_hint": (
            "Velg ett: et kompetanseområde, en pakke fra katalogen, eller skriv et lokalt tiltak.",
            "Choose one: a competence area, a catalog package, or write a local measure.",
        ),
        "dev_save_talk": ("Lagre samtalen", "Save the talk"),
        "dev_add_goal": ("Legg til målet", "Add the goal"),
        "dev_new_goal": ("Nytt mål", "New goal"),
        "dev_set_status": ("Endre status for {goal}", "Change the status of {goal}"),
        "dev_save_status": ("Lagre", "Save"),
        "dev_done_talk": ("Samtalen er lagret.", "The talk is saved."),
        "dev_done_goal": (
            "Målet er lagt til. Den ansatte må si seg enig igjen.",
            "The goal is added. The employee must agree again.",
        ),
        "dev_done_status": ("Statusen er endret.", "The status is changed."),
        "dev_done_need_goal": ("Behovet er gjort til et mål.", "The need is made a goal."),
        "dev_done_need_closed": ("Behovet er besvart og lukket.", "The need is answered."),
        "dev_person": ("Person", "Person"),
        "dev_plan": ("Plan", "Plan"),
        "dev_plan_none": ("Ingen plan", "No plan"),
        "dev_plan_draft": ("Påbegynt, uten mål", "Started, no goals"),
        "dev_plan_waiting": ("Venter på den ansatte", "Waiting for the employee"),
        "dev_plan_agreed": ("Enige", "Agreed"),
        "dev_goals_done": ("Mål nådd", "Goals reached"),
        "dev_goals_late": ("Forsinket", "Late"),
        "dev_open_needs": ("Åpne behov", "Open needs"),
        "dev_people_caption": (
            "Kontorets ansatte med planen for {year}: status, mål nådd av alle, og åpne behov.",
            "The office's people with the plan of {year}: status, goals reached of all, and "
            "open needs.",
        ),
        "dev_needs_caption": ("Åpne behov, eldste først.", "Open needs, oldest first."),
        "dev_no_needs": ("Ingen åpne behov.", "No open needs."),
        "dev_make_goal": ("Gjør til mål", "Make a goal"),
        "dev_close_need": ("Svar og lukk", "Answer and close"),
        "dev_own_plan": (
            "Din egen plan lages med din leder.",
            "Your own plan is made with your leader.",
        ),
        "dev_back": ("Tilbake til utviklingsplanene", "Back to the development plans"),
        "dev_download": ("Last ned målene:", "Download the goals:"),
        "dev_years": ("År", "Years"),
    }
)

CONFIRMATIONS = {
    "enig": "dev_done_agreed",
    "behov": "dev_done_need",
    "samtale": "dev_done_talk",
    "mal": "dev_done_goal",
    "status": "dev_done_status",
    "behov-mal": "dev_done_need_goal",
    "behov-lukket": "dev_done_need_closed",
}


def _year(request: Request, development: DevelopmentPlans) -> int:
    chosen = request.query_params.get("ar", "")
    return int(chosen) if chosen.isdigit() and len(chosen) == 4 else development.today().year


def _confirmation(request: Request) -> str | None:
    done = request.query_params.get("gjort", "")
    return text(CONFIRMATIONS[done], language(request)) if done in CONFIRMATIONS else None


def _problems(request: Request, problems: dict[str, str]) -> dict[str, str]:
    lang = language(request)
    return {field: text(f"dev_problem_{key}", lang) for field, key in problems.items()}


def _choices(development: DevelopmentPlans) -> dict[str, Any]:
    return {
        "areas": [a.id for a in development.catalog.areas],
        "packages": [p.id for p in development.catalog.packages],
    }


# --- Min læring: one's own plan -------------------------------------------------------------------


@router.get("/min-laering/utviklingsplan")
async def my_plan(request: Request, viewer: ViewerDep, development: DevelopmentDep) -> Response:
    return await _my_page(request, viewer, development)


async def _my_page(
    request: Request,
    viewer: Viewer,
    development: DevelopmentPlans,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    if viewer.person is None:
        raise NotFound("this account is not bound to a person")
    return render(
        request,
        "development_learner.html",
        viewer,
        status_code,
        plans=await development.plans(viewer, viewer.person),
        needs=await development.needs_of(viewer, viewer.person),
        values=values or {},
        problems=_problems(request, problems or {}),
        confirmation=_confirmation(request),
        **_choices(development),
    )


@router.post("/min-laering/utviklingsplan/behov")
async def raise_need(request: Request, viewer: ViewerDep, development: DevelopmentDep) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    need, problems = parse_need(development.catalog, fields)
    if need is None or viewer.person is None:
        return await _my_page(request, viewer, development, 400, fields, problems)
    await development.raise_need(viewer, viewer.person, need)
    return RedirectResponse("/min-laering/utviklingsplan?gjort=behov#behov", status_code=303)


@router.post("/min-laering/utviklingsplan/{year}/enig")
async def agree(
    year: int, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> Response:
    check_csrf(request, await form(request))
    if viewer.person is None:
        raise NotFound("this account is not bound to a person")
    await development.agree(viewer, viewer.person, year)
    return RedirectResponse("/min-laering/utviklingsplan?gjort=enig", status_code=303)


# --- Kontoret: the office's plans and a person's plan -----------------------------------------


@router.get("/kontoret/{office}/utviklingsplaner")
async def office_plans(
    office: str, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> Response:
    year = _year(request, development)
    return render(
        request,
        "development_office.html",
        viewer,
        overview=await development.office_overview(viewer, office, year),
        needs=await development.office_needs(viewer, office, "open"),
        year=year,
        this_year=development.today().year,
        confirmation=_confirmation(request),
    )


@router.get("/kontoret/{office}/utviklingsplaner/{person}")
async def person_plan(
    office: str, person: str, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> Response:
    return await _person_page(request, viewer, development, office, person)


async def _person_page(
    request: Request,
    viewer: Viewer,
    development: DevelopmentPlans,
    office: str,
    person: str,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    year: int | None = None,
) -> Response:
    year = year or _year(request, development)
    overview = await development.office_overview(viewer, office, year)  # the leader only
    who = next((p for p in overview["people"] if p["person"] == person), None)
    if who is None:
        raise NotFound(f"no person {person!r} at office {office!r}")
    plan = await development.plan(viewer, person, year)
    needs = [n for n in await development.needs_of(viewer, person) if n["status"] == "open"]
    this = development.today().year
    return render(
        request,
        "development_person.html",
        viewer,
        status_code,
        office=office,
        who=who,
        plan=plan,
        needs=needs,
        year=year,
        years=[this - 1, this, this + 1],
        values=values or {},
        problems=_problems(request, problems or {}),
        confirmation=_confirmation(request),
        **_choices(development),
    )


def _back(office: str, person: str, year: int, done: str, anchor: str = "") -> Response:
    return RedirectResponse(
        f"/kontoret/{office}/utviklingsplaner/{person}?ar={year}&gjort={done}{anchor}",
        status_code=303,
    )


@router.post("/kontoret/{office}/utviklingsplaner/{person}/{year}/samtale")
async def save_talk(
    office: str,
    person: str,
    year: int,
    request: Request,
    viewer: ViewerDep,
    development: DevelopmentDep,
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    talk, problems = parse_talk(fields)
    if talk is None:
        page = _person_page(request, viewer, development, office, person, 400, fields, problems)
        return await page
    await development.record_talk(viewer, person, year, talk)
    return _back(office, person, year, "samtale")


@router.post("/kontoret/{office}/utviklingsplaner/{person}/{year}/mal")
async def add_goal(
    office: str,
    person: str,
    year: int,
    request: Request,
    viewer: ViewerDep,
    development: DevelopmentDep,
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    kind = fields.get("kind", "")
    chosen = {k: fields.get(k, "") for k in ("text", "due")}
    if kind in ("area", "package", "measure"):
        chosen[kind] = fields.get(kind, "")
    goal, problems = parse_goal(development.catalog, chosen)
    if goal is None:
        if "link" in problems and kind:
            problems = {(kind if k == "link" else k): v for k, v in problems.items()}
            problems = {k: ("required" if k == kind else v) for k, v in problems.items()}
        return await _person_page(
            request, viewer, development, office, person, 400, fields, problems, year
        )
    if await development.store.plan(person, year) is None:
        await development.create(viewer, person, year)
    await development.add_goal(viewer, person, year, goal)
    return _back(office, person, year, "mal", "#mal")


@router.post("/kontoret/{office}/utviklingsplaner/{person}/{year}/mal/{goal}")
async def goal_status(
    office: str,
    person: str,
    year: int,
    goal: str,
    request: Request,
    viewer: ViewerDep,
    development: DevelopmentDep,
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    changes, problems = parse_goal(
        development.catalog, {"status": fields.get("status", "")}, partial=True
    )
    if changes is None:
        return await _person_page(
            request, viewer, development, office, person, 400, fields, problems, year
        )
    await development.change_goal(viewer, person, year, goal, changes)
    return _back(office, person, year, "status", "#mal")


@router.post("/kontoret/{office}/utviklingsplaner/{person}/behov/{need}")
async def answer_need(
    office: str,
    person: str,
    need: str,
    request: Request,
    viewer: ViewerDep,
    development: DevelopmentDep,
) -> Response:
    """Turn the need into a goal (with its due day) or close it (with an answer)."""
    fields = await form(request)
    check_csrf(request, fields)
    fields["need"] = need
    year = _year(request, development)
    answer = fields.get("answer", "").strip()
    if fields.get("action") == "goal":
        due = parse_day(fields.get("due", ""))
        if due is None:
            problem = "day" if fields.get("due") else "required"
            return await _person_page(
                request, viewer, development, office, person, 400, fields, {"need_due": problem}
            )
        await development.need_to_goal(viewer, office, need, year, due.isoformat(), answer)
        return _back(office, person, year, "behov-mal", "#mal")
    if not answer:
        return await _person_page(
            request, viewer, development, office, person, 400, fields, {"need_answer": "required"}
        )
    await development.close_need(viewer, office, need, answer)
    return _back(office, person, year, "behov-lukket")
