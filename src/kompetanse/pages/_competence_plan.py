"""Kompetanseplan: the office's yearly competence plan's pages (`catalog._competence_plan`).

On Kontoret the leader drafts the year's priorities beside the basis (the latest mapping's
gaps per area and the packages required of the office's people, each added with one click),
changes or removes them, sends the draft to the employee representatives, approves it, marks
local measures done and makes a new revision; the office's representatives (tillitsvalgte)
read the plan and comment while it is sent for comments; the county reads it. On Fylket the
coordinator sees every office's plan and its status, and which have none. Forms carry the
CSRF token and answer with a redirect back and a confirmation, or the page again with an
alert naming the fields.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import may_comment_competence_plan, may_draft_competence_plan
from catalog._competence_plan import COMMENT_MAX, CompetencePlans, parse_priority
from catalog._competence_plan_api import PlansDep
from catalog.errors import Forbidden, Invalid, NotFound
from kompetanse.pages._format import day, number
from kompetanse.pages._i18n import Language, text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
DEFAULT_METHOD = {"area": "kurs-og-samlinger", "package": "egentrening"}
DAY_HOURS = 7.5  # one working day for each person below the required level

words(
    {
        "cp_nav": ("Kompetanseplan", "Competence plan"),
        "cp_link": ("Kompetanseplan", "Competence plan"),
        "cp_title": ("Kompetanseplan", "Competence plan"),
        "cp_region_title": ("Kompetanseplaner", "Competence plans"),
        "cp_status": ("Status", "Status"),
        "cp_status_none": ("Ingen plan", "No plan"),
        "cp_status_draft": ("Utkast", "Draft"),
        "cp_status_sent": ("Sendt på høring", "Sent for comments"),
        "cp_status_approved": ("Godkjent", "Approved"),
        "cp_revision": ("Revisjon {n}", "Revision {n}"),
        "cp_approved_by": (
            "Godkjent {date} av {who}.",
            "Approved {date} by {who}.",
        ),
        "cp_sent_by": ("Sendt på høring {date}.", "Sent for comments {date}."),
        "cp_none_yet": (
            "Kontoret har ingen kompetanseplan for {year} ennå.",
            "The office has no competence plan for {year} yet.",
        ),
        "cp_intro": (
            "Årlig kompetanseplan for kontoret, utarbeidet i samarbeid med de tillitsvalgte og "
            "bygget på kompetansekartleggingen.",
            "The office's yearly competence plan, made together with the employee "
            "representatives and built on the competence mapping.",
        ),
        "cp_priorities": ("Prioriteringer", "Priorities"),
        "cp_priorities_caption": (
            "Årets prioriteringer med opplæringsmetode, estimerte timer, målgruppe og fremdrift.",
            "The year's priorities with training method, estimated hours, audience and progress.",
        ),
        "cp_kind": ("Type", "Kind"),
        "cp_kind_area": ("Kompetanseområde", "Competence area"),
        "cp_kind_package": ("Pakke", "Package"),
        "cp_kind_measure": ("Lokalt tiltak", "Local measure"),
        "cp_what": ("Prioritering", "Priority"),
        "cp_method": ("Opplæringsmetode", "Training method"),
        "cp_hours": ("Estimerte timer", "Estimated hours"),
        "cp_hours_hint": ("Et tall, for eksempel 7,5.", "A number, e.g. 7.5."),
        "cp_audience": ("For hvem", "For whom"),
        "cp_audience_all": ("Alle", "Everyone"),
        "cp_progress": ("Fremdrift", "Progress"),
        "cp_progress_package": (
            "{done} av {target} fullført ({share} %)",
            "{done} of {target} completed ({share} %)",
        ),
        "cp_progress_nobody": ("Ingen i målgruppen", "No one in the audience"),
        "cp_progress_area": (
            "{n} fullførte pakker, {hours} timer i år",
            "{n} packages completed, {hours} hours this year",
        ),
        "cp_progress_done": ("Gjennomført {date}", "Done {date}"),
        "cp_progress_open": ("Ikke gjennomført", "Not done"),
        "cp_no_priorities": ("Ingen prioriteringer ennå.", "No priorities yet."),
        "cp_actions": ("Handlinger", "Actions"),
        "cp_remove": ("Fjern", "Remove"),
        "cp_change": ("Endre", "Change"),
        "cp_mark_done": ("Merk som gjennomført", "Mark as done"),
        "cp_mark_undone": ("Merk som ikke gjennomført", "Mark as not done"),
        "cp_add": ("Legg til en prioritering", "Add a priority"),
        "cp_add_button": ("Legg til", "Add"),
        "cp_edit": ("Endre prioriteringen", "Change the priority"),
        "cp_edit_button": ("Lagre endringen", "Save the change"),
        "cp_edit_cancel": ("Avbryt", "Cancel"),
        "cp_add_gap": ("Legg til {area}", "Add {area}"),
        "cp_add_package": ("Legg til {package}", "Add {package}"),
        "cp_choose": ("Velg", "Choose"),
        "cp_measure_hint": (
            "Fyll ut feltet som hører til typen du valgte.",
            "Fill in the field that belongs to the kind you chose.",
        ),
        "cp_basis": ("Grunnlaget", "The basis"),
        "cp_gaps": ("Gap fra kartleggingen {year}", "Gaps from the mapping of {year}"),
        "cp_gaps_caption": (
            "Per kompetanseområde: hvor mange med krav til området som vurderte seg under "
            "nivået rollen krever, størst andel først.",
            "Per competence area: how many with a requirement in the area rated themselves "
            "below the level their role requires, the largest share first.",
        ),
        "cp_no_mapping": (
            "Kontoret har ingen kartlegging med svar ennå.",
            "The office has no mapping with answers yet.",
        ),
        "cp_no_gaps": ("Ingen gap i kartleggingen.", "No gaps in the mapping."),
        "cp_with_requirement": ("Med krav", "With a requirement"),
        "cp_below": ("Under krevd nivå", "Below the required level"),
        "cp_share": ("Andel", "Share"),
        "cp_required": ("Påkrevde pakker", "Required packages"),
        "cp_required_caption": (
            "Pakker kontorets folk skal ha, hvor mange de gjelder og hvor mange som har fullført.",
            "Packages the office's people must complete, how many they apply to and how many "
            "completed them.",
        ),
        "cp_people": ("Gjelder", "Applies to"),
        "cp_completed": ("Fullført", "Completed"),
        "cp_send": ("Send på høring til de tillitsvalgte", "Send to the representatives"),
        "cp_approve": ("Godkjenn planen", "Approve the plan"),
        "cp_revise": ("Lag en ny revisjon", "Make a new revision"),
        "cp_read_only": (
            "Planen er godkjent og kan ikke endres. Lag en ny revisjon for å endre den.",
            "The plan is approved and cannot be changed. Make a new revision to change it.",
        ),
        "cp_comments": ("Kommentarer", "Comments"),
        "cp_no_comments": ("Ingen kommentarer.", "No comments."),
        "cp_comment": ("Din kommentar", "Your comment"),
        "cp_comment_button": ("Send kommentaren", "Send the comment"),
        "cp_comment_closed": (
            "Planen kan kommenteres når lederen har sendt den på høring.",
            "The plan can be commented on once the leader has sent it for comments.",
        ),
        "cp_role_representative": ("tillitsvalgt", "representative"),
        "cp_role_leader": ("leder", "leader"),
        "cp_problems": ("Det du sendte kunne ikke lagres:", "What you sent could not be saved:"),
        "cp_problem_required": ("må fylles ut", "is required"),
        "cp_problem_too_long": ("er for lang", "is too long"),
        "cp_problem_area": ("velg et kompetanseområde", "choose a competence area"),
        "cp_problem_package": ("velg en pakke", "choose a package"),
        "cp_problem_method": ("velg en opplæringsmetode", "choose a training method"),
        "cp_problem_hours": ("et tall fra 0 til 10000", "a number from 0 to 10000"),
        "cp_problem_audience": ("velg alle eller en rolle", "choose everyone or a role"),
        "cp_problem_link": ("velg typen og fyll ut feltet", "choose the kind and fill it in"),
        "cp_field_kind": ("Type", "Kind"),
        "cp_field_area": ("Kompetanseområde", "Competence area"),
        "cp_field_package": ("Pakke", "Package"),
        "cp_field_measure": ("Lokalt tiltak", "Local measure"),
        "cp_field_method": ("Opplæringsmetode", "Training method"),
        "cp_field_hours": ("Estimerte timer", "Estimated hours"),
        "cp_field_audience": ("For hvem", "For whom"),
        "cp_field_text": ("Kommentar", "Comment"),
        "cp_done_saved": ("Prioriteringen er lagret.", "The priority is saved."),
        "cp_done_removed": ("Prioriteringen er fjernet.", "The priority is removed."),
        "cp_done_sent": (
            "Planen er sendt på høring til de tillitsvalgte.",
            "The plan is sent to the representatives for comments.",
        ),
        "cp_done_commented": ("Kommentaren er lagt til.", "The comment is added."),
        "cp_done_approved": ("Planen er godkjent.", "The plan is approved."),
        "cp_done_revised": (
            "En ny revisjon er laget. Den godkjente versjonen er tatt vare på.",
            "A new revision is made. The approved version is kept.",
        ),
        "cp_done_marked": ("Tiltaket er oppdatert.", "The measure is updated."),
        "cp_download": ("Last ned planen:", "Download the plan:"),
        "cp_download_region": ("Last ned oversikten:", "Download the overview:"),
        "cp_office": ("Kontor", "Office"),
        "cp_count": ("Prioriteringer", "Priorities"),
        "cp_comment_count": ("Kommentarer", "Comments"),
        "cp_approved_at": ("Godkjent", "Approved"),
        "cp_region_caption": (
            "Hvert kontors kompetanseplan for {year} og status.",
            "Each office's competence plan for {year} and its status.",
        ),
        "cp_without": ("Kontorer uten plan for {year}", "Offices without a plan for {year}"),
        "cp_all_have": ("Alle kontorene har en plan.", "Every office has a plan."),
        "cp_years": ("År", "Years"),
    }
)


def _year(request: Request, plans: CompetencePlans) -> int:
    chosen = request.query_params.get("ar", "")
    return int(chosen) if chosen.isdigit() and len(chosen) == 4 else plans.today().year


def _progress(priority: dict[str, Any], lang: Language) -> str:
    progress = priority["progress"]
    if priority["kind"] == "package":
        if not progress["target"]:
            return text("cp_progress_nobody", lang)
        return text(
            "cp_progress_package",
            lang,
            done=progress["completed"],
            target=progress["target"],
            share=round(progress["share"] * 100),
        )
    if priority["kind"] == "area":
        return text(
            "cp_progress_area",
            lang,
            n=progress["completions"],
            hours=number(progress["hours"], lang),
        )
    if progress["done"]:
        return text("cp_progress_done", lang, date=day(progress["done_at"][:10]))
    return text("cp_progress_open", lang)


def _base(office: str) -> str:
    return f"/kontoret/{office}/kompetanseplan"


@router.get("/kompetanseplan")
async def own_plan(viewer: ViewerDep) -> Response:
    """A leader's or representative's own office's plan."""
    if viewer.role not in ("leader", "representative") or viewer.office is None:
        raise Forbidden("you may not see an office's competence plan here")
    return RedirectResponse(_base(viewer.office), status_code=303)


async def _office_page(
    request: Request,
    viewer: Any,
    plans: CompetencePlans,
    office: str,
    year: int,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    plan = await plans.plan(viewer, office, year)
    leads = may_draft_competence_plan(viewer, office)
    basis = await plans.basis(viewer, office) if leads and plan["status"] != "approved" else None
    lang = language(request)
    done = request.query_params.get("gjort", "")
    catalog = plans.catalog
    return render(
        request,
        "competence_plan_office.html",
        viewer,
        status_code,
        plan=plan,
        year=year,
        this_year=plans.today().year,
        history=await plans.plans(viewer, office),
        leads=leads,
        comments_open=may_comment_competence_plan(viewer, office) and plan["status"] == "sent",
        may_comment=may_comment_competence_plan(viewer, office),
        basis=basis,
        progress=lambda p: _progress(p, lang),
        areas=catalog.areas,
        packages=catalog.packages,
        methods=catalog.methods,
        roles=catalog.roles,
        hours_of={p.id: p.estimated_hours for p in catalog.packages},
        decimal=lambda value: number(value, lang),
        values=values or {},
        problems={k: text(f"cp_problem_{v}", lang) for k, v in (problems or {}).items()},
        comment_max=COMMENT_MAX,
        confirmation=text(f"cp_done_{done}", lang) if done.isalpha() and done else None,
    )


@router.get("/kontoret/{office}/kompetanseplan")
async def office_plan(
    office: str, request: Request, viewer: ViewerDep, plans: PlansDep
) -> Response:
    year = _year(request, plans)
    chosen = request.query_params.get("endre", "")
    if not chosen:
        return await _office_page(request, viewer, plans, office, year)
    plan = await plans.plan(viewer, office, year)
    if not may_draft_competence_plan(viewer, office):
        raise Forbidden(f"you may not change the competence plan of {office}")
    found = next((p for p in plan["priorities"] if p["id"] == chosen), None)
    if found is None or plan["status"] == "approved":
        raise NotFound(f"no priority {chosen!r} to change in the competence plan {year}")
    return await _office_page(
        request, viewer, plans, office, year, values=_form_values(found, language(request))
    )


def _form_values(priority: dict[str, Any], lang: Language) -> dict[str, str]:
    """A stored priority as the form shows it, to change it (`id` kept)."""
    kind = str(priority["kind"])
    hours = f"{float(priority.get('hours') or 0):g}"  # as stored, not rounded for showing
    return {
        "id": str(priority["id"]),
        "kind": kind,
        kind: str(priority.get(kind) or ""),
        "method": str(priority.get("method") or ""),
        "hours": hours if lang == "en" else hours.replace(".", ","),
        "audience": str(priority.get("audience") or "all"),
    }


def _form_year(fields: dict[str, str], plans: CompetencePlans) -> int:
    chosen = fields.get("ar", "")
    return int(chosen) if chosen.isdigit() and len(chosen) == 4 else plans.today().year


def _back(office: str, year: int, done: str, plans: CompetencePlans) -> Response:
    query = f"?gjort={done}" + ("" if year == plans.today().year else f"&ar={year}")
    return RedirectResponse(f"{_base(office)}{query}#planen", status_code=303)


def _priority_fields(fields: dict[str, str]) -> dict[str, Any]:
    """The form's priority as `parse_priority` reads it: only the chosen kind's field."""
    kind = fields.get("kind", "")
    given: dict[str, Any] = {
        "method": fields.get("method", ""),
        "hours": fields.get("hours", ""),
        "audience": fields.get("audience", "all"),
    }
    if kind in ("area", "package", "measure"):
        given[kind] = fields.get(kind, "")
    if fields.get("id"):
        given["id"] = fields["id"]
    return given


def _stored(priority: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in priority.items() if k != "progress"}


@router.post("/kontoret/{office}/kompetanseplan/prioriteringer")
async def add_priority(
    office: str, request: Request, viewer: ViewerDep, plans: PlansDep
) -> Response:
    """Add a priority (from the form, or one click on a gap or a required package), or
    change one (`id` given): the office's leader only."""
    fields = await form(request)
    check_csrf(request, fields)
    year = _form_year(fields, plans)
    plan = await plans.plan(viewer, office, year)
    if not may_draft_competence_plan(viewer, office):
        raise Forbidden(f"you may not change the competence plan of {office}")
    kind = fields.get("kind", "")
    if fields.get("quick") and kind in DEFAULT_METHOD:
        fields.setdefault("method", DEFAULT_METHOD[kind])
    priority, problems = parse_priority(plans.catalog, _priority_fields(fields))
    if problems:
        if "link" in problems and kind in ("area", "package", "measure"):
            problems = {kind: "required", **{k: v for k, v in problems.items() if k != "link"}}
        elif "link" in problems:
            problems = {"kind": "link", **{k: v for k, v in problems.items() if k != "link"}}
        chosen = {"method", "area", "package"}  # a list to choose from: say so
        problems = {k: k if k in chosen and v == "required" else v for k, v in problems.items()}
        return await _office_page(request, viewer, plans, office, year, 400, fields, problems)
    kept = [_stored(p) for p in plan["priorities"]]
    index = next((i for i, p in enumerate(kept) if p["id"] == priority["id"]), None)
    if index is None:
        kept.append(priority)
    else:
        kept[index] = {**kept[index], **priority}
    await plans.save_draft(viewer, office, year, kept)
    return _back(office, year, "saved", plans)


@router.post("/kontoret/{office}/kompetanseplan/prioriteringer/{priority}/fjern")
async def remove_priority(
    office: str, priority: str, request: Request, viewer: ViewerDep, plans: PlansDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    year = _form_year(fields, plans)
    plan = await plans.plan(viewer, office, year)
    kept = [_stored(p) for p in plan["priorities"] if p["id"] != priority]
    if len(kept) == len(plan["priorities"]):
        raise NotFound(f"no priority {priority!r} in the competence plan")
    await plans.save_draft(viewer, office, year, kept)
    return _back(office, year, "removed", plans)


@router.post("/kontoret/{office}/kompetanseplan/prioriteringer/{priority}/gjennomfort")
async def mark_priority(
    office: str, priority: str, request: Request, viewer: ViewerDep, plans: PlansDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    year = _form_year(fields, plans)
    await plans.mark_done(viewer, office, year, priority, fields.get("done") == "1")
    return _back(office, year, "marked", plans)


@router.post("/kontoret/{office}/kompetanseplan/{step}")
async def step(
    office: str, step: str, request: Request, viewer: ViewerDep, plans: PlansDep
) -> Response:
    """Send for comments, approve, make a new revision, or comment."""
    fields = await form(request)
    check_csrf(request, fields)
    year = _form_year(fields, plans)
    if step == "send":
        await plans.send(viewer, office, year)
        return _back(office, year, "sent", plans)
    if step == "godkjenn":
        await plans.approve(viewer, office, year)
        return _back(office, year, "approved", plans)
    if step == "ny-revisjon":
        await plans.revise(viewer, office, year)
        return _back(office, year, "revised", plans)
    if step == "kommentarer":
        try:
            await plans.comment(viewer, office, year, fields.get("text", ""))
        except Invalid as exc:
            key = "too_long" if "long" in str(exc) else "required"
            return await _office_page(
                request, viewer, plans, office, year, 400, fields, {"text": key}
            )
        return _back(office, year, "commented", plans)
    raise NotFound(f"no page {step!r}")


# --- Fylket: every office's plan and status -------------------------------------------------------


@router.get("/fylket/{region}/kompetanseplaner")
async def region_plans(
    region: str, request: Request, viewer: ViewerDep, plans: PlansDep
) -> Response:
    year = _year(request, plans)
    found = await plans.region_overview(viewer, region, year)
    lang = language(request)
    return render(
        request,
        "competence_plan_region.html",
        viewer,
        county=found,
        year=year,
        this_year=plans.today().year,
        decimal=lambda value: number(value, lang),
    )
