"""GET statements' `format`: ids keeps identifiers, canonical keeps one language per map."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lrs.model import format_statement
from tests.lrs.model.examples import ACTIVITY, EXPERIENCED, OTHER_ID, rich

Json = dict[str, Any]
CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"


@pytest.fixture
def stored() -> Json:
    """A rich xAPI 2.0 statement as the LRS stores it (context activities as arrays)."""
    statement = rich("2.0.0")
    activities = statement["context"]["contextActivities"]
    activities["category"] = [activities["category"]]
    return statement


@pytest.fixture
def planned() -> Json:
    """A statement about a SubStatement whose actor is an anonymous group."""
    return {
        "actor": {"objectType": "Agent", "name": "Kari", "mbox": "mailto:kari@nav.example"},
        "verb": {"id": EXPERIENCED, "display": {"en-US": "planned", "nb": "planla"}},
        "object": {
            "objectType": "SubStatement",
            "actor": {
                "objectType": "Group",
                "name": "Pair",
                "member": [{"name": "Ola", "mbox": "mailto:ola@nav.example"}],
            },
            "verb": {"id": EXPERIENCED, "display": {"en-US": "experienced", "nb": "opplevde"}},
            "object": {
                "objectType": "Activity",
                "id": ACTIVITY,
                "definition": {"name": {"en-GB": "New", "en-US": "New", "nb": "Ny"}},
            },
        },
    }


def test_ids_keeps_the_identifiers_of_agents_verbs_and_activities(stored: Json) -> None:
    ids = format_statement(stored, "ids", [])
    assert ids["actor"] == {
        "objectType": "Group",
        "account": {"homePage": "https://ident.nav.example", "name": "team-oslo"},
    }
    assert ids["verb"] == {"id": EXPERIENCED}
    assert ids["object"] == {"id": ACTIVITY}
    assert ids["authority"] == {
        "objectType": "Group",
        "member": [
            {"account": {"homePage": "https://lrs.example/oauth", "name": "app"}},
            {"mbox": "mailto:kari@nav.example"},
        ],
    }


def test_ids_keeps_identifiers_in_the_context(stored: Json) -> None:
    context = format_statement(stored, "ids", [])["context"]
    assert context["instructor"] == {"mbox": "mailto:leder@nav.example"}
    assert context["team"] == {"objectType": "Group", "mbox": "mailto:team@nav.example"}
    assert context["contextActivities"]["grouping"] == [{"id": "https://kompetanse.example/nav"}]
    assert context["contextActivities"]["category"] == [{"id": CATEGORY}]
    assert context["contextAgents"][0]["agent"] == {"mbox": "mailto:mentor@nav.example"}
    assert context["contextGroups"][0]["group"] == {
        "objectType": "Group",
        "mbox": "mailto:team@nav.example",
    }
    assert context["statement"] == {"objectType": "StatementRef", "id": OTHER_ID}
    assert context["platform"] == "Kompetanse"


def test_ids_leaves_result_and_times_alone(stored: Json) -> None:
    ids = format_statement(stored, "ids", [])
    for name in ("id", "result", "timestamp", "stored", "version", "attachments"):
        assert ids[name] == stored[name]


def test_ids_names_anonymous_group_members_and_substatement_parts(planned: Json) -> None:
    ids = format_statement(planned, "ids", [])
    assert ids["actor"] == {"objectType": "Agent", "mbox": "mailto:kari@nav.example"}
    assert ids["object"] == {
        "objectType": "SubStatement",
        "actor": {"objectType": "Group", "member": [{"mbox": "mailto:ola@nav.example"}]},
        "verb": {"id": EXPERIENCED},
        "object": {"id": ACTIVITY},
    }


@pytest.mark.parametrize(
    ("languages", "chosen"),
    [
        pytest.param(["nb"], "nb", id="exact"),
        pytest.param(["NB"], "nb", id="case-insensitive"),
        pytest.param(["de", "nb", "en-US"], "nb", id="first-available-preference"),
        pytest.param(["en-US"], "en-US", id="region"),
        pytest.param(["en"], "en-GB", id="range-matches-longer-tag"),
        pytest.param(["en-AU"], "en-GB", id="same-language-other-region"),
        pytest.param(["nb-NO"], "nb", id="range-truncated"),
        pytest.param(["*"], "en-GB", id="wildcard-takes-the-first"),
        pytest.param(["de"], "en-GB", id="no-match-takes-the-first"),
        pytest.param([], "en-GB", id="no-preference-takes-the-first"),
    ],
)
def test_canonical_picks_the_best_language(
    planned: Json, languages: list[str], chosen: str
) -> None:
    name = format_statement(planned, "canonical", languages)["object"]["object"]["definition"]
    assert name["name"] == {chosen: planned["object"]["object"]["definition"]["name"][chosen]}


def test_canonical_reduces_every_language_map(stored: Json) -> None:
    canonical = format_statement(stored, "canonical", ["nb", "en"])
    definition = canonical["object"]["definition"]
    assert canonical["verb"] == {"id": EXPERIENCED, "display": {"nb": "opplevde"}}
    assert definition["name"] == {"nb": "Ny i NAV"}
    assert definition["choices"][0]["description"] == {"en-US": "Golf"}
    assert canonical["attachments"][0]["display"] == {"en-US": "Signature"}


def test_canonical_keeps_agents_and_the_rest_of_a_definition(stored: Json) -> None:
    canonical = format_statement(stored, "canonical", ["nb"])
    assert canonical["actor"] == stored["actor"]
    for name in ("type", "moreInfo", "extensions", "interactionType", "correctResponsesPattern"):
        assert canonical["object"]["definition"][name] == stored["object"]["definition"][name]


def test_canonical_applies_to_context_activities_and_substatements(planned: Json) -> None:
    planned["context"] = {
        "contextActivities": {
            "parent": {"id": ACTIVITY, "definition": {"name": {"en-US": "P", "nb": "F"}}}
        }
    }
    canonical = format_statement(planned, "canonical", ["en-GB"])
    assert canonical["object"]["verb"]["display"] == {"en-US": "experienced"}
    assert canonical["context"]["contextActivities"]["parent"]["definition"]["name"] == {
        "en-US": "P"
    }


@pytest.mark.parametrize("fmt", ["exact", "ids", "canonical"])
def test_the_stored_statement_is_not_changed(stored: Json, fmt: Any) -> None:
    before = copy.deepcopy(stored)
    formatted = format_statement(stored, fmt, ["nb"])
    formatted["context"]["extensions"]["https://kompetanse.example/ext/office"]["city"] = "Bergen"
    assert stored == before
