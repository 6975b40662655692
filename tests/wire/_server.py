"""WireServer: MockupDB's framing, mongod's handshake, and one lock around every command.

MockupDB (MongoDB Inc.'s wire-protocol server library) accepts connections and parses
OP_QUERY (the driver's first handshake) and OP_MSG (everything after, with kind-1 document
sequences). The server answers `hello`/`isMaster` as a replica-set primary of `rs0` (with
$clusterTime and operationTime on every reply) or as a standalone, replays a retryable write
by (lsid, txnNumber) instead of applying it twice, refuses transactions (code 20), and hands
every other command to `Commands`. No `topologyVersion` is announced, so the driver polls
instead of streaming `hello` (which MockupDB cannot answer). MockupDB serves each connection
in a thread of its own; one lock runs one command at a time, and mongomock hands out copies of
its documents, so neither a reply nor an open cursor shares a stored document.

    with WireServer() as server:
        client = AsyncMongoClient(server.uri, tz_aware=True)
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
import threading
import time
import traceback
from collections import OrderedDict
from typing import Any

import bson
import mockupdb
from bson import Int64, ObjectId
from bson.timestamp import Timestamp
from mockupdb import OP_MSG_FLAGS, MockupDB, OpMsg

from tests.wire._commands import Commands
from tests.wire._errors import CommandError

# MockupDB draws each reply's id from the `random` module; its threads would then change the
# global random state while a test draws from it (Hypothesis refuses strategies that see that).
# Its own generator keeps the tests' random state theirs.
mockupdb.random = random.Random()  # type: ignore[attr-defined]

Document = dict[str, Any]
RETRYABLE = ("insert", "update", "delete", "findAndModify")
_REMEMBERED_WRITES = 10_000


class WireServer:
    """A MongoDB server on 127.0.0.1 (`port` 0: a free port), served from this process's threads."""

    def __init__(self, port: int = 0, *, replica_set: bool = True) -> None:
        self.replica_set = replica_set
        self.commands = Commands()
        self._mockup = MockupDB(port=port or None, request_timeout=3600)
        self._mockup.autoresponds(self._handle)
        self._lock = threading.Lock()
        self._connection_ids = itertools.count(1)
        self._ticks = itertools.count(1)
        self._replies: OrderedDict[tuple[bytes, int], Document] = OrderedDict()

    @property
    def port(self) -> int:
        return int(self._mockup.port)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def uri(self) -> str:
        """The URI a driver connects with (as a replica-set member or directly)."""
        option = "replicaSet=rs0" if self.replica_set else "directConnection=true"
        return f"mongodb://{self.address}/?{option}"

    def start(self) -> WireServer:
        self._mockup.run()
        return self

    def stop(self) -> None:
        self._mockup.stop()

    def __enter__(self) -> WireServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- one request ----------------------------------------------------------------------------

    def _handle(self, request: Any) -> bool:
        command = dict(request.doc)
        with self._lock:
            reply = self._answer(command)
        if self.replica_set:
            now = Timestamp(int(time.time()), next(self._ticks) % 2**31)
            reply["$clusterTime"] = {
                "clusterTime": now,
                "signature": {"hash": bson.Binary(bytes(20)), "keyId": Int64(0)},
            }
            reply["operationTime"] = now
        unacknowledged = isinstance(request, OpMsg) and request.flags & OP_MSG_FLAGS["moreToCome"]
        if not unacknowledged:
            request.replies(reply)
        return True

    def _answer(self, command: Document) -> Document:
        name = next(iter(command), "")
        try:
            if name in ("hello", "isMaster", "ismaster"):
                return self._hello(name)
            if "startTransaction" in command or "autocommit" in command:
                raise CommandError(20, "the wire test server does not emulate transactions")
            return {**self._replayed_or_run(name, command), "ok": 1.0}
        except CommandError as exc:
            return exc.reply()
        except Exception as exc:  # a gap in the test server or in mongomock: say so loudly
            traceback.print_exc(file=sys.stderr)
            return CommandError(8000, f"wire test server: {name} failed: {exc!r}").reply()

    def _replayed_or_run(self, name: str, command: Document) -> Document:
        """A retried write answers with the reply it first had, not by writing again."""
        if name not in RETRYABLE or "txnNumber" not in command or "lsid" not in command:
            return self.commands.run(command.get("$db", "admin"), name, command)
        key = (bytes(command["lsid"]["id"]), int(command["txnNumber"]))
        if key not in self._replies:
            self._replies[key] = self.commands.run(command["$db"], name, command)
            if len(self._replies) > _REMEMBERED_WRITES:
                self._replies.popitem(last=False)
        return dict(self._replies[key])

    def _hello(self, name: str) -> Document:
        primary = "isWritablePrimary" if name == "hello" else "ismaster"
        reply: Document = {
            primary: True,
            "helloOk": True,
            "maxBsonObjectSize": 16 * 1024 * 1024,
            "maxMessageSizeBytes": 48_000_000,
            "maxWriteBatchSize": 100_000,
            "localTime": dt.datetime.now(dt.UTC),
            "logicalSessionTimeoutMinutes": 30,
            "connectionId": next(self._connection_ids),
            "minWireVersion": 0,
            "maxWireVersion": 21,  # MongoDB 7.0
            "readOnly": False,
            "ok": 1.0,
        }
        if self.replica_set:
            reply |= {
                "setName": "rs0",
                "setVersion": 1,
                "hosts": [self.address],
                "primary": self.address,
                "me": self.address,
                "secondary": False,
                "electionId": ObjectId("7fffffff0000000000000001"),
                "lastWrite": {
                    "opTime": {"ts": Timestamp(int(time.time()), 1), "t": Int64(1)},
                    "lastWriteDate": dt.datetime.now(dt.UTC),
                },
            }
        return reply
