"""Completing a statement (id, stored, authority, version, timestamp, context activities as
lists) never changes the body it was sent as: that body is what a resend is compared with."""

from __future__ import annotations

import copy

from lrs.statements import complete_statement

AUTHORITY = {"objectType": "Agent", "mbox": "mailto:lrs@nav.example"}


def test_the_body_is_left_as_it_was_sent() -> None:
    parent = {"id": "https://kompetanse.example/a/ny-i-nav"}
    body = {
        "actor": {"mbox": "mailto:kari@nav.example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
        "object": {
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:ola@nav.example"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
            "object": {"id": "https://kompetanse.example/a/samling"},
            "context": {"contextActivities": {"parent": parent}},
        },
        "context": {"contextActivities": {"grouping": parent, "other": [parent]}},
    }
    sent = copy.deepcopy(body)
    statement = complete_statement(
        body,
        stored="2026-12-01T10:00:00.000Z",
        authority=AUTHORITY,
        version="1.0.3",
        statement_id=None,
    )
    assert body == sent
    assert statement["context"]["contextActivities"]["grouping"] == [parent]
    assert statement["object"]["context"]["contextActivities"]["parent"] == [parent]
    assert statement["stored"] == statement["timestamp"] == "2026-12-01T10:00:00.000Z"
    assert statement["authority"] == AUTHORITY
    assert statement["version"] == "1.0.0"
    assert "id" in statement
    assert "id" not in body
