"""A real uvicorn server used by the reference xAPI client, TinCanPy's RemoteLRS."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from tincan import (
    Activity,
    Agent,
    RemoteLRS,
    Statement,
    Verb,
)

from tests.server import KEY, SECRET, running_server


@pytest.fixture(scope="module")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteLRS]:
    with running_server(tmp_path_factory.mktemp("tincan")) as server:
        yield RemoteLRS(endpoint=server.endpoint, version="1.0.3", username=KEY, password=SECRET)


def make_statement(
    learner: str, activity: str = "https://kompetanse.example/a/ny-i-nav"
) -> Statement:
    return Statement(
        id=str(uuid.uuid4()),
        actor=Agent(name=learner, mbox=f"mailto:{learner}@nav.example"),
        verb=Verb(id="http://adlnet.gov/expapi/verbs/completed", display={"en-US": "completed"}),
        object=Activity(id=activity),
    )


def test_save_and_retrieve_a_statement(lrs: RemoteLRS) -> None:
    statement = make_statement("kari")
    saved = lrs.save_statement(statement)
    assert saved.success, saved.data
    fetched = lrs.retrieve_statement(str(statement.id))
    assert fetched.success, fetched.data
    assert fetched.content.actor.mbox == "mailto:kari@nav.example"
    assert fetched.content.stored is not None


def test_save_many_and_query_by_agent(lrs: RemoteLRS) -> None:
    statements = [make_statement("ola") for _ in range(3)]
    saved = lrs.save_statements(statements)
    assert saved.success, saved.data
    result = lrs.query_statements({"agent": Agent(mbox="mailto:ola@nav.example")})
    assert result.success, result.data
    assert {str(s.id) for s in result.content.statements} == {str(s.id) for s in statements}


def test_page_through_every_statement_with_more(lrs: RemoteLRS) -> None:
    activity = f"https://kompetanse.example/a/{uuid.uuid4()}"
    statements = [make_statement("per", activity) for _ in range(7)]
    assert lrs.save_statements(statements).success
    result = lrs.query_statements({"activity": Activity(id=activity), "limit": 3})
    assert result.success, result.data
    seen = [str(s.id) for s in result.content.statements]
    pages = 1
    while result.content.more:
        result = lrs.more_statements(result.content)
        assert result.success, result.data
        seen += [str(s.id) for s in result.content.statements]
        pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(str(s.id) for s in statements)


def test_wrong_secret_is_refused(lrs: RemoteLRS) -> None:
    intruder = RemoteLRS(endpoint=lrs.endpoint, version="1.0.3", username=KEY, password="wrong")
    response = intruder.save_statement(make_statement("mallory"))
    assert not response.success
    assert response.response.status == 401
