"""The embedded store's durability: a snapshot plus a write-ahead journal of applied writes.

Every write that the embedded engine applies is appended to the current journal file as one
line of MongoDB extended JSON and flushed to disk (``fsync``) before the write is acknowledged.
At start the snapshot is loaded and the journals written after it are replayed in order, so a
restart or a ``kill -9`` loses nothing that was acknowledged. A torn last line (the process died
while writing it, so it was never acknowledged) is dropped.

Compaction writes a new snapshot next to the data and starts a new journal generation:

    snapshot.json          {"generation": N, "collections": {...}}  covers journals <= N
    journal-<N+1>.jsonl    writes after the snapshot

A snapshot is written to a temporary file, synced and renamed into place, so a crash at any
point leaves either the old snapshot with its journals or the new one.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from bson import json_util

from lrs.errors import StoreUnavailable

log = logging.getLogger(__name__)

_JOURNAL = re.compile(r"journal-(\d+)\.jsonl")
_JSON_OPTIONS = json_util.JSONOptions(
    json_mode=json_util.JSONMode.CANONICAL, tz_aware=True, tzinfo=None
)


def _dumps(value: Any) -> str:
    """Extended JSON, fast: the C encoder, with bson's converter only for non-JSON values."""
    return json.dumps(
        value,
        default=lambda v: json_util.default(v, json_options=_JSON_OPTIONS),
        separators=(",", ":"),
        ensure_ascii=False,
    )


def _loads(raw: str | bytes) -> Any:
    return json.loads(
        raw, object_hook=lambda d: json_util.object_hook(d, json_options=_JSON_OPTIONS)
    )


class Journal:
    """Append-only journal files and the snapshot in one data directory (held under a lock)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._lock_file = (directory / "LOCK").open("a")
        try:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            self._lock_file.close()
            raise StoreUnavailable(
                f"the embedded store in {directory} is in use by another process "
                "(is the server running? stop it first, or use a MongoDB URI)"
            ) from exc
        self._file: IO[str] | None = None
        self._appended = 0  # operations appended so far
        self._synced = 0  # operations known to be on disk
        self._syncing: asyncio.Future[None] | None = None
        self._generation = 0
        self._writes_since_snapshot = 0

    # -- reading at start -------------------------------------------------------------------

    def load(self) -> tuple[dict[str, list[dict[str, Any]]], Iterator[dict[str, Any]]]:
        """The snapshot's collections and the journal's operations after it, in order."""
        snapshot_path = self.directory / "snapshot.json"
        collections: dict[str, list[dict[str, Any]]] = {}
        covered = 0
        if snapshot_path.exists():
            snapshot = _loads(snapshot_path.read_text("utf-8"))
            covered = int(snapshot["generation"])
            collections = snapshot["collections"]
        generations = sorted(g for g in self._generations() if g > covered)
        self._generation = max([covered + 1, *generations])
        return collections, self._replay(generations)

    def _generations(self) -> list[int]:
        found = []
        for path in self.directory.iterdir():
            match = _JOURNAL.fullmatch(path.name)
            if match:
                found.append(int(match.group(1)))
        return found

    def _replay(self, generations: list[int]) -> Iterator[dict[str, Any]]:
        for generation in generations:
            path = self._path(generation)
            good = 0
            with path.open("rb") as handle:
                for raw in handle:
                    if not raw.endswith(b"\n"):
                        log.warning("dropping a torn, unacknowledged write at the end of %s", path)
                        break
                    try:
                        operation = _loads(raw)
                    except ValueError:
                        log.warning("dropping an unreadable write at the end of %s", path)
                        break
                    good += len(raw)
                    self._writes_since_snapshot += 1
                    yield operation
            if good != path.stat().st_size:
                with path.open("r+b") as handle:
                    handle.truncate(good)

    def _path(self, generation: int) -> Path:
        return self.directory / f"journal-{generation}.jsonl"

    # -- writing ------------------------------------------------------------------------------

    def append(self, operation: dict[str, Any]) -> None:
        """Write one applied operation; call `sync` before acknowledging it."""
        if self._file is None:
            self._file = self._path(self._generation).open("a", encoding="utf-8")
            _sync_directory(self.directory)
        self._file.write(_dumps(operation) + "\n")
        self._file.flush()
        self._writes_since_snapshot += 1
        self._appended += 1

    async def sync(self) -> None:
        """Make every operation appended so far durable.

        Group commit: while one fsync runs, writers that appended after it started wait for it
        and then share the next one, so concurrent requests do not each pay for their own.
        """
        target = self._appended
        while self._synced < target and self._file is not None:
            if self._syncing is None:
                self._syncing = asyncio.ensure_future(self._fsync(self._file, self._appended))
            await asyncio.shield(self._syncing)

    async def _fsync(self, file: IO[str], covered: int) -> None:
        try:
            await asyncio.to_thread(os.fsync, file.fileno())
            self._synced = max(self._synced, covered)
        finally:
            self._syncing = None

    @property
    def writes_since_snapshot(self) -> int:
        return self._writes_since_snapshot

    def snapshot(self, collections: dict[str, list[dict[str, Any]]]) -> None:
        """Write a snapshot of every collection and start a new journal generation."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._synced = self._appended
            self._file.close()
            self._file = None
        covered = self._generation
        temporary = self.directory / "snapshot.json.tmp"
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(_dumps({"generation": covered, "collections": collections}))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / "snapshot.json")
        _sync_directory(self.directory)
        self._generation = covered + 1
        for generation in self._generations():
            if generation <= covered:
                self._path(generation).unlink()
        self._writes_since_snapshot = 0

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._synced = self._appended
            self._file.close()
            self._file = None
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
