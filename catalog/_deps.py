"""The dependencies the catalog's web layer shares: its JSON API (`/api`) and its pages reach
the services composed at start-up (`kompetanse.services.compose`) and the signed-in viewer
through these, and through nothing else."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Request

from catalog._access import Viewer
from catalog._accounts import SESSION_COOKIE, AccountStore
from catalog._commands import Commands
from catalog._privacy import Privacy
from catalog._reports import Reports
from catalog.errors import Invalid


async def get_reports(request: Request) -> Reports:
    reports: Reports = request.app.state.reports
    return reports


async def get_commands(request: Request) -> Commands:
    commands: Commands = request.app.state.commands
    return commands


async def get_accounts(request: Request) -> AccountStore:
    accounts: AccountStore = request.app.state.accounts
    return accounts


async def get_privacy(request: Request) -> Privacy:
    privacy: Privacy = request.app.state.catalog.privacy
    return privacy


def parse_json(raw: bytes, expected: str = "JSON") -> Any:
    """The body parsed; Invalid at `body` saying what was `expected` when it is not JSON (or
    not UTF-8), or nests too deep to read."""
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise Invalid(f"{expected}, but it nests too deep to read", path="body") from exc
    except ValueError as exc:
        raise Invalid(expected, path="body") from exc


async def json_object(request: Request, expected: str = "") -> dict[str, Any]:
    """The request's body as a JSON object (an empty body is an empty object, so the fields
    it lacks are named by whoever reads them); otherwise Invalid at `body`, saying what was
    `expected` in it."""
    with_what = f" with {expected}" if expected else ""
    body = parse_json(await request.body() or b"{}", f"JSON{with_what}")
    if not isinstance(body, dict):
        raise Invalid(f"an object{with_what}", path="body")
    return body


async def current_viewer(request: Request) -> Viewer | None:
    """Who the session cookie belongs to, or None (no cookie, expired, ended)."""
    accounts: AccountStore = request.app.state.accounts
    return await accounts.viewer(request.cookies.get(SESSION_COOKIE))


ReportsDep = Annotated[Reports, Depends(get_reports)]
CommandsDep = Annotated[Commands, Depends(get_commands)]
AccountsDep = Annotated[AccountStore, Depends(get_accounts)]
PrivacyDep = Annotated[Privacy, Depends(get_privacy)]
