"""The xAPI resources' parameters as OpenAPI declares them.

The routes read their parameters from the request themselves (each error naming the
parameter, unknown ones refused), so FastAPI sees none; these declarations put them in
`/openapi.json` for clients and for the fuzz suite, and change nothing that is accepted.
"""

from __future__ import annotations

from typing import Any

Parameter = dict[str, Any]

VERSION: Parameter = {
    "name": "X-Experience-API-Version",
    "in": "header",
    "required": True,
    "description": "1.0.x or 2.0.x, as the LRS serves them",
    "schema": {"type": "string", "pattern": r"^(1\.0|2\.0)(\.[0-9]+)?$"},
}
_IDENTIFIERS: dict[str, Any] = {
    "mbox": {"type": "string", "pattern": r"^mailto:[^@\s]+@[^@\s]+$"},
    "mbox_sha1sum": {"type": "string", "pattern": "^[0-9a-f]{40}$"},
    "openid": {"type": "string", "format": "uri"},
    "account": {
        "type": "object",
        "properties": {
            "homePage": {"type": "string", "format": "uri"},
            "name": {"type": "string", "minLength": 1},
        },
        "required": ["homePage", "name"],
        "additionalProperties": False,
    },
}
AGENT_SCHEMA: dict[str, Any] = {
    "description": "An Agent (or identified Group) with exactly one identifier",
    "oneOf": [
        {
            "type": "object",
            "properties": {
                "objectType": {"type": "string", "enum": ["Agent", "Group"]},
                "name": {"type": "string"},
                key: schema,
            },
            "required": [key],
            "additionalProperties": False,
        }
        for key, schema in _IDENTIFIERS.items()
    ],
}


def query(name: str, schema: dict[str, Any], *, required: bool = False) -> Parameter:
    return {"name": name, "in": "query", "required": required, "schema": schema}


def agent(*, required: bool) -> Parameter:
    """A parameter holding an Agent as JSON."""
    return {
        "name": "agent",
        "in": "query",
        "required": required,
        "content": {"application/json": {"schema": AGENT_SCHEMA}},
    }


IRI = {"type": "string", "format": "iri"}
UUID = {"type": "string", "format": "uuid"}
TIMESTAMP = {"type": "string", "format": "date-time"}
BOOLEAN = {"type": "boolean"}
JSON_BODY: dict[str, Any] = {"content": {"application/json": {"schema": {}}}}
DOCUMENT_BODY: dict[str, Any] = {
    "content": {
        "application/json": {"schema": {"type": "object"}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    }
}
PRECONDITIONS = [
    {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
    {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}},
]

STATEMENTS_GET = [
    VERSION,
    query("statementId", UUID),
    query("voidedStatementId", UUID),
    agent(required=False),
    query("verb", IRI),
    query("activity", IRI),
    query("registration", UUID),
    query("related_activities", BOOLEAN),
    query("related_agents", BOOLEAN),
    query("since", TIMESTAMP),
    query("until", TIMESTAMP),
    query("limit", {"type": "integer", "minimum": 0}),
    query("format", {"type": "string", "enum": ["ids", "exact", "canonical"]}),
    query("attachments", BOOLEAN),
    query("ascending", BOOLEAN),
    query("more", {"type": "string"}),
]


def statements_get() -> dict[str, Any]:
    return {"parameters": STATEMENTS_GET}


def statements_put() -> dict[str, Any]:
    return {
        "parameters": [VERSION, query("statementId", UUID, required=True)],
        "requestBody": {**JSON_BODY, "required": True},
    }


def statements_post() -> dict[str, Any]:
    return {"parameters": [VERSION], "requestBody": {**JSON_BODY, "required": True}}


def documents(
    id_param: str,
    *,
    activity: bool,
    with_agent: bool,
    registration: bool,
    writing: bool,
    reading: bool,
) -> dict[str, Any]:
    """One document resource's parameters: its id (required to write), what scopes it, the
    preconditions; `since` when reading (a list of ids)."""
    parameters = [VERSION, query(id_param, {"type": "string"}, required=writing)]
    if activity:
        parameters.append(query("activityId", IRI, required=True))
    if with_agent:
        parameters.append(agent(required=True))
    if registration:
        parameters.append(query("registration", UUID))
    if reading:
        parameters.append(query("since", TIMESTAMP))
    extra: dict[str, Any] = {"parameters": [*parameters, *PRECONDITIONS]}
    if writing:
        extra["requestBody"] = {**DOCUMENT_BODY, "required": True}
    return extra


def activities() -> dict[str, Any]:
    return {"parameters": [VERSION, query("activityId", IRI, required=True)]}


def agents() -> dict[str, Any]:
    return {"parameters": [VERSION, agent(required=True)]}
