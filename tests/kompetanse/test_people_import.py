"""The HR import through `kompetanse import people` and `POST /api/people`: every problem of
every row, dates in both formats, quoted JSON under any delimiter, unknown roles and offices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI

from catalog._people import read_export
from kompetanse.cli import main
from tests.catalog.test_api import PEOPLE, app, signed_in
from tests.kompetanse.test_cli_catalog import data_dir

__all__ = ["app", "data_dir"]  # the fixtures
HEADER = ["employee_id", "name", "email", "office", "region", "roles", "employer", "start_date"]
KARI = ["A1", "Kari", "kari@nav.no", "nav-sagene", "oslo", "leder", "state", "01.09.2026"]


def export(path: Path, *rows: list[str], delimiter: str = ",", header: list[str] = HEADER) -> Path:
    path.write_text("\n".join(delimiter.join(row) for row in [header, *rows]) + "\n", "utf-8")
    return path


def test_every_problem_of_every_row_is_reported(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(
        data_dir / "hr.csv",
        KARI,
        ["B1", "Per", "per", "nav-sagene", "oslo", "leder", "kommune", "2026-13-01"],
        ["C1", "", "c@nav.no", "Nav Sagene", "oslo", "leder", "state", "1/9/2026"],
    )
    assert main(["import", "people", "--accept-new-offices", str(path)]) == 1
    err = capsys.readouterr().err
    for expected in [
        "row 3, email:",
        "row 3, employer:",
        "row 3, start_date: '2026-13-01' is not a day of the calendar",
        "row 4, name: required, but empty",
        "row 4, office:",
        "row 4, start_date: a date as dd.mm.yyyy or yyyy-mm-dd, not '1/9/2026'",
        "nothing imported: 6 problem(s) in 2 row(s)",
    ]:
        assert expected in err, err
    assert "row 2" not in err
    assert main(["catalog", "rebuild"]) == 0  # the store holds nobody: all or nothing
    assert read_export(path).records[0].start_date.isoformat() == "2026-09-01"


@pytest.mark.parametrize(
    "delimiter",
    [
        pytest.param(",", id="comma"),
        pytest.param(";", id="semicolon"),
        pytest.param("\t", id="tab"),
    ],
)
def test_quoted_json_reads_whatever_the_delimiter(tmp_path: Path, delimiter: str) -> None:
    agents = [
        {"account": {"homePage": "https://lms.example", "name": "kari,nordmann;1"}},
        {"mbox": "mailto:kari.privat@example.no", "name": 'Kari; N, "K"'},
    ]
    cell = '"' + json.dumps(agents).replace('"', '""') + '"'
    path = export(
        tmp_path / "hr.csv",
        [*KARI[:5], '"leder;fadder"', *KARI[6:], cell],
        delimiter=delimiter,
        header=[*HEADER, "identifiers"],
    )
    parsed = read_export(path)
    assert parsed.problems == []
    [record] = parsed.records
    assert record.identifiers == agents
    assert record.roles == ["leder", "fadder"]


def test_unknown_roles_and_offices_are_errors_unless_offices_are_accepted(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sjef = [*KARI[:5], "sjef", *KARI[6:]]
    path = export(data_dir / "hr.csv", sjef)
    assert main(["import", "people", str(path)]) == 1
    err = capsys.readouterr().err
    assert "row 2, roles: no role 'sjef' in the catalog (roles.yaml)" in err
    assert "row 2, office: no office 'nav-sagene' is known" in err
    assert main(["import", "people", "--accept-new-offices", str(path)]) == 1  # roles still
    assert "row 2, office" not in capsys.readouterr().err
    export(path, KARI)
    assert main(["import", "people", "--accept-new-offices", str(path)]) == 0
    assert "1 created" in capsys.readouterr().out
    export(path, [*KARI[:3], "nav-frogner", *KARI[4:]], ["B1", *KARI[1:]])
    assert main(["import", "people", str(path)]) == 1  # nav-sagene is known now
    err = capsys.readouterr().err
    assert "row 2, office: no office 'nav-frogner'" in err and "row 3" not in err


@pytest.mark.anyio
async def test_the_api_names_unknown_roles_and_offices(app: FastAPI) -> None:
    admin = await signed_in(app, "admin")
    rows = [{**PEOPLE[0], "roles": ["leder", "sjef"]}, PEOPLE[1]]
    refused = await admin.post("/api/people", json=rows)
    assert refused.status_code == 400
    message = refused.json()["message"]
    for expected in [
        "row 2, roles: no role 'sjef' in the catalog (roles.yaml)",
        "row 2, office: no office 'nav-sagene' is known",
        "row 3, office: no office 'nav-frogner' is known",
    ]:
        assert expected in message, message
    new = {"accept_new_offices": "true"}
    still = await admin.post("/api/people", params=new, json=rows)
    assert still.status_code == 400 and "office" not in still.json()["message"]
    assert (await admin.get("/api/people/A1/requirements")).status_code == 404  # nothing in
    imported = await admin.post("/api/people", params=new, json=PEOPLE)
    assert imported.json() == {"created": 2, "updated": 0, "unchanged": 0}
    again = await admin.post("/api/people", json=[{**PEOPLE[0], "name": "Kari N"}])
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 0}  # known offices now


@pytest.mark.anyio
async def test_the_api_reads_norwegian_dates(app: FastAPI) -> None:
    admin = await signed_in(app, "admin")
    row = {**PEOPLE[0], "start_date": "01.09.2026"}
    answer = await admin.post("/api/people", params={"accept_new_offices": "true"}, json=[row])
    assert answer.status_code == 200, answer.text
    person = (await admin.get("/api/people", params={"office": "nav-sagene"})).json()
    assert person[0]["start_date"] == "2026-09-01"
    bad = await admin.post("/api/people", json=[{**row, "start_date": "2026/09/01"}])
    assert bad.status_code == 400
    assert bad.json()["message"] == (
        "row 2, start_date: a date as dd.mm.yyyy or yyyy-mm-dd, not '2026/09/01'"
    )
