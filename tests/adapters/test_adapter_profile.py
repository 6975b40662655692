"""The xAPI Profile: its structure follows the Profiles spec, and every adapter's statements
match its statement templates and, per registration, one of its primary patterns."""

from __future__ import annotations

import copy
import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest

from adapters import discover, get_adapter
from adapters import vocabulary as v
from adapters.profile import apply_path, follows, load_profile, profile_problems, validates
from tests.adapters.samples import RECORDS

PROFILE = load_profile()
TEMPLATES = PROFILE["templates"]
PATTERNS = PROFILE["patterns"]
# Written by the catalog's evaluations (catalog._evaluation.TEMPLATES, kept equal by
# tests/catalog/test_evaluation.py), not an adapter; named here so that the light install,
# which has no server packages, runs this file.
EVALUATION_TEMPLATES = (v.template("training-evaluated"), v.template("training-followed-up"))


def all_statements(name: str) -> list[dict[str, Any]]:
    adapter = get_adapter(name)
    found = {s["id"]: s for record in RECORDS[name] for s in adapter.statements(record)}
    return list(found.values())


def test_the_shipped_profile_is_well_formed() -> None:
    assert profile_problems(PROFILE) == []


def test_every_concept_we_mint_is_defined_in_the_profile() -> None:
    ours = {
        value
        for name, value in vars(v).items()
        if name.isupper()
        and not name.startswith("_")
        and isinstance(value, str)
        and value.startswith(v.BASE_IRI + "/")
    } - {v.BASE_IRI, v.PROFILE, v.PROFILE_VERSION}
    assert ours <= {concept["id"] for concept in PROFILE["concepts"]}
    for concept in PROFILE["concepts"]:
        if "inlineSchema" in concept:
            assert isinstance(json.loads(concept["inlineSchema"]), dict)


def mutate(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    profile = copy.deepcopy(PROFILE)
    change(profile)
    return profile


def template(profile: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in profile["templates"] if t["id"] == v.template(name))


def pattern(profile: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in profile["patterns"] if p["id"].endswith(f"/patterns/{name}"))


BROKEN = [
    pytest.param(lambda p: p.pop("prefLabel"), "profile.prefLabel", id="no-preflabel"),
    pytest.param(lambda p: p.update({"@context": "x"}), "@context", id="wrong-context"),
    pytest.param(lambda p: p["versions"].clear(), "$.versions", id="empty-versions"),
    pytest.param(lambda p: p.update({"author": {"type": "Robot"}}), "author", id="bad-author"),
    pytest.param(lambda p: p["concepts"][0]["prefLabel"].pop("nb"), "in nb too", id="no-norwegian"),
    pytest.param(lambda p: p["concepts"][0].update({"type": "Verbish"}), "not a concept", id="t"),
    pytest.param(
        lambda p: p["concepts"][0].update({"inScheme": v.PROFILE + "/v0"}),
        "inScheme",
        id="other-version",
    ),
    pytest.param(
        lambda p: template(p, "course-attended").update({"verb": v.BASE_IRI + "/verbs/sat"}),
        "is not defined in the profile",
        id="template-undefined-verb",
    ),
    pytest.param(
        lambda p: template(p, "team-work-collaborated").update(
            {"objectActivityType": v.COLLABORATED}
        ),
        "is a Verb, not a ActivityType",
        id="template-verb-as-type",
    ),
    pytest.param(
        lambda p: template(p, "course-attended")["rules"].append(
            {
                "location": f"$.context.extensions['{v.BASE_IRI}/extensions/mood']",
                "presence": "included",
            }
        ),
        "mood is not defined",
        id="rule-undefined-extension",
    ),
    pytest.param(
        lambda p: template(p, "course-attended")["rules"].append(
            {"location": f"$.context.extensions['{v.GRADE}']", "presence": "included"}
        ),
        "is a ResultExtension, not a ContextExtension",
        id="result-extension-in-context",
    ),
    pytest.param(
        lambda p: template(p, "course-attended")["rules"].append({"location": "$.verb"}),
        "needs one of presence",
        id="rule-without-requirement",
    ),
    pytest.param(
        lambda p: template(p, "course-attended")["rules"].append(
            {"location": "$.context[?(@.x)]", "presence": "included"}
        ),
        "not a JSONPath",
        id="rule-with-filter",
    ),
    pytest.param(
        lambda p: pattern(p, "course-attendance").update({"zeroOrMore": v.template("nothing")}),
        "is no template or pattern here",
        id="pattern-missing-template",
    ),
    pytest.param(
        lambda p: pattern(p, "self-study-step")["alternates"].pop(),
        "at least two members",
        id="alternates-of-one",
    ),
    pytest.param(
        lambda p: pattern(p, "self-study-step")["alternates"].append(
            pattern(p, "course-attendance")["id"]
        ),
        "is optional or zeroOrMore",
        id="zero-or-more-in-alternates",
    ),
    pytest.param(
        lambda p: pattern(p, "self-study-step")["alternates"].append(
            pattern(p, "egentrening")["id"]
        ),
        "contains itself",
        id="cycle",
    ),
    pytest.param(lambda p: pattern(p, "teamarbeid").pop("definition"), "definition", id="primary"),
    pytest.param(
        lambda p: pattern(p, "course-attendance").update(
            {"optional": v.template("course-attended")}
        ),
        "exactly one of",
        id="two-kinds",
    ),
    pytest.param(
        lambda p: p["templates"].append(copy.deepcopy(p["templates"][0])),
        "defined more than once",
        id="duplicate-id",
    ),
    pytest.param(
        lambda p: p["concepts"][0].update({"definition": {"nb": "", "en": "x"}}),
        "must not be empty",
        id="empty-string",
    ),
    pytest.param(
        lambda p: next(c for c in p["concepts"] if c["id"] == v.OFFICE).update(
            {"recommendedActivityTypes": [v.COURSE]}
        ),
        "only on an ActivityExtension",
        id="activity-types-on-context-extension",
    ),
    pytest.param(
        lambda p: next(c for c in p["concepts"] if c["id"] == v.OFFICE).update(
            {"schema": "https://example.org/office.json"}
        ),
        "at most one of schema and inlineSchema",
        id="two-schemas",
    ),
]


@pytest.mark.parametrize(("change", "expected"), BROKEN)
def test_structural_rules_are_checked(
    change: Callable[[dict[str, Any]], Any], expected: str
) -> None:
    problems = profile_problems(mutate(change))
    assert any(expected in problem for problem in problems), problems


ADAPTERS = [name for name in discover() if name != "e-laering-cmi5"]


@pytest.mark.parametrize("name", ADAPTERS)
def test_every_statement_matches_its_adapters_templates(name: str) -> None:
    adapter = get_adapter(name)
    assert {t["id"] for t in TEMPLATES} >= set(adapter.templates)
    for statement in all_statements(name):
        outcome, matched = validates(statement, TEMPLATES)
        assert outcome == "success", (statement["verb"], matched)
        assert matched and set(matched) <= set(adapter.templates)


def test_every_template_is_used_by_an_adapter() -> None:
    used = {
        template_id
        for name in ADAPTERS
        for statement in all_statements(name)
        for template_id in validates(statement, TEMPLATES)[1]
    }
    evaluation = set(EVALUATION_TEMPLATES)
    assert used | evaluation == {t["id"] for t in TEMPLATES} and not used & evaluation


@pytest.mark.parametrize("name", ADAPTERS)
def test_each_registration_follows_a_primary_pattern(name: str) -> None:
    registrations: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for statement in all_statements(name):
        registrations[statement["context"]["registration"]].append(statement)
    for found in registrations.values():
        in_order = sorted(found, key=lambda s: s["timestamp"])  # stable: batch order kept
        assert follows(in_order, TEMPLATES, PATTERNS), [s["verb"]["id"] for s in in_order]


def test_a_statement_without_a_required_extension_breaks_its_template() -> None:
    [stay] = all_statements("hospitering")
    del stay["context"]["extensions"][v.HOST_UNIT]
    assert validates(stay, TEMPLATES) == ("invalid", [v.template("job-shadowing-completed")])


def test_a_course_out_of_order_follows_no_pattern() -> None:
    registered, attended, _, completed = all_statements("kurs-og-samlinger")
    assert follows([registered, attended, completed], TEMPLATES, PATTERNS)
    assert not follows([completed, registered], TEMPLATES, PATTERNS)
    assert not follows([attended, completed, attended], TEMPLATES, PATTERNS)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("$.a.b", [1], id="child"),
        pytest.param("$['a']['b']", [1], id="quoted"),
        pytest.param("$.list[*].id", ["x", "y"], id="wildcard"),
        pytest.param("$.list[1].id", ["y"], id="index"),
        pytest.param("$.a['b','c'] | $.list[0].id", [1, 2, "x"], id="union-and-pipe"),
        pytest.param("$.a.missing", [], id="nothing"),
        pytest.param("$.list", [[{"id": "x"}, {"id": "y"}]], id="array-as-one-value"),
    ],
)
def test_the_json_path_subset(path: str, expected: list[Any]) -> None:
    document = {"a": {"b": 1, "c": 2}, "list": [{"id": "x"}, {"id": "y"}]}
    assert apply_path(document, path) == expected
