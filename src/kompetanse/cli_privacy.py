"""`kompetanse privacy export|erase`: a person's data under GDPR, from the command line.

Both run as the app runs them (`kompetanse.services.opened`) and are audited with the actor
`cli:<operating system user>`; on the embedded store, stop the server first.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from kompetanse.settings import Settings


def register(commands: Any) -> None:
    privacy = commands.add_parser("privacy", help="a person's data: export or erase (GDPR)")
    actions = privacy.add_subparsers(required=True, metavar="ACTION")
    export = actions.add_parser("export", help="everything held about a person, as JSON")
    export.add_argument("person", help="the employee id")
    export.add_argument("--out", type=Path, required=True, help="the JSON file to write (new)")
    export.set_defaults(run=_export)
    erase = actions.add_parser("erase", help="erase a person everywhere; prints the receipt")
    erase.add_argument("person", help="the employee id")
    erase.add_argument("--reason", required=True, help="why (kept in the receipt: no names)")
    erase.set_defaults(run=_erase)


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return f"cli:uid {os.getuid()}"


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from kompetanse.services import opened

    if args.out.exists():
        raise ValueError(f"--out: {args.out} exists already; name a new file")

    async def work() -> dict[str, Any]:
        async with opened(settings) as services:
            found: dict[str, Any] = await services.catalog.privacy.export(args.person, by=_actor())
            return found

    found = asyncio.run(work())
    text = json.dumps(found, ensure_ascii=False, indent=2, default=str)
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # personal data
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    print(f"wrote the data held about {args.person} to {args.out}", file=sys.stderr)
    return 0


def _erase(args: argparse.Namespace, settings: Settings) -> int:
    from kompetanse.services import opened

    async def work() -> dict[str, Any]:
        async with opened(settings) as services:
            receipt: dict[str, Any] = await services.catalog.privacy.erase(
                args.person, args.reason, by=_actor()
            )
            return receipt

    print(json.dumps(asyncio.run(work()), ensure_ascii=False, indent=2))
    return 0
