"""Statements the LRS must accept (Data §2, and the conformance suite's 200 cases)."""

from __future__ import annotations

from typing import Any

import pytest

from lrs.model import Group, Statement, StatementRef, SubStatement, validate_statement
from tests.lrs.model.examples import ACTIVITY, minimal, rich, substatement, voiding

VERSIONS = ["1.0.3", "2.0.0"]
SHA512 = "a" * 128


def changed(**properties: Any) -> dict[str, Any]:
    """The minimal statement with some properties replaced."""
    return {**minimal(), **properties}


def defined(**definition: Any) -> dict[str, Any]:
    """The minimal statement about an Activity with this definition."""
    return changed(object={"id": ACTIVITY, "definition": definition})


def in_context(**context: Any) -> dict[str, Any]:
    return changed(context=context)


VALID_IN_BOTH = [
    pytest.param(minimal(), id="minimal"),
    pytest.param(substatement(), id="substatement"),
    pytest.param(voiding(), id="voiding"),
    pytest.param(
        changed(object={"objectType": "Agent", "mbox": "mailto:ola@nav.example"}),
        id="agent-as-object",
    ),
    pytest.param(
        changed(object={"objectType": "Group", "openid": "https://openid.example/team"}),
        id="identified-group-without-members-as-object",
    ),
    pytest.param(
        changed(actor={"objectType": "Group", "member": [{"mbox": "mailto:a@nav.example"}]}),
        id="anonymous-group-as-actor",
    ),
    pytest.param(
        changed(actor={"mbox_sha1sum": "CD9B00A5611F94EAA7B1661EDAB976068E364975"}),
        id="uppercase-sha1",
    ),
    pytest.param(changed(id="AA97B177-9383-4934-8543-0F91A7A02836"), id="uppercase-uuid"),
    pytest.param(changed(id="00000000-0000-0000-0000-000000000000"), id="nil-uuid"),
    pytest.param(changed(version="1.0"), id="version-1.0"),
    pytest.param(changed(version="1.0.9"), id="version-1.0.9"),
    pytest.param(changed(stored="2011-07-15T00:00:00.000Z"), id="stored-given"),
    pytest.param(
        changed(authority={"account": {"homePage": "https://lrs.example", "name": "a"}}),
        id="authority-agent",
    ),
    pytest.param(changed(verb={"id": "http://example.com/फ़ाइल/verbs#done"}), id="unicode-iri"),
    pytest.param(
        changed(verb={"id": "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"}), id="urn-iri"
    ),
    pytest.param(changed(verb={"id": "http://x.example/a%20b"}), id="percent-encoded-iri"),
    pytest.param(defined(), id="empty-definition"),
    pytest.param(defined(extensions={}), id="empty-extensions"),
    pytest.param(defined(extensions={"http://example.com/ex": None}), id="null-extension-value"),
    pytest.param(defined(extensions={"http://example.com/ex": ""}), id="empty-extension-value"),
    pytest.param(defined(extensions={"http://example.com/ex": {}}), id="object-extension-value"),
    pytest.param(
        changed(result={"extensions": {"http://example.com/ex": [None, {"a": 1}]}}),
        id="any-json-in-result-extensions",
    ),
    pytest.param(in_context(extensions={}), id="empty-context-extensions"),
    pytest.param(
        in_context(contextActivities={"parent": {"id": ACTIVITY}}), id="single-context-activity"
    ),
    pytest.param(in_context(contextActivities={"other": []}), id="empty-context-activities"),
    pytest.param(in_context(revision="1", platform="web"), id="revision-with-activity"),
    pytest.param(in_context(language="zh-Hant-TW"), id="language-with-script"),
    pytest.param(changed(attachments=[]), id="no-attachments"),
    pytest.param(
        changed(
            attachments=[
                {
                    "usageType": "http://example.com/attachment-usage/test",
                    "display": {"en-US": "A test attachment"},
                    "contentType": "text/plain; charset=ascii",
                    "length": 27,
                    "sha2": SHA512,
                }
            ]
        ),
        id="attachment-sha512",
    ),
]

DURATIONS = [
    "PT1H0M0S",
    "P1DT2H",
    "PT0.5S",
    "P4W",
    "P3Y",
    "PT16559.14S",
    "P1Y2M3DT4H5M6S",
    "P1DT12H36M0.12567S",
    "PT1,5S",
    "P0D",
]
TIMESTAMPS = [
    "2008-09-15T15:53:00.601+00:00",
    "2008-09-15T15:53:00.601Z",
    "2008-09-15T15:53:00+05:30",
    "2008-09-15T15:53:00-08",
    "2008-09-15T15:53:00.601-0800",
    "2008-09-15T15:53Z",
    "2008-09-15T15:53:00.123456789Z",
    "2008-09-15T15:53:00,5Z",
    "2008-09-15T15:53:00",
    "2008-09-15t15:53:00z",
    "20080915T155300Z",
    "20080915T155300.601+0100",
]
LANGUAGE_TAGS = [
    "en",
    "en-US",
    "es-419",
    "zh-Hant-TW",
    "de-CH-1901",
    "sl-rozaj-biske",
    "tlh",
    "x-private",
    "i-klingon",
    "sgn-BE-FR",
    "en-a-bbb-x-a-ccc",
    "EN-us",
]
SCORES = [
    {"scaled": -1, "raw": -5, "min": -5, "max": 5},
    {"scaled": 1.0, "raw": 5, "min": -5, "max": 5},
    {"scaled": 0, "raw": 0.5, "min": 0, "max": 1},
    {"raw": 1e30},
    {"scaled": 0.12123434, "raw": 12.125, "min": 0.12123434, "max": 45.45},
]
INTERACTIONS = [
    {"interactionType": "true-false", "correctResponsesPattern": ["true"]},
    {"interactionType": "choice", "choices": [{"id": "a"}, {"id": "b"}]},
    {"interactionType": "sequencing", "choices": [{"id": "a"}], "correctResponsesPattern": []},
    {"interactionType": "likert", "scale": [{"id": "likert_0", "description": {"en": "Bad"}}]},
    {"interactionType": "matching", "source": [{"id": "a"}], "target": [{"id": "a"}]},
    {"interactionType": "performance", "steps": [{"id": "1"}, {"id": "2"}]},
    {"interactionType": "fill-in", "correctResponsesPattern": ["{case_matters=false}Bob"]},
    {"interactionType": "long-fill-in"},
    {"interactionType": "numeric", "correctResponsesPattern": ["4[:]"]},
    {"interactionType": "other", "correctResponsesPattern": ["(35.9,-86.4)"]},
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("body", VALID_IN_BOTH)
def test_valid_statement_is_accepted(body: dict[str, Any], version: str) -> None:
    statement = validate_statement(body, version=version)  # type: ignore[arg-type]
    assert statement.model_dump(by_alias=True, exclude_unset=True) == body


@pytest.mark.parametrize("version", VERSIONS)
def test_rich_statement_is_accepted(version: str) -> None:
    body = rich(version)
    statement = validate_statement(body, version=version)  # type: ignore[arg-type]
    assert isinstance(statement.actor, Group)
    assert statement.model_dump(by_alias=True, exclude_unset=True) == body


def test_xapi_2_properties_are_accepted_in_2_0() -> None:
    statement = validate_statement(rich("2.0.0"), version="2.0.0")
    assert statement.context is not None
    assert statement.context.context_agents is not None
    assert statement.context.context_agents[0].relevant_types == [
        "https://kompetanse.example/roles/mentor"
    ]


@pytest.mark.parametrize("version", ["2.0", "2.0.0", "2.0.7", "1.0.3"])
def test_2_0_accepts_1_0_and_2_0_versions(version: str) -> None:
    assert validate_statement(changed(version=version), version="2.0.0").version == version


@pytest.mark.parametrize("duration", DURATIONS)
def test_iso_8601_durations_are_accepted(duration: str) -> None:
    statement = validate_statement(changed(result={"duration": duration}), version="1.0.3")
    assert statement.result is not None
    assert statement.result.duration == duration


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("timestamp", TIMESTAMPS)
def test_iso_8601_and_rfc_3339_timestamps_are_accepted(timestamp: str, version: str) -> None:
    body = changed(timestamp=timestamp)
    assert validate_statement(body, version=version).timestamp == timestamp  # type: ignore[arg-type]


@pytest.mark.parametrize("tag", LANGUAGE_TAGS)
def test_rfc_5646_language_tags_are_accepted(tag: str) -> None:
    statement = validate_statement(
        changed(verb={"id": ACTIVITY, "display": {tag: "x"}}), version="1.0.3"
    )
    assert statement.verb.display == {tag: "x"}


@pytest.mark.parametrize("score", SCORES)
def test_scores_within_their_bounds_are_accepted(score: dict[str, Any]) -> None:
    statement = validate_statement(changed(result={"score": score}), version="1.0.3")
    assert statement.result is not None
    assert statement.result.score is not None


@pytest.mark.parametrize("definition", INTERACTIONS, ids=lambda d: d["interactionType"])
def test_interactions_with_their_component_lists_are_accepted(definition: dict[str, Any]) -> None:
    statement = validate_statement(defined(**definition), version="1.0.3")
    assert statement.object.definition.interaction_type == definition["interactionType"]  # type: ignore[union-attr]


def test_substatement_object_is_a_substatement_model() -> None:
    statement = validate_statement(substatement(), version="1.0.3")
    assert isinstance(statement.object, SubStatement)
    assert statement.object.timestamp == "2030-01-01T00:00:00Z"


def test_voiding_statement_points_at_a_statement_ref() -> None:
    statement = validate_statement(voiding("e05aa883-acaf-40ad-bf54-02c8ce485fb0"), version="1.0.3")
    assert isinstance(statement.object, StatementRef)


def test_models_validate_directly_as_xapi_2_0() -> None:
    body = rich("2.0.0")
    assert Statement.model_validate(body).model_dump(by_alias=True, exclude_unset=True) == body
