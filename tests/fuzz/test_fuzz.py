"""The fuzz suite: schemathesis on the app's OpenAPI, and Hypothesis for bodies, in process
against the ASGI app with an administrator's session and an xAPI credential of scope `all`.

Whatever is sent, the answer is never a 5xx. Bounded: a few examples per operation and no
per-example deadline (the whole module runs in about a minute).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.python import asgi

from kompetanse.app import create_app
from kompetanse.settings import Settings
from tests.conftest import KEY, SECRET

ADMIN, PASSWORD = "fuzz-admin", "fuzz-admin-password"
# per operation (some 60 of them) and per body test; more with KOMPETANSE_FUZZ_EXAMPLES
EXAMPLES = int(os.environ.get("KOMPETANSE_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


async def _add_admin(config: Settings) -> None:
    application = create_app(config)
    async with application.router.lifespan_context(application):
        await application.state.accounts.add_user(ADMIN, PASSWORD, "admin")


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The app on a store of its own with an administrator, its documentation on, its
    lifespan run by schemathesis's event loop thread (stopped after the module)."""
    config = Settings(
        data_dir=Path(tmp_path_factory.mktemp("fuzz")) / "data",
        mongodb_uri=None,
        api_docs=True,
        bootstrap_key=KEY,
        bootstrap_secret=SECRET,
    )
    asyncio.run(_add_admin(config))
    application = create_app(config)
    yield application
    asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def session_cookie(fuzz_app: FastAPI) -> dict[str, str]:
    with asgi.get_client(fuzz_app) as http:
        signed = http.post("/api/session", json={"username": ADMIN, "password": PASSWORD})
    assert signed.status_code == 204, signed.text
    return {"kompetanse_session": signed.cookies["kompetanse_session"]}


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


def _operations() -> list[Any]:
    """Every operation of the OpenAPI, one test each (the app is only built, not started)."""
    spec = create_app(Settings(api_docs=True, mongodb_uri=None)).openapi()
    return [
        pytest.param(method.upper(), path, id=f"{method.upper()} {path}")
        for path, operations in spec["paths"].items()
        for method in operations
    ]


def _never_5xx(status: int, what: str, text: str) -> None:
    assert status < 500, f"{what} answered {status}: {text[:500]}"


@pytest.mark.parametrize(("method", "path"), _operations())
def test_no_operation_answers_5xx(
    fuzz_schema: Any, session_cookie: dict[str, str], method: str, path: str
) -> None:
    # signing out would end the session the other cases use: that one goes without it
    cookies = {} if (method, path) == ("DELETE", "/api/session") else session_cookie
    auth = (KEY, SECRET) if path.startswith("/xapi") else None

    operation = fuzz_schema[path][method]
    # what the schema allows, and what it does not (wrong types, missing required parameters)
    cases = operation.as_strategy(GenerationMode.POSITIVE) | operation.as_strategy(
        GenerationMode.NEGATIVE
    )

    @FUZZ
    @given(case=cases)
    def fuzz(case: Any) -> None:
        response = case.call(auth=auth, cookies=cookies)
        _never_5xx(response.status_code, f"{method} {case.formatted_path}", response.text)

    fuzz()


# Bodies: any JSON, and JSON shaped like what each route reads.
def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Lists and objects of `inner` (a function, not a lambda: Hypothesis reads a lambda's
    source to see that it recurses, and in some runs cannot find it)."""
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    _nested,
    max_leaves=12,
)
TEXT = st.text(max_size=30)
AGENT = st.fixed_dictionaries(
    {},
    optional={
        "objectType": st.sampled_from(["Agent", "Group", "x"]),
        "mbox": st.sampled_from(["mailto:kari@nav.no", "kari@nav.no"]) | TEXT,
        "name": TEXT,
        "account": st.fixed_dictionaries(
            {}, optional={"homePage": st.sampled_from(["https://ident.nav.no", ""]), "name": TEXT}
        ),
        "member": st.lists(JSON, max_size=2),
    },
)
STATEMENT = st.fixed_dictionaries(
    {},
    optional={
        "id": st.uuids().map(str) | TEXT,
        "actor": AGENT | JSON,
        "verb": st.fixed_dictionaries(
            {},
            optional={
                "id": st.sampled_from(["http://adlnet.gov/expapi/verbs/completed"]) | TEXT,
                "display": st.dictionaries(st.sampled_from(["nb", "en-US", "x y"]), TEXT),
            },
        ),
        "object": st.fixed_dictionaries(
            {},
            optional={
                "objectType": st.sampled_from(
                    ["Activity", "Agent", "StatementRef", "SubStatement"]
                ),
                "id": st.sampled_from(["https://kompetanse.nav.no/x", ""]) | TEXT,
                "definition": JSON,
            },
        ),
        "result": JSON,
        "context": JSON,
        "timestamp": st.datetimes().map(lambda d: d.isoformat()) | TEXT,
        "attachments": JSON,
        "version": TEXT,
    },
)
API_BODIES = {
    "/api/session": st.fixed_dictionaries({}, optional={"username": TEXT, "password": TEXT}),
    "/api/people/A1/exemptions": st.fixed_dictionaries(
        {}, optional={"package": TEXT, "reason": TEXT | JSON}
    ),
    "/api/people/A1/erasure": st.fixed_dictionaries({}, optional={"reason": TEXT | JSON}),
    "/api/regions/oslo/sessions": st.dictionaries(
        st.sampled_from(["package", "module", "date", "seats", "starts", "place"]), JSON | TEXT
    ),
    "/api/sessions/x/enrolments": st.dictionaries(st.sampled_from(["person"]), JSON),
    "/api/people": st.lists(st.dictionaries(TEXT, JSON | TEXT), max_size=3) | JSON,
}


@FUZZ
@given(body=st.lists(STATEMENT, max_size=3) | STATEMENT | JSON)
def test_statement_bodies_never_answer_5xx(fuzz_app: FastAPI, body: Any) -> None:
    with asgi.get_client(fuzz_app) as http:
        response = http.post(
            "/xapi/statements",
            data=json.dumps(body),
            auth=(KEY, SECRET),
            headers={"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"},
        )
    _never_5xx(response.status_code, "POST /xapi/statements", response.text)


@FUZZ
@given(body=JSON, content_type=st.sampled_from(["application/json", "text/plain"]))
def test_document_bodies_never_answer_5xx(fuzz_app: FastAPI, body: Any, content_type: str) -> None:
    params = {"activityId": "https://kompetanse.nav.no/a", "profileId": "p"}
    with asgi.get_client(fuzz_app) as http:
        for method in ("PUT", "POST"):
            response = http.request(
                method,
                "/xapi/activities/profile",
                params=params,
                data=json.dumps(body),
                auth=(KEY, SECRET),
                headers={"X-Experience-API-Version": "2.0.0", "Content-Type": content_type},
            )
            _never_5xx(response.status_code, f"{method} /xapi/activities/profile", response.text)


@FUZZ
@given(route=st.sampled_from(sorted(API_BODIES)), data=st.data())
def test_api_bodies_never_answer_5xx(
    fuzz_app: FastAPI, session_cookie: dict[str, str], route: str, data: st.DataObject
) -> None:
    body = data.draw(API_BODIES[route] | JSON, label="body")
    # the session route is the only one that needs no session (and must not lock it out)
    cookies = {} if route == "/api/session" else session_cookie
    with asgi.get_client(fuzz_app) as http:
        response = http.post(
            route,
            data=json.dumps(body),
            cookies=cookies,
            headers={"Content-Type": "application/json"},
        )
    _never_5xx(response.status_code, f"POST {route}", response.text)


def test_the_xapi_routes_declare_their_parameters() -> None:
    spec = create_app(Settings(api_docs=True, mongodb_uri=None)).openapi()
    declared = {
        (method.upper(), path): {p["name"] for p in operation.get("parameters", [])}
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        if path.startswith("/xapi/") and not path.startswith(("/xapi/about", "/xapi/profile"))
    }
    assert len(declared) == 23
    assert all("X-Experience-API-Version" in names for names in declared.values())
    assert {"agent", "verb", "since", "limit", "more"} <= declared[("GET", "/xapi/statements")]
    assert {"stateId", "activityId", "agent", "registration", "If-Match"} <= declared[
        ("PUT", "/xapi/activities/state")
    ]
    [statement_id] = [
        p
        for p in spec["paths"]["/xapi/statements"]["put"]["parameters"]
        if p["name"] == "statementId"
    ]
    assert statement_id["required"] is True


# The pages are not in the OpenAPI: their query strings and forms, with the session's token.
PAGES = [
    "/",
    "/logg-inn",
    "/sprak",
    "/nasjonalt",
    "/katalog",
    "/katalog/ny-i-nav",
    "/kontoret/nav-sagene",
    "/kontoret/nav-sagene/personer/A1",
    "/fylket/oslo",
    "/admin",
    "/admin/personer/A1",
    "/admin/revisjonslogg",
]
FORMS = [
    "/logg-inn",
    "/kontoret/nav-sagene/personer/A1/fritak",
    "/admin/personer/A1/sletting",
    "/min-laering/samlinger/x/pamelding",
]
NAMES = "status role package sort person actor action since neste lang reason username password"
FIELDS = st.sampled_from([*NAMES.split(), "csrf"])
QUERY = st.dictionaries(FIELDS | TEXT, TEXT, max_size=4)


@pytest.fixture(scope="module")
def page_token(fuzz_app: FastAPI, session_cookie: dict[str, str]) -> str:
    with asgi.get_client(fuzz_app) as http:
        page = http.get("/katalog", cookies=session_cookie)
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


@FUZZ
@given(path=st.sampled_from(PAGES), query=QUERY)
def test_page_queries_never_answer_5xx(
    fuzz_app: FastAPI, session_cookie: dict[str, str], path: str, query: dict[str, str]
) -> None:
    with asgi.get_client(fuzz_app) as http:
        response = http.get(path, params=query, cookies=session_cookie, allow_redirects=False)
    _never_5xx(response.status_code, f"GET {path}", response.text)


@FUZZ
@given(path=st.sampled_from(FORMS), fields=QUERY, with_token=st.booleans())
def test_page_forms_never_answer_5xx(
    fuzz_app: FastAPI,
    session_cookie: dict[str, str],
    page_token: str,
    path: str,
    fields: dict[str, str],
    with_token: bool,
) -> None:
    if with_token:
        fields = {**fields, "csrf": page_token}
    cookies = {} if path == "/logg-inn" else session_cookie
    with asgi.get_client(fuzz_app) as http:
        response = http.post(path, data=fields, cookies=cookies, allow_redirects=False)
    _never_5xx(response.status_code, f"POST {path}", response.text)
