"""The administrators' page for the LRS's xAPI credentials: list (key, name, scopes, created;
when a credential was last used is not recorded), add with scopes (the secret shown once, on
the answer to the form, and stored only as a scrypt hash), revoke. Each change is audited
(`credential-added`, `credential-revoked`) with who made it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import Viewer
from catalog.errors import NotFound
from kompetanse.pages._admin_accounts import admin_form, done, guard, page
from kompetanse.pages._i18n import text, words
from kompetanse.pages._web import PageRoute, ViewerDep, language
from lrs.auth import CredentialStore, Scope

router = APIRouter(route_class=PageRoute, include_in_schema=False)
LABEL_MAX = 100


def credentials_of(request: Request) -> CredentialStore:
    store: CredentialStore = request.app.state.credentials
    return store


@router.get("/admin/xapi-nokler")
async def credentials_page(request: Request, viewer: ViewerDep) -> Response:
    guard(viewer, request)
    return await _credentials(request, viewer)


async def _credentials(
    request: Request, viewer: Viewer, status_code: int = 200, **context: Any
) -> Response:
    context.setdefault("values", {})
    context.setdefault("problems", {})
    return page(
        request,
        "admin_credentials.html",
        viewer,
        status_code,
        credentials=await credentials_of(request).list(),
        scopes=[scope.value for scope in Scope],
        confirmation=done(request),
        **context,
    )


@router.post("/admin/xapi-nokler")
async def add_credential(request: Request, viewer: ViewerDep) -> Response:
    fields = await admin_form(viewer, request)
    lang = language(request)
    label = fields.get("label", "").strip()
    chosen = [scope.value for scope in Scope if fields.get(f"scope:{scope.value}") == "ja"]
    problems: dict[str, str] = {}
    if not label:
        problems["label"] = text("adm_label_missing", lang)
    elif len(label) > LABEL_MAX:
        problems["label"] = text("adm_label_long", lang, n=LABEL_MAX)
    if not chosen:
        problems["scopes"] = text("adm_scopes_missing", lang)
    if problems:
        values = {k: v for k, v in fields.items() if k != "csrf"}
        return await _credentials(request, viewer, 400, problems=problems, values=values)
    credential, secret = await credentials_of(request).add(scopes=chosen, label=label)
    audit = request.app.state.accounts.audit
    await audit.record(
        "credential-added",
        actor=viewer.username,
        target=credential.key,
        label=label,
        scopes=" ".join(chosen),
    )
    return page(
        request,
        "admin_secret.html",
        viewer,
        kind="credential",
        credential=credential,
        secret=secret,
    )


@router.post("/admin/xapi-nokler/{key}/tilbakekall")
async def revoke_credential(key: str, request: Request, viewer: ViewerDep) -> Response:
    await admin_form(viewer, request)
    store = credentials_of(request)
    found = await store.get(key)
    if found is None:
        raise NotFound(f"no credential {key}")
    await store.revoke(key)
    audit = request.app.state.accounts.audit
    await audit.record("credential-revoked", actor=viewer.username, target=key, label=found.label)
    query = urlencode({"melding": "tilbakekalt", "hvem": found.label or key})
    return RedirectResponse(f"/admin/xapi-nokler?{query}", status_code=303)


words(
    {
        "adm_credentials": ("xAPI-nøkler", "xAPI credentials"),
        "adm_credentials_intro": (
            "Nøkler som læringsplattformer bruker mot LRS-en (/xapi, HTTP Basic). Når en "
            "nøkkel sist ble brukt, registreres ikke.",
            "Credentials learning platforms use with the LRS (/xapi, HTTP Basic). When a "
            "credential was last used is not recorded.",
        ),
        "adm_credentials_caption": ("{n} nøkler", "{n} credentials"),
        "adm_credentials_caption_one": ("{n} nøkkel", "{n} credential"),
        "adm_key": ("Nøkkel", "Key"),
        "adm_label": ("Navn (hvem eller hva bruker den)", "Name (who or what uses it)"),
        "adm_scopes": ("Tilganger (scopes)", "Scopes"),
        "adm_revoke_button": ("Tilbakekall {name}", "Revoke {name}"),
        "adm_add_credential": ("Lag en ny nøkkel", "Create a credential"),
        "adm_add_credential_button": ("Lag nøkkelen", "Create the credential"),
        "adm_label_missing": ("Skriv hvem eller hva som bruker nøkkelen.", "Write who uses it."),
        "adm_label_long": ("Høyst {n} tegn.", "At most {n} characters."),
        "adm_scopes_missing": ("Velg minst én tilgang.", "Choose at least one scope."),
        "adm_credentials_none": ("Ingen nøkler.", "No credentials."),
        "adm_action_col": ("Handling", "Action"),
    }
)
