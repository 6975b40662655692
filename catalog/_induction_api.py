"""Induction plans in the JSON API (`catalog._induction`): an office's template and its new
hires' plans (JSON, or CSV/XLSX for the leader with Norwegian headers and dates as
dd.mm.yyyy), one person's plan, naming the buddy, marking an item done, and one's own plan and
new hires. Who may is decided in `catalog._access`, through the service."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from adapters import XAPI_VERSION
from catalog._api import ViewerDep, _tabular
from catalog._deps import json_object
from catalog._induction import Induction, Recorder
from catalog.errors import Invalid
from lrs.auth import Credential, Scope

router = APIRouter(prefix="/api")


async def get_induction(request: Request) -> Induction:
    induction: Induction = request.app.state.catalog.induction
    return induction


InductionDep = Annotated[Induction, Depends(get_induction)]


def credential(base_iri: str) -> Credential:
    """The induction's own credential: it writes the buddies' confirmations as statements and
    defines nothing."""
    return Credential(
        key="induksjon",
        scopes=frozenset({Scope.STATEMENTS_WRITE}),
        authority={
            "objectType": "Agent",
            "name": "Kompetanse: opplæringsplan for nyansatte",
            "account": {"homePage": f"{base_iri.rstrip('/')}/credentials", "name": "induksjon"},
        },
        label="Opplæringsplan for nyansatte",
    )


def recorder(request: Request) -> tuple[Recorder, str]:
    """How the buddy's confirmations reach the LRS, in-process, and the base IRI."""
    base_iri: str = request.app.state.settings.base_iri
    statements = request.app.state.statements

    async def record(built: list[dict[str, Any]]) -> list[str]:
        saved: list[str] = await statements.save(
            built, version=XAPI_VERSION, credential=credential(base_iri)
        )
        return saved

    return record, base_iri


@router.get("/offices/{office}/induction-template")
async def template(office: str, viewer: ViewerDep, induction: InductionDep) -> dict[str, Any]:
    """The office's template: its items (title nb/en, days after the start date, responsible
    new_hire or leader, package and module or measure)."""
    return await induction.template(viewer, office)


@router.put("/offices/{office}/induction-template")
async def save_template(
    office: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> dict[str, Any]:
    """Replace the template: {"items": [...]}; the office's leader only. 400 names the field
    (`items[0].days`); plans made already keep their items."""
    body = await json_object(request, "items")
    return await induction.save_template(viewer, office, body.get("items"))


@router.get("/offices/{office}/induction-plans")
async def plans(
    office: str, viewer: ViewerDep, induction: InductionDep, format: str = "json"
) -> Response:
    """Every new hire's plan at the office with what is late; CSV/XLSX one row per item."""
    found = await induction.plans(viewer, office)
    if format == "json":
        return JSONResponse(found)
    return _tabular(plan_rows(found), COLUMNS, f"opplaeringsplaner-{office}", format)


@router.post("/offices/{office}/induction-plans", status_code=201)
async def create_plan(
    office: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> dict[str, Any]:
    """Make a person's plan from the template by hand: {"person": id}; the leader only."""
    body = await json_object(request, "person")
    person = body.get("person")
    if not isinstance(person, str) or not person:
        raise Invalid("an employee id", path="person")
    return await induction.create_plan(viewer, office, person)


@router.get("/people/{person}/induction-plan")
async def plan(person: str, viewer: ViewerDep, induction: InductionDep) -> dict[str, Any]:
    """The person's plan: the person, their buddy, their office's leader, the county."""
    return await induction.plan(viewer, person)


@router.put("/people/{person}/induction-plan/buddy")
async def buddy(
    person: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> dict[str, Any]:
    """Name the buddy: {"buddy": id of a person of the same office, or null}; the leader."""
    body = await json_object(request, "buddy")
    named = body.get("buddy")
    if named is not None and (not isinstance(named, str) or not named):
        raise Invalid("an employee id or null", path="buddy")
    return await induction.set_buddy(viewer, person, named)


@router.post("/people/{person}/induction-plan/items/{item}/done")
async def done(
    person: str, item: str, request: Request, viewer: ViewerDep, induction: InductionDep
) -> dict[str, Any]:
    """Mark the item done (409 if it is): the buddy or the leader, the new hire their own
    items; the buddy's mark on a learning item is recorded as an xAPI statement."""
    record, base_iri = recorder(request)
    return await induction.mark_done(viewer, person, item, record, base_iri)


@router.get("/me/induction-plan")
async def mine(viewer: ViewerDep, induction: InductionDep) -> dict[str, Any] | None:
    """One's own plan, or null."""
    return await induction.mine(viewer)


@router.get("/me/induction-buddies")
async def new_hires(viewer: ViewerDep, induction: InductionDep) -> list[dict[str, Any]]:
    """The plans of the new hires one is the buddy of."""
    return await induction.buddy_of(viewer)


COLUMNS = [
    "Ansatt",
    "Navn",
    "Startdato",
    "Fadder",
    "Punkt",
    "Ansvarlig",
    "Frist",
    "Utført",
    "Utført av",
    "Forsinket",
]


def plan_rows(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per item of every plan, in Norwegian, dates as dd.mm.yyyy."""
    who = {"new_hire": "Nyansatt", "leader": "Leder"}
    rows = []
    for held in found:
        for item in held["items"]:
            rows.append(
                {
                    "Ansatt": held["person"],
                    "Navn": held["name"],
                    "Startdato": _day(held["start_date"]),
                    "Fadder": held.get("buddy_name") or "",
                    "Punkt": item["title"]["nb"],
                    "Ansvarlig": who.get(item["responsible"], item["responsible"]),
                    "Frist": _day(item["due"]),
                    "Utført": _day(item.get("done_at")),
                    "Utført av": item.get("done_by") or "",
                    "Forsinket": "Ja" if item["late"] else "Nei",
                }
            )
    return rows


def _day(moment: str | None) -> str | None:
    if not moment:
        return None
    day = datetime.fromisoformat(moment).date() if "T" in moment else date.fromisoformat(moment)
    return day.strftime("%d.%m.%Y")
