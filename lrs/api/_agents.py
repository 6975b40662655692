"""The Agents resource: GET and HEAD /agents?agent=JSON (Communication §2.4)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from lrs.api import _openapi
from lrs.api._deps import definitions_of, xapi_call
from lrs.api._params import check_known, parse_agent, unique_params
from lrs.api._render import json_response
from lrs.auth import Action, authorize, permits
from lrs.errors import StatementInvalid

router = APIRouter()


@router.api_route("/agents", methods=["GET", "HEAD"], openapi_extra=_openapi.agents())
async def get_person(request: Request) -> Response:
    """The Person object for an Agent: every identifier and name known for its person, for a
    credential allowed to see them (all/read, all), else those of the identifier asked about."""
    call, definitions = await xapi_call(request), definitions_of(request)
    authorize(call.credential.scopes, Action.READ_AGENTS)
    params = unique_params(request.query_params)
    check_known(params, frozenset({"agent"}))
    if "agent" not in params:
        raise StatementInvalid("agent", "the parameter is required (an Agent, as JSON)")
    agent = parse_agent(params, call.version)
    if agent.get("objectType") == "Group":
        raise StatementInvalid(
            "agent.objectType", "the Agents resource takes an Agent, not a Group"
        )
    every = permits(call.credential.scopes, Action.READ_EVERY_IDENTIFIER)
    return json_response(await definitions.person(agent, every_identifier=every), request)
