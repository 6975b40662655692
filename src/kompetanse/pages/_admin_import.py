"""The HR import by upload (administrators only): the same CSV or XLSX export that
`kompetanse import people` takes, sent by a file form (multipart/form-data, read with the
LRS's own multipart reader: no python-multipart needed). First a dry run: every row's
problems, and what the import would do (new people, updated, unchanged, and the people of the
offices the file covers who are not in it: leaving, which the import does not remove); then,
when the file has no problem, a confirmation imports it. New offices are an error unless the
form accepts them deliberately, as the command line's `--accept-new-offices`.

Between the dry run and the confirmation the checked records wait in the database
(`hr_uploads`, bound to the administrator who uploaded them) for at most an hour; the
confirmation imports them and removes them.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from catalog._access import Viewer
from catalog._deps import ReportsDep
from catalog._people import ParsedExport, PersonRecord, RowProblem, check_known, read_export
from catalog._reports import Reports
from catalog._store import ImportResult
from catalog.errors import Invalid
from kompetanse.pages._admin_accounts import admin_form, guard, page
from kompetanse.pages._i18n import Language, text, words
from kompetanse.pages._web import PageRoute, ViewerDep, check_csrf, csrf_seed, language
from lrs.api._multipart import parse_multipart
from lrs.errors import LrsError

router = APIRouter(route_class=PageRoute, include_in_schema=False)
KEPT = timedelta(hours=1)
BATCH = 100
SHOWN = 500  # rows of each list shown on the dry run's page


@dataclass
class Plan:
    """What an import of the file would do, and what stops it."""

    problems: list[RowProblem] = field(default_factory=list)
    new: list[PersonRecord] = field(default_factory=list)
    updated: list[PersonRecord] = field(default_factory=list)
    unchanged: int = 0
    leaving: list[dict[str, Any]] = field(default_factory=list)
    new_offices: list[str] = field(default_factory=list)


async def plan(parsed: ParsedExport, reports: Reports, *, accept_new_offices: bool) -> Plan:
    store = reports.store
    offices = await store.office_ids()
    problems = parsed.problems + check_known(
        parsed,
        {role.id for role in reports.catalog.roles},
        offices,
        accept_new_offices=accept_new_offices,
    )
    result = Plan(problems=sorted(problems, key=lambda p: (p.row, p.column)))
    ids = [r.employee_id for r in parsed.records]
    current = {
        employee_id: doc.get("fingerprint")
        for employee_id, doc in (await store.people_by_id(ids, ("fingerprint",))).items()
    }
    for record in parsed.records:
        if record.employee_id not in current:
            result.new.append(record)
        elif current[record.employee_id] != record.fingerprint():
            result.updated.append(record)
        else:
            result.unchanged += 1
    covered = sorted({r.office for r in parsed.records} & offices)
    listed = set(ids)
    result.leaving = [
        {"employee_id": doc["_id"], "name": doc.get("name", ""), "office": doc["office"]}
        for doc in await store.people_in_offices(covered, ("name", "office"))
        if doc["_id"] not in listed
    ]
    result.new_offices = sorted({r.office for r in parsed.records} - offices)
    return result


class Uploads:
    """Checked records waiting for their confirmation, keyed by the SHA-256 of a random token
    the administrator's form carries."""

    def __init__(self, request: Request) -> None:
        self.collection = request.app.state.services.database["hr_uploads"]

    async def purge(self) -> None:
        """Remove the uploads older than an hour (each visit to the import page does)."""
        oldest = (datetime.now(UTC) - KEPT).isoformat()
        await self.collection.delete_many({"created": {"$lt": oldest}})

    async def keep(
        self, viewer: Viewer, name: str, records: list[PersonRecord], accept: bool
    ) -> str:
        await self.purge()
        now = datetime.now(UTC)
        token = secrets.token_urlsafe(24)
        await self.collection.insert_one(
            {
                "_id": _digest(token),
                "by": viewer.username,
                "name": name,
                "accept_new_offices": accept,
                "records": [r.model_dump(mode="json") for r in records],
                "created": now.isoformat(),
            }
        )
        return token

    async def take(self, viewer: Viewer, token: str) -> dict[str, Any] | None:
        """The upload of this token if this administrator made it within the hour."""
        found: dict[str, Any] | None = await self.collection.find_one({"_id": _digest(token)})
        oldest = (datetime.now(UTC) - KEPT).isoformat()
        if found is None or found["by"] != viewer.username or found["created"] < oldest:
            return None
        return found

    async def forget(self, token: str) -> None:
        await self.collection.delete_one({"_id": _digest(token)})


PATTERNS = {  # a column whose value does not match its pattern -> what it should be
    "employee_id": ("1–20 bokstaver og tall", "1–20 letters and digits"),
    "email": ("ikke en e-postadresse", "not an e-mail address"),
    "office": (
        "små bokstaver, tall og bindestrek (som nav-sagene)",
        "lower-case letters, digits and hyphens (as nav-sagene)",
    ),
    "region": (
        "små bokstaver, tall og bindestrek (som oslo)",
        "lower-case letters, digits and hyphens (as oslo)",
    ),
}
MESSAGES = [  # the import's messages (catalog._people, in English) -> bokmål
    (re.compile(r"^required, but empty$"), "påkrevd, men tom"),
    (re.compile(r"^not a column of the export$"), "ikke en kolonne i eksporten"),
    (re.compile(r"^(\S+) is also on row (\d+)$"), r"\1 står også på rad \2"),
    (
        re.compile(r"^no role '(.+)' in the catalog \(roles.yaml\)$"),
        r"rollen «\1» finnes ikke i katalogen",
    ),
    (
        re.compile(r"^no office '(.+)' is known; .*$"),
        r"kontoret «\1» er ikke kjent; kryss av for å opprette nye kontorer",
    ),
    (
        re.compile(r"^a date as .*, not '(.*)'$"),
        r"en dato som dd.mm.åååå eller åååå-mm-dd, ikke «\1»",
    ),
    (re.compile(r"^'(.+)' is not a day of the calendar.*$"), r"«\1» er ingen dag i kalenderen"),
    (
        re.compile(r"^Input should be 'state' or 'municipal'$"),
        "«state» (stat) eller «municipal» (kommune)",
    ),
]


def row_message(problem: RowProblem, lang: Language) -> str:
    """A row's problem in the page's language (the import's own messages are English)."""
    if problem.message.startswith("String should match pattern") and problem.column in PATTERNS:
        nb, en = PATTERNS[problem.column]
        return nb if lang == "nb" else en
    if lang == "en":
        return problem.message
    for pattern, replacement in MESSAGES:
        if pattern.match(problem.message):
            return pattern.sub(replacement, problem.message)
    return problem.message


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def render(request: Request, viewer: Viewer, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("problems", {})
    done = request.query_params
    lang = language(request)
    counts = [done.get(k, "") for k in ("ny", "endret", "uendret")]
    if done.get("importert") and all(count.isdigit() for count in counts):
        context["confirmation"] = text(
            "imp_done", lang, **dict(zip(("new", "updated", "same"), counts, strict=True))
        )
    return page(
        request,
        "admin_import.html",
        viewer,
        status_code,
        shown=SHOWN,
        row_message=lambda problem: row_message(problem, lang),
        **context,
    )


@router.get("/admin/import")
async def import_page(request: Request, viewer: ViewerDep) -> Response:
    guard(viewer, request)
    await Uploads(request).purge()
    return render(request, viewer)


async def upload_fields(request: Request) -> tuple[dict[str, str], tuple[str, bytes] | None]:
    """The multipart form's text fields, and its file (name, content) if one was chosen."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise Invalid(text("imp_not_multipart", language(request)))
    try:
        parts = parse_multipart(await request.body(), content_type)
    except LrsError as exc:
        raise Invalid(exc.message) from exc
    fields: dict[str, str] = {}
    upload = None
    for part in parts:
        disposition = _parameters(part.headers.get("content-disposition", ""))
        name = disposition.get("name", "")
        if "filename" in disposition:
            if disposition["filename"] or part.content:
                upload = (disposition["filename"], part.content)
        else:
            fields[name] = part.content.decode("utf-8", "replace")
    return fields, upload


def _parameters(header: str) -> dict[str, str]:
    found = {}
    for item in header.split(";")[1:]:
        key, _, value = item.strip().partition("=")
        found[key.strip().lower()] = value.strip().strip('"')
    return found


def read_upload(name: str, content: bytes, lang: Language) -> ParsedExport | str:
    """The upload read as the command line reads a file; a message when it cannot be."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        return text("imp_kind", lang)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"upload{suffix}"
        path.write_bytes(content)
        try:
            return read_export(path)
        except UnicodeDecodeError:
            return text("imp_not_utf8", lang)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return text("imp_unreadable", lang)


@router.post("/admin/import")
async def dry_run(request: Request, viewer: ViewerDep, reports: ReportsDep) -> Response:
    guard(viewer, request)
    if csrf_seed(request) is None:
        raise Invalid(text("csrf", language(request)))
    fields, upload = await upload_fields(request)
    check_csrf(request, fields)
    lang = language(request)
    accept = fields.get("accept_new_offices") == "ja"
    if upload is None:
        return render(
            request, viewer, 400, problems={"file": text("imp_no_file", lang)}, accept=accept
        )
    name, content = upload
    parsed = await asyncio.to_thread(read_upload, name, content, lang)
    if isinstance(parsed, str):
        return render(request, viewer, 400, problems={"file": parsed}, accept=accept)
    if not parsed.records and not parsed.problems:
        return render(
            request, viewer, 400, problems={"file": text("imp_empty", lang)}, accept=accept
        )
    found = await plan(parsed, reports, accept_new_offices=accept)
    token = None
    if not found.problems:
        token = await Uploads(request).keep(viewer, name, parsed.records, accept)
    return render(
        request,
        viewer,
        400 if found.problems else 200,
        plan=found,
        name=name,
        token=token,
        accept=accept,
        names=await reports.store.unit_names(),
    )


@router.post("/admin/import/bekreft")
async def confirm(request: Request, viewer: ViewerDep, reports: ReportsDep) -> Response:
    fields = await admin_form(viewer, request)
    lang = language(request)
    uploads = Uploads(request)
    token = fields.get("upload", "")
    upload = await uploads.take(viewer, token) if token else None
    if upload is None:
        return render(request, viewer, 400, problems={"file": text("imp_gone", lang)})
    try:
        records = [PersonRecord.model_validate(r) for r in upload["records"]]
    except ValidationError:
        await uploads.forget(token)
        return render(request, viewer, 400, problems={"file": text("imp_gone", lang)})
    parsed = ParsedExport(records, [])
    accept = bool(upload["accept_new_offices"])
    found = await plan(parsed, reports, accept_new_offices=accept)
    if found.problems:  # the store changed since the dry run (an office removed, say)
        await uploads.forget(token)
        return render(
            request, viewer, 400, plan=found, name=upload["name"], accept=accept, names={}
        )
    service = request.app.state.catalog
    total = ImportResult(0, 0, 0)
    for start in range(0, len(records), BATCH):
        result = await service.import_people(
            records[start : start + BATCH], by=viewer.username, source=upload["name"]
        )
        total = ImportResult(
            total.created + result.created,
            total.updated + result.updated,
            total.unchanged + result.unchanged,
        )
    await uploads.forget(token)
    query = f"importert=1&ny={total.created}&endret={total.updated}&uendret={total.unchanged}"
    return RedirectResponse(f"/admin/import?{query}", status_code=303)


words(
    {
        "imp_title": ("Import av personer fra HR", "Import people from HR"),
        "imp_intro": (
            "Last opp HR-eksporten (CSV eller XLSX, de samme kolonnene som "
            "«kompetanse import people»). Først en prøvekjøring som viser hver rads feil og hva "
            "importen vil endre; ingenting lagres før du bekrefter.",
            "Upload the HR export (CSV or XLSX, the same columns as «kompetanse import "
            "people»). First a dry run that shows every row's problems and what the import "
            "would change; nothing is saved until you confirm.",
        ),
        "imp_file": ("Fil (.csv eller .xlsx)", "File (.csv or .xlsx)"),
        "imp_accept": (
            "Opprett kontorer som ikke finnes ennå (ellers er hvert nytt kontor en feil)",
            "Create offices not known yet (otherwise each new office is an error)",
        ),
        "imp_check": ("Prøvekjør importen", "Check the file (dry run)"),
        "imp_result": ("Prøvekjøring av {name}", "Dry run of {name}"),
        "imp_summary": (
            "Nye: {new}. Endret: {updated}. Uendret: {same}. Ikke i filen: {leaving}.",
            "New: {new}. Updated: {updated}. Unchanged: {same}. Not in the file: {leaving}.",
        ),
        "imp_errors": (
            "Feil i filen: ingenting kan importeres",
            "Problems: nothing can be imported",
        ),
        "imp_errors_caption": ("{n} feil", "{n} problems"),
        "imp_errors_caption_one": ("{n} feil", "{n} problem"),
        "imp_row": ("Rad", "Row"),
        "imp_column": ("Kolonne", "Column"),
        "imp_message": ("Feil", "Problem"),
        "imp_new": ("Nye personer", "New people"),
        "imp_updated": ("Endrede personer", "Updated people"),
        "imp_leaving": (
            "I kontorene filen dekker, men ikke i filen (slutter?)",
            "In the offices the file covers, but not in it (leaving?)",
        ),
        "imp_leaving_note": (
            "Importen fjerner ingen: slett en person under Personvern når det skal gjøres.",
            "The import removes no one: erase a person under Privacy when that is due.",
        ),
        "imp_new_offices": ("Nye kontorer som opprettes", "New offices to be created"),
        "imp_more": ("… og {n} til", "… and {n} more"),
        "imp_name": ("Navn", "Name"),
        "imp_office": ("Kontor", "Office"),
        "imp_confirm": ("Importer {n} personer", "Import {n} people"),
        "imp_confirm_one": ("Importer {n} person", "Import {n} person"),
        "imp_confirm_intro": (
            "Filen har ingen feil. Bekreft for å importere den.",
            "The file has no problems. Confirm to import it.",
        ),
        "imp_done": (
            "Importert. Nye: {new}. Endret: {updated}. Uendret: {same}.",
            "Imported. New: {new}. Updated: {updated}. Unchanged: {same}.",
        ),
        "imp_no_file": ("Velg en fil.", "Choose a file."),
        "imp_kind": ("Filen må være .csv eller .xlsx.", "The file must be .csv or .xlsx."),
        "imp_not_utf8": ("CSV-filen er ikke UTF-8.", "The CSV file is not UTF-8."),
        "imp_unreadable": (
            "Filen kan ikke leses som et regneark.",
            "The file cannot be read as a spreadsheet.",
        ),
        "imp_empty": ("Filen har ingen personer.", "The file holds no people."),
        "imp_gone": (
            "Prøvekjøringen er utløpt eller ukjent: last opp filen på nytt.",
            "The dry run has expired or is unknown: upload the file again.",
        ),
        "imp_not_multipart": (
            "Skjemaet må sendes som multipart/form-data.",
            "The form must be sent as multipart/form-data.",
        ),
    }
)
