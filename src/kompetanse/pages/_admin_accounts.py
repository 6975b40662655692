"""The administrators' pages for the web users: list with filters and search, add, change
role and unit, reset the password, disable, remove (the xAPI credentials are in
`_admin_credentials`). A generated password is shown once, on the answer to the form that made
it, and never stored in clear. `page`, `guard` and `done` serve every administration page.

The work is done by `AccountStore`; each change is audited with who made it. Every route
is for administrators only (`may_administer`), every form carries the CSRF token, and bad
input shows the form again with a message per field (400).
"""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import ROLES, Viewer, may_administer, require
from catalog._accounts import MIN_PASSWORD, AccountRefused, AccountStore
from catalog._deps import AccountsDep, ReportsDep
from catalog._reports import Reports
from catalog.errors import NotFound
from kompetanse.pages._i18n import Language, text, words
from kompetanse.pages._views import day
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")
DONE = {  # ?melding= on the page a form redirects to -> the phrase
    "endret": "adm_done_changed",
    "deaktivert": "adm_done_disabled",
    "fjernet": "adm_done_removed",
    "tilbakekalt": "adm_done_revoked",
    "opprettet": "adm_done_created",
}


def guard(viewer: Viewer, request: Request) -> None:
    require(may_administer(viewer), text("nav_admin", language(request)).lower())


async def admin_form(viewer: Viewer, request: Request) -> dict[str, str]:
    """A form posted to an administrators' page: refused to the other roles, its CSRF token
    checked; its fields."""
    guard(viewer, request)
    fields = await form(request)
    check_csrf(request, fields)
    return fields


def done(request: Request) -> str | None:
    key = DONE.get(request.query_params.get("melding", ""))
    name = request.query_params.get("hvem", "")
    return text(key, language(request), name=name) if key else None


def page(
    request: Request, template: str, viewer: Viewer, status_code: int = 200, **context: Any
) -> Response:
    """`render` with what every administration page uses (dates as dd.mm.yyyy)."""
    lang = language(request)

    def counted(key: str, n: int, by: int | None = None, **values: object) -> str:
        """The phrase `key` for `n` things: `key_one` for one (or for `by`, the number the
        noun agrees with), else `key`."""
        one = (n if by is None else by) == 1
        return text(f"{key}_one" if one else key, lang, n=n, **values)

    return render(
        request, template, viewer, status_code, day=day, when=when, counted=counted, **context
    )


def when(value: str | None) -> str:
    """An ISO timestamp (UTC) as dd.mm.yyyy hh:mm:ss UTC; "–" for none."""
    if not value:
        return "–"
    return f"{day(value)} {value[11:19]} UTC" if len(value) >= 19 else day(value)


def generated_password() -> str:
    return secrets.token_urlsafe(15)  # 20 characters, 90 bits


# --- users ----------------------------------------------------------------------------------------


async def units(reports: Reports) -> dict[str, list[tuple[str, str]]]:
    """The offices and counties a user may be bound to, as (id, "name (id)")."""
    store = reports.store
    names = await store.unit_names()
    regions = [str(r["_id"]) for r in await store.all_regions()]
    offices = sorted(await store.office_ids())
    return {
        "office": [(o, f"{names.get(o, o)} ({o})") for o in offices],
        "region": [(r, f"{names.get(r, r)} ({r})") for r in regions],
    }


async def check_binding(
    fields: dict[str, str], reports: Reports, lang: Language
) -> tuple[dict[str, str], dict[str, str | None]]:
    """The role, person and unit of a user's form: the problems per field, and the binding
    (only the unit the role is bound to is kept: a leader's office, a coordinator's county)."""
    problems: dict[str, str] = {}
    role = fields.get("role", "")
    person = fields.get("person", "").strip() or None
    office = fields.get("office", "").strip() or None
    region = fields.get("region", "").strip() or None
    if role not in ROLES:
        problems["role"] = text("adm_role_missing", lang)
    if person and await reports.store.person_document(person) is None:
        problems["person"] = text("adm_no_person", lang, person=person)
    elif role == "learner" and not person:
        problems["person"] = text("adm_person_needed", lang)
    if role in ("leader", "representative"):
        if not office:
            needed = "adm_office_needed" + ("_representative" if role == "representative" else "")
            problems["office"] = text(needed, lang)
        elif office not in await reports.store.office_ids():
            problems["office"] = text("adm_no_unit", lang, unit=office)
    if role == "coordinator":
        if not region:
            problems["region"] = text("adm_region_needed", lang)
        elif await reports.store.region(region) is None:
            problems["region"] = text("adm_no_unit", lang, unit=region)
    binding = {
        "role": role,
        "person": person,
        "office": office if role in ("leader", "representative") else None,
        "region": region if role == "coordinator" else None,
    }
    return problems, binding


def check_password(fields: dict[str, str], lang: Language) -> tuple[dict[str, str], str | None]:
    """The form's password, or None to generate one; a given one must be long enough."""
    password = fields.get("password", "")
    if not password:
        return {}, None
    if len(password) < MIN_PASSWORD:
        return {"password": text("adm_password_short", lang, n=MIN_PASSWORD)}, None
    return {}, password


def matches(account: dict[str, Any], role: str, unit: str, search: str) -> bool:
    if role and account["role"] != role:
        return False
    if unit and unit not in (account["office"], account["region"]):
        return False
    haystack = " ".join(str(account[k] or "") for k in ("username", "person")).lower()
    return not search or search.lower() in haystack


@router.get("/admin/brukere")
async def users_page(
    request: Request, viewer: ViewerDep, reports: ReportsDep, accounts: AccountsDep
) -> Response:
    guard(viewer, request)
    return await _users(request, viewer, reports, accounts)


async def _users(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    accounts: AccountStore,
    status_code: int = 200,
    **context: Any,
) -> Response:
    chosen = {k: request.query_params.get(k, "").strip() for k in ("rolle", "enhet", "sok")}
    everyone = await accounts.accounts()
    shown = [a for a in everyone if matches(a, chosen["rolle"], chosen["enhet"], chosen["sok"])]
    options = await units(reports)
    context.setdefault("values", {})
    context.setdefault("problems", {})
    return page(
        request,
        "admin_users.html",
        viewer,
        status_code,
        chosen=chosen,
        accounts=shown,
        total=len(everyone),
        roles=ROLES,
        units=options,
        names=dict(options["office"] + options["region"]),
        confirmation=done(request),
        **context,
    )


@router.post("/admin/brukere")
async def add_user(
    request: Request, viewer: ViewerDep, reports: ReportsDep, accounts: AccountsDep
) -> Response:
    fields = await admin_form(viewer, request)
    lang = language(request)
    username = fields.get("username", "").strip()
    problems: dict[str, str] = {}
    if not USERNAME.match(username):
        problems["username"] = text("adm_username_bad", lang)
    elif await accounts.account(username) is not None:
        problems["username"] = text("adm_username_taken", lang, name=username)
    binding_problems, binding = await check_binding(fields, reports, lang)
    password_problems, password = check_password(fields, lang)
    problems |= binding_problems | password_problems
    if problems:
        values = {k: v for k, v in fields.items() if k not in ("csrf", "password")}
        return await _users(
            request, viewer, reports, accounts, 400, problems=problems, values=values
        )
    shown = password is None
    password = password or generated_password()
    await accounts.create_user(
        username, password, binding.pop("role") or "", by=viewer.username, **binding
    )
    if not shown:
        target = f"/admin/brukere/{quote(username)}?melding=opprettet&hvem={quote(username)}"
        return RedirectResponse(target, status_code=303)
    return page(
        request, "admin_secret.html", viewer, kind="user", username=username, secret=password
    )


async def _account(accounts: AccountStore, username: str) -> dict[str, Any]:
    found = await accounts.account(username)
    if found is None:
        raise NotFound(f"no user {username}")
    return found


@router.get("/admin/brukere/{username}")
async def user_page(
    username: str, request: Request, viewer: ViewerDep, reports: ReportsDep, accounts: AccountsDep
) -> Response:
    guard(viewer, request)
    return await _user(request, viewer, reports, accounts, username)


async def _user(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    accounts: AccountStore,
    username: str,
    status_code: int = 200,
    **context: Any,
) -> Response:
    account = await _account(accounts, username)
    options = await units(reports)
    context.setdefault("problems", {})
    context.setdefault("values", account)
    return page(
        request,
        "admin_user.html",
        viewer,
        status_code,
        account=account,
        roles=ROLES,
        units=options,
        names=dict(options["office"] + options["region"]),
        own=account["username"] == viewer.username,
        confirmation=done(request),
        **context,
    )


def back_to(username: str, message: str) -> Response:
    target = f"/admin/brukere/{quote(username)}?melding={message}&hvem={quote(username)}"
    return RedirectResponse(target, status_code=303)


@router.post("/admin/brukere/{username}/rolle")
async def change_binding(
    username: str, request: Request, viewer: ViewerDep, reports: ReportsDep, accounts: AccountsDep
) -> Response:
    fields = await admin_form(viewer, request)
    await _account(accounts, username)
    lang = language(request)
    problems, binding = await check_binding(fields, reports, lang)
    if username == viewer.username and binding["role"] != "admin" and "role" not in problems:
        problems["role"] = text("adm_not_yourself", lang)
    if not problems:
        role = binding.pop("role") or ""
        try:
            await accounts.rebind(username, role, by=viewer.username, **binding)
        except AccountRefused as exc:
            problems["role"] = str(exc).partition(": ")[2]
    if problems:
        values = {k: v for k, v in fields.items() if k != "csrf"}
        return await _user(
            request, viewer, reports, accounts, username, 400, problems=problems, values=values
        )
    return back_to(username, "endret")


async def _account_action(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    accounts: AccountStore,
    username: str,
    field: str,
) -> dict[str, str] | Response:
    """The checks every button on a user's page shares; a Response when refused."""
    fields = await admin_form(viewer, request)
    await _account(accounts, username)
    if username == viewer.username:
        problems = {field: text("adm_not_yourself", language(request))}
        return await _user(request, viewer, reports, accounts, username, 400, problems=problems)
    return fields


@router.post("/admin/brukere/{username}/passord")
async def reset_password(
    username: str, request: Request, viewer: ViewerDep, reports: ReportsDep, accounts: AccountsDep
) -> Response:
    checked = await _account_action(request, viewer, reports, accounts, username, "reset")
    if isinstance(checked, Response):
        return checked
    password = generated_password()
    try:
        await accounts.set_password(username, password, by=viewer.username)
    except AccountRefused as exc:
        problems = {"reset": str(exc).partition(": ")[2]}
        return await _user(request, viewer, reports, accounts, username, 400, problems=problems)
    return page(
        request, "admin_secret.html", viewer, kind="password", username=username, secret=password
    )


@router.post("/admin/brukere/{username}/deaktiver")
async def disable_user(
    username: str, request: Request, viewer: ViewerDep, reports: ReportsDep, accounts: AccountsDep
) -> Response:
    checked = await _account_action(request, viewer, reports, accounts, username, "disable")
    if isinstance(checked, Response):
        return checked
    try:
        await accounts.disable_user(username, by=viewer.username)
    except AccountRefused as exc:
        problems = {"disable": str(exc).partition(": ")[2]}
        return await _user(request, viewer, reports, accounts, username, 400, problems=problems)
    return back_to(username, "deaktivert")


@router.post("/admin/brukere/{username}/fjern")
async def remove_user(
    username: str, request: Request, viewer: ViewerDep, reports: ReportsDep, accounts: AccountsDep
) -> Response:
    checked = await _account_action(request, viewer, reports, accounts, username, "remove")
    if isinstance(checked, Response):
        return checked
    if checked.get("confirm") != "ja":
        problems = {"remove": text("adm_confirm_needed", language(request))}
        return await _user(request, viewer, reports, accounts, username, 400, problems=problems)
    await accounts.remove_account(username, by=viewer.username)
    query = urlencode({"melding": "fjernet", "hvem": username})
    return RedirectResponse(f"/admin/brukere?{query}", status_code=303)


words(
    {
        "adm_users": ("Brukere", "Users"),
        "adm_users_intro": (
            "Lokale kontoer og kontoer fra identitetsleverandøren, med rolle og enhet.",
            "Local accounts and accounts from the identity provider, with role and unit.",
        ),
        "adm_users_filter": ("Filtrer brukerne", "Filter the users"),
        "adm_any_role": ("Alle roller", "Every role"),
        "adm_any_unit": ("Alle enheter", "Every unit"),
        "adm_unit": ("Enhet (kontor eller fylke)", "Unit (office or county)"),
        "adm_search": ("Søk (brukernavn, ansattnummer)", "Search (username, employee id)"),
        "adm_users_caption": ("{n} av {total} brukere", "{n} of {total} users"),
        "adm_users_caption_one": ("{n} av {total} bruker", "{n} of {total} user"),
        "adm_users_none": ("Ingen brukere passer.", "No users match."),
        "adm_username": ("Brukernavn", "Username"),
        "adm_role": ("Rolle", "Role"),
        "adm_person": ("Ansattnummer (personen kontoen hører til)", "Employee id (the person)"),
        "adm_person_hint": (
            "Påkrevd for medarbeidere; valgfritt for andre roller.",
            "Required for learners; optional for the other roles.",
        ),
        "adm_office": (
            "Kontor (for ledere og tillitsvalgte)",
            "Office (for leaders and representatives)",
        ),
        "adm_region": ("Fylke (for fylkeskoordinatorer)", "County (for county coordinators)"),
        "adm_none_chosen": ("Ingen", "None"),
        "adm_password": ("Startpassord", "Initial password"),
        "adm_password_hint": (
            "Minst {n} tegn. La feltet stå tomt for å lage et som vises én gang.",
            "At least {n} characters. Leave it empty to generate one, shown once.",
        ),
        "adm_add_user": ("Legg til en bruker", "Add a user"),
        "adm_add_user_button": ("Legg til brukeren", "Add the user"),
        "adm_created": ("Opprettet", "Created"),
        "adm_source": ("Innlogging", "Sign-in"),
        "adm_source_local": ("Lokal konto", "Local account"),
        "adm_source_oidc": ("Identitetsleverandør", "Identity provider"),
        "adm_disabled": ("Deaktivert", "Disabled"),
        "adm_active": ("Aktiv", "Active"),
        "adm_state": ("Tilstand", "State"),
        "adm_role_learner": ("Medarbeider", "Learner"),
        "adm_role_leader": ("Leder", "Leader"),
        "adm_role_representative": ("Tillitsvalgt", "Employee representative"),
        "adm_role_coordinator": ("Fylkeskoordinator", "County coordinator"),
        "adm_role_directorate": ("Direktorat", "Directorate"),
        "adm_role_admin": ("Administrator", "Administrator"),
        "adm_change_binding": ("Endre rolle og enhet", "Change role and unit"),
        "adm_change_button": ("Lagre rolle og enhet", "Save role and unit"),
        "adm_change_intro": (
            "En endring avslutter brukerens innlogginger.",
            "A change ends the user's sessions.",
        ),
        "adm_reset": ("Nytt passord", "New password"),
        "adm_reset_intro": (
            "Lager et nytt passord som vises én gang, og avslutter brukerens innlogginger. "
            "En deaktivert konto blir aktiv igjen.",
            "Generates a new password, shown once, and ends the user's sessions. A disabled "
            "account becomes active again.",
        ),
        "adm_reset_button": ("Lag nytt passord for {name}", "Generate a new password for {name}"),
        "adm_disable": ("Deaktiver", "Disable"),
        "adm_disable_intro": (
            "Passordet fjernes og innloggingene avsluttes; kontoen beholdes.",
            "The password is removed and the sessions end; the account is kept.",
        ),
        "adm_disable_button": ("Deaktiver {name}", "Disable {name}"),
        "adm_remove": ("Fjern", "Remove"),
        "adm_remove_intro": (
            "Kontoen slettes. Personens læringsdata berøres ikke.",
            "The account is deleted. The person's learning records are not touched.",
        ),
        "adm_remove_confirm": ("Ja, fjern kontoen", "Yes, remove the account"),
        "adm_remove_button": ("Fjern {name}", "Remove {name}"),
        "adm_problems": ("Rett opp dette:", "Please correct this:"),
        "adm_username_bad": (
            "Skriv 2–64 tegn: bokstaver a–z, tall, punktum, bindestrek, understrek eller @.",
            "Write 2–64 characters: letters a–z, digits, dot, hyphen, underscore or @.",
        ),
        "adm_username_taken": ("{name} finnes allerede.", "{name} exists already."),
        "adm_role_missing": ("Velg en rolle.", "Choose a role."),
        "adm_no_person": (
            "Ingen person har ansattnummer {person}.",
            "No person has the employee id {person}.",
        ),
        "adm_person_needed": (
            "En medarbeider må høre til en person: skriv ansattnummeret.",
            "A learner must belong to a person: write the employee id.",
        ),
        "adm_office_needed": ("En leder må ha et kontor.", "A leader needs an office."),
        "adm_office_needed_representative": (
            "En tillitsvalgt må ha et kontor.",
            "An employee representative needs an office.",
        ),
        "adm_region_needed": (
            "En fylkeskoordinator må ha et fylke.",
            "A county coordinator needs a county.",
        ),
        "adm_no_unit": ("{unit} er ikke kjent.", "{unit} is not known."),
        "adm_password_short": ("Minst {n} tegn.", "At least {n} characters."),
        "adm_not_yourself": (
            "Du kan ikke gjøre dette med din egen konto.",
            "You cannot do this to your own account.",
        ),
        "adm_confirm_needed": (
            "Kryss av for at du vil fjerne kontoen.",
            "Tick the box to confirm the removal.",
        ),
        "adm_done_changed": ("Endringen for {name} er lagret.", "The change for {name} is saved."),
        "adm_done_disabled": ("{name} er deaktivert.", "{name} is disabled."),
        "adm_done_removed": ("{name} er fjernet.", "{name} is removed."),
        "adm_done_revoked": ("Nøkkelen {name} er tilbakekalt.", "The key {name} is revoked."),
        "adm_done_created": ("{name} er lagt til.", "{name} is added."),
        "adm_secret_user": ("{name} er lagt til", "{name} is added"),
        "adm_secret_password": ("Nytt passord for {name}", "New password for {name}"),
        "adm_secret_credential": ("Ny xAPI-nøkkel: {name}", "New xAPI credential: {name}"),
        "adm_secret_once": (
            "Kopier det nå og gi det videre på en sikker måte: det vises bare denne ene gangen "
            "og lagres ikke i klartekst.",
            "Copy it now and pass it on safely: it is shown this once only and not stored in "
            "clear.",
        ),
        "adm_secret_password_label": ("Passord", "Password"),
        "adm_secret_secret_label": ("Hemmelighet", "Secret"),
    }
)
