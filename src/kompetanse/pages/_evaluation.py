"""Evaluering: the evaluation of training's pages (`catalog._evaluation`).

On Min læring the learner sees what she completed or attended, what awaits her evaluation
and, weeks later, her follow-up, and fills the short form (stored as her own xAPI statement);
the owners of packages and the county's coordinator see the results per package and per
session (`/evaluering`): counts, averages, the distribution, the share who changed their
practice and the comments, never a name, a group under five as counts only, with a CSV/XLSX
download. Forms carry the CSRF token and answer with a redirect back and a confirmation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from catalog._access import (
    SMALLEST_GROUP,
    Viewer,
    may_see_package_evaluations,
    may_see_session_evaluations,
)
from catalog._evaluation import CHANGED, SCALE, Evaluations, parse
from catalog._evaluation_api import EvaluationsDep
from catalog.errors import Conflict, Forbidden, Invalid
from kompetanse.pages._format import number
from kompetanse.pages._i18n import text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, form, language, render

router = APIRouter(route_class=PageRoute, include_in_schema=False)

words(
    {
        "evaluation_link": ("Evaluering av opplæring", "Evaluation of training"),
        "evaluation_link_waiting": (
            "Evaluering av opplæring ({n} venter)",
            "Evaluation of training ({n} waiting)",
        ),
        "evaluation_title": ("Evaluering av opplæring", "Evaluation of training"),
        "evaluation_intro": (
            "Etter en pakke eller en samling gir du en kort evaluering. {weeks} uker etter "
            "spør vi om opplæringen endret måten du jobber på. Svarene er dine; eieren av "
            "opplæringen ser bare samlede tall og kommentarer uten navn, og for grupper under "
            "{n} bare antall.",
            "After a package or a session you give a short evaluation. {weeks} weeks later we "
            "ask whether the training changed the way you work. The owner of the training "
            "sees only totals and comments without names, and for groups under {n} only "
            "counts.",
        ),
        "evaluation_none": (
            "Du har ikke fullført noen pakke eller deltatt på noen samling ennå.",
            "You have not completed a package or attended a session yet.",
        ),
        "evaluation_what": ("Opplæring", "Training"),
        "evaluation_taken": ("Fullført", "Completed"),
        "evaluation_state": ("Evaluering", "Evaluation"),
        "evaluation_follow_up": ("Oppfølging", "Follow-up"),
        "evaluation_session": ("samling {date}", "session {date}"),
        "evaluation_given": ("Gitt {date}", "Given {date}"),
        "evaluation_opens": ("Åpner {date}", "Opens {date}"),
        "evaluation_give": ("Evaluer", "Evaluate"),
        "evaluation_give_follow_up": ("Svar på oppfølgingen", "Answer the follow-up"),
        "evaluation_of": ("Evaluer {name}", "Evaluate {name}"),
        "evaluation_follow_up_of": ("Oppfølging av {name}", "Follow-up of {name}"),
        "evaluation_overall": ("Samlet inntrykk", "Overall"),
        "evaluation_relevance": ("Relevans for arbeidet ditt", "Relevance to your work"),
        "evaluation_scale_hint": (
            "1 er svært dårlig, 5 er svært godt.",
            "1 is very poor, 5 is very good.",
        ),
        "evaluation_choose": ("Velg", "Choose"),
        "evaluation_changed": (
            "Har opplæringen endret måten du jobber på?",
            "Has the training changed the way you work?",
        ),
        "evaluation_changed_yes": ("Ja", "Yes"),
        "evaluation_changed_partly": ("Delvis", "Partly"),
        "evaluation_changed_no": ("Nei", "No"),
        "evaluation_comment": ("Kommentar (valgfritt)", "Comment (optional)"),
        "evaluation_comment_hint": (
            "Skriv ikke navn eller personopplysninger.",
            "Do not write names or personal details.",
        ),
        "evaluation_send": ("Send", "Send"),
        "evaluation_saved": ("Takk! Svaret ditt er lagret.", "Thank you! Your answer is saved."),
        "evaluation_problems": ("Svaret kunne ikke lagres:", "The answer could not be saved:"),
        "evaluation_problem_overall": ("velg fra 1 til 5", "choose 1 to 5"),
        "evaluation_problem_relevance": ("velg fra 1 til 5", "choose 1 to 5"),
        "evaluation_problem_changed": ("velg ja, delvis eller nei", "choose yes, partly or no"),
        "evaluation_problem_comment": (
            "høyst 2000 tegn",
            "at most 2000 characters",
        ),
        "evaluation_problem_whole": ("{message}", "{message}"),
        "evaluation_results_title": ("Resultater av evaluering", "Evaluation results"),
        "evaluation_results_intro": (
            "Resultatene for opplæringen du eier. Ingen navn vises, og grupper under {n} "
            "viser bare antall.",
            "The results of the training you own. No names are shown, and groups under {n} "
            "show only counts.",
        ),
        "evaluation_packages": ("Pakker", "Packages"),
        "evaluation_sessions": ("Samlinger", "Sessions"),
        "evaluation_nothing": ("Ingenting å vise.", "Nothing to show."),
        "evaluation_counts": (
            "{evaluations} evalueringer, {follow_ups} oppfølginger",
            "{evaluations} evaluations, {follow_ups} follow-ups",
        ),
        "evaluation_enrolled": ("{n} påmeldt", "{n} enrolled"),
        "evaluation_suppressed": (
            "Færre enn {n} svar: bare antall vises.",
            "Fewer than {n} answers: only counts are shown.",
        ),
        "evaluation_mean": ("Snitt", "Mean"),
        "evaluation_answer": ("Svar", "Answer"),
        "evaluation_count": ("Antall", "Count"),
        "evaluation_changed_share": (
            "{share} % sier opplæringen endret arbeidet helt eller delvis.",
            "{share} % say the training changed their work fully or partly.",
        ),
        "evaluation_comments": ("Kommentarer", "Comments"),
        "evaluation_download": ("Last ned CSV", "Download CSV"),
        "evaluation_download_xlsx": ("Last ned Excel", "Download Excel"),
    }
)


def _item_form(item: dict[str, Any]) -> str:
    query = {"pakke": item["package"]}
    if item["session"]:
        query["samling"] = item["session"]
    return "/min-laering/evaluering/skjema?" + urlencode(query)


@router.get("/min-laering/evaluering")
async def my_evaluations(
    request: Request, viewer: ViewerDep, evaluations: EvaluationsDep
) -> Response:
    mine = await evaluations.mine(viewer)
    lang = language(request)
    saved = request.query_params.get("lagret") == "1"
    return render(
        request,
        "evaluation_learner.html",
        viewer,
        items=mine["items"],
        form_link=_item_form,
        weeks=evaluations.follow_up_after.days // 7,
        smallest=SMALLEST_GROUP,
        confirmation=text("evaluation_saved", lang) if saved else None,
    )


async def _form_page(
    request: Request,
    viewer: Viewer,
    evaluations: Evaluations,
    package: str,
    session: str | None,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
) -> Response:
    mine = await evaluations.mine(viewer)
    item = next(
        (i for i in mine["items"] if i["package"] == package and i["session"] == session), None
    )
    if item is None or item["awaits"] is None:
        return RedirectResponse("/min-laering/evaluering", status_code=303)
    return render(
        request,
        "evaluation_form.html",
        viewer,
        status_code,
        item=item,
        kind=item["awaits"],
        scale=SCALE,
        changed=CHANGED,
        values=values or {},
        problems=problems or {},
    )


@router.get("/min-laering/evaluering/skjema")
async def evaluation_form(
    request: Request, viewer: ViewerDep, evaluations: EvaluationsDep
) -> Response:
    package = request.query_params.get("pakke", "")
    session = request.query_params.get("samling") or None
    return await _form_page(request, viewer, evaluations, package, session)


@router.post("/min-laering/evaluering")
async def give_evaluation(
    request: Request, viewer: ViewerDep, evaluations: EvaluationsDep
) -> Response:
    fields = await form(request)
    check_csrf(request, fields)
    lang = language(request)
    package, session = fields.get("package", ""), fields.get("session") or None
    answer, problems = parse(fields)
    shown = {k: text(f"evaluation_problem_{k}", lang) for k in problems if k in _FIELDS}
    if answer is not None:
        try:
            await evaluations.give(viewer, answer)
        except (Invalid, Conflict) as exc:
            shown = {"whole": text("evaluation_problem_whole", lang, message=str(exc))}
        else:
            return RedirectResponse("/min-laering/evaluering?lagret=1", status_code=303)
    if not shown:
        shown = {"whole": "; ".join(f"{k}: {v}" for k, v in problems.items())}
    return await _form_page(request, viewer, evaluations, package, session, 400, fields, shown)


_FIELDS = ("overall", "relevance", "changed", "comment")


# --- the owners' results ----------------------------------------------------------------------


def _common(request: Request) -> dict[str, Any]:
    lang = language(request)
    return {
        "decimal": lambda value: number(value, lang),
        "smallest": SMALLEST_GROUP,
        "changed": CHANGED,
        "scale": SCALE,
    }


@router.get("/evaluering")
async def results_index(
    request: Request, viewer: ViewerDep, evaluations: EvaluationsDep
) -> Response:
    """What the viewer owns: packages, and the classroom sessions held so far."""
    packages = [
        p
        for p in evaluations.catalog.packages
        if may_see_package_evaluations(viewer, p.owner, p.owner_unit)
    ]
    owned = {p.id for p in packages}
    regions = [viewer.region] if viewer.region else []
    if viewer.role in ("directorate", "admin"):
        regions = [r["_id"] for r in await evaluations.people.all_regions()]
    today = evaluations.today()
    sessions = []
    for region in regions:
        for session in await evaluations.classroom.in_region(region):
            if session.last_day <= today and (
                may_see_session_evaluations(viewer, session.region) or session.package_id in owned
            ):
                sessions.append(session)
    if viewer.role == "learner":
        raise Forbidden("you may not see the evaluations of any training")
    return render(
        request,
        "evaluation_index.html",
        viewer,
        packages=packages,
        sessions=sorted(sessions, key=lambda s: s.starts, reverse=True),
        **_common(request),
    )


@router.get("/evaluering/pakker/{package}")
async def package_results(
    package: str, request: Request, viewer: ViewerDep, evaluations: EvaluationsDep
) -> Response:
    found = await evaluations.of_package(viewer, package)
    download = f"/api/packages/{quote(package)}/evaluations"
    return render(
        request,
        "evaluation_results.html",
        viewer,
        result=found,
        session=None,
        download=download,
        **_common(request),
    )


@router.get("/evaluering/samlinger/{session}")
async def session_results(
    session: str, request: Request, viewer: ViewerDep, evaluations: EvaluationsDep
) -> Response:
    found = await evaluations.of_session(viewer, session)
    download = f"/api/sessions/{quote(session)}/evaluations"
    return render(
        request,
        "evaluation_results.html",
        viewer,
        result=found,
        session=found,
        download=download,
        **_common(request),
    )
