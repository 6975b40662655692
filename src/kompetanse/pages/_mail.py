"""Reminders by e-mail on the pages: `/min-laering/varsler`, where a signed-in person turns
their reminders off or on (a form with the CSRF token, answered by a redirect with a
confirmation), and `/admin/utsendinger`, what was sent to whom, for administrators, with
filters by person, kind, state and dates. The outbox (`catalog._reminders.Outbox`) does the
work, as the services do for the other pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import Viewer, may_administer, require
from catalog._reminders import KINDS, STATES, Outbox
from kompetanse.pages import _format as fmt
from kompetanse.pages._i18n import text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SHOWN = 200
FILTERS = ("person", "kind", "state", "since", "until")

words(
    {
        "mail_settings_link": ("Påminnelser på e-post", "Reminders by e-mail"),
        "mail_settings_title": ("Påminnelser på e-post", "Reminders by e-mail"),
        "mail_settings_intro": (
            "Vi sender deg en e-post før en frist for noe du skal gjennomføre, og når fristen "
            "er passert.",
            "We send you an e-mail before the deadline of something you must complete, and "
            "when the deadline has passed.",
        ),
        "mail_settings_digest": (
            "Som leder eller fylkeskoordinator får du også en ukentlig oversikt over hvem som "
            "er forsinket og har frist snart.",
            "As a leader or county coordinator you also get a weekly overview of who is "
            "overdue and who is due soon.",
        ),
        "mail_settings_question": (
            "Vil du få påminnelser på e-post?",
            "Do you want reminders by e-mail?",
        ),
        "mail_settings_on": ("Ja, send meg påminnelser", "Yes, send me reminders"),
        "mail_settings_off": ("Nei, ikke send meg påminnelser", "No, do not send me reminders"),
        "mail_settings_now_on": ("Påminnelsene er slått på.", "Reminders are on."),
        "mail_settings_now_off": ("Påminnelsene er slått av.", "Reminders are off."),
        "mail_settings_choose": ("Velg ja eller nei.", "Choose yes or no."),
        "mail_settings_save": ("Lagre", "Save"),
        "mail_title": ("Utsendte påminnelser", "Reminders sent"),
        "mail_filters": ("Filtrer utsendingene", "Filter the reminders"),
        "mail_intro": (
            "Hver påminnelse sendes én gang. Et utsendingsforsøk som feilet, prøves igjen senere.",
            "Each reminder is sent once. An attempt that failed is tried again later.",
        ),
        "mail_person": ("Ansattnummer eller brukernavn", "Employee id or username"),
        "mail_kind": ("Type", "Kind"),
        "mail_state": ("Status", "State"),
        "mail_since": ("Fra og med dato (dd.mm.åååå)", "From date (dd.mm.yyyy)"),
        "mail_until": ("Til og med dato (dd.mm.åååå)", "To date (dd.mm.yyyy)"),
        "mail_any": ("Alle", "All"),
        "mail_bad_day": (
            "Skriv en dato som dd.mm.åååå, for eksempel 07.12.2026.",
            "Write a date as dd.mm.yyyy, for example 07.12.2026.",
        ),
        "mail_caption": ("{n} påminnelser, nyeste først", "{n} reminders, newest first"),
        "mail_caption_one": ("1 påminnelse", "1 reminder"),
        "mail_none": ("Ingen påminnelser passer filtrene.", "No reminders match the filters."),
        "mail_at": ("Tidspunkt (UTC)", "Time (UTC)"),
        "mail_to": ("Mottaker", "Recipient"),
        "mail_subject": ("Emne", "Subject"),
        "mail_attempts": ("Forsøk", "Attempts"),
        "mail_error": ("Feil", "Error"),
        "mail_kind_before": ("Før frist", "Before deadline"),
        "mail_kind_overdue": ("Frist passert", "Deadline passed"),
        "mail_kind_leader": ("Ukeoversikt, leder", "Weekly overview, leader"),
        "mail_kind_coordinator": ("Ukeoversikt, fylke", "Weekly overview, county"),
        "mail_state_claimed": ("Sendes nå", "Being sent"),
        "mail_state_sent": ("Sendt", "Sent"),
        "mail_state_failed": ("Feilet, prøves igjen", "Failed, to be retried"),
        "mail_state_given_up": ("Gitt opp", "Given up"),
        "mail_state_unknown": ("Ukjent (avbrutt)", "Unknown (interrupted)"),
        "mail_state_skipped": ("Ingenting å melde", "Nothing to tell"),
    }
)


async def get_outbox(request: Request) -> Outbox:
    outbox: Outbox = request.app.state.reminders
    return outbox


OutboxDep = Annotated[Outbox, Depends(get_outbox)]


@router.get("/min-laering/varsler")
async def settings_page(request: Request, viewer: ViewerDep, outbox: OutboxDep) -> Response:
    saved = request.query_params.get("lagret")
    confirmation = None
    if saved in ("pa", "av"):
        key = "mail_settings_now_on" if saved == "pa" else "mail_settings_now_off"
        confirmation = text(key, language(request))
    return await _settings(request, viewer, outbox, confirmation=confirmation)


@router.post("/min-laering/varsler")
async def choose(request: Request, viewer: ViewerDep, outbox: OutboxDep) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    chosen = fields.get("reminders")
    if chosen not in ("on", "off"):
        problem = text("mail_settings_choose", language(request))
        return await _settings(request, viewer, outbox, 400, problem=problem)
    await outbox.choose(viewer, on=chosen == "on", language=language(request))
    target = "/min-laering/varsler?lagret=" + ("pa" if chosen == "on" else "av")
    return RedirectResponse(target, status_code=303)


async def _settings(
    request: Request, viewer: Viewer, outbox: Outbox, status_code: int = 200, **context: Any
) -> Response:
    wants = await outbox.wants(viewer)
    return render(request, "mail_settings.html", viewer, status_code, wants=wants, **context)


@router.get("/admin/utsendinger")
async def sent_page(request: Request, viewer: ViewerDep, outbox: OutboxDep) -> Response:
    lang = language(request)
    require(may_administer(viewer), text("mail_title", lang).lower())
    chosen = {k: request.query_params.get(k, "").strip() for k in FILTERS}
    problems = {}
    days: dict[str, date | None] = {}
    for name in ("since", "until"):
        days[name] = fmt.parse_day(chosen[name])
        if chosen[name] and days[name] is None:
            problems[name] = text("mail_bad_day", lang)
    kind = chosen["kind"] if chosen["kind"] in KINDS else None
    state = chosen["state"] if chosen["state"] in STATES else None
    entries: list[dict[str, Any]] = []
    if not problems:
        since, until = days["since"], days["until"]
        entries = await outbox.listing(
            person=chosen["person"] or None,
            kind=kind,
            state=state,
            since=since.isoformat() if since else None,
            until=(until + timedelta(days=1)).isoformat() if until else None,
            limit=SHOWN,
        )
    return render(
        request,
        "admin_mail.html",
        viewer,
        400 if problems else 200,
        chosen=chosen,
        kinds=KINDS,
        states=STATES,
        entries=entries,
        problems=problems,
        moment=fmt.moment,
    )
