"""Competence networks (kompetansenettverk, fagnettverk) and accountability for them: a county's
network, run by its coordinator, lists its members per office; the coordinator records each
meeting (day, topic) and who attended; after it every attending member is to share what they
learned at their own office, and records when and how (004:1064: "ta med noe tilbake"; 004:1205;
000 §6.6: participants are responsible for bringing the knowledge back, which nobody follows up).

Attending and sharing back are learning, so both are xAPI statements in the LRS, built by the
network adapter (`adapters.methods.networks`, the profile's templates
`network-meeting-attended` and `network-knowledge-shared`, verbs ADL `attended` and `shared`):
they count as evidence like any other (the catalog's network package credits `shared` for its
`deling` module). The networks, meetings and sharings are also kept here (`_networks_store`)
for the follow-up: the office's leader sees, for its members, who attended each meeting and who
has not shared back yet, and for how many days; the coordinator sees it across the county.

Who may is decided in `catalog._access` (section "competence networks").
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

from adapters import deterministic_id, get_adapter
from adapters.vocabulary import BASE_IRI, SHARED
from catalog._access import (
    Viewer,
    may_run_network,
    may_see_networks,
    may_see_office,
    may_share_back,
    require,
)
from catalog._audit import AuditLog
from catalog._load import Catalog
from catalog._model import Package
from catalog._networks_store import NetworkStore
from catalog._store import CatalogStore
from catalog.errors import Forbidden, Invalid, NotFound

__all__ = ["HOW", "NetworkStore", "Networks", "Save"]

Document = dict[str, Any]
Save = Callable[[list[Document]], Awaitable[list[str]]]
"""Stores statements in the LRS (the API and the pages each give theirs, with a credential)."""

HOW = ("personalmote", "fagmote", "teammote", "e-post", "annet")
"""How a member shared back at the office: staff meeting, professional meeting, team meeting,
e-mail, otherwise."""
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def _day(value: object, path: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Invalid("a day as YYYY-MM-DD is required", path=path) from None


def _text(value: object, path: str, *, required: bool = True, longest: int = 500) -> str:
    found = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        raise Invalid("a string is required", path=path)
    if required and not found:
        raise Invalid("is required", path=path)
    if len(found) > longest:
        raise Invalid(f"at most {longest} characters", path=path)
    return found


def _people(value: object, path: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise Invalid("a list of employee ids is required", path=path)
    return sorted({p.strip() for p in value})


def _slug(name: str) -> str:
    return (
        re.sub(r"[^a-z0-9]+", "-", name.lower().translate(str.maketrans("æøå", "eoa"))).strip("-")[
            :60
        ]
        or "nettverk"
    )


class Networks:
    """The networks as the API and the pages use them; every method checks who may first."""

    def __init__(
        self,
        people: CatalogStore,
        store: NetworkStore,
        today: Callable[[], date],
        audit: AuditLog | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        base_iri: str = BASE_IRI,
        catalog: Catalog | None = None,
    ) -> None:
        self.catalog = catalog
        self.base_iri = base_iri
        self.people = people
        self.store = store
        self.today = today
        self.audit = audit
        self.now = now

    # -- the coordinator's -----------------------------------------------------------------

    async def _region(self, region: str) -> None:
        if await self.people.region(region) is None:
            raise NotFound(f"no county {region!r}")

    async def _network(self, viewer: Viewer, region: str, slug: str, *, run: bool) -> Document:
        await self._region(region)
        allowed = may_run_network if run else may_see_networks
        require(allowed(viewer, region), f"the networks of county {region}")
        found = await self.store.network(f"{region}:{slug}")
        if found is None:
            raise NotFound(f"no network {slug!r} in {region}")
        return found

    async def _audit(self, viewer: Viewer, target: str, what: str, **detail: Any) -> None:
        if self.audit is not None:
            await self.audit.record(
                "network", actor=viewer.username, target=target, what=what, **detail
            )

    async def create(self, viewer: Viewer, region: str, body: object) -> Document:
        """A new network of the county: `name`, optionally `id` (a slug) and `members`."""
        await self._region(region)
        require(may_run_network(viewer, region), f"the networks of county {region}")
        data = body if isinstance(body, dict) else {}
        name = _text(data.get("name"), "name", longest=200)
        slug = _text(data.get("id"), "id", required=False) or _slug(name)
        if not _SLUG.match(slug):
            raise Invalid("lower-case letters, digits and '-'", path="id")
        members = _people(data.get("members", []), "members")
        await self._known(region, members, "members")
        package = self._package(data.get("package"), region)
        found = await self.store.create(region, slug, name, viewer.username, self.now())
        await self.store.set_members(found["_id"], members)
        if package is not None:
            await self.store.networks.update_one(
                {"_id": found["_id"]}, {"$set": {"package": package.id}}
            )
        await self._audit(viewer, found["_id"], "created", members=len(members))
        return await self.network(viewer, region, slug)

    def _package(self, value: object, region: str) -> Package | None:
        """The catalog package a network's meetings credit (optional): the county's own, with
        modules of the competence-network method."""
        if value is None or value == "":
            return None
        found = next(
            (p for p in (self.catalog.packages if self.catalog else []) if p.id == value), None
        )
        if found is None or (found.owner == "county" and found.owner_unit != region):
            raise Invalid(f"{value!r} is no package of this county", path="package")
        if not any(m.method == "kompetansenettverk" for m in found.modules):
            raise Invalid(f"{value!r} has no network meetings", path="package")
        return found

    def _credited(self, network: Document, value: object) -> dict[str, str]:
        """The activities of the package's module the meeting is (`module`), and of its module
        of sharing back (a module whose criterion is the "shared" verb), when there are."""
        if not network.get("package") or self.catalog is None:
            if value not in (None, ""):
                raise Invalid("the network credits no package", path="module")
            return {}
        package = next(p for p in self.catalog.packages if p.id == network["package"])
        meetings = [m for m in package.modules if m.method == "kompetansenettverk"]
        sharing = next((m for m in meetings if SHARED in m.criterion.verbs), None)
        if value in (None, ""):
            return {}
        module = next((m for m in meetings if m.id == value and m is not sharing), None)
        if module is None:
            raise Invalid(f"{value!r} is no meeting of the package {package.id}", path="module")
        found = {"activity": module.activities[0]}
        if sharing is not None:
            found["sharing_activity"] = sharing.activities[0]
        return found

    async def _known(self, region: str, people: list[str], path: str) -> dict[str, Document]:
        found = await self.people.people_by_id(people, ["name", "office", "region"])
        for index, person in enumerate(people):
            if person not in found or found[person].get("region") != region:
                raise Invalid(f"{person!r} is no one of this county", path=f"{path}[{index}]")
        return found

    async def set_members(self, viewer: Viewer, region: str, slug: str, body: object) -> Document:
        """Replace the network's members (`members`: employee ids of the county's people)."""
        network = await self._network(viewer, region, slug, run=True)
        data = body if isinstance(body, dict) else {}
        members = _people(data.get("members"), "members")
        await self._known(region, members, "members")
        await self.store.set_members(network["_id"], members)
        await self._audit(viewer, network["_id"], "members", members=len(members))
        return await self.network(viewer, region, slug)

    async def record_meeting(
        self, viewer: Viewer, region: str, slug: str, body: object, save: Save
    ) -> Document:
        """A meeting (`held_on`, `topic`) and who attended (`attended`: members' ids); each
        attendance an xAPI "attended" statement in the LRS."""
        network = await self._network(viewer, region, slug, run=True)
        data = body if isinstance(body, dict) else {}
        held_on = _day(data.get("held_on"), "held_on")
        if held_on > self.today():
            raise Invalid("a meeting cannot be recorded before it is held", path="held_on")
        topic = _text(data.get("topic"), "topic", longest=200)
        attended = _people(data.get("attended", []), "attended")
        for index, person in enumerate(attended):
            if person not in network["members"]:
                raise Invalid(f"{person!r} is no member of the network", path=f"attended[{index}]")
        meeting = {
            "_id": f"{network['_id']}:{held_on.isoformat()}:{_slug(topic)}",
            "network": network["_id"],
            "region": region,
            "held_on": held_on.isoformat(),
            "topic": topic,
            "attended": attended,
            "recorded_at": self.now().isoformat(timespec="seconds"),
            "recorded_by": viewer.username,
            **self._credited(network, data.get("module")),
        }
        await self.store.add_meeting(meeting)
        await save([s for p in attended for s in self._attended(network, meeting, p)])
        await self._audit(viewer, meeting["_id"], "meeting", attended=len(attended))
        return self._meeting_view(meeting, {})

    async def set_attended(
        self, viewer: Viewer, region: str, slug: str, meeting: str, body: object, save: Save
    ) -> Document:
        """Add attendance to a recorded meeting (`attended`: members' ids); attendance already
        recorded stays (its statements are in the LRS)."""
        network = await self._network(viewer, region, slug, run=True)
        held = await self._meeting(network, meeting)
        data = body if isinstance(body, dict) else {}
        attended = _people(data.get("attended"), "attended")
        if not attended:
            raise Invalid("at least one member who attended is required", path="attended")
        for index, person in enumerate(attended):
            if person not in network["members"]:
                raise Invalid(f"{person!r} is no member of the network", path=f"attended[{index}]")
        new = [p for p in attended if p not in held["attended"]]
        await self.store.set_attended(held["_id"], [*held["attended"], *new])
        await save([s for p in new for s in self._attended(network, held, p)])
        await self._audit(viewer, held["_id"], "attendance", added=len(new))
        held["attended"] = sorted({*held["attended"], *new})
        return self._meeting_view(held, {})

    async def _meeting(self, network: Document, meeting: str) -> Document:
        found = await self.store.meeting(f"{network['_id']}:{meeting}")
        if found is None:
            raise NotFound(f"no meeting {meeting!r} of the network {network['slug']}")
        return found

    def _record(self, network: Document, meeting: Document, person: str) -> Document:
        return {
            "learner": {"employee_id": person},
            "network": network["name"],
            "meeting": f"{network['name']}: {meeting['topic']}",
            "activity": meeting.get("activity") or self._iri(meeting),
            "sharing_activity": meeting.get("sharing_activity"),
            "met_on": meeting["held_on"],
        }

    def _iri(self, meeting: Document) -> str:
        """The meeting's activity IRI: the network's under the product's base, then the day
        and the topic."""
        region, slug, rest = meeting["_id"].split(":", 2)
        day, topic = rest.split(":", 1)
        return f"{self.base_iri}/activities/kompetansenettverk/{region}/{slug}/{day}/{topic}"

    def _attended(self, network: Document, meeting: Document, person: str) -> list[Document]:
        adapter = get_adapter("kompetansenettverk", base_iri=self.base_iri)
        return _own_ids(adapter.statements(self._record(network, meeting, person)), meeting)

    # -- the member's ------------------------------------------------------------------------

    async def share_back(
        self, viewer: Viewer, person: str, meeting_key: str, body: object, save: Save
    ) -> Document:
        """The member's own record that they shared a meeting they attended at their office
        (`shared_on`, `how`: one of HOW, `text`); an xAPI "shared" statement in the LRS."""
        require(may_share_back(viewer, person), f"the sharing of {person}")
        meeting = await self.store.meeting(meeting_key)
        if meeting is None or person not in meeting["attended"]:
            raise NotFound(f"{person} attended no meeting {meeting_key!r}")
        network = await self.store.network(meeting["network"])
        found = await self.people.people_by_id([person], ["office", "region"])
        if network is None or person not in found:  # pragma: no cover - kept together
            raise NotFound(f"no network of the meeting {meeting_key!r}")
        data = body if isinstance(body, dict) else {}
        shared_on = _day(data.get("shared_on"), "shared_on")
        if shared_on < date.fromisoformat(meeting["held_on"]):
            raise Invalid("the sharing is before the meeting", path="shared_on")
        if shared_on > self.today():
            raise Invalid("a sharing cannot be recorded before it happens", path="shared_on")
        how = _text(data.get("how"), "how")
        if how not in HOW:
            raise Invalid(f"one of {', '.join(HOW)}", path="how")
        text = _text(data.get("text"), "text", required=False)
        office = str(found[person]["office"])
        share = {
            "_id": f"{meeting['_id']}:{person}",
            "meeting": meeting["_id"],
            "network": network["_id"],
            "region": network["region"],
            "office": office,
            "person": person,
            "shared_on": shared_on.isoformat(),
            "how": how,
            "text": text,
            "recorded_at": self.now().isoformat(timespec="seconds"),
        }
        await self.store.share(share)
        record = {
            **self._record(network, meeting, person),
            "attended": False,
            "shared_on": shared_on.isoformat(),
            "office": office,
        }
        adapter = get_adapter("kompetansenettverk", base_iri=self.base_iri)
        statements = _own_ids(adapter.statements(record), meeting)
        for statement in statements:
            response = f"{how}: {text}" if text else how
            statement.setdefault("result", {})["response"] = response
        await save(statements)
        return _share_view(share)

    async def mine(self, viewer: Viewer) -> Document:
        """The signed-in person's networks, and each meeting they attended with their sharing."""
        if viewer.person is None:
            raise Forbidden("this account is not bound to a person")
        networks = await self.store.networks_with([viewer.person])
        return {
            "person": viewer.person,
            "networks": await self._views(networks, {viewer.person}),
        }

    # -- the views ---------------------------------------------------------------------------

    async def network(self, viewer: Viewer, region: str, slug: str) -> Document:
        found = await self._network(viewer, region, slug, run=False)
        [view] = await self._views([found], None)
        return view

    async def in_region(self, viewer: Viewer, region: str) -> list[Document]:
        """The county's networks with their members per office, meetings and sharing back."""
        await self._region(region)
        require(may_see_networks(viewer, region), f"the networks of county {region}")
        return await self._views(await self.store.networks_in(region), None)

    async def of_office(self, viewer: Viewer, office: str) -> list[Document]:
        """The networks the office's people are members of, limited to those people."""
        found = await self.people.office(office)
        if found is None:
            raise NotFound(f"no office {office!r}")
        require(may_see_office(viewer, office, found["region"]), f"office {office}")
        people = {str(p["_id"]) for p in await self.people.people_of(office=office)}
        return await self._views(await self.store.networks_with(sorted(people)), people)

    async def _views(self, networks: list[Document], only: set[str] | None) -> list[Document]:
        meetings = await self.store.meetings_of([n["_id"] for n in networks])
        shares = {
            (s["meeting"], s["person"]): s
            for s in await self.store.shares_of([m["_id"] for m in meetings])
        }
        everyone = {p for n in networks for p in n["members"]}
        people = await self.people.people_by_id(everyone, ["name", "office"])
        today = self.today()
        views = []
        for network in networks:
            members = [p for p in network["members"] if only is None or p in only]
            by_office: dict[str, list[Document]] = {}
            for person in members:
                known = people.get(person, {})
                office = str(known.get("office", ""))
                by_office.setdefault(office, []).append(
                    {"person": person, "name": known.get("name", person)}
                )
            rows = []
            for meeting in (m for m in meetings if m["network"] == network["_id"]):
                held = date.fromisoformat(meeting["held_on"])
                attendance = []
                for person in members:
                    share = shares.get((meeting["_id"], person))
                    attended = person in meeting["attended"]
                    attendance.append(
                        {
                            "person": person,
                            "name": people.get(person, {}).get("name", person),
                            "office": people.get(person, {}).get("office"),
                            "attended": attended,
                            "shared": None if share is None else _share_view(share),
                            "days_waiting": (today - held).days
                            if attended and share is None
                            else None,
                        }
                    )
                rows.append({**self._meeting_view(meeting, {}), "attendance": attendance})
            views.append(
                {
                    "id": network["slug"],
                    "region": network["region"],
                    "name": network["name"],
                    "package": network.get("package"),
                    "members": [
                        {"office": office, "people": group}
                        for office, group in sorted(by_office.items())
                    ],
                    "meetings": rows,
                    "not_shared": sum(
                        1 for r in rows for a in r["attendance"] if a["days_waiting"] is not None
                    ),
                }
            )
        return views

    def _meeting_view(self, meeting: Document, _: Document) -> Document:
        return {
            "id": meeting["_id"].split(":", 2)[2],
            "key": meeting["_id"],
            "held_on": meeting["held_on"],
            "topic": meeting["topic"],
            "attended": meeting["attended"],
            "activity": meeting.get("activity"),
        }


def _own_ids(statements: list[Document], meeting: Document) -> list[Document]:
    """Ids of the meeting's own: the adapter's come from the person and the activity, which a
    package's meeting module shares from one year's meeting to the next."""
    for statement in statements:
        person = statement["actor"]["account"]["name"]
        statement["id"] = deterministic_id(
            "network", meeting["_id"], person, statement["verb"]["id"]
        )
    return statements


def _share_view(share: Document) -> Document:
    keys = ("person", "office", "shared_on", "how", "text")
    return {k: share.get(k) for k in keys}


def table(views: list[Document]) -> tuple[list[str], list[Document]]:
    """The follow-up as rows for CSV/XLSX: one per meeting and member."""
    columns = [
        "nettverk",
        "møte",
        "dato",
        "ansatt",
        "navn",
        "kontor",
        "deltok",
        "delt",
        "hvordan",
        "dager_uten_deling",
    ]
    rows = []
    for network in views:
        for meeting in network["meetings"]:
            for a in meeting["attendance"]:
                shared = a["shared"] or {}
                rows.append(
                    {
                        "nettverk": network["name"],
                        "møte": meeting["topic"],
                        "dato": date.fromisoformat(meeting["held_on"]).strftime("%d.%m.%Y"),
                        "ansatt": a["person"],
                        "navn": a["name"],
                        "kontor": a["office"],
                        "deltok": "ja" if a["attended"] else "nei",
                        "delt": date.fromisoformat(shared["shared_on"]).strftime("%d.%m.%Y")
                        if shared
                        else "",
                        "hvordan": shared.get("how", ""),
                        "dager_uten_deling": a["days_waiting"],
                    }
                )
    return columns, rows
