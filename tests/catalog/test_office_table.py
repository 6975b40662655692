"""The office page's one filter and sort (catalog._office_table) and the session offered to a
person (catalog._offers.session_offer), as pure functions on made-up statuses."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog import load_catalog
from catalog._insights import PersonStatuses
from catalog._offers import classroom_needs, session_offer
from catalog._office_table import OfficeFilter, applicable_packages, office_table
from catalog._progress import ModuleProgress, PackageStatus, Person
from catalog._sessions import Session

ORDER = ["personvern", "ny-i-nav", "samtaler"]
NOTHING = ModuleProgress(None, False, (), None)
DONE = ModuleProgress(datetime(2026, 5, 1), False, ("s1",), None)


def status(package: str, state: str, due: str | None = None) -> PackageStatus:
    return PackageStatus(
        package,
        "skal",
        state,
        date.fromisoformat(due) if due else None,
        None,
        None,
        {},  # type: ignore[arg-type]
    )


def person(pid: str, name: str, roles: set[str], *statuses: PackageStatus) -> PersonStatuses:
    who = Person(pid, "nav-x", "oslo", frozenset(roles), "state", date(2026, 1, 1))
    return PersonStatuses(who, name, list(statuses))


ROWS = [
    person(
        "D1",
        "Kari Nordmann",
        {"veileder"},
        status("ny-i-nav", "overdue", "2026-06-01"),
        status("personvern", "due_soon", "2026-12-20"),
    ),
    person(
        "D2",
        "Kari Nordmann",
        {"leder"},
        status("ny-i-nav", "completed"),
        status("personvern", "overdue", "2026-11-01"),
    ),
    person("D3", "Ola Hansen", {"veileder"}, status("ny-i-nav", "not_started", "2027-03-01")),
    person(
        "D4",
        "Anne Berg",
        {"veileder"},
        status("ny-i-nav", "overdue", "2026-09-01"),
        status("personvern", "overdue", "2026-10-01"),
    ),
]


def test_only_packages_someone_has_are_columns_ny_i_nav_first() -> None:
    assert applicable_packages(ROWS, ORDER) == ["ny-i-nav", "personvern"]
    assert office_table(ROWS, ORDER, OfficeFilter()).columns == ["ny-i-nav", "personvern"]


def test_the_filter_reads_the_query_and_writes_it_back() -> None:
    chosen = OfficeFilter.of(
        {"rolle": "veileder", "pakke": "ny-i-nav", "status": "on_track", "sok": "  kari  n "}
    )
    assert (chosen.role, chosen.package, chosen.status, chosen.search) == (
        "veileder",
        "ny-i-nav",
        "on_track",
        "kari n",
    )
    assert (
        chosen.query(status="overdue") == "rolle=veileder&pakke=ny-i-nav&status=overdue&sok=kari+n"
    )
    unknown = OfficeFilter.of({"status": "<script>", "sorter": "x"})
    assert (unknown.status, unknown.sort, unknown.query()) == ("", "navn", "")


def test_counts_per_package_for_the_people_the_role_lets_through() -> None:
    everyone = {c.package: c for c in office_table(ROWS, ORDER, OfficeFilter()).counts}
    ny = everyone["ny-i-nav"]
    assert (ny.people, ny.overdue, ny.due_soon, ny.on_track, ny.completed) == (4, 2, 0, 1, 1)
    advisers = office_table(ROWS, ORDER, OfficeFilter(role="leder")).counts
    assert [(c.package, c.overdue) for c in advisers] == [("ny-i-nav", 0), ("personvern", 1)]


def test_a_count_link_filters_lists_and_matrix_alike() -> None:
    table = office_table(ROWS, ORDER, OfficeFilter(package="ny-i-nav", status="overdue"))
    assert table.columns == ["ny-i-nav"]
    assert [r.person for r in table.rows] == ["D4", "D1"]  # by name
    assert list(table.entries) == ["overdue"]
    assert [(e.person, e.package) for e in table.entries["overdue"]] == [
        ("D4", "ny-i-nav"),
        ("D1", "ny-i-nav"),
    ]


def test_without_a_status_the_lists_are_overdue_and_due_soon() -> None:
    table = office_table(ROWS, ORDER, OfficeFilter(sort="frist"))
    assert [(e.person, e.package) for e in table.entries["overdue"]] == [
        ("D1", "ny-i-nav"),
        ("D4", "ny-i-nav"),
        ("D4", "personvern"),
        ("D2", "personvern"),
    ]
    assert [e.person for e in table.entries["due_soon"]] == ["D1"]


def test_on_track_is_not_started_or_in_progress() -> None:
    table = office_table(ROWS, ORDER, OfficeFilter(status="on_track"))
    assert [r.person for r in table.rows] == ["D3"]
    assert [e.status for e in table.entries["on_track"]] == ["not_started"]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        pytest.param("kari", ["D1", "D2"], id="first-name"),
        pytest.param("NORDMANN kari", ["D1", "D2"], id="words-any-order-any-case"),
        pytest.param("d2", ["D2"], id="employee-id"),
        pytest.param("nobody", [], id="no-one"),
    ],
)
def test_search_by_name_or_employee_id(search: str, found: list[str]) -> None:
    table = office_table(ROWS, ORDER, OfficeFilter(search=search))
    assert [r.person for r in table.rows] == found


def test_two_people_with_one_name_are_marked_for_their_ids() -> None:
    rows = office_table(ROWS, ORDER, OfficeFilter()).rows
    assert {r.person: r.same_name for r in rows} == {
        "D1": True,
        "D2": True,
        "D3": False,
        "D4": False,
    }


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        pytest.param("navn", ["D4", "D1", "D2", "D3"], id="by-name-then-id"),
        pytest.param("forfalt", ["D4", "D1", "D2", "D3"], id="most-overdue-first"),
        pytest.param("frist", ["D1", "D4", "D2", "D3"], id="nearest-deadline-first"),
    ],
)
def test_sorts(sort: str, order: list[str]) -> None:
    assert [r.person for r in office_table(ROWS, ORDER, OfficeFilter(sort=sort)).rows] == order
    if sort == "forfalt":  # the most overdue first, whatever their name
        late = person(
            "D9",
            "Åse Ås",
            set(),
            status("ny-i-nav", "overdue", "2026-01-01"),
            status("personvern", "overdue", "2026-01-01"),
        )
        first = office_table([*ROWS[:3], late], ORDER, OfficeFilter(sort=sort)).rows[0]
        assert first.person == "D9"


def test_a_package_that_does_not_apply_is_ignored_not_an_error() -> None:
    table = office_table(ROWS, ORDER, OfficeFilter(package="samtaler"))
    assert table.chosen.package == "" and table.columns == ["ny-i-nav", "personvern"]


# --- the session offered ----------------------------------------------------------------------

NY_I_NAV = next(p for p in load_catalog().packages if p.id == "ny-i-nav")
CLASSROOM = next(m.id for m in NY_I_NAV.modules if m.classroom)
TODAY = date(2026, 12, 2)


def ny_i_nav(state: str, *, classroom_done: bool = False) -> PackageStatus:
    modules = {m.id: NOTHING for m in NY_I_NAV.modules}
    if classroom_done:
        modules[CLASSROOM] = DONE
    return PackageStatus("ny-i-nav", "skal", state, date(2026, 6, 1), None, None, modules)  # type: ignore[arg-type]


def session(
    sid: str, starts: str, seats: int, *enrolled: str, waitlist: tuple[str, ...] = ()
) -> Session:
    return Session(
        sid, "ny-i-nav", CLASSROOM, "oslo", date.fromisoformat(starts), seats, enrolled, waitlist
    )


def test_the_next_session_with_a_free_seat_is_offered() -> None:
    sessions = [
        session("past", "2026-11-01", 25),
        session("full", "2027-01-10", 1, "X1"),
        session("free", "2027-03-01", 25),
        session("later", "2027-05-01", 25),
    ]
    offer = session_offer(NY_I_NAV, ny_i_nav("overdue"), "D1", "oslo", sessions, TODAY)
    assert offer is not None and offer.offer is not None
    assert (offer.module, offer.offer.id, offer.full, offer.booked) == (
        CLASSROOM,
        "free",
        False,
        None,
    )


def test_when_every_session_is_full_the_next_ones_waitlist() -> None:
    sessions = [session("b", "2027-03-01", 1, "X2"), session("a", "2027-01-10", 1, "X1")]
    offer = session_offer(NY_I_NAV, ny_i_nav("overdue"), "D1", "oslo", sessions, TODAY)
    assert offer is not None and offer.offer is not None
    assert (offer.offer.id, offer.full) == ("a", True)


def test_one_who_holds_a_place_is_offered_nothing_new() -> None:
    sessions = [session("a", "2027-01-10", 1, "X1", waitlist=("D1",))]
    offer = session_offer(NY_I_NAV, ny_i_nav("overdue"), "D1", "oslo", sessions, TODAY)
    assert offer is not None and offer.booked is not None
    assert (offer.booked.id, offer.waitlisted, offer.offer) == ("a", True, None)


def test_a_completed_gathering_or_package_needs_no_session() -> None:
    sessions = [session("a", "2027-01-10", 25)]
    done = ny_i_nav("overdue", classroom_done=True)
    assert classroom_needs(NY_I_NAV, done) == []
    assert session_offer(NY_I_NAV, done, "D1", "oslo", sessions, TODAY) is None
    for state in ("completed", "waived"):
        assert session_offer(NY_I_NAV, ny_i_nav(state), "D1", "oslo", sessions, TODAY) is None


def test_sessions_of_another_county_are_not_offered() -> None:
    elsewhere = Session("v", "ny-i-nav", CLASSROOM, "vestland", date(2027, 1, 10), 25)
    offer = session_offer(NY_I_NAV, ny_i_nav("overdue"), "D1", "oslo", [elsewhere], TODAY)
    assert offer is not None and (offer.offer, offer.booked) == (None, None)


PARAMS = st.sampled_from(["rolle", "pakke", "status", "sok", "sorter", "format", "x"])
VALUES = st.one_of(
    st.sampled_from(["ny-i-nav", "personvern", "veileder", "overdue", "on_track", "frist"]),
    st.text(max_size=120),
)


@given(query=st.dictionaries(PARAMS, VALUES, max_size=5))
def test_any_query_is_a_filter_that_writes_itself_back(query: dict[str, str]) -> None:
    chosen = OfficeFilter.of(query)
    assert OfficeFilter.of(dict(parse_qsl(chosen.query()))) == chosen
    table = office_table(ROWS, ORDER, chosen)  # never an error, whatever was asked
    assert all(len(row.cells) == len(table.columns) for row in table.rows)
    assert {r.person for r in table.rows} <= {r.person.id for r in ROWS}
