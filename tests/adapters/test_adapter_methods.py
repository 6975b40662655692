"""Every built-in adapter: valid records become statements the LRS's model accepts, with
deterministic ids; invalid records are refused naming the field."""

from __future__ import annotations

import doctest
import importlib
import uuid
from importlib.metadata import entry_points
from typing import Any

import pytest

from adapters import GROUP, Person, RecordInvalid, discover, get_adapter
from adapters import vocabulary as v
from adapters.methods import cmi5_problems
from lrs.model import validate_statement
from tests.adapters.samples import E_MODULE, NY_I_NAV, RECORDS, cmi5_statement

BUILT_IN = {*RECORDS, "e-laering-cmi5"}
SAMPLES = [
    pytest.param(name, record, id=f"{name}-{index}")
    for name, records in RECORDS.items()
    for index, record in enumerate(records)
]


def statements(name: str, record: dict[str, Any]) -> list[dict[str, Any]]:
    return get_adapter(name).statements(record)


def test_the_built_ins_are_registered_as_entry_points_of_the_distribution() -> None:
    assert set(discover()) == BUILT_IN
    points = {p.name: p for p in entry_points(group=GROUP) if p.name in BUILT_IN}
    assert {p.dist.name for p in points.values() if p.dist} == {"kompetanse"}
    assert len(points) == len(BUILT_IN)


@pytest.mark.parametrize(("name", "record"), SAMPLES)
@pytest.mark.parametrize("version", ["1.0.3", "2.0.0"])
def test_statements_pass_the_lrs_model(name: str, record: dict[str, Any], version: Any) -> None:
    found = statements(name, record)
    assert found
    for statement in found:
        validate_statement(statement, version=version)
        assert uuid.UUID(statement["id"]).version == 5
        extensions = statement["context"]["extensions"]
        assert extensions[v.TRAINING_METHOD] == v.method_iri(get_adapter(name).method)
        category = statement["context"]["contextActivities"]["category"]
        assert category[0]["id"] == v.PROFILE_VERSION


@pytest.mark.parametrize(("name", "record"), SAMPLES)
def test_the_same_record_gives_the_same_statements(name: str, record: dict[str, Any]) -> None:
    assert statements(name, record) == statements(name, dict(record))


def test_ids_follow_the_identity_not_free_text() -> None:
    base = {"learner": "A1", "course": NY_I_NAV, "session_date": "2026-03-02"}
    [attended] = statements("kurs-og-samlinger", base)
    renamed = statements("kurs-og-samlinger", {**base, "learner": "Kari N. (A1)"})
    other_day = statements("kurs-og-samlinger", {**base, "session_date": "2026-03-03"})
    corrected = statements("kurs-og-samlinger", {**base, "reference": "rad-7-rettet"})
    assert renamed[0]["id"] == attended["id"]
    assert other_day[0]["id"] != attended["id"]
    assert corrected[0]["id"] != attended["id"]


def test_a_course_day_attended_and_the_course_completed() -> None:
    registered, attended = statements("kurs-og-samlinger", RECORDS["kurs-og-samlinger"][0])
    _, day_two, completed = statements("kurs-og-samlinger", RECORDS["kurs-og-samlinger"][1])
    assert [registered["verb"]["id"], attended["verb"]["id"]] == [v.REGISTERED, v.ATTENDED]
    assert attended["result"]["duration"] == "PT7H30M"
    assert attended["context"]["extensions"][v.HOURS] == 7.5
    assert attended["context"]["extensions"][v.COMPETENCE_AREA] == [
        v.competence_area_iri("basiskompetanse"),
        v.competence_area_iri("brukermedvirkning"),
    ]
    assert completed["verb"]["id"] == v.COMPLETED
    assert completed["result"] == {"completion": True}
    # one registration per learner and course run, on every list it appears on
    assert {s["context"]["registration"] for s in (registered, day_two, completed)} == {
        registered["context"]["registration"]
    }


def test_an_absent_learner_is_recorded_only_as_registered() -> None:
    record = {"learner": "A1", "course": NY_I_NAV, "session_date": "2026-03-02", "attended": "nei"}
    assert statements("kurs-og-samlinger", record) == []
    [registered] = statements("kurs-og-samlinger", {**record, "registered_on": "2026-01-10"})
    assert registered["verb"]["id"] == v.REGISTERED


def test_peer_guidance_in_a_group_and_one_to_one() -> None:
    group, alone = RECORDS["veiledning-fra-kollega"]
    *mentees, mentor = statements("veiledning-fra-kollega", group)
    assert [s["actor"]["account"]["name"] for s in mentees] == ["A123456", "C345678"]
    assert all(s["context"]["instructor"]["account"]["name"] == "B234567" for s in mentees)
    assert mentees[0]["context"]["team"]["objectType"] == "Group"
    assert mentor["verb"]["id"] == v.MENTORED
    assert len(mentor["object"]["member"]) == 2
    attended, mentored = statements("veiledning-fra-kollega", alone)
    assert "team" not in attended["context"]
    assert mentored["object"]["objectType"] == "Agent"


def test_team_work_credits_every_member() -> None:
    found = statements("teamarbeid", RECORDS["teamarbeid"][0])
    assert [s["actor"]["account"]["name"] for s in found] == ["A123456", "B234567", "C345678"]
    assert all(len(s["context"]["team"]["member"]) == 3 for s in found)


def test_network_knowledge_shared_back_at_the_office() -> None:
    attended, shared = statements("kompetansenettverk", RECORDS["kompetansenettverk"][0])
    assert attended["object"]["definition"]["type"] == v.MEETING
    assert shared["verb"]["id"] == v.SHARED
    assert shared["object"]["id"] == attended["object"]["id"] + "/deling"
    assert shared["context"]["extensions"][v.OFFICE] == "nav-sagene"
    assert shared["context"]["contextActivities"]["other"][0]["id"] == attended["object"]["id"]


def test_job_shadowing_counts_working_days() -> None:
    [stay] = statements("hospitering", RECORDS["hospitering"][0])
    assert stay["result"]["duration"] == "PT18H45M"  # 2.5 days of 7.5 hours
    extensions = stay["context"]["extensions"]
    assert (extensions[v.HOST_UNIT], extensions[v.DAYS]) == ("NAV Arbeidslivssenter Oslo", 2.5)


def test_further_education_with_credits_and_grade() -> None:
    [passed] = statements("etter-og-videreutdanning", RECORDS["etter-og-videreutdanning"][0])
    [failed] = statements("etter-og-videreutdanning", RECORDS["etter-og-videreutdanning"][1])
    assert passed["context"]["extensions"][v.ECTS] == 15
    assert passed["result"]["extensions"][v.GRADE] == "B"
    assert (failed["verb"]["id"], failed["result"]["success"]) == (v.FAILED, False)


def test_e_learning_from_an_export_follows_the_cmi5_result_rules() -> None:
    completed, passed = statements("e-laering", RECORDS["e-laering"][0])
    assert completed["result"] == {"completion": True, "duration": "PT1H15M"}
    assert passed["result"]["score"] == {"scaled": 0.85}
    [failed] = statements("e-laering", RECORDS["e-laering"][1])
    assert (failed["verb"]["id"], failed["result"]["success"]) == (v.FAILED, False)
    given = str(uuid.uuid4())
    [again] = statements("e-laering", {**RECORDS["e-laering"][1], "registration": given})
    assert again["context"]["registration"] == given


def test_a_time_without_offset_is_norwegian_time() -> None:
    name = "elektroniske-informasjonsverktoy"
    [read] = statements(name, RECORDS[name][0])
    assert read["timestamp"] == "2026-02-01T08:30:00.000Z"  # 09:30 in Oslo in winter


def test_cmi5_statements_pass_through_unchanged() -> None:
    statement = cmi5_statement()
    assert statements("e-laering-cmi5", {"statement": statement}) == [statement]
    assert statements("e-laering-cmi5", statement) == [statement]  # a file holds them bare


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        pytest.param({"id": None}, "id", id="no-id"),
        pytest.param({"verb": {"id": v.EXPERIENCED}}, "verb.id", id="not-a-cmi5-verb"),
        pytest.param({"context": {"registration": "x"}}, "context.extensions", id="no-session"),
        pytest.param(
            {"verb": {"id": v.TERMINATED}, "result": {"duration": "PT1M"}},
            "context.contextActivities.category",
            id="moveon-without-result",
        ),
        pytest.param(
            {"verb": {"id": v.COMPLETED}, "result": {"completion": True, "score": {"raw": 1}}},
            "result.score",
            id="score-on-completed",
        ),
        pytest.param({"result": {"success": False}}, "result.success", id="passed-not-success"),
    ],
)
def test_cmi5_rules_are_checked(changes: dict[str, Any], where: str) -> None:
    statement = cmi5_statement(**changes)
    if statement["id"] is None:
        del statement["id"]
    assert where in [location for location, _ in cmi5_problems(statement)]


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        pytest.param({"verb": {"id": v.EXPERIENCED}}, "statement.verb.id", id="cmi5-rule"),
        pytest.param({"actor": {"mbox": "kari"}}, "statement.actor.mbox", id="xapi-rule"),
    ],
)
def test_a_statement_breaking_cmi5_is_refused_naming_the_property(
    changes: dict[str, Any], where: str
) -> None:
    with pytest.raises(RecordInvalid) as refused:
        statements("e-laering-cmi5", cmi5_statement(**changes))
    assert where in str(refused.value)


@pytest.mark.parametrize(
    ("name", "changes", "location"),
    [
        pytest.param("kurs-og-samlinger", {"learner": "Kari"}, "learner", id="name-only"),
        pytest.param("kurs-og-samlinger", {"course": "ny i nav"}, "course", id="not-an-iri"),
        pytest.param("kurs-og-samlinger", {"hours": "mange"}, "hours", id="hours-text"),
        pytest.param("kurs-og-samlinger", {"office": "NAV Sagene"}, "office", id="office-name"),
        pytest.param("kurs-og-samlinger", {"attended": "kanskje"}, "attended", id="not-yes-no"),
        pytest.param("kurs-og-samlinger", {"attended": "nei"}, "record", id="completed-absent"),
        pytest.param("kurs-og-samlinger", {"surprise": 1}, "surprise", id="unknown-field"),
        pytest.param("hospitering", {"days": 0}, "days", id="no-days"),
        pytest.param("kompetansenettverk", {"office": None}, "record", id="shared-no-office"),
        pytest.param(
            "kompetansenettverk", {"shared_on": "2026-03-01"}, "record", id="shared-early"
        ),
        pytest.param("etter-og-videreutdanning", {"grade": "F"}, "record", id="grade-contradicts"),
        pytest.param("etter-og-videreutdanning", {"ects": -5}, "ects", id="negative-credits"),
        pytest.param("e-laering", {"score": "150 %"}, "score", id="score-over-100"),
        pytest.param("e-laering", {"passed": None}, "record", id="score-without-judgement"),
        pytest.param("veiledning-fra-kollega", {"mentees": ""}, "mentees", id="no-mentees"),
        pytest.param("teamarbeid", {"members": "A1"}, "members", id="team-of-one"),
    ],
)
def test_invalid_records_name_the_field(name: str, changes: dict[str, Any], location: str) -> None:
    record = {**RECORDS[name][-1 if name == "kurs-og-samlinger" else 0], **changes}
    with pytest.raises(RecordInvalid) as refused:
        get_adapter(name).statements(record)
    assert location in [
        problem.location.split(".")[0] or "record" for problem in refused.value.problems
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("A123456", {"employee_id": "A123456"}, id="ident"),
        pytest.param("Kari.Nordmann@NAV.no", {"email": "kari.nordmann@nav.no"}, id="email"),
        pytest.param(
            "Kari Nordmann <kari@nav.no>",
            {"name": "Kari Nordmann", "email": "kari@nav.no"},
            id="named",
        ),
        pytest.param(
            "Kari Nordmann (A1)", {"name": "Kari Nordmann", "employee_id": "A1"}, id="named-ident"
        ),
    ],
)
def test_a_person_written_as_text(text: str, expected: dict[str, str]) -> None:
    assert Person.model_validate(text).model_dump(exclude_none=True) == expected


def test_a_person_with_an_ident_is_known_by_the_catalogs_account() -> None:
    person = Person(employee_id="A1", email="kari@nav.no", name="Kari")
    assert person.agent() == {
        "objectType": "Agent",
        "account": {"homePage": "https://ident.nav.no", "name": "A1"},
        "name": "Kari",
    }


def test_an_unknown_adapter_is_named() -> None:
    from adapters import UnknownAdapter

    with pytest.raises(UnknownAdapter, match=r"'kurs'.*kurs-og-samlinger"):
        get_adapter("kurs")


def test_activities_without_an_iri_get_one_under_the_base() -> None:
    record = {**RECORDS["skulder-ved-skulder"][0]}
    [learned] = get_adapter("skulder-ved-skulder", base_iri="https://lrs.example/xapi/").statements(
        record
    )
    assert learned["object"]["id"] == (
        "https://lrs.example/xapi/activities/skulder-ved-skulder/mottakssamtale-i-publikumsmottaket"
    )
    assert E_MODULE.startswith(v.BASE_IRI)


@pytest.mark.parametrize(
    "name", ["adapters", "adapters._base", "adapters._fields", "adapters.profile"]
)
def test_docstring_examples_hold(name: str) -> None:
    results = doctest.testmod(importlib.import_module(name))
    assert results.attempted > 0
    assert results.failed == 0
