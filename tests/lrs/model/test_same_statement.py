"""Statement comparison (Data §2.3.1): what the LRS may have changed is not a difference."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from lrs.model import same_statement
from tests.lrs.model.examples import OTHER_ID, STATEMENT_ID, minimal, rich, substatement

Json = dict[str, Any]


@pytest.fixture
def sent() -> Json:
    """A statement as a client sent it."""
    return rich("2.0.0")


def edit(change: Callable[[Json], object]) -> Callable[[Json], Json]:
    """A copy of a statement with `change` applied."""

    def edited(statement: Json) -> Json:
        copied = copy.deepcopy(statement)
        change(copied)
        return copied

    return edited


def set_in(path: str, value: object) -> Callable[[Json], Json]:
    """A copy with the property at a dotted path set, e.g. "result.score.raw"."""

    def change(statement: Json) -> None:
        *parents, name = path.split(".")
        target: Any = statement
        for parent in parents:
            target = target[int(parent)] if parent.isdigit() else target[parent]
        target[name] = value

    return edit(change)


def drop(name: str) -> Callable[[Json], Json]:
    return edit(lambda statement: statement.pop(name))


SAME = [
    pytest.param(edit(lambda s: None), id="identical"),
    pytest.param(set_in("stored", "2030-01-01T00:00:00.000Z"), id="stored"),
    pytest.param(set_in("authority", {"mbox": "mailto:lrs@nav.example"}), id="authority"),
    pytest.param(set_in("version", "1.0.3"), id="version"),
    pytest.param(drop("version"), id="no-version"),
    pytest.param(drop("id"), id="no-id"),
    pytest.param(set_in("id", STATEMENT_ID.upper()), id="id-upper-case"),
    pytest.param(drop("timestamp"), id="no-timestamp"),
    pytest.param(set_in("timestamp", "2026-11-23T09:15:00.123Z"), id="timestamp-in-utc"),
    pytest.param(set_in("timestamp", "2026-11-23T09:15:00.1239Z"), id="timestamp-sub-millisecond"),
    pytest.param(set_in("timestamp", "20261123T101500.123+0100"), id="timestamp-basic-format"),
    pytest.param(set_in("verb.display", {"nb": "opplevde"}), id="verb-display"),
    pytest.param(set_in("object.definition", {"name": {"en": "Other"}}), id="activity-definition"),
    pytest.param(drop("attachments"), id="attachments"),
    pytest.param(edit(lambda s: s["actor"]["member"].reverse()), id="members-reordered"),
    pytest.param(set_in("actor.member.0.mbox", "mailto:kari@NAV.EXAMPLE"), id="mbox-domain-case"),
    pytest.param(set_in("actor.member.0.mbox", "MAILTO:kari@nav.example"), id="mbox-scheme-case"),
    pytest.param(set_in("actor.member.1.mbox_sha1sum", "CD9B00A5611F94EAA7B1661EDAB976068E364975"),
                 id="sha1-case"),
    pytest.param(set_in("context.registration", OTHER_ID.upper()), id="registration-case"),
    pytest.param(set_in("context.statement.id", OTHER_ID.upper()), id="statement-ref-case"),
    pytest.param(set_in("context.language", "NB-no"), id="language-case"),
    pytest.param(set_in("context.contextActivities.category",
                        [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}]),
                 id="single-context-activity-as-list"),
    pytest.param(set_in("context.contextActivities.parent",
                        [{"id": "https://kompetanse.example/packages/ny-i-nav",
                          "definition": {"name": {"nb": "Pakke"}}}]),
                 id="context-activity-definition"),
    pytest.param(set_in("result.duration", "PT1H30M12.50S"), id="duration-trailing-zero"),
    pytest.param(set_in("result.score.raw", 95.0), id="number-as-float"),
    pytest.param(set_in("object.definition.extensions",
                        {"https://kompetanse.example/ext/hours": 7}), id="definition-extensions"),
]  # fmt: skip

DIFFERENT = [
    pytest.param(set_in("id", OTHER_ID), id="other-id"),
    pytest.param(set_in("timestamp", "2026-11-23T10:15:00.124+01:00"), id="other-timestamp"),
    pytest.param(set_in("actor.name", "Team Bergen"), id="actor-name"),
    pytest.param(set_in("actor.member.0.mbox", "mailto:KARI@nav.example"), id="mbox-local-case"),
    pytest.param(set_in("verb.id", "http://adlnet.gov/expapi/verbs/completed"), id="verb-id"),
    pytest.param(set_in("object.id", "https://kompetanse.example/activities/other"),
                 id="object-id"),
    pytest.param(set_in("result.success", False), id="result-success"),
    pytest.param(set_in("result.duration", "PT1H30M12S"), id="duration"),
    pytest.param(set_in("result.extensions", {"https://kompetanse.example/ext/attempts": True}),
                 id="extension-boolean-not-number"),
    pytest.param(set_in("context.extensions", {}), id="context-extensions"),
    pytest.param(set_in("context.registration", STATEMENT_ID), id="registration"),
    pytest.param(set_in("context.contextActivities.parent",
                        [{"id": "https://kompetanse.example/packages/other"}]),
                 id="context-activity"),
    pytest.param(set_in("context.contextAgents.0.relevantTypes",
                        ["https://kompetanse.example/roles/boss"]), id="relevant-types"),
    pytest.param(edit(lambda s: s["context"]["contextActivities"]["grouping"].append(
        {"id": "https://kompetanse.example/nav-x"})), id="one-more-context-activity"),
    pytest.param(drop("result"), id="no-result"),
]  # fmt: skip


@pytest.mark.parametrize("change", SAME)
def test_lrs_made_differences_are_ignored(sent: Json, change: Callable[[Json], Json]) -> None:
    changed = change(sent)
    assert same_statement(sent, changed)
    assert same_statement(changed, sent)


@pytest.mark.parametrize("change", DIFFERENT)
def test_real_differences_count(sent: Json, change: Callable[[Json], Json]) -> None:
    changed = change(sent)
    assert not same_statement(sent, changed)
    assert not same_statement(changed, sent)


def test_context_activities_are_unordered(sent: Json) -> None:
    grouping = sent["context"]["contextActivities"]["grouping"]
    grouping.append({"id": "https://kompetanse.example/other"})
    reordered = copy.deepcopy(sent)
    reordered["context"]["contextActivities"]["grouping"].reverse()
    assert same_statement(sent, reordered)


def test_substatements_compare_by_the_same_rules() -> None:
    planned = substatement()
    later = copy.deepcopy(planned)
    later["object"]["timestamp"] = "2030-01-01T01:00:00+01:00"
    later["object"]["verb"]["display"] = {"en": "experienced"}
    other = copy.deepcopy(planned)
    other["object"]["timestamp"] = "2030-01-02T00:00:00Z"
    assert same_statement(planned, later)
    assert not same_statement(planned, other)


def test_input_is_not_changed(sent: Json) -> None:
    before = copy.deepcopy(sent)
    same_statement(sent, minimal())
    assert sent == before
