"""The `kompetanse` command: serve the product, manage credentials."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any

from kompetanse import cli_catalog
from kompetanse.database import credential_store, open_database
from kompetanse.settings import Settings
from lrs.errors import LrsError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        result: int = args.run(args, settings)
    except LrsError as exc:
        print(f"kompetanse: {exc.message}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"kompetanse: {exc}", file=sys.stderr)
        return 2
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kompetanse", description="Learning record store for competence development."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the server (LRS at /xapi)")
    serve.add_argument("--host", help="address to listen on (KOMPETANSE_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (KOMPETANSE_PORT)")
    serve.set_defaults(run=_serve)

    credentials = commands.add_parser("credentials", help="manage LRS credentials")
    actions = credentials.add_subparsers(required=True, metavar="ACTION")
    add = actions.add_parser("add", help="create a credential and print its key and secret")
    add.add_argument(
        "--scope",
        action="append",
        required=True,
        dest="scopes",
        help="an xAPI scope (repeat): statements/write, statements/read, "
        "statements/read/mine, all/read, all, state, define, profile",
    )
    add.add_argument("--key", help="the key (generated if not given)")
    add.add_argument("--secret", help="the secret (generated if not given)")
    add.add_argument("--label", default="", help="who or what uses it")
    add.add_argument(
        "--agent", help='the agent it writes as, JSON, e.g. \'{"mbox": "mailto:a@nav.no"}\''
    )
    add.set_defaults(run=_add)
    listing = actions.add_parser("list", help="list credentials (never their secrets)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=_list)
    revoke = actions.add_parser("revoke", help="delete a credential")
    revoke.add_argument("key")
    revoke.set_defaults(run=_revoke)
    cli_catalog.register(commands)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from kompetanse.app import create_app

    if args.host:
        settings.host = args.host
    if args.port is not None:
        settings.port = args.port
    print(f"kompetanse: LRS at http://{settings.host}:{settings.port}/xapi", flush=True)
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level
    )
    return 0


def _add(args: argparse.Namespace, settings: Settings) -> int:
    agent = None
    if args.agent:
        from lrs.model import validate_agent

        agent = json.loads(args.agent)
        validate_agent(agent, version="1.0.3", path="--agent")

    async def add() -> tuple[Any, str]:
        async with open_database(settings) as database:
            return await credential_store(database, settings).add(
                scopes=args.scopes, key=args.key, secret=args.secret, label=args.label, agent=agent
            )

    credential, secret = asyncio.run(add())
    print(
        f"key:    {credential.key}\nsecret: {secret}\nscopes: {' '.join(sorted(credential.scopes))}"
    )
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def listing() -> list[Any]:
        async with open_database(settings) as database:
            return await credential_store(database, settings).list()

    found = asyncio.run(listing())
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "key": c.key,
                        "scopes": sorted(c.scopes),
                        "label": c.label,
                        "agent": c.agent,
                        "created": c.created,
                    }
                    for c in found
                ],
                indent=2,
            )
        )
        return 0
    for c in found:
        print(f"{c.key}\t{','.join(sorted(c.scopes))}\t{c.label}\t{c.created}")
    return 0


def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def revoke() -> bool:
        async with open_database(settings) as database:
            return await credential_store(database, settings).revoke(args.key)

    if not asyncio.run(revoke()):
        print(f"kompetanse: no credential with key {args.key}", file=sys.stderr)
        return 1
    print(f"revoked {args.key}")
    return 0
