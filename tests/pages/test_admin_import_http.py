"""The HR import by upload over HTTP on the demo data: the same CSV or XLSX export as
`kompetanse import people`, first a dry run (every row's problems; new, updated and the people
of the covered offices not in the file), then the confirmation that imports it; new offices
only when accepted deliberately; bad files and a missing file answered on the form (400)."""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import Workbook

from tests.pages.site import demo_app
from tests.pages.test_pages_http import csrf, main_text, signed_in

pytestmark = pytest.mark.anyio
HEADER = "employee_id,name,email,office,region,employer,start_date,roles"
GOOD = "\n".join(
    [
        HEADER,
        "D000001,Nytt Navn,demo1@demo.nav.example,nav-grunerlokka,oslo,state,01.02.2025,",
        "N000001,Ny Person,ny.person@nav.example,nav-grunerlokka,oslo,state,2026-01-05,",
    ]
)
BAD = "\n".join(
    [
        HEADER,
        "N000002,Feil Epost,ikke-en-epost,nav-sagene,oslo,state,,",
        "N000003,Ukjent Kontor,u@nav.example,nav-ny,oslo,state,01.01.2026,ingen-rolle",
    ]
)
NEW_OFFICE = "\n".join([HEADER, "N000004,Nytt Kontor,n4@nav.example,nav-ny,oslo,state,01.01.2026,"])


@pytest.fixture
async def site(demo_dir: Path, tmp_path: Path) -> AsyncIterator[FastAPI]:
    async with demo_app(demo_dir, tmp_path) as application:
        yield application


async def upload(
    http: httpx.AsyncClient, name: str, content: bytes, **fields: str
) -> httpx.Response:
    token = csrf((await http.get("/admin/import")).text)
    return await http.post(
        "/admin/import", data={"csrf": token, **fields}, files={"file": (name, content)}
    )


def upload_token(page: str) -> str:
    found = re.search(r'name="upload" value="([^"]+)"', page)
    assert found, "no confirmation form"
    return found.group(1)


async def test_a_dry_run_shows_what_would_change_and_the_confirmation_imports(
    site: FastAPI,
) -> None:
    async with signed_in(site, "admin") as http:
        dry = await upload(http, "hr.csv", GOOD.encode())
        before = await http.get("/admin/personer/N000001")
        token = upload_token(dry.text)
        imported = await http.post(
            "/admin/import/bekreft", data={"csrf": csrf(dry.text), "upload": token}
        )
        confirmed = await http.get(imported.headers["location"])
        after = await http.get("/admin/personer/N000001")
        renamed = await http.get("/admin/personer/D000001")
        twice = await http.post(
            "/admin/import/bekreft", data={"csrf": csrf(dry.text), "upload": token}
        )
        log = (await http.get("/api/audit", params={"action": "import", "format": "csv"})).text
    assert dry.status_code == 200, main_text(dry.text)
    text = main_text(dry.text)
    assert "Nye: 1. Endret: 1. Uendret: 0. Ikke i filen: 74." in text
    assert "Ny Person (N000001)" in text and "Nytt Navn (D000001)" in text
    assert "Importer 2 personer" in text
    assert before.status_code == 404  # nothing saved by the dry run
    assert imported.status_code == 303
    assert "Importert. Nye: 1. Endret: 1. Uendret: 0." in main_text(confirmed.text)
    assert after.status_code == 200 and "Ny Person" in after.text
    assert "Nytt Navn" in renamed.text
    assert twice.status_code == 400 and "last opp filen på nytt" in twice.text
    assert "demo-admin" in log and "hr.csv" in log


async def test_every_row_problem_is_listed_and_nothing_can_be_imported(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        dry = await upload(http, "hr.csv", BAD.encode())
        missing = await http.get("/admin/personer/N000002")
    assert dry.status_code == 400
    rows = re.findall(r'<tr><td class="num">(\d+)</td><td><code>([^<]+)</code></td><td>', dry.text)
    assert ("2", "email") in rows and ("2", "start_date") in rows
    assert ("3", "office") in rows and ("3", "roles") in rows
    assert "<td>påkrevd, men tom</td>" in dry.text  # the start date, in bokmål
    assert "<td>ikke en e-postadresse</td>" in dry.text
    assert "rollen «ingen-rolle» finnes ikke i katalogen" in dry.text
    assert 'name="upload"' not in dry.text  # no confirmation
    assert "Feil i filen: ingenting kan importeres" in dry.text
    assert missing.status_code == 404


async def test_new_offices_only_when_accepted_and_an_xlsx_file(site: FastAPI) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in NEW_OFFICE.split("\n"):
        sheet.append(line.split(","))
    content = io.BytesIO()
    book.save(content)
    async with signed_in(site, "admin") as http:
        refused = await upload(http, "hr.xlsx", content.getvalue())
        accepted = await upload(http, "hr.xlsx", content.getvalue(), accept_new_offices="ja")
        imported = await http.post(
            "/admin/import/bekreft",
            data={"csrf": csrf(accepted.text), "upload": upload_token(accepted.text)},
        )
        person = await http.get("/admin/personer/N000004")
    assert refused.status_code == 400 and "kontoret «nav-ny» er ikke kjent" in refused.text
    assert accepted.status_code == 200
    assert "Nye kontorer som opprettes: nav-ny" in main_text(accepted.text)
    assert imported.status_code == 303 and person.status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param(None, b"", "Velg en fil.", id="no-file"),
        pytest.param("hr.txt", b"x", "Filen må være .csv eller .xlsx.", id="wrong-kind"),
        pytest.param("hr.csv", "æøå".encode("latin-1"), "CSV-filen er ikke UTF-8.", id="latin-1"),
        pytest.param("hr.xlsx", b"not a zip", "kan ikke leses som et regneark", id="bad-xlsx"),
        pytest.param("hr.csv", HEADER.encode(), "Filen har ingen personer.", id="empty"),
    ],
)
async def test_a_bad_upload_is_answered_on_the_form(
    site: FastAPI, name: str | None, content: bytes, message: str
) -> None:
    async with signed_in(site, "admin") as http:
        token = csrf((await http.get("/admin/import")).text)
        files = {"file": (name or "", content, "application/octet-stream")}
        response = await http.post("/admin/import", data={"csrf": token}, files=files)
    assert response.status_code == 400
    assert re.search(f'id="file-error">[^<]*{re.escape(message)}', response.text)
    assert 'aria-invalid="true"' in response.text


async def test_a_confirmation_belongs_to_the_administrator_who_uploaded(site: FastAPI) -> None:
    async with signed_in(site, "admin") as http:
        dry = await upload(http, "hr.csv", GOOD.encode())
        token = upload_token(dry.text)
        forged = await http.post(
            "/admin/import/bekreft", data={"csrf": csrf(dry.text), "upload": "gjettet"}
        )
        no_csrf = await http.post("/admin/import/bekreft", data={"upload": token})
        not_multipart = await http.post("/admin/import", data={"csrf": csrf(dry.text)})
        still_missing = await http.get("/admin/personer/N000001")
        odd_query = await http.get("/admin/import", params={"importert": "1", "ny": "x"})
    assert forged.status_code == 400 and "utløpt eller ukjent" in forged.text
    assert no_csrf.status_code == 400
    assert not_multipart.status_code == 400
    assert still_missing.status_code == 404
    assert odd_query.status_code == 200 and "Importert." not in odd_query.text
