"""Hypothesis strategies for valid xAPI statements, and the paths inside them.

`statements(version)` draws statements that satisfy every Data §2 rule for that version;
`object_paths`, `string_paths` and `map_paths` list where a test can inject a single fault.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

Json = dict[str, Any]

LANGUAGE_TAGS = [
    "en", "en-US", "en-GB", "nb", "nb-NO", "nn", "se", "es-419", "zh-Hant-TW", "sr-Latn-RS",
    "de-CH-1901", "sl-rozaj-biske", "x-private", "i-klingon", "en-a-bbb-x-a-ccc", "tlh",
]  # fmt: skip
INTERACTION_LISTS = {
    "true-false": (),
    "choice": ("choices",),
    "fill-in": (),
    "long-fill-in": (),
    "matching": ("source", "target"),
    "performance": ("steps",),
    "sequencing": ("choices",),
    "likert": ("scale",),
    "numeric": (),
    "other": (),
}
MAP_KEYS = frozenset({"display", "name", "description"})

_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~", min_size=1, max_size=12)
_texts = st.text(max_size=20)


@st.composite
def iris(draw: st.DrawFn) -> str:
    scheme = draw(st.sampled_from(["http", "https", "urn", "tag", "HTTPS"]))
    if scheme == "urn":
        return f"urn:{draw(_words)}:{draw(_words)}"
    if scheme == "tag":
        return f"tag:nav.example,2026:{draw(_words)}"
    host = draw(st.sampled_from(["example.com", "kompetanse.nav.example", "xn--bcher-kva.ch"]))
    path = "/".join(draw(st.lists(_words, max_size=3)))
    unicode_part = draw(st.sampled_from(["", "/æøå", "/%C3%A6", "#frag", "?q=1&r=2"]))
    return f"{scheme}://{host}/{path}{unicode_part}"


uuids = st.uuids().map(str) | st.uuids().map(lambda value: str(value).upper())
language_maps = st.dictionaries(st.sampled_from(LANGUAGE_TAGS), _texts, min_size=1, max_size=3)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_texts, inner, max_size=3),
    max_leaves=6,
)
extensions = st.dictionaries(iris(), json_values, max_size=2)


@st.composite
def optional(draw: st.DrawFn, /, **fields: st.SearchStrategy[Any]) -> Json:
    """Each field present or absent."""
    return {key: draw(value) for key, value in fields.items() if draw(st.booleans())}


@st.composite
def identifiers(draw: st.DrawFn) -> Json:
    """One inverse functional identifier."""
    user = draw(_words)
    kind = draw(st.sampled_from(["mbox", "mbox_sha1sum", "openid", "account"]))
    if kind == "mbox":
        return {"mbox": f"mailto:{user}@{draw(st.sampled_from(['nav.example', 'NAV.no']))}"}
    if kind == "mbox_sha1sum":
        return {"mbox_sha1sum": hashlib.sha1(user.encode()).hexdigest()}  # noqa: S324
    if kind == "openid":
        return {"openid": f"https://openid.example/{user}"}
    return {"account": {"homePage": draw(iris()), "name": user}}


@st.composite
def agents(draw: st.DrawFn, object_type: bool = False) -> Json:
    agent = draw(optional(name=_texts))
    if object_type or draw(st.booleans()):
        agent["objectType"] = "Agent"
    return {**agent, **draw(identifiers())}


@st.composite
def groups(draw: st.DrawFn, anonymous: bool | None = None) -> Json:
    group: Json = {"objectType": "Group", **draw(optional(name=_texts))}
    if anonymous is None:
        anonymous = draw(st.booleans())
    members = draw(st.lists(agents(), min_size=1 if anonymous else 0, max_size=3))
    if not anonymous:
        group.update(draw(identifiers()))
    if members or anonymous:
        group["member"] = members
    return group


def actors(object_type: bool = False) -> st.SearchStrategy[Json]:
    return agents(object_type) | groups()


@st.composite
def components(draw: st.DrawFn) -> list[Json]:
    ids = draw(st.lists(_words, max_size=4, unique=True))
    return [{"id": id_, **draw(optional(description=language_maps))} for id_ in ids]


@st.composite
def definitions(draw: st.DrawFn) -> Json:
    definition = draw(
        optional(
            name=language_maps,
            description=language_maps,
            type=iris(),
            moreInfo=iris(),
            extensions=extensions,
        )
    )
    if draw(st.booleans()):
        interaction_type = draw(st.sampled_from(sorted(INTERACTION_LISTS)))
        definition["interactionType"] = interaction_type
        if draw(st.booleans()):
            definition["correctResponsesPattern"] = draw(st.lists(_texts, max_size=3))
        for key in INTERACTION_LISTS[interaction_type]:
            definition[key] = draw(components())
    return definition


@st.composite
def activities(draw: st.DrawFn) -> Json:
    activity: Json = {"id": draw(iris())}
    if draw(st.booleans()):
        activity["objectType"] = "Activity"
    if draw(st.booleans()):
        activity["definition"] = draw(definitions())
    return activity


statement_refs = st.builds(lambda id_: {"objectType": "StatementRef", "id": id_}, uuids)


@st.composite
def scores(draw: st.DrawFn) -> Json:
    score = draw(optional(scaled=st.floats(-1, 1) | st.sampled_from([-1, 0, 1])))
    if draw(st.booleans()):
        low = draw(st.integers(-100, 100))
        high = low + draw(st.integers(1, 100))
        score.update(min=low, max=high, raw=draw(st.floats(low, high) | st.just(high)))
    elif draw(st.booleans()):
        score["raw"] = draw(st.floats(-1e6, 1e6))
    return score


@st.composite
def durations(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        return f"P{draw(st.integers(0, 52))}W"
    date = "".join(f"{draw(st.integers(0, 99))}{unit}" for unit in "YMD" if draw(st.booleans()))
    time = "".join(f"{draw(st.integers(0, 99))}{unit}" for unit in "HM" if draw(st.booleans()))
    time += draw(st.sampled_from(["", "7S", "0.5S", "12.125S", "1,5S"]))
    if not date and not time:
        time = "0S"
    return f"P{date}T{time}" if time else f"P{date}"


@st.composite
def timestamps(draw: st.DrawFn) -> str:
    moment = draw(st.datetimes(datetime(1970, 1, 1), datetime(2100, 1, 1)))
    offset = timedelta(minutes=draw(st.integers(-12 * 60, 14 * 60)))
    local = moment.replace(tzinfo=UTC).astimezone(timezone(offset))
    zone = local.strftime("%z")
    style = draw(st.sampled_from(["Z", "offset", "basic", "rfc3339-lower", "no-zone"]))
    if style == "Z":
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if style == "offset":
        return local.strftime("%Y-%m-%dT%H:%M:%S.%f") + f"{zone[:3]}:{zone[3:]}"
    if style == "basic":
        return local.strftime("%Y%m%dT%H%M%S") + zone
    if style == "rfc3339-lower":
        return moment.strftime("%Y-%m-%dt%H:%M:%Sz")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")


@st.composite
def contexts(draw: st.DrawFn, version: str, about_activity: bool) -> Json:
    context_activities = draw(
        optional(
            parent=st.lists(activities(), max_size=2) | activities(),
            grouping=st.lists(activities(), max_size=2),
            category=st.lists(activities(), max_size=2),
            other=activities(),
        )
    )
    context = draw(
        optional(
            registration=uuids,
            instructor=actors(),
            team=groups(),
            language=st.sampled_from(LANGUAGE_TAGS),
            statement=statement_refs,
            extensions=extensions,
        )
    )
    if context_activities:
        context["contextActivities"] = context_activities
    if about_activity:
        context.update(draw(optional(revision=_texts, platform=_texts)))
    if version == "2.0.0":
        relevant = st.lists(iris(), min_size=1, max_size=2)
        context.update(
            draw(
                optional(
                    contextAgents=st.lists(
                        st.builds(
                            lambda agent, more: {
                                "objectType": "contextAgent",
                                "agent": agent,
                                **more,
                            },
                            agents(),
                            optional(relevantTypes=relevant),
                        ),
                        max_size=2,
                    ),
                    contextGroups=st.lists(
                        st.builds(
                            lambda group, more: {
                                "objectType": "contextGroup",
                                "group": group,
                                **more,
                            },
                            groups(),
                            optional(relevantTypes=relevant),
                        ),
                        max_size=2,
                    ),
                )
            )
        )
    return context


attachments = st.builds(
    lambda required, more: {**required, **more},
    st.fixed_dictionaries(
        {
            "usageType": iris(),
            "display": language_maps,
            "contentType": st.sampled_from(["text/plain; charset=utf-8", "image/png"]),
            "length": st.integers(0, 10**9),
            "sha2": st.binary(max_size=8).map(lambda data: hashlib.sha256(data).hexdigest()),
        }
    ),
    optional(description=language_maps, fileUrl=iris()),
)


@st.composite
def statement_bodies(draw: st.DrawFn, version: str, sub: bool = False) -> Json:
    """actor, verb, object, result, context, timestamp, attachments: what both kinds share."""
    kinds = ["Activity", "Agent", "Group", "StatementRef", *([] if sub else ["SubStatement"])]
    kind = draw(st.sampled_from(kinds))
    target = {
        "Activity": activities(),
        "Agent": agents(object_type=True),
        "Group": groups(),
        "StatementRef": statement_refs,
        "SubStatement": statement_bodies(version, sub=True),
    }[kind]
    body: Json = {
        "actor": draw(actors()),
        "verb": {"id": draw(iris()), **draw(optional(display=language_maps))},
        "object": draw(target),
    }
    if kind == "SubStatement":
        body["object"]["objectType"] = "SubStatement"
    body.update(
        draw(
            optional(
                result=optional(
                    score=scores(),
                    success=st.booleans(),
                    completion=st.booleans(),
                    response=_texts,
                    duration=durations(),
                    extensions=extensions,
                ),
                context=contexts(version, about_activity=kind == "Activity"),
                timestamp=timestamps(),
                attachments=st.lists(attachments, max_size=2),
            )
        )
    )
    return body


oauth_groups = st.builds(
    lambda app, user: {"objectType": "Group", "member": [app, user]}, agents(), agents()
)
"""An authority for 3-legged OAuth: an anonymous Group of two Agents."""


@st.composite
def statements(draw: st.DrawFn, version: str) -> Json:
    """A statement valid in `version`."""
    statement = draw(statement_bodies(version))
    versions = ["1.0", "1.0.0", "1.0.3"] + (["2.0", "2.0.0"] if version == "2.0.0" else [])
    statement.update(
        draw(
            optional(
                id=uuids,
                stored=timestamps(),
                version=st.sampled_from(versions),
                authority=agents() | oauth_groups,
            )
        )
    )
    return statement


# -- where a single fault can go ----------------------------------------------------------------


def object_paths(value: Any, path: str = "statement") -> Iterator[tuple[str, Json]]:
    """Every xAPI object (not a language map or extension) inside a statement, with its path."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            if key not in MAP_KEYS and key != "extensions":
                yield from object_paths(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from object_paths(item, f"{path}[{index}]")


def string_paths(value: Any, path: str = "statement") -> Iterator[tuple[str, Any, str | int]]:
    """Every string property or array item outside maps: (path, container, key)."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        if key in MAP_KEYS or key == "extensions":
            continue
        where = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
        if isinstance(item, str):
            yield where, value, key
        elif isinstance(item, dict | list):
            yield from string_paths(item, where)


def map_paths(statement: Json) -> Iterator[tuple[str, Json]]:
    """Every language map in a statement: (path, the map)."""
    for path, value in object_paths(statement):
        for key in MAP_KEYS:
            if isinstance(value.get(key), dict):
                yield f"{path}.{key}", value[key]


def extension_paths(statement: Json) -> Iterator[tuple[str, Json]]:
    for path, value in object_paths(statement):
        if isinstance(value.get("extensions"), dict):
            yield f"{path}.extensions", value["extensions"]
