"""The dependencies the catalog's web layer shares: its JSON API (`/api`) and its pages reach
the services composed at start-up (`kompetanse.services.compose`) and the signed-in viewer
through these, and through nothing else."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from catalog._access import Viewer
from catalog._accounts import SESSION_COOKIE, AccountStore
from catalog._commands import Commands
from catalog._privacy import Privacy
from catalog._reports import Reports


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


async def current_viewer(request: Request) -> Viewer | None:
    """Who the session cookie belongs to, or None (no cookie, expired, ended)."""
    accounts: AccountStore = request.app.state.accounts
    return await accounts.viewer(request.cookies.get(SESSION_COOKIE))


ReportsDep = Annotated[Reports, Depends(get_reports)]
CommandsDep = Annotated[Commands, Depends(get_commands)]
AccountsDep = Annotated[AccountStore, Depends(get_accounts)]
PrivacyDep = Annotated[Privacy, Depends(get_privacy)]
