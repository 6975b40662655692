"""`kompetanse backup` and `kompetanse restore`: the embedded store's data directory.

On MongoDB, back up with `mongodump` and restore with `mongorestore` (README, Storage).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from kompetanse.settings import Settings


def register(commands: Any) -> None:
    backup = commands.add_parser(
        "backup", help="copy the embedded store into a new directory (while the server runs)"
    )
    backup.add_argument("destination", type=Path, help="a new, empty directory")
    backup.set_defaults(run=_backup)
    restore = commands.add_parser(
        "restore", help="replace the embedded store by a backup (with the server stopped)"
    )
    restore.add_argument("backup", type=Path, help="a directory made by `kompetanse backup`")
    restore.set_defaults(run=_restore)


def _embedded_only(settings: Settings, command: str) -> None:
    if settings.mongodb_uri is not None:
        tool = "mongodump" if command == "backup" else "mongorestore"
        raise ValueError(
            f"{command}: KOMPETANSE_MONGODB_URI is set; use {tool} for MongoDB "
            "(see the README's Storage section)"
        )


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from lrs.store import backup

    _embedded_only(settings, "backup")
    made = backup(settings.data_dir, args.destination)
    count = asyncio.run(_count_statements(args.destination, settings))
    print(
        f"backed up {settings.data_dir} into {made.directory}: {count} statements "
        f"({made.files} files, {made.bytes} bytes)"
    )
    return 0


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from lrs.store import restore

    _embedded_only(settings, "restore")
    count = asyncio.run(_count_statements(args.backup, settings))
    aside = restore(args.backup, settings.data_dir)
    moved = f"; the files it replaced are in {aside}" if aside else ""
    print(f"restored {count} statements into {settings.data_dir}{moved}")
    return 0


async def _count_statements(directory: Path, settings: Settings) -> int:
    """Open a copy of the store (checking that it loads) and count its statements."""
    from lrs.store import PENDING, EmbeddedClient

    client = EmbeddedClient(directory)
    try:
        statements = client[settings.mongodb_database]["statements"]
        return await statements.count_documents({PENDING: {"$exists": False}})
    finally:
        await client.aclose()
