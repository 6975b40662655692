"""Files of records: every row is checked before anything is built or sent, and every problem
is reported by row and column."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from adapters import RecordInvalid, UnreadableFile, get_adapter, prepare, read_rows
from adapters import vocabulary as v
from tests.adapters.samples import NY_I_NAV, cmi5_statement

COURSE = get_adapter("kurs-og-samlinger")
DAY = {"course": NY_I_NAV, "session_date": "2026-03-02"}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8-sig")
    return path


def problems(path: Path, **defaults: str) -> list[str]:
    with pytest.raises(RecordInvalid) as refused:
        prepare(COURSE, path, {**DAY, **defaults})
    return [str(p) for p in refused.value.problems]


def test_an_attendance_list_with_norwegian_columns(tmp_path: Path) -> None:
    listing = write(
        tmp_path,
        "oppmøte.csv",
        "Ident;Navn;E-post;Møtt;Fullført;Timer;Kontor\n"
        "A123456;Kari Nordmann;kari@nav.no;ja;ja;7,5;nav-sagene\n"
        "B234567;Ola Nordmann;ola@nav.no;nei;;;nav-sagene\n"
        ";Per Hansen;per.hansen@nav.no;x;;7,5;nav-frogner\n",
    )
    prepared = prepare(COURSE, listing, DAY)
    verbs = [(s["actor"].get("name"), s["verb"]["id"]) for s in prepared.statements]
    assert verbs == [
        ("Kari Nordmann", v.ATTENDED),
        ("Kari Nordmann", v.COMPLETED),
        ("Per Hansen", v.ATTENDED),
    ]
    assert prepared.statements[2]["actor"]["mbox"] == "mailto:per.hansen@nav.no"
    assert (prepared.rows, prepared.idle_rows) == (3, [3])


def test_every_problem_is_named_by_row_and_column(tmp_path: Path) -> None:
    listing = write(
        tmp_path,
        "list.csv",
        "employee_id,name,email,attended,hours\n"
        "A123456,Kari,kari@nav.no,ja,7.5\n"
        ",Ola,,ja,7.5\n"
        "\n"
        "C345678,Per,per@nav,kanskje,mange\n",
    )
    assert problems(listing) == [
        "row 3, learner: an employee ident or an e-mail address is required",
        "row 5, email: not an e-mail address: 'per@nav'",
        "row 5, attended: 'kanskje' is not yes or no (ja/nei)",
        "row 5, hours: not a number: 'mange'",
    ]


def test_an_unknown_column_is_refused(tmp_path: Path) -> None:
    listing = write(tmp_path, "list.csv", "ident,fullfort\nA1,ja\n")
    [problem] = problems(listing)
    assert problem.startswith("row 1, fullfort: not a column of this list (columns: ")


def test_a_wrong_default_is_reported_once_by_its_option(tmp_path: Path) -> None:
    listing = write(tmp_path, "list.csv", "ident\nA1\nA2\nA3\n")
    with pytest.raises(RecordInvalid) as refused:
        prepare(
            COURSE,
            listing,
            {**DAY, "session_date": "2026-02-30"},
            origins={"session_date": "--session"},
        )
    assert [str(p) for p in refused.value.problems] == [
        "--session: not a date (2026-03-02 or 02.03.2026): '2026-02-30'"
    ]


def test_the_same_row_twice_is_sent_once_and_a_contradiction_is_refused(tmp_path: Path) -> None:
    twice = write(tmp_path, "twice.csv", "ident,hours\nA1,7.5\nA1,7.5\n")
    prepared = prepare(COURSE, twice, DAY)
    assert (len(prepared.statements), prepared.duplicates) == (1, 1)
    contradicting = write(tmp_path, "contradicting.csv", "ident,hours\nA1,7.5\nA1,6\n")
    assert problems(contradicting) == [
        "row 3, record: records the same attended event as row 2 (same person, activity and "
        "day), differently"
    ]


def test_other_people_in_their_own_columns(tmp_path: Path) -> None:
    listing = write(
        tmp_path,
        "fadder.csv",
        "ident,colleague_employee_id,colleague_name,task,learned_on,fadderordning\n"
        "A1,B2,Ola Nordmann,Mottakssamtale,2026-02-01,ja\n",
    )
    [learned] = prepare(get_adapter("skulder-ved-skulder"), listing).statements
    assert learned["context"]["instructor"]["name"] == "Ola Nordmann"
    assert learned["context"]["extensions"][v.BUDDY_SCHEME] is True


def test_an_xlsx_list(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Ident", "Navn", "Møtt", "Timer", "Dato"])
    sheet.append([123456, "Kari Nordmann", "ja", 7.5, datetime(2026, 3, 2)])
    sheet.append([None, None, None, None, None])
    path = tmp_path / "liste.xlsx"
    book.save(path)
    [attended] = prepare(COURSE, path, {"course": NY_I_NAV}).statements
    assert attended["actor"]["account"]["name"] == "123456"
    assert attended["timestamp"] == "2026-03-02T00:00:00.000Z"
    assert attended["result"]["duration"] == "PT7H30M"


def test_xlsx_without_openpyxl_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(UnreadableFile, match=r"pip install 'kompetanse\[xlsx\]'"):
        read_rows(tmp_path / "liste.xlsx")


def test_json_and_json_lines(tmp_path: Path) -> None:
    records = [{"learner": "A1", **DAY}, {"learner": {"email": "kari@nav.no"}, **DAY}]
    as_json = write(tmp_path, "records.json", json.dumps(records))
    assert len(prepare(COURSE, as_json).statements) == 2
    lines = write(tmp_path, "cmi5.jsonl", f"{json.dumps(cmi5_statement())}\n\n")
    assert prepare(get_adapter("e-laering-cmi5"), lines).statements == [cmi5_statement()]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param("list.txt", "", "read .csv, .xlsx, .json, .jsonl, .ndjson files", id="suffix"),
        pytest.param("list.json", "[1, 2]", "one object or an array of objects", id="not-objects"),
        pytest.param("list.jsonl", "{}\n[]\n", "line 2: not a JSON object", id="line-not-object"),
        pytest.param("list.json", "{", "list.json: Expecting", id="broken-json"),
    ],
)
def test_unreadable_files_are_named(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(UnreadableFile, match=message):
        read_rows(write(tmp_path, name, text))


def test_an_empty_list_holds_nothing(tmp_path: Path) -> None:
    prepared = prepare(COURSE, write(tmp_path, "empty.csv", ""), DAY)
    assert (prepared.rows, prepared.statements) == (0, [])
