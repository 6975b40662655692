"""Fylket's pure parts: the filter from the query string, the session form read from its
fields, the pipeline's rows filtered, a person's situation in words, the downloads' tables."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from catalog import _spreadsheets as spreadsheets
from catalog._sessions import PROBLEMS, draft_problems
from kompetanse.pages import _region_export as export
from kompetanse.pages import _region_views as rv


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("08.03.2027", date(2027, 3, 8), id="dd.mm.yyyy"),
        pytest.param(" 8.3.2027 ", date(2027, 3, 8), id="d.m.yyyy"),
        pytest.param("2027-03-08", date(2027, 3, 8), id="iso"),
        pytest.param("31.02.2027", None, id="no-such-day"),
        pytest.param("08/03/2027", None, id="slashes"),
        pytest.param("", None, id="empty"),
    ],
)
def test_parse_day(text: str, expected: date | None) -> None:
    assert rv.parse_day(text) == expected


def test_the_form_is_read_into_a_draft_or_its_problems() -> None:
    draft, problems = rv.read_form(
        {
            "module": "ny-i-nav/samling",
            "starts": "08.03.2027",
            "ends": "10.03.2027",
            "days": "08.03.2027, 10.03.2027",
            "place": " Fylkeshuset ",
            "instructors": "d000000, D000000 D000001",
            "seats": "25",
        }
    )
    assert problems == {} and draft is not None
    assert (draft.package_id, draft.module_id, draft.seats, draft.place) == (
        "ny-i-nav",
        "samling",
        25,
        "Fylkeshuset",
    )
    assert draft.days == (date(2027, 3, 8), date(2027, 3, 10))
    assert draft.instructors == ("D000000", "D000001")
    none, problems = rv.read_form(
        {"starts": "", "ends": "x", "days": "1.1.2027 nei", "seats": "-2"}
    )
    assert none is None
    assert problems == {
        "starts": "rg_required",
        "ends": "rg_bad_day",
        "days": "rg_bad_days",
        "seats": "rg_bad_seats",
    }


def test_the_filter_keeps_only_known_choices_and_makes_the_query() -> None:
    query = {"kontor": "nav-sagene", "pakke": "finnes-ikke", "bare": "risiko"}
    chosen = rv.RegionFilter.of(query, ["nav-sagene"], ["ny-i-nav"])
    assert chosen == rv.RegionFilter("nav-sagene", "", True)
    assert chosen.query() == "kontor=nav-sagene&bare=risiko"
    assert rv.RegionFilter.of({}, [], []).query() == ""


SESSION = {"id": "s1", "starts": "2027-03-08", "seats": 2, "enrolled": 2, "place": "Huset"}
MODULE = {
    "package": "ny-i-nav",
    "module": "samling",
    "sessions": [SESSION],
    "at_risk": [
        {"person": "A", "name": "Ada", "office": "nav-a", "due": "2027-01-01", "session": None}
    ],
    "placed": [
        {
            "person": "B",
            "name": "Bo",
            "office": "nav-b",
            "office_name": "NAV B",
            "due": "2027-06-01",
            "session": "s1",
            "booked": "s1",
            "waitlisted": True,
        }
    ],
}


def test_the_pipeline_rows_follow_the_filter() -> None:
    [everyone] = rv.pipeline_rows([MODULE], rv.RegionFilter())
    assert [(r["person"], r["at_risk"]) for r in everyone["rows"]] == [("A", True), ("B", False)]
    [risk] = rv.pipeline_rows([MODULE], rv.RegionFilter(at_risk=True))
    assert [r["person"] for r in risk["rows"]] == ["A"]
    [office] = rv.pipeline_rows([MODULE], rv.RegionFilter(office="nav-b"))
    assert [r["person"] for r in office["rows"]] == ["B"]
    assert rv.pipeline_rows([MODULE], rv.RegionFilter(package="annen")) == []


def test_the_options_say_deadline_and_seats() -> None:
    [option] = rv.options([SESSION], "2027-01-01", "2026-12-01")
    assert (option["meets"], option["full"]) == (False, True)
    assert rv.options([SESSION], None, "2027-04-01") == []  # started
    assert rv.options([SESSION], None, "2026-12-01", exclude="s1") == []


def test_the_pipelines_download_in_words() -> None:
    [module] = rv.pipeline_rows([MODULE], rv.RegionFilter())
    rows = export.pipeline_table([module], "nb", lambda p: "Ny i NAV", lambda p, m: "Samling")
    assert rows[0] == [
        "Ansattnummer",
        "Navn",
        "Kontor",
        "Pakke",
        "Modul",
        "Frist",
        "Situasjon",
        "Samling",
    ]
    assert rows[1][5:] == ["01.01.2027", "Rekker ikke fristen", ""]
    assert rows[2][2] == "NAV B"
    assert rows[2][6:] == ["På venteliste – rekker fristen", "08.03.2027"]
    english = export.pipeline_table([module], "en", str, lambda p, m: m)
    assert english[0][0] == "Employee id" and english[1][6] == "Cannot make the deadline"


def test_a_workbook_has_named_sheets_excel_accepts() -> None:
    content = spreadsheets.workbook([("Samlinger: vår/høst", [["a"], ["b"]]), ("Utvalg", [["x"]])])
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Samlinger  vår høst", "Utvalg"]
    assert workbook["Utvalg"]["A1"].font.bold
    csv = spreadsheets.readable_csv([["Navn", "Frist"], ["Åse", "01.01.2027"]])
    assert csv == "\ufeffNavn;Frist\r\nÅse;01.01.2027\r\n".encode()


FIELD_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["01.01.0001", "31.12.9999", "999999", "0", "29.02.2028", "1.1.2027, 2.1.2027"]
)


@settings(max_examples=300, deadline=None)
@given(fields=st.dictionaries(st.sampled_from([*rv.FIELDS, "csrf"]), FIELD_TEXT, max_size=7))
def test_any_form_is_read_or_refused_field_by_field(fields: dict[str, str]) -> None:
    """Whatever a form sends, it is a draft whose problems are named per field, or problems
    per field; never an exception (a 500)."""
    draft, problems = rv.read_form(fields)
    assert set(problems) <= set(rv.FIELDS)
    if draft is not None:
        found = draft_problems(draft, [("ny-i-nav", "samling")], date(2026, 12, 1))
        assert set(found) <= set(rv.FIELDS) and set(found.values()) <= set(PROBLEMS)


def test_placing_everyone_uses_the_suggested_seat_else_the_earliest_free_one() -> None:
    module = {
        "sessions": [
            {"id": "past", "starts": "2026-11-01", "seats": 9, "enrolled": 0},
            {"id": "spring", "starts": "2027-03-01", "seats": 2, "enrolled": 1},
            {"id": "autumn", "starts": "2027-09-01", "seats": 2, "enrolled": 0},
        ],
        "rows": [
            {"person": "late", "session": None},
            {"person": "booked", "session": "spring", "booked": "spring"},
            {"person": "fits", "session": "autumn"},
            {"person": "next", "session": None},
            {"person": "none", "session": None},
        ],
    }
    assert rv.placements_for_all(module, "2026-12-01") == [
        ("late", "spring"),
        ("fits", "autumn"),
        ("next", "autumn"),
    ]
