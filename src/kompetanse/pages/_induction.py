"""Opplæringsplan for nyansatte: the induction plans' pages (`catalog._induction`).

The office's leader keeps the template (items with days after the start date, whose
responsibility, a catalog module or a local measure), makes a plan for a person by hand, names
each new hire's buddy from the office and sees every plan with what is late; the county reads
the same page. The buddy has "Mine nyansatte" on Min læring: their new hires' plans, where they
mark items done, an item about learning being their confirmation shoulder to shoulder (an xAPI
statement). The new hire sees their own plan and marks their own items. Forms carry the CSRF
token and answer with a redirect back and a confirmation, or the page again with an alert and
the fields marked.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import may_run_induction, require
from catalog._induction import RESPONSIBLE, parse_items
from catalog._induction_api import InductionDep, recorder
from catalog.errors import Invalid
from kompetanse.pages._i18n import localized, text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

words(
    {
        "ind_title": ("Opplæringsplaner for nyansatte", "Induction plans for new hires"),
        "ind_link": ("Opplæringsplaner for nyansatte", "Induction plans for new hires"),
        "ind_mine_title": ("Min opplæringsplan", "My induction plan"),
        "ind_mine_link": ("Min opplæringsplan", "My induction plan"),
        "ind_buddy_title": ("Mine nyansatte", "My new hires"),
        "ind_buddy_link": ("Mine nyansatte (fadder)", "My new hires (buddy)"),
        "ind_buddy_intro": (
            "Du er fadder for disse nyansatte. Når du markerer et læringspunkt som utført, "
            "bekrefter du at dere har lært det skulder ved skulder.",
            "You are the buddy of these new hires. Marking a learning item done confirms that "
            "you learned it together, shoulder to shoulder.",
        ),
        "ind_buddy_none": ("Du er ikke fadder for noen nå.", "You are no one's buddy now."),
        "ind_mine_none": ("Du har ingen opplæringsplan.", "You have no induction plan."),
        "ind_plans": ("Nyansatte", "New hires"),
        "ind_plans_none": ("Ingen nyansatte har en plan ennå.", "No new hire has a plan yet."),
        "ind_plan_of": ("{name}, startet {date}", "{name}, started {date}"),
        "ind_summary": (
            "{done} av {total} utført, {late} forsinket.",
            "{done} of {total} done, {late} late.",
        ),
        "ind_buddy": ("Fadder", "Buddy"),
        "ind_no_buddy": ("Ingen fadder", "No buddy"),
        "ind_name_buddy": ("Lagre fadder", "Save the buddy"),
        "ind_item": ("Punkt", "Item"),
        "ind_responsible": ("Ansvarlig", "Responsible"),
        "ind_resp_new_hire": ("Nyansatt", "New hire"),
        "ind_resp_leader": ("Leder", "Leader"),
        "ind_due": ("Frist", "Due"),
        "ind_state": ("Status", "Status"),
        "ind_late": ("Forsinket", "Late"),
        "ind_open": ("Ikke utført", "Not done"),
        "ind_done_on": ("Utført {date}", "Done {date}"),
        "ind_confirmed": ("bekreftet av fadder", "confirmed by the buddy"),
        "ind_mark": ("Marker som utført", "Mark as done"),
        "ind_confirm": ("Bekreft skulder ved skulder", "Confirm shoulder to shoulder"),
        "ind_mark_label": ("{action}: {item}", "{action}: {item}"),
        "ind_learning": ("Læring", "Learning"),
        "ind_template": ("Kontorets mal", "The office's template"),
        "ind_template_intro": (
            "Hver nyansatt får en plan med disse punktene når de importeres. Endringer i malen "
            "gjelder planer som lages etterpå.",
            "Each new hire gets a plan with these items when they are imported. Changes to the "
            "template apply to plans made afterwards.",
        ),
        "ind_template_none": ("Malen har ingen punkter.", "The template has no items."),
        "ind_days": ("Dager etter start", "Days after the start"),
        "ind_about": ("Gjelder", "About"),
        "ind_remove": ("Fjern", "Remove"),
        "ind_remove_label": ("Fjern {item}", "Remove {item}"),
        "ind_add": ("Legg til et punkt", "Add an item"),
        "ind_add_button": ("Legg til", "Add"),
        "ind_field_title_nb": ("Tittel (bokmål)", "Title (Norwegian)"),
        "ind_field_title_en": ("Tittel (engelsk, valgfritt)", "Title (English, optional)"),
        "ind_field_days": ("Dager etter startdato", "Days after the start date"),
        "ind_field_responsible": ("Ansvarlig", "Responsible"),
        "ind_field_link": ("Modul i katalogen (valgfritt)", "Catalog module (optional)"),
        "ind_field_measure": (
            "Eller et lokalt tiltak (valgfritt)",
            "Or a local measure (optional)",
        ),
        "ind_no_link": ("Ingen", "None"),
        "ind_problems": ("Punktet kunne ikke lagres:", "The item could not be saved:"),
        "ind_problem_title_nb": (
            "skriv en tittel, høyst 200 tegn",
            "a title, at most 200 characters",
        ),
        "ind_problem_title_en": ("høyst 200 tegn", "at most 200 characters"),
        "ind_problem_days": ("et helt antall dager fra 0 til 365", "whole days from 0 to 365"),
        "ind_problem_responsible": ("velg nyansatt eller leder", "choose new hire or leader"),
        "ind_problem_link": ("velg en modul fra listen", "choose a module from the list"),
        "ind_problem_measure": (
            "enten en modul eller et lokalt tiltak, høyst 200 tegn",
            "either a module or a local measure, at most 200 characters",
        ),
        "ind_make": ("Lag en plan for en ansatt", "Make a plan for an employee"),
        "ind_make_person": ("Ansatt", "Employee"),
        "ind_make_button": ("Lag plan fra malen", "Make a plan from the template"),
        "ind_download": ("Last ned planene:", "Download the plans:"),
        "ind_done_template": ("Malen er lagret.", "The template is saved."),
        "ind_done_plan": ("Planen er laget.", "The plan is made."),
        "ind_done_buddy": ("Fadderen er lagret.", "The buddy is saved."),
        "ind_done_item": ("Punktet er markert som utført.", "The item is marked done."),
    }
)

_DONE = ("template", "plan", "buddy", "item")
_PROBLEMS = ("title_nb", "title_en", "days", "responsible", "link", "measure")
_FIELDS = {"title.nb": "title_nb", "title.en": "title_en", "package": "link", "module": "link"}


def _confirmation(request: Request) -> str | None:
    done = request.query_params.get("gjort")
    return text(f"ind_done_{done}", language(request)) if done in _DONE else None


def _modules(induction: Any, request: Request) -> list[tuple[str, str]]:
    """Every module of the catalog as (package/module, "package: module"), for a form."""
    lang = language(request)
    return [
        (
            f"{p.id}/{m.id}",
            f"{localized(p.name.model_dump(), lang)}: {localized(m.name.model_dump(), lang)}",
        )
        for p in induction.catalog.packages
        for m in p.modules
    ]


# --- Kontoret: the template, the plans, the buddies ---------------------------------------------


@router.get("/kontoret/{office}/nyansatte")
async def office_plans(
    office: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> Response:
    return await _office_page(request, viewer, induction, office)


async def _office_page(
    request: Request,
    viewer: Any,
    induction: Any,
    office: str,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    plans = await induction.plans(viewer, office)
    template = await induction.template(viewer, office)
    found = await induction.people.office(office)
    people = await induction.people.people_of(office=office)
    planned = {p["person"] for p in plans}
    lang = language(request)
    return render(
        request,
        "induction_office.html",
        viewer,
        status_code,
        office=office,
        office_name=found.get("name", office),
        plans=plans,
        held=template,
        people=people,
        unplanned=[p for p in people if p["_id"] not in planned],
        leads=may_run_induction(viewer, office),
        modules=_modules(induction, request),
        responsible=RESPONSIBLE,
        values=values or {},
        problems={k: text(f"ind_problem_{v}", lang) for k, v in (problems or {}).items()},
        confirmation=_confirmation(request),
        back=f"/kontoret/{office}/nyansatte",
    )


@router.post("/kontoret/{office}/nyansatte/mal")
async def add_item(
    office: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    require(may_run_induction(viewer, office), f"the induction template of {office}")
    held = (await induction.template(viewer, office))["items"]
    link = fields.get("link", "")
    package, _, module = link.partition("/")
    entry = {
        "title": {"nb": fields.get("title_nb", ""), "en": fields.get("title_en", "")},
        "days": fields.get("days", "").strip(),
        "responsible": fields.get("responsible", ""),
        "package": package or None,
        "module": module or None,
        "measure": fields.get("measure", ""),
        "id": _free_id(fields.get("title_nb", ""), {i["id"] for i in held}),
    }
    _, problems = parse_items(induction.catalog, [*held, entry])
    at = f"items[{len(held)}]."
    names = [_FIELDS.get(k[len(at) :], k[len(at) :]) for k in problems if k.startswith(at)]
    mine = {name: name for name in names if name in _PROBLEMS}
    if problems:
        if not mine:
            raise Invalid("the template could not be saved")
        return await _office_page(request, viewer, induction, office, 400, fields, mine)
    await induction.save_template(viewer, office, [*held, entry])
    return RedirectResponse(f"/kontoret/{office}/nyansatte?gjort=template#mal", status_code=303)


def _free_id(title: str, taken: set[str]) -> str:
    base = _slug(title) or "punkt"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _slug(title: str) -> str:
    folded = title.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    parts = "".join(c if c.isascii() and c.isalnum() else " " for c in folded).split()
    return "-".join(parts)[:40].strip("-")


@router.post("/kontoret/{office}/nyansatte/mal/fjern")
async def remove_item(
    office: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    require(may_run_induction(viewer, office), f"the induction template of {office}")
    held = (await induction.template(viewer, office))["items"]
    kept = [i for i in held if i["id"] != fields.get("item")]
    await induction.save_template(viewer, office, kept)
    return RedirectResponse(f"/kontoret/{office}/nyansatte?gjort=template#mal", status_code=303)


@router.post("/kontoret/{office}/nyansatte/plan")
async def make_plan(
    office: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    await induction.create_plan(viewer, office, fields.get("person", ""))
    return RedirectResponse(f"/kontoret/{office}/nyansatte?gjort=plan", status_code=303)


@router.post("/kontoret/{office}/nyansatte/{person}/fadder")
async def name_buddy(
    office: str, person: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    await induction.set_buddy(viewer, person, fields.get("buddy") or None)
    return RedirectResponse(
        f"/kontoret/{office}/nyansatte?gjort=buddy#plan-{person}", status_code=303
    )


# --- marking an item done, from any of the three pages ------------------------------------------


@router.post("/nyansatte/{person}/punkter/{item}")
async def mark_item(
    person: str, item: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    record, base_iri = recorder(request)
    plan = await induction.mark_done(viewer, person, item, record, base_iri)
    back = fields.get("tilbake", "")
    allowed = ("/min-laering/nyansatte", "/min-laering/opplaeringsplan")
    if back not in (*allowed, f"/kontoret/{plan['office']}/nyansatte"):
        back = "/min-laering/opplaeringsplan"
    return RedirectResponse(f"{back}?gjort=item#plan-{person}", status_code=303)


# --- Min læring: one's own plan, and one's new hires ---------------------------------------------


@router.get("/min-laering/opplaeringsplan")
async def my_plan(request: Request, viewer: ViewerDep, induction: InductionDep) -> Response:
    return render(
        request,
        "induction_mine.html",
        viewer,
        plan=await induction.mine(viewer),
        confirmation=_confirmation(request),
        back="/min-laering/opplaeringsplan",
    )


@router.get("/min-laering/nyansatte")
async def my_new_hires(request: Request, viewer: ViewerDep, induction: InductionDep) -> Response:
    return render(
        request,
        "induction_buddy.html",
        viewer,
        plans=await induction.buddy_of(viewer),
        confirmation=_confirmation(request),
        back="/min-laering/nyansatte",
    )
