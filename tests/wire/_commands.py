"""The commands the wire server answers, each on an in-memory mongomock client.

Each `command_<name>` method takes the database name and the command document and returns
mongod's reply (without `ok`), or raises CommandError. Not emulated: collation and hints
(ignored), index options other than unique, sparse, partialFilterExpression and
expireAfterSeconds (refused), query-planner limits, write concerns.
"""

from __future__ import annotations

from typing import Any

import mongomock
from mongomock.filtering import filter_applies

from tests.wire import _writes
from tests.wire._cursors import Cursors
from tests.wire._errors import CommandError

Document = dict[str, Any]
INDEX_OPTIONS = ("unique", "sparse", "partialFilterExpression", "expireAfterSeconds")


class Commands:
    def __init__(self) -> None:
        self.mongo: Any = mongomock.MongoClient()
        self.cursors = Cursors()

    def run(self, database: str, name: str, command: Document) -> Document:
        handler = getattr(self, f"command_{name}", None)
        if handler is None:
            raise CommandError(59, f"no such command: '{name}'")
        reply: Document = handler(database, command)
        return reply

    def _collection(self, database: str, command: Document, name: str) -> Any:
        return self.mongo[database][command[name]]

    def _exists(self, database: str, collection: str) -> bool:
        return collection in self.mongo[database].list_collection_names()

    # -- administration -------------------------------------------------------------------------

    def command_ping(self, database: str, command: Document) -> Document:
        return {}

    def command_buildInfo(self, database: str, command: Document) -> Document:
        return {
            "version": "7.0.0",
            "versionArray": [7, 0, 0, 0],
            "gitVersion": "kompetanse-tests-wire",
            "bits": 64,
            "maxBsonObjectSize": 16 * 1024 * 1024,
        }

    command_buildinfo = command_buildInfo

    def command_endSessions(self, database: str, command: Document) -> Document:
        return {}

    def command_listDatabases(self, database: str, command: Document) -> Document:
        names = self.mongo.list_database_names()
        if command.get("nameOnly"):
            return {"databases": [{"name": name} for name in names]}
        listed = [{"name": name, "sizeOnDisk": 0, "empty": False} for name in names]
        return {"databases": listed, "totalSize": 0}

    def command_dropDatabase(self, database: str, command: Document) -> Document:
        self.mongo.drop_database(database)
        self.cursors.forget(database)
        return {"dropped": database}

    def command_drop(self, database: str, command: Document) -> Document:
        name = command["drop"]
        indexes = len(self.mongo[database][name].index_information())
        self.mongo[database].drop_collection(name)
        self.cursors.forget(database, name)
        return {"nIndexesWas": indexes, "ns": f"{database}.{name}"}

    def command_create(self, database: str, command: Document) -> Document:
        if self._exists(database, command["create"]):
            raise CommandError(48, f"Collection {database}.{command['create']} already exists.")
        self.mongo[database].create_collection(command["create"])
        return {}

    def command_listCollections(self, database: str, command: Document) -> Document:
        entries = [
            {
                "name": name,
                "type": "collection",
                "options": {},
                "info": {"readOnly": False},
                "idIndex": {"v": 2, "key": {"_id": 1}, "name": "_id_"},
            }
            for name in sorted(self.mongo[database].list_collection_names())
        ]
        listed = [e for e in entries if filter_applies(command.get("filter") or {}, e)]
        if command.get("nameOnly"):
            listed = [{"name": e["name"], "type": e["type"]} for e in listed]
        batch_size = command.get("cursor", {}).get("batchSize")
        return self.cursors.open(f"{database}.$cmd.listCollections", listed, batch_size, False)

    # -- cursors --------------------------------------------------------------------------------

    def command_getMore(self, database: str, command: Document) -> Document:
        namespace = f"{database}.{command['collection']}"
        return self.cursors.get_more(int(command["getMore"]), namespace, command.get("batchSize"))

    def command_killCursors(self, database: str, command: Document) -> Document:
        return self.cursors.kill([int(i) for i in command.get("cursors", [])])

    # -- reads ----------------------------------------------------------------------------------

    def command_find(self, database: str, command: Document) -> Document:
        found = self._collection(database, command, "find").find(
            command.get("filter") or {}, command.get("projection") or None
        )
        if command.get("sort"):
            found = found.sort(list(command["sort"].items()))
        if command.get("skip"):
            found = found.skip(int(command["skip"]))
        limit = abs(int(command.get("limit") or 0))
        if limit:
            found = found.limit(limit)
        namespace = f"{database}.{command['find']}"
        single = bool(command.get("singleBatch"))
        return self.cursors.open(namespace, list(found), command.get("batchSize"), single)

    def command_aggregate(self, database: str, command: Document) -> Document:
        if command["aggregate"] == 1:
            raise CommandError(115, "a database-level aggregate is not emulated")
        collection = self._collection(database, command, "aggregate")
        found = list(collection.aggregate(list(command.get("pipeline", []))))
        namespace = f"{database}.{command['aggregate']}"
        return self.cursors.open(
            namespace, found, command.get("cursor", {}).get("batchSize"), False
        )

    def command_count(self, database: str, command: Document) -> Document:
        limit = {"limit": int(command["limit"])} if command.get("limit") else {}
        n = self._collection(database, command, "count").count_documents(
            command.get("query") or {}, skip=int(command.get("skip", 0)), **limit
        )
        return {"n": n}

    def command_distinct(self, database: str, command: Document) -> Document:
        collection = self._collection(database, command, "distinct")
        return {"values": collection.distinct(command["key"], command.get("query") or {})}

    # -- writes ---------------------------------------------------------------------------------

    def command_insert(self, database: str, command: Document) -> Document:
        return _writes.insert(self._collection(database, command, "insert"), command)

    def command_update(self, database: str, command: Document) -> Document:
        return _writes.update(self._collection(database, command, "update"), command)

    def command_delete(self, database: str, command: Document) -> Document:
        return _writes.delete(self._collection(database, command, "delete"), command)

    def command_findAndModify(self, database: str, command: Document) -> Document:
        collection = self._collection(database, command, "findAndModify")
        return _writes.find_and_modify(collection, command)

    command_findandmodify = command_findAndModify

    # -- indexes --------------------------------------------------------------------------------

    def command_listIndexes(self, database: str, command: Document) -> Document:
        name = command["listIndexes"]
        if not self._exists(database, name):
            raise CommandError(26, f"ns does not exist: {database}.{name}")
        listed = [
            {"v": 2, "key": dict(info["key"]), "name": index, **_options(info)}
            for index, info in self.mongo[database][name].index_information().items()
        ]
        batch_size = command.get("cursor", {}).get("batchSize")
        return self.cursors.open(f"{database}.{name}", listed, batch_size, False)

    def command_createIndexes(self, database: str, command: Document) -> Document:
        created = not self._exists(database, command["createIndexes"])
        collection = self._collection(database, command, "createIndexes")
        before = len(collection.index_information())
        for spec in command.get("indexes", []):
            _create_index(collection, spec)
        return {
            "createdCollectionAutomatically": created,
            "numIndexesBefore": before,
            "numIndexesAfter": len(collection.index_information()),
        }

    def command_dropIndexes(self, database: str, command: Document) -> Document:
        collection = self._collection(database, command, "dropIndexes")
        existing = collection.index_information()
        target = command["index"]
        names = [n for n in existing if n != "_id_"] if target == "*" else target
        for name in [names] if isinstance(names, str) else list(names):
            if name not in existing:
                raise CommandError(27, f"index not found with name [{name}]")
            collection.drop_index(name)
        return {"nIndexesWas": len(existing)}


def _create_index(collection: Any, spec: Document) -> None:
    """Create an index as mongod does: the same one again is no change, a conflicting one fails."""
    key, name = list(spec["key"].items()), spec["name"]
    requested = {k: v for k, v in spec.items() if k not in ("key", "name", "v", "background")}
    unknown = sorted(set(requested) - set(INDEX_OPTIONS))
    if unknown:
        raise CommandError(115, f"index option {unknown[0]} is not emulated")
    requested = _options(requested)
    for existing_name, info in collection.index_information().items():
        if existing_name == name and info["key"] != key:
            raise CommandError(
                86,
                f"An existing index has the same name as the requested index but different key "
                f"specs. Requested index: {spec}, existing index: {info}",
            )
        if existing_name == name and _options(info) != requested:
            raise CommandError(
                85,
                f"An equivalent index already exists with the same name but different options. "
                f"Requested index: {spec}, existing index: {info}",
            )
        if existing_name == name:
            return
        same_partial = info.get("partialFilterExpression") == requested.get(
            "partialFilterExpression"
        )
        if info["key"] == key and same_partial:
            raise CommandError(85, f"Index already exists with a different name: {existing_name}")
    try:
        collection.create_index(key, name=name, **requested)
    except mongomock.DuplicateKeyError as exc:
        raise CommandError(
            11000,
            f"Index build failed: E11000 duplicate key error collection: {collection.full_name}",
        ) from exc


def _options(info: Document) -> Document:
    """An index's options as mongod lists them (false flags left out)."""
    return {k: info[k] for k in INDEX_OPTIONS if k in info and info[k] is not False}
