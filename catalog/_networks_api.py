"""Competence networks in the JSON API (`catalog._networks`): a county's networks, their
members, meetings and attendance, run by the county's coordinator; a member's sharing back;
the follow-up per office and per county (JSON, or CSV/XLSX with Norwegian headers and dates as
dd.mm.yyyy). Attendance and sharing go into the LRS as statements, as the credential below.
Who may is decided in `catalog._access`, through the service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from adapters import XAPI_VERSION
from catalog._api import ViewerDep, _tabular
from catalog._deps import json_object
from catalog._networks import Networks, Save, table
from catalog.errors import Invalid
from lrs.auth import Credential, Scope

router = APIRouter(prefix="/api")


def credential(base_iri: str) -> Credential:
    """The networks' own credential: it writes statements and defines nothing."""
    return Credential(
        key="kompetansenettverk",
        scopes=frozenset({Scope.STATEMENTS_WRITE}),
        authority={
            "objectType": "Agent",
            "name": "Kompetanse: nettverk",
            "account": {
                "homePage": f"{base_iri.rstrip('/')}/credentials",
                "name": "kompetansenettverk",
            },
        },
        label="Nettverk",
    )


def saver(request: Request) -> Save:
    """Stores statements in this app's LRS, in-process."""
    statements = request.app.state.statements
    base_iri = request.app.state.settings.base_iri

    async def save(built: list[dict[str, Any]]) -> list[str]:
        if not built:
            return []
        found: list[str] = await statements.save(
            built, version=XAPI_VERSION, credential=credential(base_iri)
        )
        return found

    return save


async def get_networks(request: Request) -> Networks:
    networks: Networks = request.app.state.catalog.networks
    return networks


NetworksDep = Annotated[Networks, Depends(get_networks)]
SaveDep = Annotated[Save, Depends(saver)]


@router.get("/regions/{region}/networks")
async def networks_in(
    region: str, viewer: ViewerDep, networks: NetworksDep, format: str = "json"
) -> Response:
    """The county's networks: members per office, meetings, who attended and who shared back
    (`days_waiting` for those who attended and have not); CSV/XLSX one row per meeting and
    member."""
    found = await networks.in_region(viewer, region)
    if format == "json":
        return JSONResponse(found)
    columns, rows = table(found)
    return _tabular(rows, columns, f"nettverk-{region}", format)


@router.post("/regions/{region}/networks", status_code=201)
async def create(
    region: str, request: Request, viewer: ViewerDep, networks: NetworksDep
) -> dict[str, Any]:
    """A new network (`name`, optional `id`, `members`); the county's coordinator only."""
    return await networks.create(viewer, region, await json_object(request))


@router.get("/regions/{region}/networks/{network}")
async def network(
    region: str, network: str, viewer: ViewerDep, networks: NetworksDep
) -> dict[str, Any]:
    return await networks.network(viewer, region, network)


@router.put("/regions/{region}/networks/{network}/members")
async def members(
    region: str, network: str, request: Request, viewer: ViewerDep, networks: NetworksDep
) -> dict[str, Any]:
    """Replace the members (`members`: employee ids of the county's people)."""
    return await networks.set_members(viewer, region, network, await json_object(request))


@router.post("/regions/{region}/networks/{network}/meetings", status_code=201)
async def meeting(
    region: str,
    network: str,
    request: Request,
    viewer: ViewerDep,
    networks: NetworksDep,
    save: SaveDep,
) -> dict[str, Any]:
    """Record a meeting (`held_on`, `topic`, `attended`); an "attended" statement each."""
    return await networks.record_meeting(viewer, region, network, await json_object(request), save)


@router.put("/regions/{region}/networks/{network}/meetings/{meeting}/attended")
async def attended(
    region: str,
    network: str,
    meeting: str,
    request: Request,
    viewer: ViewerDep,
    networks: NetworksDep,
    save: SaveDep,
) -> dict[str, Any]:
    """Add attendance to a recorded meeting (`attended`)."""
    body = await json_object(request)
    return await networks.set_attended(viewer, region, network, meeting, body, save)


@router.get("/offices/{office}/networks")
async def of_office(
    office: str, viewer: ViewerDep, networks: NetworksDep, format: str = "json"
) -> Response:
    """The networks of the office's people, limited to them: who attended, who has not
    shared back and since how many days; CSV/XLSX one row per meeting and member."""
    found = await networks.of_office(viewer, office)
    if format == "json":
        return JSONResponse(found)
    columns, rows = table(found)
    return _tabular(rows, columns, f"nettverk-{office}", format)


@router.get("/me/networks")
async def mine(viewer: ViewerDep, networks: NetworksDep) -> dict[str, Any]:
    """One's own networks and meetings, with one's sharing back."""
    return await networks.mine(viewer)


@router.post("/people/{person}/networks/shared", status_code=201)
async def shared(
    person: str, request: Request, viewer: ViewerDep, networks: NetworksDep, save: SaveDep
) -> dict[str, Any]:
    """The member's own sharing back of a meeting they attended (`meeting`: its key,
    `shared_on`, `how`, `text`); a "shared" statement. Only the person themselves."""
    body = await json_object(request)
    key = body.get("meeting") if isinstance(body, dict) else None
    if not isinstance(key, str) or not key:
        raise Invalid("the meeting's key is required", path="meeting")
    return await networks.share_back(viewer, person, key, body, save)
