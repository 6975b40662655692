"""The `kompetanse` command: serve the product, manage credentials, emit statements.

Server-only modules (the database, uvicorn, PyMongo) are imported inside the commands that
need them, so that `kompetanse emit`, `import attendance`, `spool` and `adapters` work with the
light install (`pip install kompetanse`, no server extra).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from adapters import (
    AdapterError,
    Emitter,
    RecordInvalid,
    RemoteLrsTransport,
    Retry,
    Spool,
    default_spool_path,
    discover,
    get_adapter,
    prepare,
)
from adapters.profile import profile_text
from adapters.vocabulary import BASE_IRI
from kompetanse import cli_catalog, cli_privacy, cli_store
from kompetanse.settings import Settings
from lrs.errors import LrsError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = None if getattr(args, "client_only", False) else Settings()
        result: int = args.run(args, settings)
    except LrsError as exc:
        print(f"kompetanse: {exc.message}", file=sys.stderr)
        return 1
    except AdapterError as exc:
        print(f"kompetanse: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"kompetanse: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        # The catalog's refusals, without importing the catalog here: the light install
        # (adapters and the client commands) has no server packages, and the catalog needs them.
        errors = sys.modules.get("catalog.errors")
        if errors is None or not isinstance(exc, errors.CatalogError):
            raise
        print(f"kompetanse: {exc.message}", file=sys.stderr)
        return 1
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kompetanse", description="Learning record store for competence development."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the server (LRS at /xapi)")
    serve.add_argument("--host", help="address to listen on (KOMPETANSE_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (KOMPETANSE_PORT)")
    serve.add_argument(
        "--workers",
        type=int,
        help="server processes, on MongoDB only (KOMPETANSE_WORKERS, default 1)",
    )
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
    cli_store.register(commands)
    cli_privacy.register(commands)
    _register_emit(commands)
    _register_reminders(commands)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from kompetanse.startup import serve

    if args.host:
        settings.host = args.host
    if args.port is not None:
        settings.port = args.port
    if args.workers is not None:
        settings.workers = args.workers
    if settings.workers < 1:
        raise ValueError("--workers: at least 1")
    if settings.workers > 1 and settings.mongodb_uri is None:
        raise ValueError(
            f"--workers {settings.workers}: the embedded store belongs to one process; "
            "run one worker, or set KOMPETANSE_MONGODB_URI to serve from several"
        )
    return serve(settings)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    from kompetanse.database import credential_store, open_database

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
    from kompetanse.database import credential_store, open_database

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
    from kompetanse.database import credential_store, open_database

    async def revoke() -> bool:
        async with open_database(settings) as database:
            return await credential_store(database, settings).revoke(args.key)

    if not asyncio.run(revoke()):
        print(f"kompetanse: no credential with key {args.key}", file=sys.stderr)
        return 1
    print(f"revoked {args.key}")
    return 0


# --- reminders by e-mail ------------------------------------------------------------------------


def _register_reminders(commands: Any) -> None:
    reminders = commands.add_parser("reminders", help="reminders by e-mail").add_subparsers(
        required=True, metavar="ACTION"
    )
    send = reminders.add_parser(
        "send",
        help="send the reminders due now, each once (KOMPETANSE_SMTP_HOST; the server sends "
        "them on its own too)",
    )
    send.add_argument(
        "--dry-run", action="store_true", help="list what is due; record and send nothing"
    )
    send.set_defaults(run=_send_reminders)


def _send_reminders(args: argparse.Namespace, settings: Settings) -> int:
    from kompetanse.reminders import Round, sender
    from kompetanse.services import opened

    if not args.dry_run and settings.smtp_host is None:
        raise ValueError("set KOMPETANSE_SMTP_HOST (and KOMPETANSE_SMTP_PORT) to send e-mail")

    async def work() -> Round:
        async with opened(settings) as services:
            await services.catalog.catch_up()  # the statuses as the statements say now
            return await (await sender(services)).run_once(dry_run=args.dry_run)

    done = asyncio.run(work())
    if args.dry_run:
        due = [message for message in done.planned if message.body]  # not the empty digests
        for message in due:
            print(f"{message.kind}\t{message.to}\t{message.subject}")
        print(f"{len(due)} due (dry run: nothing recorded or sent)")
        return 0
    if not done.leased:
        print("kompetanse: another process is sending reminders now", file=sys.stderr)
        return 1
    if done.waited:
        print(f"kompetanse: {done.waited}; try again later", file=sys.stderr)
        return 1
    print(
        f"{done.sent} sent, {done.failed} failed (retried later), {done.retried} retried, "
        f"{done.skipped} with nothing to tell"
    )
    return 1 if done.failed else 0


# --- emitting statements (the light install) -----------------------------------------------------


def _register_emit(commands: Any) -> None:
    lrs = argparse.ArgumentParser(add_help=False)
    options = lrs.add_argument_group("LRS and spool")
    env = os.environ.get
    options.add_argument(
        "--lrs",
        default=env("KOMPETANSE_LRS_ENDPOINT"),
        help="xAPI endpoint (KOMPETANSE_LRS_ENDPOINT)",
    )
    options.add_argument(
        "--key", default=env("KOMPETANSE_LRS_KEY"), help="credential key (KOMPETANSE_LRS_KEY)"
    )
    options.add_argument(
        "--secret",
        default=env("KOMPETANSE_LRS_SECRET"),
        help="credential secret (KOMPETANSE_LRS_SECRET; safer than the option)",
    )
    options.add_argument(
        "--spool",
        type=Path,
        default=Path(env("KOMPETANSE_SPOOL") or default_spool_path()),
        help="where statements wait for the LRS (KOMPETANSE_SPOOL; default %(default)s)",
    )
    options.add_argument("--batch-size", type=int, default=100, help="statements per request")
    options.add_argument(
        "--attempts", type=int, default=6, help="tries per batch before leaving it spooled"
    )
    dry = argparse.ArgumentParser(add_help=False)
    dry.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and print the statements; send nothing",
    )

    emit = commands.add_parser(
        "emit",
        parents=[lrs, dry],
        help="send a file of records of one training method to the LRS",
        description="Reads every row first; sends nothing unless all are valid.",
    )
    emit.add_argument("method", help="an adapter's name (see `kompetanse adapters`)")
    emit.add_argument("file", type=Path, help=".csv, .xlsx, .json or .jsonl")
    emit.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a value for FIELD wherever a row leaves it empty (repeat)",
    )
    emit.set_defaults(run=_emit, client_only=True)

    attendance = _subcommands(commands.choices["import"]).add_parser(
        "attendance",
        parents=[lrs, dry],
        help="a course's attendance list for one session day (.csv or .xlsx)",
        description="Columns: the learner (employee_id/ident, email/e-post, name/navn), and "
        "optionally attended/møtt, completed/fullført, registered_on/påmeldt, hours/timer, "
        "office/kontor.",
    )
    attendance.add_argument("file", type=Path)
    attendance.add_argument("--course", required=True, help="the course's activity IRI")
    attendance.add_argument("--session", required=True, help="the session day, e.g. 2026-03-02")
    attendance.add_argument("--course-name", help="the course's name (nb)")
    attendance.add_argument("--hours", help="hours of teaching that day")
    attendance.add_argument(
        "--run", dest="course_run", help="which run of the course, e.g. 2026-var"
    )
    attendance.set_defaults(run=_import_attendance, client_only=True)

    spool = commands.add_parser("spool", help="statements waiting for the LRS, or refused by it")
    actions = spool.add_subparsers(required=True, metavar="ACTION")
    actions.add_parser("status", parents=[lrs], help="how many wait and were refused").set_defaults(
        run=_spool_status, client_only=True
    )
    actions.add_parser("flush", parents=[lrs], help="deliver what waits").set_defaults(
        run=_spool_flush, client_only=True
    )
    refused = actions.add_parser("rejected", parents=[lrs], help="what the LRS refused, and why")
    refused.add_argument("--json", action="store_true", help="print JSON lines, with statements")
    refused.add_argument("--forget", action="store_true", help="then delete them from the spool")
    refused.set_defaults(run=_spool_rejected, client_only=True)

    commands.add_parser("adapters", help="the adapters installed, with their fields").set_defaults(
        run=_list_adapters, client_only=True
    )
    commands.add_parser("profile", help="print the xAPI Profile (JSON-LD)").set_defaults(
        run=_print_profile, client_only=True
    )


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    """The subcommands of an existing command (`import`, made by the catalog's commands)."""
    return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _import_attendance(args: argparse.Namespace, settings: None) -> int:
    flags = {
        "course": ("--course", args.course),
        "session_date": ("--session", args.session),
        "course_name": ("--course-name", args.course_name),
        "hours": ("--hours", args.hours),
        "run": ("--run", args.course_run),
    }
    given = {field: flag for field, flag in flags.items() if flag[1] is not None}
    return _send_file("kurs-og-samlinger", args, given)


def _emit(args: argparse.Namespace, settings: None) -> int:
    given = {}
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"--set {item!r}: write FIELD=VALUE")
        given[name.strip()] = (f"--set {name.strip()}", value.strip())
    return _send_file(args.method, args, given)


def _send_file(method: str, args: argparse.Namespace, given: Mapping[str, tuple[str, Any]]) -> int:
    """`given`: field -> (the option that gave it, value), filling what rows leave empty."""
    adapter = get_adapter(method, base_iri=os.environ.get("KOMPETANSE_BASE_IRI", BASE_IRI))
    try:
        prepared = prepare(
            adapter,
            args.file,
            {field: value for field, (_, value) in given.items()},
            origins={field: option for field, (option, _) in given.items()},
        )
    except RecordInvalid as invalid:
        for problem in invalid.problems:
            print(f"{args.file}: {problem}", file=sys.stderr)
        rows = len({p.row for p in invalid.problems})
        print(f"nothing sent: {rows} row(s) of {args.file} have errors", file=sys.stderr)
        return 1
    if prepared.idle_rows:
        listed = ", ".join(map(str, prepared.idle_rows))
        print(f"row(s) {listed}: nothing to record (e.g. absent)", file=sys.stderr)
    if args.dry_run:
        for statement in prepared.statements:
            print(json.dumps(statement, ensure_ascii=False))
        print(
            f"{len(prepared.statements)} statement(s) from {prepared.rows} row(s)", file=sys.stderr
        )
        return 0
    with _emitter(args) as emitter:
        emitter.enqueue(prepared.statements)
        print(
            f"{prepared.rows} row(s) -> {len(prepared.statements)} statement(s), "
            f"spooled in {args.spool}",
            file=sys.stderr,
        )
        return _flush(emitter, args)


def _spool_flush(args: argparse.Namespace, settings: None) -> int:
    with _emitter(args) as emitter:
        return _flush(emitter, args)


def _spool_status(args: argparse.Namespace, settings: None) -> int:
    with Spool(args.spool) as spool:
        print(f"{args.spool}: {spool.pending_count()} waiting, {len(spool.rejected())} refused")
    return 0


def _spool_rejected(args: argparse.Namespace, settings: None) -> int:
    with Spool(args.spool) as spool:
        for item in spool.rejected():
            if args.json:
                print(json.dumps(item.__dict__, ensure_ascii=False))
            else:
                print(f"{item.rejected}\t{item.statement_id}\t{item.status}\t{item.message}")
        if args.forget:
            print(f"forgot {spool.forget_rejected()} refused statement(s)", file=sys.stderr)
    return 0


def _list_adapters(args: argparse.Namespace, settings: None) -> int:
    for name, adapter in discover().items():
        fields = ", ".join(adapter.record_type.model_fields)
        print(f"{name}\t{adapter.title.get('nb', '')}\t{fields}")
    return 0


def _print_profile(args: argparse.Namespace, settings: None) -> int:
    sys.stdout.write(profile_text())
    return 0


def _emitter(args: argparse.Namespace) -> Emitter:
    missing = [f"--{n}" for n in ("lrs", "key", "secret") if not getattr(args, n)]
    if missing:
        raise ValueError(
            f"{', '.join(missing)} required (or KOMPETANSE_LRS_ENDPOINT, _KEY, _SECRET)"
        )
    transport = RemoteLrsTransport(args.lrs, args.key, args.secret)
    retry = Retry(attempts=max(args.attempts, 1))
    return Emitter(transport, args.spool, batch_size=args.batch_size, retry=retry)


def _flush(emitter: Emitter, args: argparse.Namespace) -> int:
    progress = _Progress()
    delivery = emitter.flush(progress)
    progress.finish()
    for item in delivery.rejections:
        print(f"refused by the LRS ({item.status}): {item.message}", file=sys.stderr)
    print(
        f"{delivery.delivered} delivered, {delivery.rejected} refused, {delivery.pending} waiting",
        file=sys.stderr,
    )
    if delivery.problem is not None:
        print(f"kompetanse: {delivery.problem}", file=sys.stderr)
        print(
            f"the statements wait in {args.spool}: run `kompetanse spool flush` later",
            file=sys.stderr,
        )
        return 3
    if delivery.rejected:
        print("see them with `kompetanse spool rejected`", file=sys.stderr)
        return 1
    return 0


class _Progress:
    """A progress line on stderr: ``sending: 120/300 [############                  ]``."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        bar = "#" * filled + " " * (width - filled)
        print(f"\rsending: {done}/{total} [{bar}]", end="", file=sys.stderr, flush=True)
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            print(file=sys.stderr)
