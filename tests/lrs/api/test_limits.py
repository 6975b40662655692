"""What no backend can store is refused the same way on every one, naming the property, and
before anything is written: 413 over 16 MiB, 400 for too deep, too big, not finite, not Unicode,
or keys MongoDB refuses; 400 naming the parameter for query parameters that cannot be read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrs.errors import StatementInvalid
from lrs.model import STATEMENT_LEVEL, check_storable
from tests.lrs.api.helpers import new_id, statement
from tests.lrs.model.strategies import statements

pytestmark = pytest.mark.anyio
JSON = {"Content-Type": "application/json"}
EXT = "http://x.example/e"
EXT_PATH = f'result.extensions["{EXT}"]'
MIB = 1024 * 1024
ACTIVITY = "https://kompetanse.example/activities/ny-i-nav"
AGENT = json.dumps({"mbox": "mailto:kari@nav.example"})


def nested(levels: int, inner: str = "1") -> str:
    """JSON text of `levels` arrays, one inside the other."""
    return "[" * levels + inner + "]" * levels


def with_extension(value_json: str, **extra: Any) -> str:
    """A statement's JSON text whose result extension is `value_json`, as sent."""
    placeholder = "__VALUE__"
    body = statement(result={"extensions": {EXT: placeholder}}, **extra)
    return json.dumps(body).replace(json.dumps(placeholder), value_json)


async def post(client: httpx.AsyncClient, text: str | bytes) -> httpx.Response:
    return await client.post("/xapi/statements", content=text, headers=JSON)


async def stored_count(client: httpx.AsyncClient) -> int:
    response = await client.get("/xapi/statements")
    assert response.status_code == 200, response.text
    return len(response.json()["statements"])


def assert_refused(response: httpx.Response, status: int, path: str, words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert body["message"].startswith(f"{path}: "), body
    assert words in body["message"], body
    if status in (400, 413):
        assert body["path"] == path


BAD_VALUES = [
    pytest.param(str(2**63), "", "-2^63 to 2^63-1", id="int-2^63"),
    pytest.param(str(-(2**63) - 1), "", "-2^63 to 2^63-1", id="int-below-int64"),
    pytest.param(f"[1, {2**64}]", "[1]", "-2^63 to 2^63-1", id="int-in-array"),
    pytest.param("1e400", "", "finite", id="1e400"),
    pytest.param("-1e400", "", "finite", id="minus-1e400"),
    pytest.param('{"a": 1E+999}', ".a", "finite", id="1E+999-in-object"),
    pytest.param('"\\ud800"', "", "lone surrogates", id="lone-surrogate-value"),
    pytest.param('"ok \\udfff"', "", "lone surrogates", id="lone-low-surrogate"),
    pytest.param('{"\\ud800": 1}', '["\\ud800"]', "lone surrogates", id="lone-surrogate-key"),
    pytest.param('{"a\\u0000b": 1}', '["a\\u0000b"]', "NUL", id="nul-in-key"),
    pytest.param('{"$set": 1}', '["$set"]', '"$"', id="dollar-key"),
    pytest.param('{"$ref": "x", "$id": 1}', '["$ref"]', '"$"', id="dbref-key"),
    pytest.param('[{"ok": {"$date": 1}}]', '[0].ok["$date"]', '"$"', id="deep-dollar-key"),
]


@pytest.mark.parametrize(("value", "below", "words"), BAD_VALUES)
async def test_a_value_no_backend_stores_is_a_400_naming_it(
    client: httpx.AsyncClient, value: str, below: str, words: str
) -> None:
    response = await post(client, with_extension(value))
    assert_refused(response, 400, f"statement[0].{EXT_PATH}{below}", words)
    assert await stored_count(client) == 0


@pytest.mark.parametrize(("value", "below", "words"), BAD_VALUES)
async def test_one_bad_statement_in_a_batch_stores_none_of_them(
    client: httpx.AsyncClient, value: str, below: str, words: str
) -> None:
    good = json.dumps(statement())
    text = f"[{good}, {good}, {with_extension(value)}, {good}]"
    response = await post(client, text)
    assert_refused(response, 400, f"statement[2].{EXT_PATH}{below}", words)
    assert await stored_count(client) == 0


async def test_a_put_statement_refused_is_not_stored(client: httpx.AsyncClient) -> None:
    statement_id = new_id()
    response = await client.put(
        "/xapi/statements",
        params={"statementId": statement_id},
        content=with_extension("1e400"),
        headers=JSON,
    )
    assert_refused(response, 400, f"statement.{EXT_PATH}", "finite")
    found = await client.get("/xapi/statements", params={"statementId": statement_id})
    assert found.status_code == 404


async def test_a_lone_surrogate_in_an_extension_key_is_named_in_ascii(
    client: httpx.AsyncClient,
) -> None:
    body = json.dumps(statement(result={"extensions": {"http://x.example/\ud800": 1}}))
    response = await post(client, body)
    assert_refused(
        response, 400, 'statement[0].result.extensions["http://x.example/\\ud800"]', "surrogates"
    )


async def test_a_lone_surrogate_in_a_string_property_is_a_400(client: httpx.AsyncClient) -> None:
    body = statement()
    body["actor"]["name"] = "Kari \ud800"
    response = await post(client, json.dumps(body))
    assert_refused(response, 400, "statement[0].actor.name", "surrogates")


async def test_largest_and_smallest_int64_dotted_keys_and_text_are_stored_as_sent(
    client: httpx.AsyncClient,
) -> None:
    value = {
        "max": 2**63 - 1,
        "min": -(2**63),
        "a.b": "dotted keys are stored",
        "x$": "a dollar inside a key is fine",
        "nb": "æøå \U0001f600",
        "f": 1e308,
    }
    statement_id = new_id()
    response = await post(client, with_extension(json.dumps(value), id=statement_id))
    assert response.status_code == 200, response.text
    found = await client.get("/xapi/statements", params={"statementId": statement_id})
    assert found.json()["result"]["extensions"][EXT] == value


# -- nesting ------------------------------------------------------------------------------------

# The statement's own object is level 3 of what is stored (lrs.model.STATEMENT_LEVEL), its
# `result` level 4, `result.extensions` level 5: an extension value may nest 95 levels more.
DEEPEST_EXTENSION = 95


async def test_the_deepest_extension_allowed_is_stored_and_read_back(
    client: httpx.AsyncClient,
) -> None:
    statement_id = new_id()
    text = with_extension(nested(DEEPEST_EXTENSION), id=statement_id)
    response = await post(client, text)
    assert response.status_code == 200, response.text
    found = await client.get("/xapi/statements", params={"statementId": statement_id})
    assert found.status_code == 200
    assert json.dumps(found.json()["result"]["extensions"][EXT]) == nested(DEEPEST_EXTENSION)


@pytest.mark.parametrize("levels", [DEEPEST_EXTENSION + 1, 101, 500, 900])
async def test_nesting_deeper_than_a_stored_document_may_is_a_400_naming_where(
    client: httpx.AsyncClient, levels: int
) -> None:
    response = await post(client, with_extension(nested(levels)))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["path"].startswith(f"statement[0].{EXT_PATH}[0][0]")
    assert "deeper than 100 levels" in body["message"]
    assert await stored_count(client) == 0


@pytest.mark.parametrize("levels", [2000, 100_000])
async def test_nesting_too_deep_to_parse_is_a_400(client: httpx.AsyncClient, levels: int) -> None:
    response = await post(client, with_extension(nested(levels)))
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("body: nests deeper than the 100 levels")
    assert await stored_count(client) == 0


# -- size ---------------------------------------------------------------------------------------


async def test_a_statement_over_16_mib_is_a_413_and_not_stored(client: httpx.AsyncClient) -> None:
    good = json.dumps(statement())
    big = with_extension(json.dumps("x" * (16 * MIB)))
    response = await post(client, f"[{good}, {big}]")
    assert_refused(response, 413, "statement[1]", "16 MiB")
    assert await stored_count(client) == 0


async def test_a_statement_whose_stored_document_is_over_16_mib_is_a_413(
    client: httpx.AsyncClient,
) -> None:
    """Context activities are stored twice: in the statement and in `related_activities`."""
    others = [{"id": f"{ACTIVITY}/{index}/{'x' * 100_000}"} for index in range(90)]
    body = json.dumps(statement(context={"contextActivities": {"other": others}}))
    assert len(body) < 10 * MIB
    response = await post(client, body)
    assert_refused(response, 413, "statement[0]", "16 MiB")
    assert await stored_count(client) == 0


async def test_a_batch_over_16_mib_of_statements_that_each_fit_is_stored(
    client: httpx.AsyncClient,
) -> None:
    one = with_extension(json.dumps("x" * (9 * MIB)))
    response = await post(client, f"[{one}, {one}]")
    assert response.status_code == 200, response.text
    assert await stored_count(client) == 2


async def test_a_refused_batch_leaves_nothing_in_the_journal(
    client: httpx.AsyncClient, app: FastAPI, tmp_path: Path
) -> None:
    marker = new_id()
    good = json.dumps(statement(id=marker))
    response = await post(client, f"[{good}, {with_extension('1e400')}]")
    assert response.status_code == 400
    journals = list((tmp_path / "data").glob("*.json*"))
    assert all(marker not in path.read_text(errors="replace") for path in journals)


# -- documents ----------------------------------------------------------------------------------

DOCUMENTS = [
    pytest.param(
        "/xapi/activities/state",
        {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"},
        id="state",
    ),
    pytest.param(
        "/xapi/activities/profile", {"activityId": ACTIVITY, "profileId": "p"}, id="activity"
    ),
    pytest.param("/xapi/agents/profile", {"agent": AGENT, "profileId": "p"}, id="agent"),
]
CREATE = {"If-None-Match": "*"}


@pytest.mark.parametrize(("path", "params"), DOCUMENTS)
@pytest.mark.parametrize("method", ["PUT", "POST"])
async def test_a_document_over_16_mib_is_a_413_and_not_stored(
    client: httpx.AsyncClient, path: str, params: dict[str, str], method: str
) -> None:
    content = b"x" * (16 * MIB + 1)
    response = await client.request(
        method,
        path,
        params=params,
        content=content,
        headers={**CREATE, "Content-Type": "application/octet-stream"},
    )
    assert_refused(response, 413, "body", "16 MiB")
    assert (await client.get(path, params=params)).status_code == 404


@pytest.mark.parametrize(("path", "params"), DOCUMENTS)
async def test_a_merge_growing_a_document_over_16_mib_is_a_413(
    client: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    half = json.dumps({"a": "x" * (9 * MIB)})
    first = await client.post(path, params=params, content=half, headers=JSON)
    assert first.status_code == 204, first.text
    second = json.dumps({"b": "y" * (9 * MIB)})
    response = await client.post(path, params=params, content=second, headers=JSON)
    assert_refused(response, 413, "body", "16 MiB")
    kept = await client.get(path, params=params)
    assert kept.json() == json.loads(half)


@pytest.mark.parametrize(("path", "params"), DOCUMENTS)
@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        pytest.param('{"a": 1e400}', "body.a", "finite", id="1e400"),
        pytest.param('{"a": NaN}', "body.a", "finite", id="NaN"),
        pytest.param('{"a": ' + nested(150) + "}", "body.a[0]", "deeper than 100", id="deep"),
    ],
)
async def test_a_json_document_that_cannot_be_merged_back_as_json_is_a_400(
    client: httpx.AsyncClient,
    path: str,
    params: dict[str, str],
    content: str,
    where: str,
    words: str,
) -> None:
    response = await client.post(path, params=params, content=content, headers=JSON)
    assert response.status_code == 400, response.text
    assert response.json()["path"].startswith(where)
    assert words in response.json()["message"]
    assert (await client.get(path, params=params)).status_code == 404


@pytest.mark.parametrize(("path", "params"), DOCUMENTS)
async def test_a_json_document_too_deep_to_parse_is_a_400(
    client: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    content = '{"a": ' + nested(5000) + "}"
    response = await client.post(path, params=params, content=content, headers=JSON)
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("body: ")


async def test_a_document_put_as_sent_keeps_what_json_merge_would_refuse(
    client: httpx.AsyncClient,
) -> None:
    """PUT stores bytes as sent; only a merge has to read and write the JSON back."""
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s"}
    content = b'{"$set": 1e400, "k\\u0000": 18446744073709551616}'
    response = await client.put(
        "/xapi/activities/state", params=params, content=content, headers=JSON
    )
    assert response.status_code == 204, response.text
    assert (await client.get("/xapi/activities/state", params=params)).content == content


# -- query parameters ---------------------------------------------------------------------------

BAD_AGENTS = [
    pytest.param(nested(2000), "agent: nests deeper", id="2000-deep"),
    pytest.param(nested(150), "agent[0]", id="150-deep"),
    pytest.param('{"mbox": "mailto:\\ud800@nav.example"}', "agent.mbox", id="lone-surrogate"),
    pytest.param('{"mbox": "mailto:kari@nav.example", "n": 1e400}', "agent.n", id="1e400"),
    pytest.param('{"mbox": "mailto:kari@nav.example", "\\u0000": 1}', "agent[", id="nul-key"),
    pytest.param("not json", "agent: not valid JSON", id="not-json"),
]
AGENT_RESOURCES = [
    pytest.param("/xapi/statements", {}, id="statements"),
    pytest.param("/xapi/agents", {}, id="agents"),
    pytest.param(
        "/xapi/activities/state", {"activityId": ACTIVITY, "stateId": "s"}, id="state-get"
    ),
    pytest.param("/xapi/activities/state", {"activityId": ACTIVITY}, id="state-ids"),
    pytest.param("/xapi/agents/profile", {"profileId": "p"}, id="agent-profile"),
]


@pytest.mark.parametrize(("path", "params"), AGENT_RESOURCES)
@pytest.mark.parametrize(("agent", "start"), BAD_AGENTS)
async def test_an_agent_parameter_that_cannot_be_read_is_a_400_naming_it(
    client: httpx.AsyncClient, path: str, params: dict[str, str], agent: str, start: str
) -> None:
    response = await client.get(path, params={**params, "agent": agent})
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith(start)


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
async def test_a_document_write_with_an_unreadable_agent_is_a_400(
    client: httpx.AsyncClient, method: str
) -> None:
    params = {"activityId": ACTIVITY, "stateId": "s", "agent": nested(3000)}
    response = await client.request(
        method, "/xapi/activities/state", params=params, content=b"{}", headers=JSON
    )
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("agent: ")


@pytest.mark.parametrize(
    "limit",
    [
        pytest.param("\u00b2", id="superscript-two"),
        pytest.param("\u0663", id="arabic-indic-three"),
        pytest.param("\uff11", id="fullwidth-one"),
        pytest.param("9" * 5000, id="5000-digits"),
        pytest.param("1" * 19, id="19-digits"),
        pytest.param("-1", id="negative"),
        pytest.param(" 1", id="space"),
    ],
)
async def test_a_limit_that_is_not_ascii_digits_is_a_400(
    client: httpx.AsyncClient, limit: str
) -> None:
    response = await client.get("/xapi/statements", params={"limit": limit})
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("limit: ")


async def test_a_limit_of_18_digits_asks_for_the_most_there_is(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/xapi/statements", params={"limit": "9" * 18})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "since", ["\u0662\u0660\u0662\u0666-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "x" * 5000]
)
@pytest.mark.parametrize("path", ["/xapi/activities/state", "/xapi/statements"])
async def test_a_since_that_is_not_a_timestamp_is_a_400(
    client: httpx.AsyncClient, since: str, path: str
) -> None:
    params = {"since": since}
    if path != "/xapi/statements":
        params |= {"activityId": ACTIVITY, "agent": AGENT}
    response = await client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("since: ")


# -- every bad value, anywhere in a valid statement ---------------------------------------------

MAP_FIELDS = frozenset({"display", "description", "extensions", "name"})
BAD_TEXTS = {
    "int64-max-plus-one": "9223372036854775808",
    "int64-min-minus-one": "-9223372036854775809",
    "overflow": "1e400",
    "lone-surrogate": '"\\ud800"',
    "deep": nested(120),
}
BAD_KEYS = {"nul": '"a\\u0000"', "dollar": '"$where"', "lone-surrogate": '"\\udfff"'}
PLACEHOLDER = "__BAD__"


def path_part(previous: str | int | None, key: str | int) -> str:
    """One step of a path as lrs.model writes it (see lrs.model._errors._path)."""
    if isinstance(key, int):
        return f"[{key}]"
    if previous not in MAP_FIELDS and key.isidentifier() and key.isascii():
        return f".{key}"
    return f"[{json.dumps(key, ensure_ascii=False)}]"


def positions(
    value: Any, path: str = "statement[0]", previous: str | int | None = None
) -> list[tuple[Any, str | int, str, str | int | None]]:
    """Every (container, key, path, key before) of a value inside the statement."""
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        where = path + path_part(previous, key)
        found.append((value, key, where, previous))
        if isinstance(item, dict | list):
            found.extend(positions(item, where, key))
    return found


@st.composite
def spoiled(draw: st.DrawFn) -> tuple[str, str, bool]:
    """A valid statement's JSON text with one bad value or key injected: (text, path, clean).

    `clean` says the statement held nothing unstorable before (the strategies may draw big
    integers in extensions); then the refusal must name `path`, where the fault went.
    """
    body = draw(statements("1.0.3"))
    clean = body_is_storable(body)
    if draw(st.booleans()):
        objects = [("statement[0]", body)] + [
            (where, item)
            for container, key, where, _ in positions(body)
            if isinstance(item := container[key], dict)
        ]
        where, target = draw(st.sampled_from(objects))
        bad = BAD_KEYS[draw(st.sampled_from(sorted(BAD_KEYS)))]
        target[PLACEHOLDER] = 1
        return json.dumps(body).replace(f'"{PLACEHOLDER}"', bad), f"{where}[{bad}]", clean
    container, key, where, _ = draw(st.sampled_from(positions(body)))
    container[key] = PLACEHOLDER
    bad = BAD_TEXTS[draw(st.sampled_from(sorted(BAD_TEXTS)))]
    return json.dumps(body).replace(f'"{PLACEHOLDER}"', bad), where, clean


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=spoiled())
async def test_a_bad_value_anywhere_in_a_valid_statement_is_a_400_naming_it(
    client: httpx.AsyncClient, case: tuple[str, str, bool]
) -> None:
    text, expected, clean = case
    response = await post(client, text)
    assert response.status_code == 400, response.text
    refused = response.json()
    assert refused["path"].startswith("statement[0]"), refused
    if clean:
        assert refused["path"].startswith(expected), (refused, expected)


def body_is_storable(body: dict[str, Any]) -> bool:
    try:
        check_storable(body, "statement", level=STATEMENT_LEVEL)
    except StatementInvalid:
        return False
    return True


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
async def test_a_non_json_constant_is_a_400_naming_where_it_is(
    client: httpx.AsyncClient, constant: str
) -> None:
    text = (
        '{"actor": {"mbox": "mailto:kari@nav.example"}, "verb": {"id": "http://example.com/v"},'
        ' "object": {"id": "http://example.com/a"}, "result": {"extensions": '
        f'{{"http://example.com/e": {constant}}}}}}}'
    )
    response = await post(client, text)
    path = 'statement[0].result.extensions["http://example.com/e"]'
    assert_refused(response, 400, path, "finite")
