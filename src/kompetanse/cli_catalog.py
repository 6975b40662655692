"""The catalog's commands: `catalog validate|rebuild|export`, `import people`, `users ...`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from kompetanse.settings import Settings


def register(commands: Any) -> None:
    """Add the catalog's commands to the `kompetanse` parser's subcommands."""
    catalog = commands.add_parser("catalog", help="the competence catalog")
    actions = catalog.add_subparsers(required=True, metavar="ACTION")
    validate = actions.add_parser("validate", help="check a catalog directory; list every error")
    validate.add_argument("path", nargs="?", type=Path, help="default: the configured catalog")
    validate.set_defaults(run=_validate)
    rebuild = actions.add_parser("rebuild", help="recompute completion from every statement")
    rebuild.set_defaults(run=_rebuild)
    unmapped = actions.add_parser(
        "unmapped", help="activities of statements that no catalog module names, with counts"
    )
    unmapped.set_defaults(run=_unmapped)
    status = actions.add_parser(
        "status", help="how far the completion projection is behind the statement log"
    )
    status.add_argument(
        "--catch-up", action="store_true", help="credit what it has not read yet, then report"
    )
    status.set_defaults(run=_status)
    export = actions.add_parser("export", help="the competence framework as CASE or Moodle")
    export.add_argument("--format", choices=["case", "moodle"], default="case")
    export.set_defaults(run=_export)
    framework = actions.add_parser(
        "import-framework", help="competence areas from a CASE JSON or Moodle CSV file"
    )
    framework.add_argument("file", type=Path, help=".json (CASE) or .csv (Moodle)")
    framework.add_argument(
        "--into", type=Path, required=True, help="catalog directory whose areas.yaml is written"
    )
    framework.set_defaults(run=_import_framework)

    people = (
        commands.add_parser("import", help="import data")
        .add_subparsers(required=True, metavar="WHAT")
        .add_parser("people", help="people from an HR export (.csv or .xlsx)")
    )
    people.add_argument("file", type=Path)
    people.add_argument(
        "--accept-new-offices",
        action="store_true",
        help="create offices the store does not know yet (otherwise each is an error)",
    )
    people.set_defaults(run=_import_people)

    demo = (
        commands.add_parser("demo", help="generated demo data")
        .add_subparsers(required=True, metavar="ACTION")
        .add_parser("load", help="load the demo set (one county, ~300 people, statements)")
    )
    demo.add_argument("--if-empty", action="store_true", help="only when no people exist yet")
    demo.set_defaults(run=_demo)

    users = commands.add_parser("users", help="web accounts").add_subparsers(
        required=True, metavar="ACTION"
    )
    add = users.add_parser("add", help="create or replace a user (password asked, or stdin)")
    add.add_argument("username")
    add.add_argument(
        "--role",
        required=True,
        choices=["learner", "representative", "leader", "coordinator", "directorate", "admin"],
    )
    add.add_argument("--person", help="employee id (the learner; optional for others)")
    add.add_argument("--office", help="office id (a leader's or representative's office)")
    add.add_argument("--region", help="county id (a coordinator's county)")
    add.add_argument("--email", help="e-mail address for the weekly reminder digests")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(run=_add_user)
    listing = users.add_parser("list", help="list users")
    listing.set_defaults(run=_list_users)
    remove = users.add_parser("remove", help="delete a user and end their sessions")
    remove.add_argument("username")
    remove.set_defaults(run=_remove_user)


def _validate(args: argparse.Namespace, settings: Settings) -> int:
    from catalog import NAV_CATALOG, CatalogInvalid, load_catalog

    directory = args.path or settings.catalog_dir or NAV_CATALOG
    try:
        catalog = load_catalog(directory)
    except CatalogInvalid as invalid:
        for problem in invalid.problems:
            print(f"{directory}/{problem}", file=sys.stderr)
        print(f"{len(invalid.problems)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"{directory}: {len(catalog.areas)} competence areas, {len(catalog.methods)} "
        f"training methods, {len(catalog.roles)} roles, {len(catalog.packages)} packages: valid"
    )
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from catalog import NAV_CATALOG, load_catalog
    from catalog._frameworks import export_case, export_moodle_csv

    catalog = load_catalog(settings.catalog_dir or NAV_CATALOG)
    if args.format == "case":
        print(json.dumps(export_case(catalog), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(export_moodle_csv(catalog))
    return 0


def _import_framework(args: argparse.Namespace, settings: Settings) -> int:
    import yaml

    from catalog._frameworks import import_case, import_moodle_csv

    text = args.file.read_text("utf-8-sig")
    try:
        areas = (
            import_case(json.loads(text))
            if args.file.suffix == ".json"
            else (import_moodle_csv(text))
        )
    except (ValueError, KeyError) as exc:
        print(f"kompetanse: {args.file}: {exc}", file=sys.stderr)
        return 1
    target = args.into / "areas.yaml"
    args.into.mkdir(parents=True, exist_ok=True)
    body = {"areas": [area.model_dump(mode="json", exclude_none=True) for area in areas]}
    target.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), "utf-8")
    print(f"wrote {len(areas)} competence areas to {target} (marked illustrative: review them)")
    return 0


async def _with_catalog(settings: Settings, work: Any) -> Any:
    """Run `work(services)` on every service, composed as the app composes them."""
    from kompetanse.services import opened

    async with opened(settings) as services:
        return await work(services)


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    async def work(services: Any) -> int:
        count: int = await services.catalog.rebuild()
        return count

    count = asyncio.run(_with_catalog(settings, work))
    print(f"rebuilt the completion projection from {count} statements")
    return 0


def _unmapped(args: argparse.Namespace, settings: Settings) -> int:
    async def work(services: Any) -> Any:
        return await services.catalog.reports.unmapped_activities()

    rows = asyncio.run(_with_catalog(settings, work))
    if not rows:
        print("every statement's activity is a catalog module's")
        return 0
    print("statements\tfirst seen\tlast seen\tactivity")
    for row in rows:
        print(f"{row['statements']}\t{row['first_seen']}\t{row['last_seen']}\t{row['activity']}")
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    async def work(services: Any) -> Any:
        if args.catch_up:
            await services.catalog.catch_up()
        return await services.catalog.lag()

    lag = asyncio.run(_with_catalog(settings, work))
    for key, value in lag.as_dict().items():
        print(f"{key}: {value}")
    return 1 if lag.behind else 0


def _import_people(args: argparse.Namespace, settings: Settings) -> int:
    from catalog._people import check_known, read_export

    parsed = read_export(args.file)

    async def work(services: Any) -> Any:
        problems = parsed.problems + check_known(
            parsed,
            {role.id for role in services.catalog.catalog.roles},
            await services.catalog.store.office_ids(),
            accept_new_offices=args.accept_new_offices,
        )
        if problems:
            return sorted(problems, key=lambda problem: problem.row)
        total = len(parsed.records)
        result = None
        for start in range(0, total, 100):
            result = _add(
                result,
                await services.catalog.import_people(
                    parsed.records[start : start + 100], by="cli", source=str(args.file.name)
                ),
            )
            done = min(start + 100, total)
            print(
                f"\rimporting people: {done}/{total} [{'#' * (30 * done // total):<30}]",
                end="",
                file=sys.stderr,
                flush=True,
            )
        print(file=sys.stderr)
        return result

    result = asyncio.run(_with_catalog(settings, work))
    if isinstance(result, list):
        for problem in result:
            print(f"{args.file}: {problem}", file=sys.stderr)
        rows = len({problem.row for problem in result})
        print(f"nothing imported: {len(result)} problem(s) in {rows} row(s)", file=sys.stderr)
        return 1
    if result is None:
        print("the file holds no people")
        return 0
    print(f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged")
    return 0


def _add(total: Any, result: Any) -> Any:
    from catalog._store import ImportResult

    if total is None:
        return result
    return ImportResult(
        total.created + result.created,
        total.updated + result.updated,
        total.unchanged + result.unchanged,
    )


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from kompetanse import demo

    async def work(services: Any) -> Any:
        if args.if_empty and await services.catalog.store.count_people():
            return None
        return await demo.load(services.catalog, services.statements, date.today())

    result = asyncio.run(_with_catalog(settings, work))
    if result is None:
        print("demo data not loaded: the store already holds people")
        return 0
    print(
        f"demo data (generated, marked '(demo)'): {result.people} people, "
        f"{result.statements} statements. Demo users for the pages:"
    )
    for username, password in result.users.items():
        print(f"  {username:18} {password}")
    return 0


def _add_user(args: argparse.Namespace, settings: Settings) -> int:
    from catalog._accounts import EMAIL

    if args.email is not None and not EMAIL.match(args.email):
        raise ValueError(f"--email: {args.email!r} is not an e-mail address")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()

    async def work(services: Any) -> Any:
        viewer = await services.catalog.accounts.add_user(
            args.username,
            password,
            args.role,
            person=args.person,
            office=args.office,
            region=args.region,
        )
        if args.email is not None:
            await services.catalog.accounts.set_email(args.username, args.email)
        return viewer

    viewer = asyncio.run(_with_catalog(settings, work))
    print(f"user {viewer.username}: {viewer.role}")
    return 0


def _list_users(args: argparse.Namespace, settings: Settings) -> int:
    async def work(services: Any) -> Any:
        return await services.catalog.accounts.list_users()

    for viewer in asyncio.run(_with_catalog(settings, work)):
        unit = viewer.office or viewer.region or ""
        print(f"{viewer.username}\t{viewer.role}\t{unit}\t{viewer.person or ''}")
    return 0


def _remove_user(args: argparse.Namespace, settings: Settings) -> int:
    async def work(services: Any) -> Any:
        return await services.catalog.accounts.remove_user(args.username)

    if not asyncio.run(_with_catalog(settings, work)):
        print(f"kompetanse: no user {args.username}", file=sys.stderr)
        return 1
    print(f"removed {args.username}")
    return 0
