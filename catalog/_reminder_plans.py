"""Which reminders by e-mail are due today: to a learner before a `skal` package's deadline (at
each lead time, only the nearest that has come) and when it has passed, read from the kept
statuses (no status is computed again), and each leader's and county coordinator's weekly
digest, read from the office report and the county report (its pipeline). Nobody who turned
reminders off is planned a message; the outbox (`catalog._reminders`) sends each once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from catalog import _reminder_texts as texts
from catalog._access import Viewer
from catalog._progress import PackageStatus
from catalog._reminders import Message, Outbox
from catalog._statuses import decode_statuses

if TYPE_CHECKING:
    from catalog._service import CatalogService

Document = dict[str, Any]


@dataclass(frozen=True)
class Timing:
    """When reminders are due: `lead_days` before a deadline (largest first), once after it
    if it passed at most `overdue_within_days` ago (older ones are the leader's digest's:
    a first deployment does not mail everyone whose deadline passed long ago), the weekday
    (ISO, 1 is Monday) from which the week's digests go, and the pages' address for links."""

    lead_days: tuple[int, ...] = (30, 7)
    overdue_within_days: int = 30
    digest_weekday: int = 1
    base_url: str = "http://127.0.0.1:8000"


def learner_kind(
    status: PackageStatus, today: date, lead_days: Sequence[int], overdue_within_days: int = 30
) -> str | None:
    """`before:<days>`, `overdue`, or None: the reminder a `skal` package's status calls for
    today. Only the nearest lead time that has come is due (a first run five days before a
    deadline sends the 7-day reminder, not the 30-day one as well); a deadline that passed
    more than `overdue_within_days` ago calls for none."""
    if status.priority != "skal" or status.due is None:
        return None
    if status.status in ("completed", "waived"):
        return None
    left = (status.due - today).days
    if status.status in ("overdue", "expired") or left < 0:
        return "overdue" if -left <= overdue_within_days else None
    come = [days for days in lead_days if left <= days]
    return f"before:{min(come)}" if come else None


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class Planner:
    """Which reminders are due today, from the kept statuses (learners) and the reports
    (digests); none for those who turned them off."""

    def __init__(self, service: CatalogService, outbox: Outbox, timing: Timing) -> None:
        self.service = service
        self.outbox = outbox
        self.timing = timing

    async def due(self) -> list[Message]:
        messages = await self.learner_messages()
        today = self.service.today()
        if today.isoweekday() >= self.timing.digest_weekday:
            messages += await self.digests()
        return messages

    async def learner_messages(self) -> list[Message]:
        service, today = self.service, self.service.today()
        await service.statuses.flush()
        wanted: list[tuple[Document, PackageStatus, str]] = []
        async for doc in service.statuses.statuses.find({}, {"name": 1, "statuses": 1}):
            for status in decode_statuses(doc["statuses"]):
                kind = learner_kind(
                    status, today, self.timing.lead_days, self.timing.overdue_within_days
                )
                if kind is not None:
                    wanted.append((doc, status, kind))
        people = sorted({doc["_id"] for doc, _, _ in wanted})
        off = await self.outbox.opted_out(f"person:{p}" for p in people)
        languages = await self.outbox.languages(f"person:{p}" for p in people)
        emails = await self._emails(p for p in people if f"person:{p}" not in off)
        messages = []
        for doc, status, kind in wanted:
            person = doc["_id"]
            if person not in emails:
                continue
            language = languages.get(f"person:{person}", "nb")
            messages.append(
                self._learner(person, doc["name"], emails[person], status, kind, language)
            )
        return messages

    def _learner(
        self,
        person: str,
        name: str,
        to: str,
        status: PackageStatus,
        kind: str,
        language: texts.Language,
    ) -> Message:
        assert status.due is not None  # noqa: S101 - learner_kind's condition
        package = self.service.catalog.package(status.package_id)
        remaining = [
            (texts.name_in(m.name.model_dump(), language), m.estimated_hours)
            for m in package.modules
            if status.modules[m.id].completed_at is None and not status.modules[m.id].waived
        ]
        label, _, days = kind.partition(":")
        subject, body = texts.learner_text(
            label,
            language,
            name=name,
            package=texts.name_in(package.name.model_dump(), language),
            due=status.due,
            today=self.service.today(),
            remaining=remaining if status.status != "expired" else [],
            url=self._url("/min-laering"),
            opt_out=self._url("/min-laering/varsler"),
        )
        key = f"{label}:{person}:{package.id}:{status.due.isoformat()}"
        return Message(
            key=f"{key}:{days}" if days else key,
            kind=label,
            to=to,
            language=language,
            subject=subject,
            body=body,
            person=person,
            package=package.id,
            due=status.due.isoformat(),
        )

    async def digests(self) -> list[Message]:
        accounts = await self.service.accounts.accounts_in_roles(["leader", "coordinator"])
        keys = [f"user:{a['_id']}" for a in accounts]
        off = await self.outbox.opted_out(keys)
        languages = await self.outbox.languages(keys)
        persons = await self._people(a["person"] for a in accounts if a.get("person"))
        week = iso_week(self.service.today())
        messages = []
        for account in accounts:
            key = f"user:{account['_id']}"
            own = persons.get(account.get("person") or "", {})
            to = account.get("email") or own.get("email")
            if key in off or not to:
                continue
            role = account["role"]
            viewer = Viewer(
                account["_id"],
                role,
                person=account.get("person"),
                office=account.get("office"),
                region=account.get("region"),
            )
            language = languages.get(key, "nb")
            name = own.get("name") or account["_id"]
            make = self._leader if role == "leader" else self._coordinator
            messages.append(await make(viewer, name, to, week, language))
        return messages

    async def _leader(
        self, viewer: Viewer, name: str, to: str, week: str, language: texts.Language
    ) -> Message:
        assert viewer.office is not None  # noqa: S101 - a leader's binding
        report = await self.service.reports.office_report(viewer, viewer.office)
        overview = report.overview

        def lines(items: list[Document]) -> list[tuple[str, str, str]]:
            return [
                (str(i["name"]), self._package_name(str(i["package"]), language), str(i["due"]))
                for i in items
                if i.get("due")
            ]

        overdue, soon = lines(overview["overdue"]), lines(overview["due_soon"])
        subject, body = texts.leader_text(
            language,
            name=name,
            office=report.name,
            overdue=overdue,
            soon=soon,
            url=self._url(f"/kontoret/{viewer.office}"),
            opt_out=self._url("/min-laering/varsler"),
        )
        about = sorted({str(i["person"]) for i in overview["overdue"] + overview["due_soon"]})
        return Message(
            key=f"leader:{viewer.username}:{week}",
            kind="leader",
            to=to,
            language=language,
            subject=subject,
            body=body if overdue or soon else "",
            username=viewer.username,
            week=week,
            about=about,
        )

    async def _coordinator(
        self, viewer: Viewer, name: str, to: str, week: str, language: texts.Language
    ) -> Message:
        assert viewer.region is not None  # noqa: S101 - a coordinator's binding
        report = await self.service.reports.region_report(viewer, viewer.region)
        region = await self.service.reports.region_name(viewer, viewer.region)
        behind = sorted(
            (
                (str(o["name"]), int(o["statuses"].get("overdue", 0)), int(o["people"]))
                for o in report["offices"]
                if o["statuses"].get("overdue", 0)
            ),
            key=lambda row: (-row[1], row[0]),
        )
        modules = {(p.id, m.id): m for p in self.service.catalog.packages for m in p.modules}
        pipeline = [
            (
                self._package_name(item["package"], language),
                texts.name_in(
                    modules[(item["package"], item["module"])].name.model_dump(), language
                ),
                len(item["placed"]),
                len(item["at_risk"]),
            )
            for item in report["pipeline"]["modules"]
            if (item["package"], item["module"]) in modules
        ]
        subject, body = texts.coordinator_text(
            language,
            name=name,
            region=region,
            behind=behind,
            pipeline=pipeline,
            url=self._url(f"/fylket/{viewer.region}"),
            opt_out=self._url("/min-laering/varsler"),
        )
        return Message(
            key=f"coordinator:{viewer.username}:{week}",
            kind="coordinator",
            to=to,
            language=language,
            subject=subject,
            body=body if behind or pipeline else "",
            username=viewer.username,
            week=week,
        )

    def _package_name(self, package: str, language: texts.Language) -> str:
        return texts.name_in(self.service.catalog.package(package).name.model_dump(), language)

    def _url(self, path: str) -> str:
        return self.timing.base_url.rstrip("/") + path

    async def _emails(self, people: Iterable[str]) -> dict[str, str]:
        return {p: str(doc["email"]) for p, doc in (await self._people(people)).items()}

    async def _people(self, people: Iterable[str]) -> dict[str, Document]:
        return await self.service.store.people_by_id(people, ("email", "name"))
