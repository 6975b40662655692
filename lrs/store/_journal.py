"""The embedded store's durability: a snapshot plus a write-ahead journal of applied writes.

Every write that the embedded engine applies is appended to the current journal file as one
line of MongoDB extended JSON and flushed to disk (``fsync``) before the write is acknowledged.
At start the snapshot is loaded and the journals written after it are replayed in order, so a
restart or a ``kill -9`` loses nothing that was acknowledged. A torn last line (the process died
while writing it, so it was never acknowledged) is dropped.

Compaction starts a new journal generation, then writes a snapshot of the documents as they
were at that moment (in a thread: see :mod:`lrs.store._embedded`):

    snapshot.bson          BSON documents one after another: {"generation": N}, then for each
                           collection {"ns": name, "count": k} and its k documents;
                           covers journals <= N
    journal-<N+1>.jsonl    writes after the snapshot

BSON, not JSON, because it is read back at C speed (a start with 200 000 statements). A snapshot
is written to a temporary file, synced and renamed into place, so a crash at any point leaves
either the old snapshot with its journals or the new one. (``snapshot.json``, the one JSON
document earlier versions wrote, is still read when there is no ``snapshot.bson``.)
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import bson
from bson import json_util
from bson.codec_options import CodecOptions

from lrs.errors import StoreUnavailable

log = logging.getLogger(__name__)

_JOURNAL = re.compile(r"journal-(\d+)\.jsonl")
_SNAPSHOT, _OLD_SNAPSHOT = "snapshot.bson", "snapshot.json"
_CODEC: CodecOptions[dict[str, Any]] = CodecOptions(tz_aware=True)
_WRITE_CHUNK = 1000  # documents encoded per write of the snapshot
Snapshot = Iterator[tuple[str, Iterable[dict[str, Any]]]]
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
        make_private(directory)
        self._lock_file = private_open(directory / "LOCK", "a")
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
        self._retired: list[IO[str]] = []  # journals rotated while a sync used them

    # -- reading at start -------------------------------------------------------------------

    def load(self) -> tuple[Snapshot, Iterator[dict[str, Any]]]:
        """The snapshot's collections, (namespace, documents) one after the other, and then the
        journal's operations after it, in order (both read as they are iterated)."""
        path = self.directory / _SNAPSHOT
        covered = 0
        snapshot: Snapshot = iter(())
        if path.exists():
            handle = path.open("rb")
            documents = bson.decode_file_iter(handle, _CODEC)
            covered = int(next(documents)["generation"])
            snapshot = _collections(handle, documents)
        elif (self.directory / _OLD_SNAPSHOT).exists():
            old = _loads((self.directory / _OLD_SNAPSHOT).read_text("utf-8"))
            covered = int(old["generation"])
            snapshot = iter(old["collections"].items())
        generations = sorted(g for g in self._generations() if g > covered)
        self._generation = max([covered + 1, *generations])
        return snapshot, self._replay(generations)

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
            self._file = private_open(self._path(self._generation), "a")
            sync_directory(self.directory)
        self._file.write(_dumps(operation) + "\n")
        self._file.flush()
        self._writes_since_snapshot += 1
        self._appended += 1

    async def sync(self) -> None:
        """Make every operation appended so far durable.

        Group commit: an fsync starts after one turn of the event loop and covers what was
        appended until then; writers that append while it runs wait for it and share the next
        one, so concurrent requests do not each pay for their own.
        """
        target = self._appended
        while self._synced < target and self._file is not None:
            if self._syncing is None:
                self._syncing = asyncio.ensure_future(self._fsync(self._file))
            await asyncio.shield(self._syncing)

    async def _fsync(self, file: IO[str]) -> None:
        try:
            # One turn of the event loop first: requests that are ready append their writes
            # and share this fsync instead of waiting for the next one.
            await asyncio.sleep(0)
            if self._file is not file:
                return  # rotated meanwhile: the rotation synced it; the writers sync anew
            covered = self._appended
            await asyncio.get_running_loop().run_in_executor(None, os.fsync, file.fileno())
            self._synced = max(self._synced, covered)
        finally:
            self._syncing = None
            while self._retired:
                self._retired.pop().close()

    @property
    def writes_since_snapshot(self) -> int:
        return self._writes_since_snapshot

    def rotate(self) -> int:
        """Start the next journal generation; returns the one a snapshot taken now covers."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._synced = self._appended
            if self._syncing is None:
                self._file.close()
            else:  # a group commit is syncing it: closed once that is done
                self._retired.append(self._file)
            self._file = None
        covered = self._generation
        self._generation = covered + 1
        self._writes_since_snapshot = 0
        return covered

    def write_snapshot(self, covered: int, collections: dict[str, list[dict[str, Any]]]) -> None:
        """Write a snapshot of `collections` covering journals up to `covered` (from `rotate`),
        then delete those journals. Safe in a thread: it touches no file the writers use."""
        temporary = self.directory / f"{_SNAPSHOT}.tmp"
        with private_open(temporary, "wb") as handle:
            handle.write(bson.encode({"generation": covered}))
            for namespace, documents in collections.items():
                handle.write(bson.encode({"ns": namespace, "count": len(documents)}))
                for start in range(0, len(documents), _WRITE_CHUNK):
                    chunk = documents[start : start + _WRITE_CHUNK]
                    handle.write(b"".join(map(bson.encode, chunk)))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.directory / _SNAPSHOT)
        sync_directory(self.directory)
        (self.directory / _OLD_SNAPSHOT).unlink(missing_ok=True)
        for generation in self._generations():
            if generation <= covered:
                self._path(generation).unlink(missing_ok=True)

    def close(self) -> None:
        while self._retired:
            self._retired.pop().close()
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._synced = self._appended
            self._file.close()
            self._file = None
        fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        self._lock_file.close()


def _collections(handle: IO[bytes], documents: Iterator[dict[str, Any]]) -> Snapshot:
    with handle:
        for header in documents:
            count = int(header["count"])
            yield str(header["ns"]), (next(documents) for _ in range(count))


def make_private(directory: Path) -> None:
    """Create `directory` owner-only (0700), or make it and every file in it owner-only (0600):
    the store holds people, e-mail addresses and password and secret hashes. A looser mode
    found at start is tightened and logged."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for path in [directory, *directory.iterdir()]:
        wanted = 0o700 if path.is_dir() else 0o600
        mode = path.stat().st_mode & 0o777
        if mode & ~wanted:
            log.warning("%s was mode %o, readable by others: now %o", path, mode, wanted)
            path.chmod(wanted)


def private_open(path: Path, mode: str) -> IO[Any]:
    """Open a file for writing, created owner-only (0600) whatever the umask."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    descriptor = os.open(path, flags, 0o600)
    if "b" in mode:
        return os.fdopen(descriptor, mode)
    return os.fdopen(descriptor, mode, encoding="utf-8")


def sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
