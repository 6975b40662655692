"""Evaluation of training and its effect (issue 15 part 5; 004:2282 "en utfordring å få målt
effektene", 004:2397 offers not "kvalitetssikret", 000:359).

After completing a package or attending a classroom session the learner gives a short
evaluation (overall 1-5, relevance 1-5, a comment); `FOLLOW_UP_AFTER` later (six weeks by
default) a follow-up asks whether it changed their practice (yes / partly / no, a comment).
Both are xAPI statements in the LRS following the product's profile (templates
`training-evaluated` and `training-followed-up`), by the learner's own agent, stored with the
evaluation credential: the object is the package (`package_iri`), a session is named in
`context.contextActivities.grouping` (`session_iri`), a follow-up points at the evaluation in
`context.statement`. Their verbs are `BOOKKEEPING`: they credit nothing and the record does
not list them as learning.

The owner of a package sees its results (national: the directorate; a county's: its
coordinator; an office's: its leader), the county's coordinator those of its sessions: counts,
averages, the distribution, the share who changed their practice and the comments, never a
name, and only counts for a group under `SMALLEST_GROUP` (`catalog._access`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from adapters import XAPI_VERSION, deterministic_id
from adapters.vocabulary import (
    BASE_IRI,
    COURSE,
    EVALUATED,
    FOLLOWED_UP,
    MEETING,
    NAV_IDENT,
    OFFICE,
    PRACTICE_CHANGED,
    PROFILE_VERSION,
    RELEVANCE,
    template,
)
from catalog._access import (
    SMALLEST_GROUP,
    Viewer,
    may_evaluate,
    may_see_package_evaluations,
    may_see_session_evaluations,
)
from catalog._classroom import ClassroomStore
from catalog._load import Catalog
from catalog._sessions import Session
from catalog._statuses import StatusKeeper
from catalog._store import CatalogStore
from catalog.errors import Conflict, Forbidden, Invalid, NotFound
from lrs.auth import Credential, Scope
from lrs.model import format_timestamp
from lrs.statements import StatementService
from lrs.store import StatementQuery, ifi_key

Document = dict[str, Any]
Kind = Literal["evaluation", "follow-up"]
KINDS: tuple[Kind, ...] = ("evaluation", "follow-up")
CHANGED = ("yes", "partly", "no")
SCALE = (1, 2, 3, 4, 5)
FOLLOW_UP_AFTER = timedelta(weeks=6)
COMMENT_LENGTH = 2000
TEMPLATES = (template("training-evaluated"), template("training-followed-up"))
_VERB = {"evaluation": EVALUATED, "follow-up": FOLLOWED_UP}
_DISPLAY = {
    "evaluation": {"nb": "evaluerte", "en": "evaluated"},
    "follow-up": {"nb": "fulgte opp", "en": "followed up"},
}
_PAGE = 500
_MOST = 20_000


def package_iri(package: str, base_iri: str = BASE_IRI) -> str:
    return f"{base_iri}/packages/{package}"


def session_iri(session: str, base_iri: str = BASE_IRI) -> str:
    return f"{base_iri}/sessions/{session}"


def credential(base_iri: str = BASE_IRI) -> Credential:
    """The evaluation's own credential: it writes the learners' evaluations, defines nothing."""
    return Credential(
        key="evaluering",
        scopes=frozenset({Scope.STATEMENTS_WRITE}),
        authority={
            "objectType": "Agent",
            "name": "Kompetanse: Evaluering",
            "account": {"homePage": f"{base_iri.rstrip('/')}/credentials", "name": "evaluering"},
        },
        label="Evaluering",
    )


def ident(person: str) -> Document:
    return {"objectType": "Agent", "account": {"homePage": NAV_IDENT, "name": person}}


@dataclass(frozen=True)
class Answer:
    """One evaluation or follow-up as given: of a package, or of a session (of its package)."""

    kind: Kind
    package: str
    session: str | None = None
    overall: int | None = None
    relevance: int | None = None
    changed: str | None = None
    comment: str = ""


def parse(body: Mapping[str, Any]) -> tuple[Answer | None, dict[str, str]]:
    """An answer from the API's or a form's fields, or the problem per field (by path)."""
    problems: dict[str, str] = {}
    kind = body.get("kind", "evaluation")
    if kind not in KINDS:
        problems["kind"] = "evaluation or follow-up"
    package = body.get("package")
    session = body.get("session") or None
    if not session and (not isinstance(package, str) or not package):
        problems["package"] = "the package evaluated (or a session)"
    if session is not None and not isinstance(session, str):
        problems["session"] = "a session id"
    comment = body.get("comment") or ""
    if not isinstance(comment, str) or len(comment) > COMMENT_LENGTH:
        problems["comment"] = f"text of at most {COMMENT_LENGTH} characters"
    numbers: dict[str, int | None] = {"overall": None, "relevance": None}
    changed = None
    if kind == "evaluation":
        for name in numbers:
            value = body.get(name)
            try:
                number = int(value) if isinstance(value, (int, str)) and value != "" else None
            except ValueError:
                number = None
            if number not in SCALE or isinstance(value, bool):
                problems[name] = "a whole number from 1 to 5"
            numbers[name] = number
    elif kind == "follow-up":
        changed = body.get("changed")
        if changed not in CHANGED:
            problems["changed"] = "yes, partly or no"
    if problems:
        return None, problems
    return (
        Answer(
            kind=kind,
            package=package if isinstance(package, str) else "",
            session=session,
            overall=numbers["overall"],
            relevance=numbers["relevance"],
            changed=changed,
            comment=comment.strip() if isinstance(comment, str) else "",
        ),
        {},
    )


def statement(
    answer: Answer,
    person: str,
    office: str,
    name: Mapping[str, str],
    when: datetime,
    *,
    evaluation: str | None = None,
    base_iri: str = BASE_IRI,
) -> Document:
    """The xAPI statement of `answer` by `person` (one per person, kind and target: its id is
    deterministic), following the profile's template for its kind."""
    target = answer.session or answer.package
    context: Document = {
        "contextActivities": {"category": [{"id": PROFILE_VERSION}]},
        "extensions": {OFFICE: office},
    }
    if answer.session:
        context["contextActivities"]["grouping"] = [
            {
                "id": session_iri(answer.session, base_iri),
                "objectType": "Activity",
                "definition": {"type": MEETING},
            }
        ]
    result: Document = {}
    if answer.kind == "evaluation":
        result = {
            "score": {"raw": answer.overall, "min": 1, "max": 5},
            "extensions": {RELEVANCE: answer.relevance},
        }
    else:
        result = {"extensions": {PRACTICE_CHANGED: answer.changed}}
        if evaluation:
            context["statement"] = {"objectType": "StatementRef", "id": evaluation}
    if answer.comment:
        result["response"] = answer.comment
    return {
        "id": deterministic_id(answer.kind, person, target),
        "actor": ident(person),
        "verb": {"id": _VERB[answer.kind], "display": dict(_DISPLAY[answer.kind])},
        "object": {
            "objectType": "Activity",
            "id": package_iri(answer.package, base_iri),
            "definition": {"type": COURSE, "name": dict(name)},
        },
        "result": result,
        "context": context,
        "timestamp": format_timestamp(when.astimezone(UTC)),
    }


def summary(statements: Sequence[Mapping[str, Any]]) -> Document:
    """Counts, averages, distributions, the share who changed practice and the comments of
    the evaluations and follow-ups given; the details only for a group of SMALLEST_GROUP."""
    evaluations = [s for s in statements if s["verb"]["id"] == EVALUATED]
    follow_ups = [s for s in statements if s["verb"]["id"] == FOLLOWED_UP]
    found: Document = {
        "evaluations": len(evaluations),
        "follow_ups": len(follow_ups),
        "smallest_group": SMALLEST_GROUP,
    }
    if len(evaluations) >= SMALLEST_GROUP:
        overall = [int(s["result"]["score"]["raw"]) for s in evaluations]
        relevance = [int(s["result"]["extensions"][RELEVANCE]) for s in evaluations]
        found["overall"] = _spread(overall)
        found["relevance"] = _spread(relevance)
        found["evaluation_comments"] = _comments(evaluations)
    else:
        found["evaluation_suppressed"] = True
    if len(follow_ups) >= SMALLEST_GROUP:
        counts = Counter(str(s["result"]["extensions"][PRACTICE_CHANGED]) for s in follow_ups)
        found["changed"] = {value: counts.get(value, 0) for value in CHANGED}
        found["changed_share"] = round((counts["yes"] + counts["partly"]) / len(follow_ups), 3)
        found["follow_up_comments"] = _comments(follow_ups)
    else:
        found["follow_up_suppressed"] = True
    return found


def _spread(values: list[int]) -> Document:
    counts = Counter(values)
    return {
        "mean": round(sum(values) / len(values), 2),
        "distribution": {str(n): counts.get(n, 0) for n in SCALE},
    }


def _comments(statements: Sequence[Mapping[str, Any]]) -> list[str]:
    """The comments alone (no one's name or time), in a fixed order that tells no one's."""
    return sorted(str(s["result"]["response"]) for s in statements if s["result"].get("response"))


class Evaluations:
    """The evaluations as the API and pages use them; every method checks who may first."""

    def __init__(
        self,
        catalog: Catalog,
        people: CatalogStore,
        statuses: StatusKeeper,
        classroom: ClassroomStore,
        statements: StatementService,
        *,
        base_iri: str = BASE_IRI,
        follow_up_after: timedelta = FOLLOW_UP_AFTER,
        today: Callable[[], date] = date.today,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.catalog = catalog
        self.people = people
        self.statuses = statuses
        self.classroom = classroom
        self.statements = statements
        self.base_iri = base_iri
        self.credential = credential(base_iri)
        self.follow_up_after = follow_up_after
        self.today = today
        self.now = now

    async def _all(self, query: StatementQuery) -> list[Document]:
        query = replace(query, authority=ifi_key(self.credential.authority))
        found: list[Document] = []
        while len(found) < _MOST:
            page = await self.statements.query(query, _PAGE)
            found.extend(page.statements)
            if page.more is None:
                break
            query = replace(query, cursor=page.more)
        return found

    async def _me(self, viewer: Viewer) -> Document:
        if viewer.person is None:
            raise Invalid("this account is not bound to a person")
        person = await self.people.person_document(viewer.person)
        if person is None:
            raise NotFound(f"no person {viewer.person!r}")
        return person

    async def _attended(self, person: str, region: str) -> list[Session]:
        today = self.today()
        return [
            s
            for s in await self.classroom.in_region(region)
            if person in s.enrolled and s.last_day <= today
        ]

    async def mine(self, viewer: Viewer) -> Document:
        """What the viewer took and may evaluate: each completed package and attended
        session, with their evaluation and follow-up (given, due on a date, or awaiting)."""
        person = await self._me(viewer)
        given = {
            (s["verb"]["id"], _target(s)): s
            for s in await self._all(StatementQuery(agent=ident(person["_id"])))
        }
        items: list[Document] = []
        row = await self.statuses.person_row(person["_id"])
        sessions = await self._attended(person["_id"], person.get("region", ""))
        for status in row.statuses if row else []:
            if status.completed_at is not None:
                items.append(self._item(status.package_id, None, status.completed_at.date(), given))
        for session in sessions:
            items.append(self._item(session.package_id, session.id, session.last_day, given))
        items.sort(key=lambda item: item["taken"], reverse=True)
        return {"person": person["_id"], "items": items}

    def _item(
        self,
        package: str,
        session: str | None,
        taken: date,
        given: Mapping[tuple[str, str], Mapping[str, Any]],
    ) -> Document:
        target = session_iri(session, self.base_iri) if session else package_iri(package)
        evaluation = given.get((EVALUATED, target))
        follow_up = given.get((FOLLOWED_UP, target))
        due = taken + self.follow_up_after
        return {
            "package": package,
            "name": self.catalog.package(package).name.model_dump(),
            "session": session,
            "taken": taken.isoformat(),
            "evaluated": evaluation["timestamp"] if evaluation else None,
            "follow_up_due": due.isoformat(),
            "followed_up": follow_up["timestamp"] if follow_up else None,
            "awaits": (
                "evaluation"
                if evaluation is None
                else ("follow-up" if follow_up is None and due <= self.today() else None)
            ),
        }

    async def give(self, viewer: Viewer, answer: Answer, person: str | None = None) -> Document:
        """Store the viewer's own evaluation or follow-up of what they took; 403 for another
        person, 422 for something not taken (or a follow-up before it is due), 409 twice."""
        me = viewer.person if person is None else person
        if me is None or not may_evaluate(viewer, me):
            raise Forbidden(f"you may not evaluate training for {me}")
        mine = await self.mine(viewer)
        if answer.session:
            try:
                session = await self.classroom.get(answer.session)
            except NotFound:
                raise Invalid("a session you attended", path="session") from None
            answer = replace(answer, package=session.package_id)
        item = next(
            (
                i
                for i in mine["items"]
                if i["package"] == answer.package and i["session"] == answer.session
            ),
            None,
        )
        if item is None:
            what = "session" if answer.session else "package"
            raise Invalid(f"a {what} you have completed or attended", path=what)
        if answer.kind == "evaluation" and item["evaluated"]:
            raise Conflict("you have evaluated this already")
        if answer.kind == "follow-up":
            if item["followed_up"]:
                raise Conflict("you have followed this up already")
            if date.fromisoformat(item["follow_up_due"]) > self.today():
                raise Invalid(f"the follow-up opens on {item['follow_up_due']}", path="kind")
        person_doc = await self._me(viewer)
        evaluation = None
        if answer.kind == "follow-up" and item["evaluated"]:
            evaluation = deterministic_id("evaluation", me, answer.session or answer.package)
        built = statement(
            answer,
            me,
            person_doc.get("office", ""),
            self.catalog.package(answer.package).name.model_dump(),
            self.now(),
            evaluation=evaluation,
            base_iri=self.base_iri,
        )
        await self.statements.save([built], version=XAPI_VERSION, credential=self.credential)
        return built

    async def of_package(self, viewer: Viewer, package: str) -> Document:
        """The results of a package (its sessions' included): its owner only."""
        found = next((p for p in self.catalog.packages if p.id == package), None)
        if found is None:
            raise NotFound(f"no package {package!r}")
        if not may_see_package_evaluations(viewer, found.owner, found.owner_unit):
            raise Forbidden(f"you may not see the evaluations of package {package}")
        query = StatementQuery(activity=package_iri(package, self.base_iri))
        statements = [
            s
            for verb in (EVALUATED, FOLLOWED_UP)
            for s in await self._all(replace(query, verb=verb))
        ]
        return {
            "package": package,
            "name": found.name.model_dump(),
            "owner": found.owner,
            "owner_unit": found.owner_unit,
            **summary(statements),
        }

    async def of_session(self, viewer: Viewer, session: str) -> Document:
        """The results of a classroom session: its county's coordinator (and the directorate
        and administrators), and the owner of its package."""
        found = await self.classroom.get(session)
        package = self.catalog.package(found.package_id)
        if not (
            may_see_session_evaluations(viewer, found.region)
            or may_see_package_evaluations(viewer, package.owner, package.owner_unit)
        ):
            raise Forbidden(f"you may not see the evaluations of session {session}")
        query = StatementQuery(
            activity=session_iri(session, self.base_iri), related_activities=True
        )
        statements = [
            s
            for verb in (EVALUATED, FOLLOWED_UP)
            for s in await self._all(replace(query, verb=verb))
        ]
        return {
            "session": session,
            "package": package.id,
            "name": package.name.model_dump(),
            "region": found.region,
            "starts": found.starts.isoformat(),
            "last_day": found.last_day.isoformat(),
            "enrolled": len(found.enrolled),
            **summary(statements),
        }


def _target(statement: Mapping[str, Any]) -> str:
    grouping = statement.get("context", {}).get("contextActivities", {}).get("grouping", [])
    sessions = [g["id"] for g in grouping if "/sessions/" in g.get("id", "")]
    return sessions[0] if sessions else str(statement["object"]["id"])


# --- the export: a table people read -----------------------------------------------------------

COLUMNS = ["Spørsmål", "Svar", "Antall", "Andel (%)", "Snitt"]


def table(result: Mapping[str, Any]) -> tuple[list[str], list[Document]]:
    """The results as rows in Norwegian: one per answer of each question, then the comments;
    a group under five as its counts only."""
    rows: list[Document] = [
        {"Spørsmål": "Evalueringer", "Antall": result["evaluations"]},
        {"Spørsmål": "Oppfølginger", "Antall": result["follow_ups"]},
    ]
    for key, label in (("overall", "Samlet inntrykk"), ("relevance", "Relevans")):
        spread = result.get(key)
        if spread is None:
            continue
        total = sum(spread["distribution"].values())
        rows.append({"Spørsmål": label, "Snitt": _decimal(spread["mean"])})
        for value, count in spread["distribution"].items():
            share = round(100 * count / total) if total else 0
            rows.append({"Spørsmål": label, "Svar": value, "Antall": count, "Andel (%)": share})
    if "changed" in result:
        names = {"yes": "Ja", "partly": "Delvis", "no": "Nei"}
        for value, count in result["changed"].items():
            rows.append(
                {
                    "Spørsmål": "Endret praksis",
                    "Svar": names[value],
                    "Antall": count,
                    "Andel (%)": round(100 * count / result["follow_ups"]),
                }
            )
    for comment in result.get("evaluation_comments", []):
        rows.append({"Spørsmål": "Kommentar (evaluering)", "Svar": comment})
    for comment in result.get("follow_up_comments", []):
        rows.append({"Spørsmål": "Kommentar (oppfølging)", "Svar": comment})
    return COLUMNS, rows


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
