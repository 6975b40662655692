"""Development plans in the JSON API (`catalog._development`): a person's plans per year, the
talk and goals their office's leader records, the employee's agreement and needs, the office's
open needs and its goals (JSON, or CSV/XLSX with Norwegian headers and dates as dd.mm.yyyy).
Who may is decided in `catalog._access`, through the service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from catalog._api import ViewerDep, _tabular
from catalog._deps import json_object
from catalog._development import (
    DevelopmentPlans,
    invalid,
    parse_day,
    parse_goal,
    parse_need,
    parse_talk,
)
from catalog._load import Catalog
from catalog.errors import Invalid

router = APIRouter(prefix="/api")


async def get_development(request: Request) -> DevelopmentPlans:
    development: DevelopmentPlans = request.app.state.catalog.development
    return development


DevelopmentDep = Annotated[DevelopmentPlans, Depends(get_development)]


@router.get("/people/{person}/development-plans")
async def plans(
    person: str, viewer: ViewerDep, development: DevelopmentDep
) -> list[dict[str, Any]]:
    """The person's plans, newest year first: the talk, the goals with their progress from
    statements, and whether both agree. The person and their office's leader only."""
    return await development.plans(viewer, person)


@router.post("/people/{person}/development-plans", status_code=201)
async def create(
    person: str, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> dict[str, Any]:
    """A plan for a year: {"year", "talk"?: {"day", "summary"}}; the person's leader only.
    409 if the person has one for the year."""
    body = await json_object(request)
    year = body.get("year", development.today().year)
    if not isinstance(year, int) or isinstance(year, bool):
        raise Invalid("a year", path="year")
    talk = None
    if body.get("talk") is not None:
        if not isinstance(body["talk"], dict):
            raise Invalid("an object with day and summary", path="talk")
        talk, problems = parse_talk(body["talk"])
        if talk is None:
            raise invalid(problems, "talk.")
    return await development.create(viewer, person, year, talk)


@router.put("/people/{person}/development-plans/{year}/talk")
async def talk(
    person: str, year: int, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> dict[str, Any]:
    """Record the year's development talk: {"day", "summary"}; the plan is made if none."""
    found, problems = parse_talk(await json_object(request))
    if found is None:
        raise invalid(problems)
    return await development.record_talk(viewer, person, year, found)


@router.post("/people/{person}/development-plans/{year}/goals", status_code=201)
async def add_goal(
    person: str, year: int, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> dict[str, Any]:
    """A goal: {"text", "due", and one of "area", "package", "measure"}; returns the plan."""
    goal, problems = parse_goal(development.catalog, await json_object(request))
    if goal is None:
        raise invalid(problems)
    return await development.add_goal(viewer, person, year, goal)


@router.patch("/people/{person}/development-plans/{year}/goals/{goal}")
async def change_goal(
    person: str,
    year: int,
    goal: str,
    request: Request,
    viewer: ViewerDep,
    development: DevelopmentDep,
) -> dict[str, Any]:
    """Change a goal: any of {"text", "due", "status": "open" | "done" | "dropped"}."""
    changes, problems = parse_goal(development.catalog, await json_object(request), partial=True)
    if changes is None:
        raise invalid(problems)
    return await development.change_goal(viewer, person, year, goal, changes)


@router.post("/people/{person}/development-plans/{year}/agree")
async def agree(
    person: str, year: int, viewer: ViewerDep, development: DevelopmentDep
) -> dict[str, Any]:
    """The employee agrees to the plan's goals as they stand ("enig"); the person only."""
    return await development.agree(viewer, person, year)


@router.get("/people/{person}/development-needs")
async def needs(
    person: str, viewer: ViewerDep, development: DevelopmentDep
) -> list[dict[str, Any]]:
    """The person's needs, newest first, with the leader's answer."""
    return await development.needs_of(viewer, person)


@router.post("/people/{person}/development-needs", status_code=201)
async def raise_need(
    person: str, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> dict[str, Any]:
    """A need: {"area", "text"}; the person only, at any time."""
    need, problems = parse_need(development.catalog, await json_object(request))
    if need is None:
        raise invalid(problems)
    return await development.raise_need(viewer, person, need)


@router.get("/offices/{office}/development-needs")
async def office_needs(
    office: str, viewer: ViewerDep, development: DevelopmentDep, status: str = "open"
) -> list[dict[str, Any]]:
    """The office's needs (`status`: open, goal, closed or all), oldest first; its leader."""
    if status not in ("open", "goal", "closed", "all"):
        raise Invalid("one of open, goal, closed, all", path="status")
    return await development.office_needs(viewer, office, None if status == "all" else status)


@router.post("/offices/{office}/development-needs/{need}/close")
async def close_need(
    office: str, need: str, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> dict[str, Any]:
    """Close an open need with {"answer"} to the employee; 409 if it is not open."""
    answer = (await json_object(request)).get("answer")
    if not isinstance(answer, str) or not answer.strip():
        raise Invalid("is required", path="answer")
    return await development.close_need(viewer, office, need, answer.strip())


@router.post("/offices/{office}/development-needs/{need}/goal")
async def need_to_goal(
    office: str, need: str, request: Request, viewer: ViewerDep, development: DevelopmentDep
) -> dict[str, Any]:
    """Turn an open need into a goal: {"due", "year"?, "answer"?}; returns the plan."""
    body = await json_object(request)
    due = parse_day(body.get("due"))
    if due is None:
        raise Invalid("a day as yyyy-mm-dd or dd.mm.yyyy", path="due")
    year = body.get("year", development.today().year)
    if not isinstance(year, int) or isinstance(year, bool):
        raise Invalid("a year", path="year")
    answer = body.get("answer") or ""
    if not isinstance(answer, str):
        raise Invalid("a string", path="answer")
    return await development.need_to_goal(
        viewer, office, need, year, due.isoformat(), answer.strip()
    )


@router.get("/offices/{office}/development-plans")
async def office_plans(
    office: str, viewer: ViewerDep, development: DevelopmentDep, year: int | None = None
) -> dict[str, Any]:
    """Each of the office's people with the year's plan status and open needs; its leader."""
    return await development.office_overview(viewer, office, year or development.today().year)


@router.get("/offices/{office}/development-goals")
async def office_goals(
    office: str,
    viewer: ViewerDep,
    development: DevelopmentDep,
    year: int | None = None,
    format: str = "json",
) -> Response:
    """Every goal of the office's plans for the year with its status and progress (JSON,
    CSV or XLSX); the office's leader only."""
    chosen = year or development.today().year
    found = await development.office_goals(viewer, office, chosen)
    if format == "json":
        return JSONResponse(found)
    columns, rows = goals_table(found, development.catalog)
    return _tabular(rows, columns, f"utviklingsmal-{office}-{chosen}", format)


# --- the export: a table people read ------------------------------------------------------------

COLUMNS = [
    "Ansattnummer",
    "Navn",
    "År",
    "Mål",
    "Kobling",
    "Frist",
    "Status",
    "Forsinket",
    "Fremdrift",
    "Enige",
]
GOAL_STATUS = {"open": "Åpent", "done": "Nådd", "dropped": "Droppet"}
PACKAGE_STATUS = {
    "not_started": "Ikke startet",
    "in_progress": "Påbegynt",
    "completed": "Fullført",
    "due_soon": "Frist snart",
    "overdue": "Forfalt",
    "waived": "Fritatt",
    "expired": "Utløpt",
    "not_assigned": "Ikke tildelt",
}


def goals_table(
    goals: list[dict[str, Any]], catalog: Catalog
) -> tuple[list[str], list[dict[str, Any]]]:
    """The goals as rows in Norwegian: the link named (area, package or local measure), the
    due day as dd.mm.yyyy, progress as the package's status or the area's completed
    packages."""
    areas = {area.id: area.name.nb for area in catalog.areas}
    packages = {package.id: package.name.nb for package in catalog.packages}
    rows = []
    for goal in goals:
        progress = goal.get("progress") or {}
        if goal.get("package"):
            link = f"Pakke: {packages.get(goal['package'], goal['package'])}"
            shown = PACKAGE_STATUS.get(progress.get("status", ""), "")
        elif goal.get("area"):
            link = f"Kompetanseområde: {areas.get(goal['area'], goal['area'])}"
            done = [packages.get(p, p) for p in progress.get("completed", [])]
            shown = f"Fullført: {', '.join(done)}" if done else "Ingen fullførte pakker"
        else:
            link, shown = f"Lokalt tiltak: {goal.get('measure', '')}", ""
        year, month, day = goal["due"].split("-")
        rows.append(
            {
                "Ansattnummer": goal["person"],
                "Navn": goal["name"],
                "År": goal["year"],
                "Mål": goal["text"],
                "Kobling": link,
                "Frist": f"{day}.{month}.{year}",
                "Status": GOAL_STATUS[goal["status"]],
                "Forsinket": "Ja" if goal["late"] else "Nei",
                "Fremdrift": shown,
                "Enige": "Ja" if goal["agreed"] else "Nei",
            }
        )
    return COLUMNS, rows
