"""TinCanPy's RemoteLRS round-trips State, Activity Profile and Agent Profile documents
against a real uvicorn server.

Two quirks of TinCanPy 1.0.0 shape the profile tests: it reads no ETag from responses (it looks
the header up in a list of tuples), and it PUTs a profile without any concurrency header when it
has no ETag, which xAPI forbids a client (Communication §3.1.s3.b1) and this LRS refuses with 400
as the ADL suite requires. So a profile is created with If-None-Match: * over plain HTTP, and
the ETag TinCanPy received is read from the raw response it exposes.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import re
import uuid
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from tincan import (
    Activity,
    ActivityProfileDocument,
    Agent,
    RemoteLRS,
    StateDocument,
)

from tests.server import HEADERS, KEY, SECRET, running_server

ACTIVITY = Activity(id="https://kompetanse.example/activities/ny-i-nav")
AGENT = Agent(mbox="mailto:kari@nav.example")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("tincan-documents")) as server:
        yield server.endpoint


@pytest.fixture
def lrs(endpoint: str) -> RemoteLRS:
    return RemoteLRS(endpoint=endpoint, version="1.0.3", username=KEY, password=SECRET)


def create(endpoint: str, resource: str, params: dict[str, str], content: bytes) -> None:
    response = httpx.put(
        f"{endpoint}/{resource}",
        params=params,
        content=content,
        auth=(KEY, SECRET),
        headers={
            "X-Experience-API-Version": "1.0.3",
            "If-None-Match": "*",
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 204, response.text


def test_state_round_trip(lrs: RemoteLRS) -> None:
    state = StateDocument(
        id="bookmark",
        activity=ACTIVITY,
        agent=AGENT,
        content=json.dumps({"page": 7}),
        content_type="application/json",
    )
    assert lrs.save_state(state).success
    fetched = lrs.retrieve_state(ACTIVITY, AGENT, "bookmark")
    assert fetched.success
    assert json.loads(bytes(fetched.content.content)) == {"page": 7}
    ids = lrs.retrieve_state_ids(ACTIVITY, AGENT)
    assert ids.success
    assert ids.content == ["bookmark"]
    assert lrs.delete_state(fetched.content).success
    assert lrs.retrieve_state(ACTIVITY, AGENT, "bookmark").response.status == 404


def test_activity_profile_round_trip(lrs: RemoteLRS, endpoint: str) -> None:
    create(endpoint, "activities/profile", {"activityId": ACTIVITY.id, "profileId": "p"}, b"{}")
    fetched = lrs.retrieve_activity_profile(ACTIVITY, "p")
    assert fetched.success
    profile = fetched.content
    profile.etag = fetched.response.getheader("ETag")
    profile.content = json.dumps({"theme": "dark"})
    profile.content_type = "application/json"
    saved = lrs.save_activity_profile(profile)
    assert saved.success, saved.data
    again = lrs.retrieve_activity_profile(ACTIVITY, "p")
    assert json.loads(bytes(again.content.content)) == {"theme": "dark"}
    assert lrs.retrieve_activity_profile_ids(ACTIVITY).content == ["p"]
    profile.etag = again.response.getheader("ETag")
    assert lrs.delete_activity_profile(profile).success
    assert lrs.retrieve_activity_profile_ids(ACTIVITY).content == []


def test_agent_profile_round_trip(lrs: RemoteLRS, endpoint: str) -> None:
    agent = json.dumps({"mbox": AGENT.mbox})
    create(endpoint, "agents/profile", {"agent": agent, "profileId": "prefs"}, b'{"lang": "nb"}')
    fetched = lrs.retrieve_agent_profile(AGENT, "prefs")
    assert fetched.success
    profile = fetched.content
    assert json.loads(bytes(profile.content)) == {"lang": "nb"}
    profile.etag = fetched.response.getheader("ETag")
    profile.content = json.dumps({"lang": "en"})
    profile.content_type = "application/json"
    assert lrs.save_agent_profile(profile).success
    assert json.loads(bytes(lrs.retrieve_agent_profile(AGENT, "prefs").content.content)) == {
        "lang": "en"
    }
    assert lrs.retrieve_agent_profile_ids(AGENT).content == ["prefs"]


def test_stale_etag_is_refused(lrs: RemoteLRS, endpoint: str) -> None:
    create(endpoint, "activities/profile", {"activityId": ACTIVITY.id, "profileId": "s"}, b"{}")
    profile = ActivityProfileDocument(
        id="s", activity=ACTIVITY, content="{}", content_type="application/json", etag='"0"'
    )
    response = lrs.save_activity_profile(profile)
    assert not response.success
    assert response.response.status == 412


def test_a_text_document_comes_back_as_stored(lrs: RemoteLRS) -> None:
    """TinCanJS compares the Content-Type it gets back with the one it stored: the LRS adds no
    charset to a text/plain document (the header as TinCanPy's raw response has it)."""
    state = StateDocument(
        id="notes",
        activity=ACTIVITY,
        agent=AGENT,
        content="side 7, avsnitt 2",
        content_type="text/plain",
    )
    assert lrs.save_state(state).success
    fetched = lrs.retrieve_state(ACTIVITY, AGENT, "notes")
    assert fetched.success
    assert fetched.response.getheader("Content-Type") == "text/plain"
    assert bytes(fetched.content.content) == b"side 7, avsnitt 2"


def test_a_multipart_response_names_an_unquoted_boundary(endpoint: str) -> None:
    """GET statements with attachments over a plain HTTP connection: the boundary in the
    header as the bytes on the wire, unquoted and of token characters, delimits the body."""
    content = b"Deltakerliste"
    sha2 = hashlib.sha256(content).hexdigest()
    statement_id = str(uuid.uuid4())
    body = {
        "id": statement_id,
        "actor": {"mbox": AGENT.mbox},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": ACTIVITY.id},
        "attachments": [
            {
                "usageType": "https://kompetanse.example/attachments/attendance-list",
                "display": {"nb": "Deltakerliste"},
                "contentType": "text/plain",
                "length": len(content),
                "sha2": sha2,
            }
        ],
    }
    sent = (
        b"--b\r\nContent-Type: application/json\r\n\r\n"
        + json.dumps(body).encode()
        + b"\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\n"
        + f"X-Experience-API-Hash: {sha2}\r\n\r\n".encode()
        + content
        + b"\r\n--b--\r\n"
    )
    posted = httpx.post(
        f"{endpoint}/statements",
        content=sent,
        auth=(KEY, SECRET),
        headers={**HEADERS, "Content-Type": "multipart/mixed; boundary=b"},
    )
    assert posted.status_code == 200, posted.text
    url = urlsplit(endpoint)
    connection = http.client.HTTPConnection(url.netloc, timeout=10)
    try:
        auth = "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
        query = urlencode({"statementId": statement_id, "attachments": "true"})
        connection.request(
            "GET", f"{url.path}/statements?{query}", headers={**HEADERS, "Authorization": auth}
        )
        response = connection.getresponse()
        raw = response.read()
    finally:
        connection.close()
    assert response.status == 200
    header = response.getheader("Content-Type")
    # an RFC 2045 token: visible ASCII but the tspecials ()<>@,;:\"/[]?= (so no quotes)
    token = r"[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+"
    match = re.fullmatch(f"multipart/mixed; boundary=({token})", header or "")
    assert match, header
    boundary = match.group(1).encode()
    assert raw.startswith(b"--" + boundary + b"\r\n")
    assert raw.rstrip().endswith(b"--" + boundary + b"--")
    assert raw.count(b"--" + boundary) == 3  # the statement, the attachment, the close
