"""The catalog's JSON API under /api: sign-in, requirements, office matrix, county overview,
with CSV and XLSX exports. Every route reads the viewer from the session cookie; access is
decided in `catalog._access`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from catalog._access import Viewer, may_administer, may_see_everything, require
from catalog._accounts import SESSION_COOKIE, SESSION_LIFETIME
from catalog._deps import AccountsDep, CommandsDep, ReportsDep, current_viewer, parse_json
from catalog._offers import offer_to_overdue
from catalog._office_table import OfficeFilter
from catalog._people import RowProblem, check_known, parse_rows
from catalog._spreadsheets import XLSX, workbook
from catalog._statuses import COMPLIANCE_KEYS
from catalog.errors import Invalid, Unauthorized

router = APIRouter(prefix="/api")


async def signed_in(request: Request) -> Viewer:
    viewer = await current_viewer(request)
    if viewer is None:
        raise Unauthorized("sign in first (POST /api/session)")
    return viewer


ViewerDep = Annotated[Viewer, Depends(signed_in)]


@router.post("/session", status_code=204)
async def sign_in(request: Request, accounts: AccountsDep) -> Response:
    """Sign in with {"username", "password"} (JSON); sets the session cookie. 429 with
    Retry-After after too many failures for the username or from the client's address."""
    body = parse_json(await request.body(), "JSON with username and password")
    if not isinstance(body, dict) or not all(
        isinstance(body.get(k), str) for k in ("username", "password")
    ):
        raise Invalid("username and password are required", path="body")
    token = await accounts.sign_in(
        body["username"],
        body["password"],
        address=client_address(request),
        replacing=request.cookies.get(SESSION_COOKIE),
        throttle=request.app.state.throttle,
    )
    if token is None:
        raise Unauthorized("the username or password is wrong")
    response = Response(status_code=204)
    set_session_cookie(response, request, token)
    return response


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    """HttpOnly and SameSite always; Secure when the request came over TLS."""
    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )


@router.delete("/session", status_code=204)
async def sign_out(request: Request, accounts: AccountsDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await accounts.sign_out(token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me")
async def me(viewer: ViewerDep) -> dict[str, Any]:
    return asdict(viewer)


REQUIREMENT_COLUMNS = [
    "package_id",
    "priority",
    "status",
    "due",
    "completed_at",
    "expires",
    "estimated_hours",
    "owner",
]


@router.get("/me/requirements")
async def my_requirements(viewer: ViewerDep, reports: ReportsDep, format: str = "json") -> Response:
    if viewer.person is None:
        raise Invalid("this account is not bound to a person")
    rows = [asdict(r) for r in await reports.requirements(viewer, viewer.person)]
    return _tabular(rows, REQUIREMENT_COLUMNS, f"krav-{viewer.person}", format)


@router.get("/people/{person}/requirements")
async def requirements(
    person: str, viewer: ViewerDep, reports: ReportsDep, format: str = "json"
) -> Response:
    rows = [asdict(r) for r in await reports.requirements(viewer, person)]
    return _tabular(rows, REQUIREMENT_COLUMNS, f"krav-{person}", format)


@router.get("/offices/{office}/matrix")
async def office_matrix(
    office: str,
    viewer: ViewerDep,
    reports: ReportsDep,
    format: str = "json",
    rolle: str = "",
    pakke: str = "",
    status: str = "",
    sok: str = "",
    sorter: str = "navn",
) -> Response:
    """People × packages with each status, for integrations: ids and status codes. The office
    page's filter applies (`catalog._office_table.OfficeFilter`): a role, a package, a status
    (or `on_track`), a search in names and employee ids, the order (`navn`, `forfalt`: most
    overdue first, `frist`: nearest deadline first); `columns` are the packages shown (those
    that apply to someone in the office)."""
    query = {"rolle": rolle, "pakke": pakke, "status": status, "sok": sok, "sorter": sorter}
    table = await reports.office_matrix(viewer, office, OfficeFilter.of(query))
    if format == "json":
        rows = [
            {"person": r.person, "name": r.name, "roles": r.roles, "statuses": r.statuses}
            for r in table.rows
        ]
        packages = [p.id for p in reports.catalog.packages]
        return JSONResponse({"packages": packages, "columns": table.columns, "rows": rows})
    flat = [
        {"person": r.person, "name": r.name, "roles": ";".join(r.roles), **r.statuses}
        for r in table.rows
    ]
    return _tabular(flat, ["person", "name", "roles", *table.columns], office, format)


@router.post("/offices/{office}/offers")
async def offer_sessions(
    office: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> dict[str, Any]:
    """Offer everyone of the office overdue on a package the next session with a free seat
    of the classroom module they still need: {"package": id}. Says for each person what was
    done: enrolled, waitlisted, booked (had one already), no_classroom (only e-learning is
    left), no_session (none scheduled) or refused (`detail` says why)."""
    body = await _json_fields(request, ("package",))
    offered = await offer_to_overdue(commands, viewer, office, body["package"])
    return {
        "package": body["package"],
        "offered": [
            {
                "person": item.person,
                "name": item.name,
                "due": item.due.isoformat() if item.due else None,
                "outcome": item.outcome,
                "session": item.session.id if item.session else None,
                "starts": item.session.starts.isoformat() if item.session else None,
                "detail": item.detail or None,
            }
            for item in offered
        ],
    }


@router.post("/people/{person}/exemptions", status_code=204)
async def exempt(
    person: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> Response:
    """Exempt a person from a package: {"package": id, "reason": text}. Kept in the history."""
    body = await _json_fields(request, ("package", "reason"))
    await commands.exempt(viewer, person, body["package"], body["reason"])
    return Response(status_code=204)


@router.delete("/people/{person}/exemptions/{package}", status_code=204)
async def revoke_exemption(
    person: str, package: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> Response:
    """Revoke a person's exemption from a package: {"reason": text}. The grant stays in the
    history; 404 if they have no exemption from it."""
    body = await _json_fields(request, ("reason",))
    await commands.revoke_exemption(viewer, person, package, body["reason"])
    return Response(status_code=204)


@router.get("/people/{person}/exemptions")
async def exemption_history(person: str, viewer: ViewerDep, commands: CommandsDep) -> Any:
    """{"person", "active": [package ids], "history": [{package, action: grant|revoke, reason,
    by, at}]}, oldest first; for whoever may see the person."""
    return await commands.exemption_history(viewer, person)


def _by_row(problem: RowProblem) -> int:
    return problem.row


async def _json_fields(request: Request, fields: tuple[str, ...]) -> dict[str, str]:
    """The body as a JSON object whose `fields` are all strings; Invalid naming the first
    one missing."""
    body = parse_json(await request.body(), f"a JSON object with {', '.join(fields)}")
    if not isinstance(body, dict):
        raise Invalid(f"a JSON object with {', '.join(fields)}", path="body")
    for field in fields:
        if not isinstance(body.get(field), str):
            raise Invalid("a string is required", path=field)
    return {field: body[field] for field in fields}


@router.get("/people")
async def people(
    viewer: ViewerDep,
    reports: ReportsDep,
    office: str | None = None,
    region: str | None = None,
    format: str = "json",
) -> Response:
    """People of an office (leaders), a county (coordinators) or everyone (directorate)."""
    rows = await reports.people(viewer, office, region)
    columns = [
        "employee_id",
        "name",
        "email",
        "office",
        "region",
        "roles",
        "employer",
        "start_date",
    ]
    return _tabular(rows, columns, f"personer-{office or region or 'alle'}", format)


@router.post("/people")
async def import_people(
    request: Request, viewer: ViewerDep, reports: ReportsDep, accept_new_offices: bool = False
) -> dict[str, Any]:
    """Create or update people from a JSON array of HR records (administrators only).

    All or nothing: any problem and nothing is imported; the answer names every problem of
    every row. Roles must be the catalog's and offices known, unless `accept_new_offices=true`.
    """
    require(may_administer(viewer), "the people register")
    rows = parse_json(await request.body(), "JSON (an array of people)")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise Invalid("an array of people (objects)", path="body")
    parsed = parse_rows(
        iter(
            {k: json.dumps(v) if k == "identifiers" else _text(v) for k, v in row.items()}
            for row in rows
        )
    )
    service = request.app.state.catalog
    problems = parsed.problems + check_known(
        parsed,
        {role.id for role in reports.catalog.roles},
        await service.store.office_ids(),
        accept_new_offices=accept_new_offices,
    )
    if problems:
        raise Invalid("; ".join(str(problem) for problem in sorted(problems, key=_by_row)))
    result = await service.import_people(parsed.records, by=viewer.username)
    return asdict(result)


@router.get("/unmatched-actors")
async def unmatched_actors(viewer: ViewerDep, reports: ReportsDep) -> list[dict[str, Any]]:
    """Actors of statements that match no person (administrators only)."""
    require(may_administer(viewer), "unmatched actors")
    found = await reports.store.unmatched_actors()
    return [
        {
            "key": d["_id"],
            "agent": d["agent"],
            "first_seen": d["first_seen"],
        }
        for d in found
    ]


@router.get("/unmapped-activities")
async def unmapped_activities(
    request: Request, viewer: ViewerDep, reports: ReportsDep, format: str = "json"
) -> Response:
    """Activities of statements that no catalog module names: a platform sending the wrong
    IRI, or a module missing from the catalog (administrators and the directorate)."""
    require(may_administer(viewer) or may_see_everything(viewer), "unmapped activities")
    rows = await reports.unmapped_activities()
    return _tabular(
        rows, ["activity", "statements", "first_seen", "last_seen"], "ukjente-aktiviteter", format
    )


@router.get("/compliance")
async def compliance(
    viewer: ViewerDep,
    reports: ReportsDep,
    office: str | None = None,
    region: str | None = None,
    format: str = "json",
) -> Response:
    """Compliance per package (completed within the deadline, late, on track, overdue,
    exempt) for an office, a county with its offices, or the nation with every county and
    office; as JSON, CSV or XLSX."""
    rows = await reports.compliance(viewer, office=office, region=region)
    table = [
        {**row, "package_name": row["package_name"]["nb"]} if format != "json" else row
        for row in rows
    ]
    columns = [
        "level",
        "unit",
        "unit_name",
        "package",
        "package_name",
        "measured",
        *COMPLIANCE_KEYS,
        *(f"{key}_share" for key in COMPLIANCE_KEYS),
    ]
    return _tabular(table, columns, f"etterlevelse-{office or region or 'nasjonalt'}", format)


@router.get("/projection")
async def projection(request: Request, viewer: ViewerDep) -> dict[str, Any]:
    """How far the completion projection is behind the statement log (administrators)."""
    require(may_administer(viewer), "the completion projection")
    lag = await request.app.state.catalog.lag()
    result: dict[str, Any] = lag.as_dict()
    return result


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value)
    return "" if value is None else str(value)


@router.get("/offices/{office}/overview")
async def office_overview(office: str, viewer: ViewerDep, reports: ReportsDep) -> dict[str, Any]:
    return await reports.office_overview(viewer, office)


@router.get("/me/record")
async def my_record(viewer: ViewerDep, reports: ReportsDep) -> dict[str, Any]:
    if viewer.person is None:
        raise Invalid("this account is not bound to a person")
    return await reports.record(viewer, viewer.person)


@router.get("/people/{person}/record")
async def record(person: str, viewer: ViewerDep, reports: ReportsDep) -> dict[str, Any]:
    return await reports.record(viewer, person)


@router.get("/regions")
async def regions(viewer: ViewerDep, reports: ReportsDep, format: str = "json") -> Response:
    rows = [_flatten(r) for r in await reports.regions(viewer)]
    return _tabular(rows, _columns(rows, ["region", "name", "offices", "people"]), "fylker", format)


@router.get("/regions/{region}/pipeline")
async def region_pipeline(region: str, viewer: ViewerDep, reports: ReportsDep) -> dict[str, Any]:
    return await reports.pipeline(viewer, region)


@router.get("/regions/{region}/sessions")
async def region_sessions(
    region: str, viewer: ViewerDep, reports: ReportsDep
) -> list[dict[str, Any]]:
    return await reports.sessions(viewer, region)


@router.post("/sessions/{session}/enrolments")
async def enrol(
    session: str, request: Request, viewer: ViewerDep, commands: CommandsDep
) -> dict[str, str]:
    """Give a person a seat, or a place on the waitlist: {"person": employee id}; without a
    person (an empty body or {}), the signed-in learner themselves."""
    body = await _object(request, (), empty_allowed=True)
    person = body.get("person", viewer.person)
    if person is None:
        raise Invalid("required: this account is not bound to a person", path="person")
    if not isinstance(person, str):
        raise Invalid("an employee id (a string)", path="person")
    return {"result": await commands.enrol(viewer, session, person)}


@router.delete("/sessions/{session}/enrolments/{person}")
async def cancel_enrolment(
    session: str, person: str, viewer: ViewerDep, commands: CommandsDep
) -> dict[str, str | None]:
    """Give up the person's seat or place on the waitlist; the seat goes to the first waiting."""
    promoted = await commands.cancel(viewer, session, person)
    return {"result": "cancelled", "promoted": promoted}


@router.get("/catalog/packages")
async def packages(viewer: ViewerDep, reports: ReportsDep) -> list[dict[str, Any]]:
    """The catalog's packages (every signed-in user may browse them)."""
    catalog = reports.catalog
    return [
        {
            **p.model_dump(mode="json"),
            "iri": catalog.iri("packages", p.id),
            "estimated_hours": p.estimated_hours,
        }
        for p in catalog.packages
    ]


async def _object(
    request: Request, required: tuple[str, ...], *, empty_allowed: bool = False
) -> dict[str, Any]:
    raw = await request.body()
    if empty_allowed and not raw.strip():
        return {}
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise Invalid("a JSON object is required", path="body")
    for name in required:
        if not isinstance(body.get(name), str):
            raise Invalid("required (a string)", path=name)
    return body


@router.get("/regions/{region}/offices")
async def region_offices(
    region: str, viewer: ViewerDep, reports: ReportsDep, format: str = "json"
) -> Response:
    rows = [_flatten(r) for r in await reports.region_offices(viewer, region)]
    return _tabular(
        rows, _columns(rows, ["office", "name", "people"]), f"kontorer-{region}", format
    )


def _flatten(row: dict[str, Any]) -> dict[str, Any]:
    """Status counts as columns of their own (status:completed, ...)."""
    flat = {k: v for k, v in row.items() if k != "statuses"}
    flat.update({f"status:{k}": v for k, v in row.get("statuses", {}).items()})
    return flat


def _columns(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    statuses = sorted({k for row in rows for k in row if k.startswith("status:")})
    return first + statuses


def _tabular(rows: list[dict[str, Any]], columns: list[str], name: str, format: str) -> Response:
    """JSON as it is, or a CSV/XLSX table of `columns`."""
    if format == "json":
        return JSONResponse(rows)
    table = [columns] + [
        ["" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows
    ]
    if format == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        return _download(out.getvalue().encode(), "text/csv; charset=utf-8", f"{name}.csv")
    if format == "xlsx":
        return _download(workbook([(name, table)]), XLSX, f"{name}.xlsx")
    raise Invalid(f"{format!r} is not one of json, csv, xlsx", path="format")


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
