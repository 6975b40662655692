"""Evaluation of training in the JSON API (`catalog._evaluation`): one's own evaluations and
follow-ups (what awaits, and giving one), a package's and a session's results for their owner
(JSON, or CSV/XLSX with Norwegian headers). Who may is decided in `catalog._access`.

The follow-up opens `KOMPETANSE_FOLLOW_UP_WEEKS` weeks (6 unless set) after the package was
completed or the session's last day."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from catalog._api import ViewerDep, _tabular
from catalog._deps import json_object
from catalog._evaluation import Evaluations, parse, table
from catalog.errors import Invalid

router = APIRouter(prefix="/api")


def follow_up_after(request: Request) -> timedelta:
    """`KOMPETANSE_FOLLOW_UP_WEEKS` of the app's settings (six unless set)."""
    return timedelta(weeks=request.app.state.settings.follow_up_weeks)


async def get_evaluations(request: Request) -> Evaluations:
    service = request.app.state.catalog
    return Evaluations(
        service.catalog,
        service.store,
        service.statuses,
        service.classroom,
        request.app.state.statements,
        base_iri=service.catalog.base_iri,
        follow_up_after=follow_up_after(request),
        today=service.today,
    )


EvaluationsDep = Annotated[Evaluations, Depends(get_evaluations)]


@router.get("/me/evaluations")
async def mine(viewer: ViewerDep, evaluations: EvaluationsDep) -> dict[str, Any]:
    """Each package one completed and session one attended, with its evaluation and
    follow-up: given (when), the follow-up's date, and what awaits ("evaluation",
    "follow-up" or null)."""
    return await evaluations.mine(viewer)


@router.post("/evaluations", status_code=201)
async def give(request: Request, viewer: ViewerDep, evaluations: EvaluationsDep) -> dict[str, Any]:
    """One's own evaluation {"kind": "evaluation", "package" or "session", "overall": 1-5,
    "relevance": 1-5, "comment"} or follow-up {"kind": "follow-up", "package" or "session",
    "changed": "yes" | "partly" | "no", "comment"}; stored as an xAPI statement in the LRS.
    "person", if given, must be oneself (403). 400 names the field, 409 if given already."""
    body = await json_object(request, "kind, package or session and the answers")
    person = body.get("person")
    answer, problems = parse(body)
    if answer is None:
        where, first = next(iter(problems.items()))
        raise Invalid(first, path=where)
    built = await evaluations.give(viewer, answer, person if isinstance(person, str) else None)
    return {"id": built["id"], "statement": built}


@router.get("/packages/{package}/evaluations")
async def of_package(
    package: str, viewer: ViewerDep, evaluations: EvaluationsDep, format: str = "json"
) -> Response:
    """A package's results, its sessions' included: its owner only; no names, and a group
    under five as counts only."""
    found = await evaluations.of_package(viewer, package)
    if format == "json":
        return JSONResponse(found)
    columns, rows = table(found)
    return _tabular(rows, columns, f"evaluering-{package}", format)


@router.get("/sessions/{session}/evaluations")
async def of_session(
    session: str, viewer: ViewerDep, evaluations: EvaluationsDep, format: str = "json"
) -> Response:
    """A classroom session's results: its county's coordinator, the directorate,
    administrators and its package's owner."""
    found = await evaluations.of_session(viewer, session)
    if format == "json":
        return JSONResponse(found)
    columns, rows = table(found)
    return _tabular(rows, columns, f"evaluering-samling-{found['starts']}", format)
