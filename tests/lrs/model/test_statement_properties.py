"""Property tests: generated valid statements pass; one fault is reported where it was put."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lrs.errors import StatementInvalid
from lrs.model import format_statement, same_statement, validate_statement
from tests.lrs.model.strategies import (
    extension_paths,
    map_paths,
    object_paths,
    statements,
    string_paths,
)

Json = dict[str, Any]
Fault = Callable[[Json, str, st.DrawFn], str | None]

checks = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def versioned(draw: st.DrawFn) -> tuple[str, Json]:
    version = draw(st.sampled_from(["1.0.3", "2.0.0"]))
    return version, draw(statements(version))


# -- faults: each changes one thing and returns the path it expects in the error ---------------


def unknown_property(body: Json, version: str, draw: st.DrawFn) -> str | None:
    path, target = draw(st.sampled_from(list(object_paths(body))))
    target["unknownProperty"] = 1
    return f"{path}.unknownProperty"


def null_value(body: Json, version: str, draw: st.DrawFn) -> str | None:
    path, target = draw(st.sampled_from([found for found in object_paths(body) if found[1]]))
    key: str = draw(st.sampled_from(sorted(target)))
    target[key] = None
    return f"{path}.{key}"


def number_for_string(body: Json, version: str, draw: st.DrawFn) -> str | None:
    path, container, key = draw(st.sampled_from(list(string_paths(body))))
    container[key] = 12345
    return str(path)


def bad_language_tag(body: Json, version: str, draw: st.DrawFn) -> str | None:
    maps = list(map_paths(body))
    assume(maps)
    path, language_map = draw(st.sampled_from(maps))
    language_map["en-"] = "text"
    return f'{path}["en-"]'


def bad_extension_key(body: Json, version: str, draw: st.DrawFn) -> str | None:
    maps = list(extension_paths(body))
    assume(maps)
    path, extensions = draw(st.sampled_from(maps))
    extensions["example.com/no-scheme"] = True
    return f'{path}["example.com/no-scheme"]'


def missing_required(body: Json, version: str, draw: st.DrawFn) -> str | None:
    name = draw(st.sampled_from(["actor", "verb", "object"]))
    del body[name]
    return f"statement.{name}"


def bad_mbox(body: Json, version: str, draw: st.DrawFn) -> str | None:
    body["actor"] = {"mbox": draw(st.sampled_from(["kari@nav.example", "mailto:kari", ""]))}
    return "statement.actor.mbox"


def bad_uuid(body: Json, version: str, draw: st.DrawFn) -> str | None:
    body["id"] = draw(st.sampled_from(["not-a-uuid", "12345678-1234-5678-1234-56781234567", ""]))
    return "statement.id"


def scaled_out_of_range(body: Json, version: str, draw: st.DrawFn) -> str | None:
    scaled = draw(st.floats(min_value=1, exclude_min=True, allow_infinity=False))
    body["result"] = {"score": {"scaled": draw(st.sampled_from([scaled, -scaled]))}}
    return "statement.result.score.scaled"


def xapi_2_property_in_1_0_3(body: Json, version: str, draw: st.DrawFn) -> str | None:
    assume(version == "1.0.3")
    name = draw(st.sampled_from(["contextAgents", "contextGroups"]))
    body.setdefault("context", {})[name] = []
    return f"statement.context.{name}"


FAULTS: list[Fault] = [
    unknown_property,
    null_value,
    number_for_string,
    bad_language_tag,
    bad_extension_key,
    missing_required,
    bad_mbox,
    bad_uuid,
    scaled_out_of_range,
    xapi_2_property_in_1_0_3,
]


@st.composite
def faulty(draw: st.DrawFn) -> tuple[str, Json, str]:
    version, body = draw(versioned())
    fault = draw(st.sampled_from(FAULTS))
    path = fault(body, version, draw)
    assert path is not None
    return version, body, path


# -- properties ---------------------------------------------------------------------------------


@checks
@given(versioned())
def test_generated_statements_are_accepted(case: tuple[str, Json]) -> None:
    version, body = case
    statement = validate_statement(body, version=version)  # type: ignore[arg-type]
    assert statement.model_dump(by_alias=True, exclude_unset=True) == body


@settings(checks, max_examples=150)
@given(faulty())
def test_one_fault_is_reported_at_its_path(case: tuple[str, Json, str]) -> None:
    version, body, path = case
    try:
        validate_statement(body, version=version)  # type: ignore[arg-type]
    except StatementInvalid as error:
        assert error.path == path, error.message
    else:
        raise AssertionError(f"accepted a statement with a fault at {path}")


XAPI_NAMES = st.sampled_from(
    ["actor", "verb", "object", "id", "objectType", "mbox", "member", "definition", "result",
     "score", "context", "contextActivities", "parent", "display", "extensions", "timestamp"]
)  # fmt: skip
json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(XAPI_NAMES | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)


@checks
@given(json_documents, st.sampled_from(["1.0.3", "2.0.0"]))
def test_arbitrary_json_raises_only_statement_invalid(value: object, version: str) -> None:
    try:
        validate_statement(value, version=version)  # type: ignore[arg-type]
    except StatementInvalid as error:
        assert error.path.startswith("statement")
        assert error.reason


@checks
@given(versioned(), st.data())
def test_any_json_inside_a_statement_raises_only_statement_invalid(
    case: tuple[str, Json], data: st.DataObject
) -> None:
    version, body = case
    _, target = data.draw(st.sampled_from(list(object_paths(body))))
    key = data.draw(st.sampled_from([*sorted(target), "objectType"]))
    target[key] = data.draw(json_documents)
    try:
        validate_statement(body, version=version)  # type: ignore[arg-type]
    except StatementInvalid as error:
        assert error.path.startswith("statement")


@checks
@given(versioned(), st.lists(st.sampled_from(["en", "nb-NO", "*", "zh"]), max_size=3))
def test_formats_leave_the_input_alone_and_stay_valid(
    case: tuple[str, Json], languages: list[str]
) -> None:
    version, body = case
    before = copy.deepcopy(body)
    exact = format_statement(body, "exact", languages)
    ids = format_statement(body, "ids", languages)
    canonical = format_statement(body, "canonical", languages)
    assert body == before
    assert exact == body
    assert exact is not body
    for formatted in (ids, canonical):
        validate_statement(formatted, version=version)  # type: ignore[arg-type]
    assert all(len(language_map) <= 1 for _, language_map in map_paths(canonical))
    assert "display" not in ids["verb"]
    assert all("definition" not in target for _, target in object_paths(ids))


@checks
@given(versioned())
def test_a_statement_is_the_same_as_itself_as_the_lrs_returns_it(case: tuple[str, Json]) -> None:
    _, body = case
    returned = copy.deepcopy(body)
    returned.update(stored="2026-11-23T10:00:00.000Z", version="1.0.0")
    returned["authority"] = {"mbox": "mailto:lrs@nav.example"}
    if "id" in returned:
        returned["id"] = returned["id"].upper()
    for _, target in object_paths(returned):
        if isinstance(target.get("member"), list):
            target["member"].reverse()
    activities = returned.get("context", {}).get("contextActivities", {})
    for kind, value in activities.items():
        activities[kind] = value if isinstance(value, list) else [value]
    assert same_statement(body, returned)
    assert same_statement(returned, body)


@checks
@given(versioned())
def test_another_actor_makes_another_statement(case: tuple[str, Json]) -> None:
    _, body = case
    other = {**copy.deepcopy(body), "actor": {"mbox": "mailto:someone@else.example"}}
    assert not same_statement(body, other)
