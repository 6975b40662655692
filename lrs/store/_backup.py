"""Backing up and restoring the embedded store's data directory.

A backup is taken while the server runs, without its lock: the snapshot is replaced only by an
atomic rename and journals are only appended to, so a copy of the snapshot and the journals
after it is a consistent state (a torn last line is dropped when the copy is opened, as after a
crash). If a compaction renames a snapshot or removes a journal while the files are copied, the
copy is taken again. The backup is itself a data directory: it is opened once to check it, and
can be served as it is (``KOMPETANSE_DATA_DIR``) or restored.

A restore needs the store to itself (the server stopped): it takes the directory's lock, moves
the files it replaces into ``replaced-<time>/`` beside them, and copies the backup in.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lrs.errors import StoreUnavailable
from lrs.store._journal import make_private, private_open, sync_directory

_DATA_FILE = re.compile(r"snapshot\.(bson|json)|journal-(\d+)\.jsonl")
_ATTEMPTS = 20


class BackupFailed(StoreUnavailable):
    """The backup or restore could not be made (the message says why and what to do)."""


@dataclass(frozen=True)
class Backup:
    directory: Path
    files: int
    bytes: int


def data_files(directory: Path) -> list[Path]:
    """The store's files in the order a copy must take them: snapshots, then journals."""
    found = []
    for path in directory.iterdir():
        match = _DATA_FILE.fullmatch(path.name)
        if match:
            found.append(((0, 0) if match.group(1) else (1, int(match.group(2))), path))
    return [path for _, path in sorted(found)]


def _identity(paths: list[Path]) -> list[tuple[str, int]]:
    identity = []
    for path in paths:
        try:
            identity.append((path.name, path.stat().st_ino))
        except FileNotFoundError:
            identity.append((path.name, -1))
    return identity


def backup(data_dir: Path, destination: Path) -> Backup:
    """Copy the store in `data_dir` into the new directory `destination`, while it is in use."""
    if not data_dir.is_dir() or not data_files(data_dir):
        raise BackupFailed(f"{data_dir} holds no embedded store to back up")
    if destination.exists() and any(destination.iterdir()):
        raise BackupFailed(f"{destination} is not empty: back up into a new directory")
    make_private(destination)
    for _ in range(_ATTEMPTS):
        for stale in destination.iterdir():
            stale.unlink()
        files = data_files(data_dir)
        before = _identity(files)
        try:
            copied = [_copy(path, destination / path.name) for path in files]
        except FileNotFoundError:
            continue  # a compaction removed a journal meanwhile: copy again
        if _identity(data_files(data_dir)) == before:
            sync_directory(destination)
            return Backup(destination, len(copied), sum(copied))
    raise BackupFailed(f"{data_dir} kept changing while it was copied; try again")


def restore(backup_dir: Path, data_dir: Path) -> Path | None:
    """Replace the store in `data_dir` by the backup; return where the replaced files went."""
    files = data_files(backup_dir) if backup_dir.is_dir() else []
    if not files:
        raise BackupFailed(f"{backup_dir} holds no backup of the embedded store")
    make_private(data_dir)
    with private_open(data_dir / "LOCK", "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BackupFailed(
                f"the embedded store in {data_dir} is in use (is the server running? "
                "stop it before restoring)"
            ) from exc
        replaced = data_files(data_dir)
        aside = None
        if replaced:
            aside = data_dir / f"replaced-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
            aside.mkdir(mode=0o700)
            for path in replaced:
                path.rename(aside / path.name)
        for path in files:
            _copy(path, data_dir / path.name)
        sync_directory(data_dir)
    return aside


def _copy(source: Path, target: Path) -> int:
    with source.open("rb") as reading, private_open(target, "wb") as writing:
        shutil.copyfileobj(reading, writing, 1024 * 1024)
        writing.flush()
        os.fsync(writing.fileno())
        return writing.tell()
