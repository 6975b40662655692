"""Competence networks' storage (`catalog._networks`), through the store seam:

networks          {_id: "<region>:<slug>", region, slug, name, members: [employee id],
                   created_at, created_by}
network_meetings  {_id: "<network>:<held_on>:<slug of topic>", network, region, held_on (ISO
                   day), topic, attended: [employee id], recorded_at, recorded_by}
network_shares    {_id: "<meeting>:<person>", meeting, network, region, office, person,
                   shared_on (ISO day), how, text, recorded_at}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from catalog.errors import Conflict
from lrs.store import Database

Document = dict[str, Any]


class NetworkStore:
    """The networks, their meetings and the members' sharing back, through the store seam."""

    def __init__(self, database: Database) -> None:
        self.networks = database["networks"]
        self.meetings = database["network_meetings"]
        self.shares = database["network_shares"]

    async def create_indexes(self) -> None:
        await self.networks.create_index([("region", 1), ("slug", 1)], unique=True)
        await self.networks.create_index([("members", 1)])
        await self.meetings.create_index([("network", 1), ("held_on", -1)])
        await self.meetings.create_index([("attended", 1)])
        await self.shares.create_index([("meeting", 1), ("person", 1)], unique=True)
        await self.shares.create_index([("person", 1)])

    async def create(self, region: str, slug: str, name: str, by: str, at: datetime) -> Document:
        document = {
            "_id": f"{region}:{slug}",
            "region": region,
            "slug": slug,
            "name": name,
            "members": [],
            "created_at": at.isoformat(timespec="seconds"),
            "created_by": by,
        }
        try:
            await self.networks.insert_one(document)
        except DuplicateKeyError:
            raise Conflict(f"the network {slug} of {region} exists already") from None
        return document

    async def network(self, key: str) -> Document | None:
        found: Document | None = await self.networks.find_one({"_id": key})
        return found

    async def networks_in(self, region: str) -> list[Document]:
        return await self.networks.find({"region": region}).sort([("name", 1)]).to_list()

    async def networks_with(self, people: list[str]) -> list[Document]:
        found = self.networks.find({"members": {"$in": sorted(set(people))}})
        return await found.sort([("name", 1)]).to_list()

    async def set_members(self, key: str, members: list[str]) -> None:
        await self.networks.update_one({"_id": key}, {"$set": {"members": sorted(set(members))}})

    async def add_meeting(self, meeting: Document) -> Document:
        try:
            await self.meetings.insert_one(meeting)
        except DuplicateKeyError:
            raise Conflict(f"the meeting {meeting['_id']} exists already") from None
        return meeting

    async def meeting(self, key: str) -> Document | None:
        found: Document | None = await self.meetings.find_one({"_id": key})
        return found

    async def meetings_of(self, networks: list[str]) -> list[Document]:
        found = self.meetings.find({"network": {"$in": sorted(set(networks))}})
        return await found.sort([("held_on", -1)]).to_list()

    async def set_attended(self, key: str, attended: list[str]) -> None:
        await self.meetings.update_one({"_id": key}, {"$set": {"attended": sorted(set(attended))}})

    async def share(self, share: Document) -> Document:
        """A member's sharing back of a meeting; Conflict if they recorded it already."""
        try:
            await self.shares.insert_one(share)
        except DuplicateKeyError:
            raise Conflict(f"{share['person']} has shared {share['meeting']} already") from None
        return share

    async def shares_of(self, meetings: list[str]) -> list[Document]:
        return await self.shares.find({"meeting": {"$in": sorted(set(meetings))}}).to_list()
