"""The office's yearly competence plan in the JSON API (`catalog._competence_plan`): the plan
of an office and year (JSON, or CSV/XLSX with Norwegian headers), its draft saved by the
leader, comments by the employee representatives, sending and approval, a new revision, a
local measure marked done; the basis the leader drafts from; the county's overview of every
office's plan and status (JSON or CSV/XLSX). Who may is decided in `catalog._access`, through
the service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from catalog._api import ViewerDep, _tabular
from catalog._competence_plan import CompetencePlans, invalid, parse_priorities
from catalog._deps import json_object
from catalog._load import Catalog
from catalog.errors import Invalid

router = APIRouter(prefix="/api")


async def get_plans(request: Request) -> CompetencePlans:
    plans: CompetencePlans = request.app.state.catalog.competence_plans
    return plans


PlansDep = Annotated[CompetencePlans, Depends(get_plans)]


@router.get("/offices/{office}/competence-plans")
async def plans(office: str, viewer: ViewerDep, service: PlansDep) -> list[dict[str, Any]]:
    """The office's plans, newest year first: year, status, revision, approved."""
    return await service.plans(viewer, office)


@router.get("/offices/{office}/competence-plan-basis")
async def basis(office: str, viewer: ViewerDep, service: PlansDep) -> dict[str, Any]:
    """The latest mapping's gaps per area and the packages required of the office's people;
    the office's leader only."""
    return await service.basis(viewer, office)


@router.get("/offices/{office}/competence-plans/{year}")
async def plan(
    office: str, year: int, viewer: ViewerDep, service: PlansDep, format: str = "json"
) -> Response:
    """The plan with each priority's progress and the comments (status "none" if there is
    none): its leader and representatives; read only, the county and above."""
    found = await service.plan(viewer, office, year)
    if format == "json":
        return JSONResponse(found)
    columns, rows = plan_table(found, service.catalog)
    return _tabular(rows, columns, f"kompetanseplan-{office}-{year}", format)


@router.put("/offices/{office}/competence-plans/{year}")
async def save_draft(
    office: str, year: int, request: Request, viewer: ViewerDep, service: PlansDep
) -> dict[str, Any]:
    """The draft's priorities: {"priorities": [{"area" | "package" | "measure", "method",
    "hours", "audience"}]}. 400 names the field (priorities[0].method), 409 once approved."""
    body = await json_object(request)
    priorities, problems = parse_priorities(service.catalog, body.get("priorities"))
    if problems:
        raise invalid(problems)
    return await service.save_draft(viewer, office, year, priorities)


@router.post("/offices/{office}/competence-plans/{year}/send")
async def send(office: str, year: int, viewer: ViewerDep, service: PlansDep) -> dict[str, Any]:
    """Send the draft to the representatives for comments; 409 unless a draft with priorities."""
    return await service.send(viewer, office, year)


@router.post("/offices/{office}/competence-plans/{year}/comments", status_code=201)
async def comment(
    office: str, year: int, request: Request, viewer: ViewerDep, service: PlansDep
) -> dict[str, Any]:
    """{"text"}: a comment on the plan sent for comments; 409 if it is not."""
    body = await json_object(request)
    return await service.comment(viewer, office, year, body.get("text"))


@router.post("/offices/{office}/competence-plans/{year}/approve")
async def approve(office: str, year: int, viewer: ViewerDep, service: PlansDep) -> dict[str, Any]:
    """Approve the plan sent for comments; it is read only afterwards."""
    return await service.approve(viewer, office, year)


@router.post("/offices/{office}/competence-plans/{year}/revise")
async def revise(office: str, year: int, viewer: ViewerDep, service: PlansDep) -> dict[str, Any]:
    """A new revision of the approved plan: a draft again, the approved version kept."""
    return await service.revise(viewer, office, year)


@router.post("/offices/{office}/competence-plans/{year}/priorities/{priority}/done")
async def done(
    office: str, year: int, priority: str, request: Request, viewer: ViewerDep, service: PlansDep
) -> dict[str, Any]:
    """{"done": true | false}: mark a local measure done, or not done again."""
    body = await json_object(request)
    value = body.get("done", True)
    if not isinstance(value, bool):
        raise Invalid("true or false", path="done")
    return await service.mark_done(viewer, office, year, priority, value)


@router.get("/regions/{region}/competence-plans")
async def region(
    region: str, viewer: ViewerDep, service: PlansDep, year: int | None = None, format: str = "json"
) -> Response:
    """Every office of the county with its plan's status, and which offices have none."""
    found = await service.region_overview(viewer, region, year or service.today().year)
    if format == "json":
        return JSONResponse(found)
    return _tabular(
        region_rows(found), REGION_COLUMNS, f"kompetanseplaner-{region}-{found['year']}", format
    )


# --- the exports: tables people read -------------------------------------------------------------

STATUS_WORDS = {
    "none": "Ingen plan",
    "draft": "Utkast",
    "sent": "Sendt på høring",
    "approved": "Godkjent",
}
PLAN_COLUMNS = [
    "Kontor",
    "År",
    "Status",
    "Revisjon",
    "Godkjent",
    "Godkjent av",
    "Type",
    "Prioritering",
    "Opplæringsmetode",
    "Estimerte timer",
    "For hvem",
    "Fremdrift",
]
REGION_COLUMNS = [
    "Kontor",
    "År",
    "Status",
    "Revisjon",
    "Prioriteringer",
    "Estimerte timer",
    "Kommentarer",
    "Godkjent",
]
KIND_WORDS = {"area": "Kompetanseområde", "package": "Pakke", "measure": "Lokalt tiltak"}


def progress_text(priority: dict[str, Any]) -> str:
    """The priority's progress in Norwegian words, for the export."""
    progress = priority["progress"]
    if priority["kind"] == "package":
        if not progress["target"]:
            return "Ingen i målgruppen"
        return f"{progress['completed']} av {progress['target']} fullført"
    if priority["kind"] == "area":
        hours = f"{progress['hours']:.1f}".replace(".", ",")
        return f"{progress['completions']} fullførte pakker, {hours} timer i år"
    return f"Gjennomført {_day(progress['done_at'])}" if progress["done"] else "Ikke gjennomført"


def plan_table(found: dict[str, Any], catalog: Catalog) -> tuple[list[str], list[dict[str, Any]]]:
    areas = {a.id: a.name.nb for a in catalog.areas}
    packages = {p.id: p.name.nb for p in catalog.packages}
    methods = {m.id: m.name.nb for m in catalog.methods}
    roles = {r.id: r.name.nb for r in catalog.roles}
    head = {
        "Kontor": found.get("office_name", found["office"]),
        "År": found["year"],
        "Status": STATUS_WORDS[found["status"]],
        "Revisjon": found.get("revision"),
        "Godkjent": _day(found.get("approved_at")),
        "Godkjent av": found.get("approved_by"),
    }
    rows = []
    for p in found["priorities"]:
        what = {"area": areas, "package": packages}.get(p["kind"], {})
        rows.append(
            {
                **head,
                "Type": KIND_WORDS[p["kind"]],
                "Prioritering": what.get(p[p["kind"]], p[p["kind"]]),
                "Opplæringsmetode": methods.get(p["method"], p["method"]),
                "Estimerte timer": f"{p['hours']:g}".replace(".", ","),
                "For hvem": "Alle" if p["audience"] == "all" else roles.get(p["audience"]),
                "Fremdrift": progress_text(p),
            }
        )
    return PLAN_COLUMNS, rows or [head]


def region_rows(found: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "Kontor": o["name"],
            "År": found["year"],
            "Status": STATUS_WORDS[o["status"]],
            "Revisjon": o["revision"],
            "Prioriteringer": o["priorities"],
            "Estimerte timer": f"{o['hours']:g}".replace(".", ","),
            "Kommentarer": o["comments"],
            "Godkjent": _day(o["approved_at"]),
        }
        for o in found["offices"]
    ]


def _day(moment: str | None) -> str | None:
    if not moment:
        return None
    return datetime.fromisoformat(moment).date().strftime("%d.%m.%Y")
