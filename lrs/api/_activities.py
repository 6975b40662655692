"""The Activities resource: GET and HEAD /activities?activityId=IRI (Communication §2.5)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from lrs.api import _openapi
from lrs.api._deps import definitions_of, xapi_call
from lrs.api._params import check_known, parse_iri, unique_params
from lrs.api._render import json_response
from lrs.auth import Action, authorize

router = APIRouter()


@router.api_route("/activities", methods=["GET", "HEAD"], openapi_extra=_openapi.activities())
async def get_activity(request: Request) -> Response:
    """The canonical Activity object; `{"objectType": "Activity", "id": ...}` when the LRS
    knows no definition (§2.5.s2.b1)."""
    call, definitions = await xapi_call(request), definitions_of(request)
    authorize(call.credential.scopes, Action.READ_ACTIVITIES)
    params = unique_params(request.query_params)
    check_known(params, frozenset({"activityId"}))
    activity_id = parse_iri(params, "activityId", required=True)
    assert activity_id is not None  # noqa: S101 - required=True
    return json_response(await definitions.activity(activity_id), request)
