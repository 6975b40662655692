"""Statements the LRS must reject, each with the path of the property at fault."""

from __future__ import annotations

from typing import Any

import pytest

from lrs.errors import StatementInvalid
from lrs.model import validate_agent, validate_statement
from tests.lrs.model.examples import ACTIVITY, OTHER_ID, VOIDED, minimal, rich, substatement

VERSIONS = ["1.0.3", "2.0.0"]
AGENT = {"mbox": "mailto:ola@nav.example"}
SHA256 = "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a"


def changed(**properties: Any) -> dict[str, Any]:
    return {**minimal(), **properties}


def without(name: str) -> dict[str, Any]:
    body = minimal()
    del body[name]
    return body


def defined(**definition: Any) -> dict[str, Any]:
    return changed(object={"id": ACTIVITY, "definition": definition})


def in_context(**context: Any) -> dict[str, Any]:
    return changed(context=context)


def scored(**score: Any) -> dict[str, Any]:
    return changed(result={"score": score})


def attached(**attachment: Any) -> dict[str, Any]:
    header = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "contentType": "text/plain",
        "length": 27,
        "sha2": SHA256,
    }
    return changed(attachments=[{**header, **attachment}])


def sub(**properties: Any) -> dict[str, Any]:
    body = substatement()
    body["object"].update(properties)
    return body


def group(**properties: Any) -> dict[str, Any]:
    return {"objectType": "Group", **properties}


INVALID_IN_BOTH = [
    # the statement itself
    pytest.param([minimal()], "statement", id="array-not-object"),
    pytest.param("statement", "statement", id="string-not-object"),
    pytest.param(without("actor"), "statement.actor", id="missing-actor"),
    pytest.param(without("verb"), "statement.verb", id="missing-verb"),
    pytest.param(without("object"), "statement.object", id="missing-object"),
    pytest.param(changed(foo=1), "statement.foo", id="unknown-property"),
    pytest.param(changed(Actor=AGENT), "statement.Actor", id="property-in-wrong-case"),
    pytest.param(changed(objectType="Statement"), "statement.objectType", id="top-objectType"),
    pytest.param(changed(result=None), "statement.result", id="null-value"),
    pytest.param(changed(id="not-a-uuid"), "statement.id", id="id-not-uuid"),
    pytest.param(changed(id="AA97B177-9383-4934-8543-0F91A7A028368"), "statement.id",
                 id="uuid-too-long"),
    pytest.param(changed(id="MA97B177-9383-4934-8543-0F91A7A02836"), "statement.id",
                 id="uuid-not-hex"),
    pytest.param(changed(id="aa97b17793834934854 30f91a7a02836"), "statement.id",
                 id="uuid-without-hyphens"),
    pytest.param(changed(id=12345), "statement.id", id="uuid-number"),
    # actor: agents and groups
    pytest.param(changed(actor={"mbox": "kari@nav.example"}), "statement.actor.mbox",
                 id="mbox-without-mailto"),
    pytest.param(changed(actor={"mbox": "mailto:should.fail.com"}), "statement.actor.mbox",
                 id="mbox-without-at"),
    pytest.param(changed(actor={"mbox": "mailto:kari @nav.example"}), "statement.actor.mbox",
                 id="mbox-with-space"),
    pytest.param(changed(actor={"mbox_sha1sum": "cd9b00a5"}), "statement.actor.mbox_sha1sum",
                 id="sha1-too-short"),
    pytest.param(changed(actor={"openid": "open.id.com/kari"}), "statement.actor.openid",
                 id="openid-without-scheme"),
    pytest.param(changed(actor={"account": {"name": "kari"}}), "statement.actor.account.homePage",
                 id="account-without-homePage"),
    pytest.param(changed(actor={"account": {"homePage": "https://nav.example"}}),
                 "statement.actor.account.name", id="account-without-name"),
    pytest.param(changed(actor={"account": {"homePage": "homePage.com/x", "name": "1"}}),
                 "statement.actor.account.homePage", id="homePage-without-scheme"),
    pytest.param(changed(actor={"account": {"homePage": "https://nav.example", "name": 1}}),
                 "statement.actor.account.name", id="account-name-number"),
    pytest.param(changed(actor={**AGENT, "openid": "https://openid.example/ola"}),
                 "statement.actor", id="agent-with-two-identifiers"),
    pytest.param(changed(actor={"name": "Kari"}), "statement.actor", id="agent-without-identifier"),
    pytest.param(changed(actor={**AGENT, "objectType": "agent"}), "statement.actor.objectType",
                 id="objectType-in-wrong-case"),
    pytest.param(changed(actor={**AGENT, "objectType": 123}), "statement.actor.objectType",
                 id="objectType-number"),
    pytest.param(changed(actor={**AGENT, "name": {"key": "value"}}), "statement.actor.name",
                 id="agent-name-object"),
    pytest.param(changed(actor=group(member=[group(mbox="mailto:team@nav.example")])),
                 "statement.actor.member[0].objectType", id="group-in-group"),
    pytest.param(changed(actor=group()), "statement.actor.member",
                 id="anonymous-group-without-members"),
    pytest.param(changed(actor=group(member=[])), "statement.actor.member",
                 id="anonymous-group-with-no-members"),
    pytest.param(changed(actor=group(member=[None])), "statement.actor.member[0]",
                 id="null-member"),
    pytest.param(changed(actor={"member": [AGENT]}), "statement.actor.member",
                 id="group-without-objectType"),
    pytest.param(changed(actor=group(mbox="mailto:t@nav.example", openid="https://o.example/t")),
                 "statement.actor", id="identified-group-with-two-identifiers"),
    # verb
    pytest.param(changed(verb={"display": {"en": "x"}}), "statement.verb.id", id="verb-without-id"),
    pytest.param(changed(verb={"id": "adlnet.gov/expapi/verbs/attended"}), "statement.verb.id",
                 id="verb-id-without-scheme"),
    pytest.param(changed(verb={"id": "http://x.example/should fail"}), "statement.verb.id",
                 id="verb-id-with-space"),
    pytest.param(changed(verb={"id": ""}), "statement.verb.id", id="verb-id-empty"),
    pytest.param(changed(verb={"id": ACTIVITY, "display": {"en-US-": "x"}}),
                 'statement.verb.display["en-US-"]', id="display-bad-language-tag"),
    pytest.param(changed(verb={"id": ACTIVITY, "display": {"a12345678": "x"}}),
                 'statement.verb.display["a12345678"]', id="display-tag-too-long"),
    pytest.param(changed(verb={"id": ACTIVITY, "display": {"": "x"}}),
                 'statement.verb.display[""]', id="display-empty-tag"),
    pytest.param(changed(verb={"id": ACTIVITY, "display": {"en": 5}}),
                 'statement.verb.display["en"]', id="display-value-number"),
    pytest.param(changed(verb={"id": ACTIVITY, "display": "attended"}), "statement.verb.display",
                 id="display-not-a-map"),
    # object
    pytest.param(changed(object={"objectType": "activity", "id": ACTIVITY}),
                 "statement.object.objectType", id="object-objectType-in-wrong-case"),
    pytest.param(changed(object={"objectType": 1, "id": ACTIVITY}), "statement.object.objectType",
                 id="object-objectType-number"),
    pytest.param(changed(object=AGENT), "statement.object.objectType",
                 id="agent-object-without-objectType"),
    pytest.param(changed(object={"objectType": "Activity"}), "statement.object.id",
                 id="activity-without-id"),
    pytest.param(changed(object={"id": "www.example.com/meetings"}), "statement.object.id",
                 id="activity-id-without-scheme"),
    pytest.param(changed(object={"id": ACTIVITY, "definition": "x"}), "statement.object.definition",
                 id="definition-not-an-object"),
    pytest.param(defined(type="should error"), "statement.object.definition.type",
                 id="definition-type-not-iri"),
    pytest.param(defined(moreInfo="virtualmeeting.example.com"),
                 "statement.object.definition.moreInfo", id="moreInfo-not-irl"),
    pytest.param(defined(name={"en": ["x"]}), 'statement.object.definition.name["en"]',
                 id="definition-name-value-array"),
    pytest.param(defined(description=7), "statement.object.definition.description",
                 id="definition-description-number"),
    pytest.param(defined(extensions={"not.valid.com/extension": 1}),
                 'statement.object.definition.extensions["not.valid.com/extension"]',
                 id="extension-key-not-iri"),
    pytest.param(defined(interactionType="Choice"), "statement.object.definition.interactionType",
                 id="interactionType-unknown"),
    pytest.param(defined(correctResponsesPattern=["a"]),
                 "statement.object.definition.correctResponsesPattern",
                 id="pattern-without-interactionType"),
    pytest.param(defined(choices=[{"id": "a"}]), "statement.object.definition.choices",
                 id="choices-without-interactionType"),
    pytest.param(defined(interactionType="likert", choices=[{"id": "a"}]),
                 "statement.object.definition.choices", id="choices-for-likert"),
    pytest.param(defined(interactionType="true-false", scale=[{"id": "a"}]),
                 "statement.object.definition.scale", id="scale-for-true-false"),
    pytest.param(defined(interactionType="choice", choices=[{"id": "a"}, {"id": "a"}]),
                 "statement.object.definition.choices[1].id", id="component-ids-not-unique"),
    pytest.param(defined(interactionType="matching", source=[{"description": {"en": "x"}}]),
                 "statement.object.definition.source[0].id", id="component-without-id"),
    pytest.param(defined(interactionType="likert", scale=[{"id": "a", "description": {"x-": "b"}}]),
                 'statement.object.definition.scale[0].description["x-"]',
                 id="component-description-bad-tag"),
    pytest.param(defined(interactionType="numeric", correctResponsesPattern="4"),
                 "statement.object.definition.correctResponsesPattern", id="pattern-not-a-list"),
    pytest.param(defined(interactionType="numeric", correctResponsesPattern=[4]),
                 "statement.object.definition.correctResponsesPattern[0]", id="pattern-number"),
    pytest.param(changed(object={"objectType": "StatementRef"}), "statement.object.id",
                 id="statementref-without-id"),
    pytest.param(changed(object={"objectType": "StatementRef", "id": "should fail"}),
                 "statement.object.id", id="statementref-id-not-uuid"),
    pytest.param(changed(object={"objectType": "StatementRef", "id": OTHER_ID, "x": 1}),
                 "statement.object.x", id="statementref-extra-property"),
    # substatements
    pytest.param(sub(id=OTHER_ID), "statement.object.id", id="substatement-with-id"),
    pytest.param(sub(stored="2026-01-01T00:00:00Z"), "statement.object.stored",
                 id="substatement-with-stored"),
    pytest.param(sub(version="1.0.0"), "statement.object.version", id="substatement-with-version"),
    pytest.param(sub(authority=AGENT), "statement.object.authority",
                 id="substatement-with-authority"),
    pytest.param(sub(object=substatement()["object"]), "statement.object.object.objectType",
                 id="nested-substatement"),
    pytest.param(sub(verb=None), "statement.object.verb", id="substatement-null-verb"),
    pytest.param(sub(object={"id": "x"}), "statement.object.object.id",
                 id="substatement-activity-id-not-iri"),
    pytest.param(sub(context={"platform": "web"}, object={"objectType": "Agent", **AGENT}),
                 "statement.object.context.platform", id="substatement-platform-about-agent"),
    # result
    pytest.param(scored(scaled=1.01), "statement.result.score.scaled", id="scaled-above-1"),
    pytest.param(scored(scaled=-1.00001), "statement.result.score.scaled",
                 id="scaled-below-minus-1"),
    pytest.param(scored(scaled=True), "statement.result.score.scaled", id="scaled-boolean"),
    pytest.param(scored(raw="5"), "statement.result.score.raw", id="raw-string"),
    pytest.param(scored(raw=11, min=0, max=10), "statement.result.score.raw", id="raw-above-max"),
    pytest.param(scored(raw=-1, min=0, max=10), "statement.result.score.raw", id="raw-below-min"),
    pytest.param(scored(min=5, max=5), "statement.result.score.min", id="min-equal-to-max"),
    pytest.param(scored(min=6, max=5), "statement.result.score.min", id="min-above-max"),
    pytest.param(scored(max=float("inf")), "statement.result.score.max", id="max-infinite"),
    pytest.param(scored(raw=float("nan")), "statement.result.score.raw", id="raw-nan"),
    pytest.param(scored(raw=10**400), "statement.result.score.raw", id="raw-beyond-double"),
    pytest.param(scored(percent=5), "statement.result.score.percent", id="score-extra-property"),
    pytest.param(changed(result={"success": "true"}), "statement.result.success",
                 id="success-string"),
    pytest.param(changed(result={"completion": 1}), "statement.result.completion",
                 id="completion-number"),
    pytest.param(changed(result={"response": 42}), "statement.result.response",
                 id="response-number"),
    pytest.param(changed(result={"extensions": "x"}), "statement.result.extensions",
                 id="result-extensions-string"),
    pytest.param(changed(result={"extensions": {"example.com/wrong": 1}}),
                 'statement.result.extensions["example.com/wrong"]', id="result-extension-key"),
    # context
    pytest.param(in_context(registration="wrong"), "statement.context.registration",
                 id="registration-not-uuid"),
    pytest.param(in_context(instructor={"mbox": "x"}), "statement.context.instructor.mbox",
                 id="instructor-bad-mbox"),
    pytest.param(in_context(team={"objectType": "Agent", **AGENT}),
                 "statement.context.team.objectType", id="team-is-an-agent"),
    pytest.param(in_context(team=AGENT), "statement.context.team.objectType",
                 id="team-without-objectType"),
    pytest.param(in_context(contextActivities={"consequences": []}),
                 "statement.context.contextActivities.consequences", id="unknown-context-type"),
    pytest.param(in_context(contextActivities={"parent": "x"}),
                 "statement.context.contextActivities.parent", id="context-activity-string"),
    pytest.param(in_context(contextActivities={"other": [{"id": ACTIVITY}, {"key": "v"}]}),
                 "statement.context.contextActivities.other[1].id", id="context-activity-invalid"),
    pytest.param(in_context(contextActivities={"grouping": {"id": "x"}}),
                 "statement.context.contextActivities.grouping.id",
                 id="single-context-activity-invalid"),
    pytest.param(changed(object={"objectType": "Agent", **AGENT}, context={"revision": "2"}),
                 "statement.context.revision", id="revision-about-agent"),
    pytest.param(changed(object={"objectType": "StatementRef", "id": OTHER_ID},
                         context={"platform": "web"}),
                 "statement.context.platform", id="platform-about-statementref"),
    pytest.param(in_context(language="en-"), "statement.context.language", id="language-bad-tag"),
    pytest.param(in_context(statement={"objectType": "Activity", "id": ACTIVITY}),
                 "statement.context.statement.objectType", id="context-statement-not-ref"),
    # timestamps and version
    pytest.param(changed(timestamp="should fail"), "statement.timestamp", id="timestamp-text"),
    pytest.param(changed(timestamp="01/011/2015"), "statement.timestamp", id="timestamp-us-date"),
    pytest.param(changed(timestamp="2008-09-15T15:53:00.601-00"), "statement.timestamp",
                 id="timestamp-minus-00"),
    pytest.param(changed(timestamp="2008-09-15T15:53:00.601-0000"), "statement.timestamp",
                 id="timestamp-minus-0000"),
    pytest.param(changed(timestamp="2008-09-15T15:53:00.601-00:00"), "statement.timestamp",
                 id="timestamp-minus-00-00"),
    pytest.param(changed(timestamp="2015-13-01T00:00:00Z"), "statement.timestamp",
                 id="timestamp-month-13"),
    pytest.param(changed(timestamp="2015-02-30T00:00:00Z"), "statement.timestamp",
                 id="timestamp-february-30"),
    pytest.param(changed(timestamp="2015-11-18T24:00:00Z"), "statement.timestamp",
                 id="timestamp-hour-24"),
    pytest.param(changed(timestamp="2015-11-18T12:00:00+24:00"), "statement.timestamp",
                 id="timestamp-offset-24h"),
    pytest.param(changed(timestamp="2015-11-18"), "statement.timestamp", id="timestamp-date-only"),
    pytest.param(changed(timestamp="2015-11-18 12:00:00Z"), "statement.timestamp",
                 id="timestamp-space-separator"),
    pytest.param(changed(timestamp=1447848000), "statement.timestamp", id="timestamp-number"),
    pytest.param(changed(stored="yesterday"), "statement.stored", id="stored-not-timestamp"),
    pytest.param(changed(version="1.1.0"), "statement.version", id="version-1.1.0"),
    pytest.param(changed(version="0.9.9"), "statement.version", id="version-0.9.9"),
    pytest.param(changed(version="1.0.x"), "statement.version", id="version-1.0.x"),
    pytest.param(changed(version="1.0.\u0663"), "statement.version", id="version-arabic-digit"),
    pytest.param(changed(timestamp="\uff12\uff10\uff12\uff16-11-23T10:15:00Z"),
                 "statement.timestamp", id="timestamp-full-width-digits"),
    pytest.param(changed(result={"duration": "P\u0663D"}), "statement.result.duration",
                 id="duration-arabic-digit"),
    pytest.param(changed(version=1.0), "statement.version", id="version-number"),
    # authority
    pytest.param(changed(authority=group(member=[AGENT])), "statement.authority",
                 id="authority-group-of-one"),
    pytest.param(changed(authority=group(member=[AGENT, AGENT, AGENT])), "statement.authority",
                 id="authority-group-of-three"),
    pytest.param(changed(authority=group(mbox="mailto:g@nav.example", member=[AGENT, AGENT])),
                 "statement.authority", id="authority-identified-group"),
    pytest.param(changed(authority={"objectType": "Agent"}), "statement.authority",
                 id="authority-agent-without-identifier"),
    # voiding
    pytest.param(changed(verb={"id": VOIDED}), "statement.object", id="voiding-an-activity"),
    pytest.param(changed(verb={"id": VOIDED}, object={"objectType": "Agent", **AGENT}),
                 "statement.object", id="voiding-an-agent"),
    # attachments
    pytest.param(changed(attachments={}), "statement.attachments", id="attachments-not-a-list"),
    pytest.param(changed(attachments=[1]), "statement.attachments[0]", id="attachment-number"),
    pytest.param(attached(display=None), "statement.attachments[0].display",
                 id="attachment-null-display"),
    pytest.param(attached(usageType="should fail"), "statement.attachments[0].usageType",
                 id="usageType-not-iri"),
    pytest.param(attached(contentType="text"), "statement.attachments[0].contentType",
                 id="contentType-not-media-type"),
    pytest.param(attached(length="27"), "statement.attachments[0].length", id="length-string"),
    pytest.param(attached(length=27.5), "statement.attachments[0].length", id="length-fraction"),
    pytest.param(attached(length=True), "statement.attachments[0].length", id="length-boolean"),
    pytest.param(attached(length=-1), "statement.attachments[0].length", id="length-negative"),
    pytest.param(attached(sha2="not-hex"), "statement.attachments[0].sha2", id="sha2-not-hex"),
    pytest.param(attached(fileUrl="over.there.com/file.txt"), "statement.attachments[0].fileUrl",
                 id="fileUrl-without-scheme"),
    pytest.param(attached(description={"en-US": None}),
                 'statement.attachments[0].description["en-US"]', id="description-null-text"),
]  # fmt: skip

INVALID_IN_1_0_3 = [
    pytest.param(changed(version="2.0.0"), "statement.version", id="version-2.0.0"),
    pytest.param(in_context(contextAgents=[]), "statement.context.contextAgents",
                 id="contextAgents"),
    pytest.param(in_context(contextGroups=[]), "statement.context.contextGroups",
                 id="contextGroups"),
    pytest.param(rich("2.0.0"), "statement.context.contextAgents", id="rich-2.0-statement"),
]  # fmt: skip


def context_agent(**properties: Any) -> dict[str, Any]:
    return in_context(contextAgents=[{"objectType": "contextAgent", "agent": AGENT, **properties}])


def context_group(**properties: Any) -> dict[str, Any]:
    team = group(mbox="mailto:team@nav.example")
    return in_context(contextGroups=[{"objectType": "contextGroup", "group": team, **properties}])


INVALID_IN_2_0 = [
    pytest.param(changed(version="3.0.0"), "statement.version", id="version-3.0.0"),
    pytest.param(in_context(contextAgents={}), "statement.context.contextAgents",
                 id="contextAgents-not-a-list"),
    pytest.param(context_agent(objectType="Should fail"),
                 "statement.context.contextAgents[0].objectType", id="contextAgent-objectType"),
    pytest.param(context_agent(agent={"key": "Should fail"}),
                 "statement.context.contextAgents[0].agent.key", id="contextAgent-invalid-agent"),
    pytest.param(context_agent(agent=group(mbox="mailto:team@nav.example")),
                 "statement.context.contextAgents[0].agent.objectType", id="contextAgent-group"),
    pytest.param(context_agent(relevantTypes=[]),
                 "statement.context.contextAgents[0].relevantTypes", id="relevantTypes-empty"),
    pytest.param(context_agent(relevantTypes=["abc"]),
                 "statement.context.contextAgents[0].relevantTypes[0]", id="relevantType-not-iri"),
    pytest.param(in_context(contextAgents=[{"agent": AGENT}]),
                 "statement.context.contextAgents[0].objectType", id="contextAgent-no-objectType"),
    pytest.param(context_group(group=AGENT), "statement.context.contextGroups[0].group.objectType",
                 id="contextGroup-agent"),
    pytest.param(in_context(contextGroups=[{"objectType": "contextGroup"}]),
                 "statement.context.contextGroups[0].group", id="contextGroup-without-group"),
    pytest.param(context_group(relevantTypes="https://x.example/type"),
                 "statement.context.contextGroups[0].relevantTypes", id="relevantTypes-string"),
]  # fmt: skip


def rejection(body: object, version: str) -> StatementInvalid:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(body, version=version)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(("body", "path"), INVALID_IN_BOTH)
def test_invalid_statement_is_rejected_at_its_path(body: object, path: str, version: str) -> None:
    error = rejection(body, version)
    assert error.path == path
    assert error.message == f"{path}: {error.reason}"


@pytest.mark.parametrize(("body", "path"), INVALID_IN_1_0_3)
def test_xapi_2_0_properties_are_rejected_in_1_0_3(body: object, path: str) -> None:
    assert rejection(body, "1.0.3").path == path


@pytest.mark.parametrize(("body", "path"), INVALID_IN_2_0)
def test_invalid_2_0_statement_is_rejected_at_its_path(body: object, path: str) -> None:
    assert rejection(body, "2.0.0").path == path


def test_path_starts_with_the_callers_prefix() -> None:
    error = rejection(changed(actor={"mbox": "kari@nav.example"}), "1.0.3")
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(changed(actor={"mbox": "kari"}), version="1.0.3", path="statement[3]")
    assert error.path == "statement.actor.mbox"
    assert caught.value.path == "statement[3].actor.mbox"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param(changed(actor={"mbox": "kari"}), ["mailto", "'kari'"], id="mbox"),
        pytest.param(without("verb"), ["required"], id="missing"),
        pytest.param(changed(foo=1), ["not a property"], id="unknown"),
        pytest.param(scored(raw="5"), ["number", "string"], id="wrong-type"),
        pytest.param(changed(verb={"id": VOIDED}), ["StatementRef"], id="voiding"),
        pytest.param(sub(object=substatement()["object"]), ["SubStatement"], id="nested"),
    ],
)
def test_reason_says_what_is_wrong(body: dict[str, Any], words: list[str]) -> None:
    reason = rejection(body, "1.0.3").reason
    assert all(word in reason for word in words), reason


@pytest.mark.parametrize(
    "agent",
    [
        pytest.param({"mbox": "mailto:kari@nav.example"}, id="agent"),
        pytest.param({"objectType": "Agent", "account": {"homePage": "https://x.example",
                                                          "name": "kari"}}, id="account"),
        pytest.param(group(mbox="mailto:team@nav.example"), id="identified-group"),
        pytest.param(group(member=[AGENT]), id="anonymous-group"),
    ],
)  # fmt: skip
def test_agent_parameter_is_accepted(agent: dict[str, Any]) -> None:
    validated = validate_agent(agent, version="1.0.3")
    assert validated.model_dump(by_alias=True, exclude_unset=True) == agent


@pytest.mark.parametrize(
    ("agent", "path"),
    [
        pytest.param("wrong", "agent", id="not-json-object"),
        pytest.param({}, "agent", id="no-identifier"),
        pytest.param({"mbox": "kari@nav.example"}, "agent.mbox", id="bad-mbox"),
        pytest.param({"objectType": "Activity", "id": ACTIVITY}, "agent.objectType",
                     id="activity"),
        pytest.param(group(), "agent.member", id="anonymous-group-without-members"),
        pytest.param({**AGENT, "Agent": 1}, "agent.Agent", id="unknown-property-named-like-a-tag"),
    ],
)  # fmt: skip
def test_bad_agent_parameter_is_rejected(agent: object, path: str) -> None:
    with pytest.raises(StatementInvalid) as caught:
        validate_agent(agent, version="2.0.0")
    assert caught.value.path == path


@pytest.mark.parametrize(
    "duration",
    ["P", "PT", "1H", "PT1H30", "PA1H0M0S", "P4W1D", "P1DT", "-PT1H", "PT1.H", "P1H", "pt1h", ""],
)
def test_malformed_durations_are_rejected(duration: str) -> None:
    assert rejection(changed(result={"duration": duration}), "1.0.3").path == (
        "statement.result.duration"
    )
