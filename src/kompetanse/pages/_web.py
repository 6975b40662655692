"""The pages' frame: the route class that turns refusals into HTML pages, who is signed in,
the language, the CSRF token, and `render`. Every page module builds on it, so a page only
decides what to show; who may see it is decided by the catalog's reports (`catalog._access`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl, quote

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from adapters.vocabulary import VERB_DISPLAY
from catalog import (
    SESSION_COOKIE,
    SESSION_LIFETIME,
    CatalogError,
    Reports,
    Viewer,
)
from catalog._deps import current_viewer
from catalog.errors import Invalid
from kompetanse.pages import _format as fmt
from kompetanse.pages import _views as views
from kompetanse.pages import _work as work
from kompetanse.pages._errors import explain
from kompetanse.pages._i18n import LANGUAGE_COOKIE, Language, choose, localized, text
from lrs.errors import LrsError

SESSION_LIFETIME_SECONDS = int(SESSION_LIFETIME.total_seconds())
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
HOME = {
    "learner": "/min-laering",
    "representative": "/kompetanseplan",
    "leader": "/kontoret",
    "coordinator": "/fylket",
    "directorate": "/nasjonalt",
    "admin": "/nasjonalt",
}


class SignInNeeded(Exception):
    """No valid session: the page redirects to the sign-in form."""


class PageRoute(APIRoute):
    """A page route: refusals and missing sessions become HTML pages and redirects."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInNeeded:
                target = request.url.path
                if request.url.query:
                    target += "?" + request.url.query
                return RedirectResponse(f"/logg-inn?neste={quote(target)}", status_code=303)
            except (LrsError, CatalogError) as exc:
                return await error_page(request, exc.status_code, exc.message)

        return page


# --- the frame: who is signed in, which language, the CSRF token --------------------------------


def language(request: Request) -> Language:
    return choose(request.cookies.get(LANGUAGE_COOKIE))


async def signed_in(request: Request) -> Viewer:
    viewer = await current_viewer(request)
    if viewer is None:
        raise SignInNeeded
    return viewer


ViewerDep = Annotated[Viewer, Depends(signed_in)]


PRESESSION_COOKIE = "kompetanse_presession"


def csrf_seed(request: Request) -> str | None:
    """The secret a form's token is derived from: the session token, which only the signed-in
    browser holds (HttpOnly); before sign-in a random cookie of its own (so the sign-in form
    has a token no other site can know either)."""
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)


def csrf_token(request: Request, seed: str | None = None) -> str:
    secret = seed or csrf_seed(request) or ""
    return hmac.new(secret.encode(), b"kompetanse-csrf", hashlib.sha256).hexdigest()


async def form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body; a POST from a page must carry the CSRF token."""
    try:
        fields = dict(parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as exc:
        raise Invalid("body: not UTF-8") from exc
    return fields


def check_csrf(request: Request, fields: dict[str, str]) -> None:
    # as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500)
    if csrf_seed(request) is None or not hmac.compare_digest(
        fields.get("csrf", "").encode(), csrf_token(request).encode()
    ):
        raise Invalid(text("csrf", language(request)))


def navigation(viewer: Viewer | None, lang: Language) -> list[tuple[str, str]]:
    if viewer is None:
        return []
    items = []
    if viewer.person:
        items.append(("/min-laering", text("nav_learner", lang)))
    if viewer.role == "leader":
        items.append(("/kontoret", text("nav_office", lang)))
    if viewer.role == "representative":
        items.append(("/kompetanseplan", text("cp_nav", lang)))
    if viewer.role == "coordinator":
        items.append(("/fylket", text("nav_region", lang)))
    if viewer.role in ("directorate", "admin"):
        items.append(("/nasjonalt", text("nav_national", lang)))
    items.append(("/katalog", text("nav_catalog", lang)))
    if viewer.role == "admin":
        items.append(("/admin", text("nav_admin", lang)))
    return items


def render(
    request: Request,
    template: str,
    viewer: Viewer | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = language(request)
    reports: Reports = request.app.state.reports
    catalog = reports.catalog
    names = {
        "area": {a.id: a.name.model_dump() for a in catalog.areas},
        "role": {r.id: r.name.model_dump() for r in catalog.roles},
        "method": {m.id: m.name.model_dump() for m in catalog.methods},
        "package": {p.id: p.name.model_dump() for p in catalog.packages},
    }

    def name_of(kind: str, item: str) -> str:
        found = names[kind].get(item)
        return localized(found, lang) if found else item

    def verb(entry: dict[str, Any]) -> str:
        """A verb in words: the statement's display, else the vocabulary's, else its IRI."""
        known = VERB_DISPLAY.get(entry["verb_id"], {})
        display = entry["verb"]
        if lang in display or lang not in known:
            return localized(display, lang) or localized(known, lang) or entry["verb_id"]
        return known[lang]

    def t(key: str, **values: object) -> str:
        return text(key, lang, **values)

    path = request.url.path
    seed = csrf_seed(request)
    new_seed = None if seed else secrets.token_urlsafe(32)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": t,
            "name_of": name_of,
            "localized": lambda value: localized(value, lang),
            "verb": verb,
            "hours": lambda value: fmt.hours_text(value, lang),
            "badge": lambda status, due=None: views.badge(status, due, lang),
            "matrix_cells": lambda cells: views.matrix_cells(cells, lang),
            "hours_phrase": lambda value: fmt.hours_phrase(value, lang),
            "plural": lambda count, noun: fmt.plural(count, noun, lang),
            "period": lambda value: fmt.period(value, lang),
            "day": fmt.day,
            "moment": fmt.moment,
            "viewer": viewer,
            "navigation": navigation(viewer, lang),
            "path": path,
            "here": path + (f"?{request.url.query}" if request.url.query else ""),
            "csrf": csrf_token(request, seed or new_seed),
            "provider": provider_label(request),
            "today": reports.today().isoformat(),
            **context,
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    if new_seed:
        response.set_cookie(
            PRESESSION_COOKIE,
            new_seed,
            max_age=SESSION_LIFETIME_SECONDS,
            httponly=True,
            samesite="strict",
            secure=behind_tls(request),
            path="/",
        )
    return response


def provider_label(request: Request) -> str | None:
    """The sign-in button's name for the identity provider, when one is set up."""
    provider = getattr(request.app.state, "oidc", None)
    return None if provider is None else str(provider.settings.label)


def behind_tls(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


async def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    viewer = await current_viewer(request)
    lang = language(request)
    key = f"error_{status_code}"
    title = text(key if key in _ERROR_KEYS else "error", lang)
    said = await explain(request.app.state.reports, viewer, status_code, message, lang)
    return render(
        request,
        "error.html",
        viewer,
        status_code,
        title=title,
        message=said.text,
        detail=said.detail,
        code=status_code,
    )


_ERROR_KEYS = {"error_400", "error_403", "error_404"}


def local_target(value: str | None) -> str | None:
    """A redirect target only if it stays on this site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def own_unit(viewer: Viewer, role: str, unit: str | None, prefix: str) -> Response:
    """The page of the viewer's own office or county; other roles go to their home page."""
    target = f"{prefix}/{quote(unit)}" if viewer.role == role and unit else HOME[viewer.role]
    return RedirectResponse(target, status_code=303)


# --- a person's page, shared by Min læring and Kontoret -------------------------------------------


async def person_page(
    request: Request,
    viewer: Viewer,
    reports: Reports,
    person: str,
    template: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    who = await reports.person(viewer, person)
    requirements = await reports.requirements(viewer, person)
    record = await reports.record(viewer, person)
    by_priority: dict[str, list[Any]] = {"skal": [], "bør": [], "kan": []}
    for requirement in requirements:
        by_priority[requirement.priority].append(requirement)
    for items in by_priority.values():
        items.sort(key=lambda r: (r.status in ("completed", "waived"), r.due or "9999"))
    steps = [
        (r, views.module_steps(reports.catalog.package(r.package_id), r))
        for priority in ("skal", "bør", "kan")
        for r in by_priority[priority]
    ]
    return render(
        request,
        template,
        viewer,
        status_code,
        who=who,
        by_priority=by_priority,
        requirements=requirements,
        record=record,
        free_seats=views.free_seats,
        steps=steps,
        own=viewer.person == person,
        day=views.day,
        work_forms=work.FORMS,
        **context,
    )
