"""A MongoDB wire-protocol server for the tests: the real `AsyncMongoClient` path, no mongod.

MockupDB frames the protocol; each command runs on an in-memory mongomock database and is
answered in mongod's reply shapes (see `_server.py` for what is and is not emulated).
"""

from tests.wire._server import WireServer

__all__ = ["WireServer"]
