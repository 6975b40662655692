"""The emitter's durable spool: statements waiting for the LRS, in order, in an SQLite file.

SQLite from the standard library, in WAL mode with ``synchronous=FULL``: a statement is on disk
(fsynced) when `add` returns, and survives a crash or a power cut. Statements the LRS refuses
for good are moved aside with the LRS's message, for a human to read. Statements are personal
data: the spool is readable by its owner only.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters._errors import SpoolError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    added TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rejected (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    status INTEGER NOT NULL,
    message TEXT NOT NULL,
    rejected TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class Rejection:
    """A statement the LRS refused for good (400, 409, 413), with what the LRS said."""

    statement_id: str
    status: int
    message: str
    rejected: str
    statement: dict[str, Any]


def default_spool_path() -> Path:
    """Where the command line keeps its spool: the user's state directory."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state"))
    return base / "kompetanse" / "spool.sqlite3"


class Spool:
    """Statements waiting for delivery, oldest first, and statements set aside."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self.path.touch(mode=0o600, exist_ok=True)  # SQLite's -wal and -shm files follow it
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise SpoolError(f"cannot open the spool {self.path}: {exc}") from exc

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def add(self, statements: Iterable[Mapping[str, Any]]) -> int:
        """Append statements (each with an id); returns how many were new. Durable on return."""
        now = _now()
        rows = [(s["id"], json.dumps(s, ensure_ascii=False), now) for s in statements]
        with self._transaction():
            before = self._db.total_changes
            self._db.executemany(
                "INSERT OR IGNORE INTO pending (id, body, added) VALUES (?, ?, ?)", rows
            )
            return self._db.total_changes - before

    def pending(self, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """The oldest `limit` waiting statements, with their place in the queue."""
        rows = self._query("SELECT seq, body FROM pending ORDER BY seq LIMIT ?", (limit,))
        return [(seq, json.loads(body)) for seq, body in rows]

    def pending_count(self) -> int:
        return int(self._query("SELECT count(*) FROM pending", ())[0][0])

    def delivered(self, seqs: Iterable[int]) -> None:
        with self._transaction():
            self._db.executemany("DELETE FROM pending WHERE seq = ?", [(s,) for s in seqs])

    def reject(self, seq: int, status: int, message: str) -> Rejection:
        """Move one statement aside with the LRS's answer."""
        now = _now()
        with self._transaction():
            [(statement_id, body)] = self._db.execute(
                "SELECT id, body FROM pending WHERE seq = ?", (seq,)
            ).fetchall()
            self._db.execute(
                "INSERT INTO rejected (seq, id, body, status, message, rejected) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (seq, statement_id, body, status, message, now),
            )
            self._db.execute("DELETE FROM pending WHERE seq = ?", (seq,))
        return Rejection(statement_id, status, message, now, json.loads(body))

    def rejected(self) -> list[Rejection]:
        rows = self._query(
            "SELECT id, status, message, rejected, body FROM rejected ORDER BY seq", ()
        )
        return [Rejection(i, s, m, r, json.loads(b)) for i, s, m, r, b in rows]

    def forget_rejected(self) -> int:
        """Delete the statements set aside (once a human has dealt with them); how many."""
        with self._transaction():
            return self._db.execute("DELETE FROM rejected").rowcount

    @contextmanager
    def exclusive(self) -> Iterator[bool]:
        """Hold the right to deliver (one process at a time, so delivery stays in order).

        Yields False when another process holds it. POSIX only; elsewhere always True.
        """
        try:
            import fcntl
        except ImportError:  # Windows: one emitter per spool is the user's to keep
            yield True
            return
        with open(self.path.with_suffix(self.path.suffix + ".lock"), "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise SpoolError(f"the spool {self.path}: {exc}") from exc

    def _query(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            raise SpoolError(f"the spool {self.path}: {exc}") from exc


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
