"""The embedded engine's own matcher for plain filters decides exactly as mongomock's."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from mongomock.filtering import filter_applies as mongomock_applies

from lrs.store._indexed import _plain_match, filter_applies

FIELDS = ["a", "b", "_id"]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(-3, 3, allow_nan=False),
    st.sampled_from(["", "a", "b", "2026-01-01", "2026-12-31", "z"]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.fixed_dictionaries({"x": scalars}))
documents = st.dictionaries(st.sampled_from(FIELDS), values, max_size=3)
operator = st.one_of(
    st.tuples(st.sampled_from(["$gt", "$gte", "$lt", "$lte", "$ne"]), scalars),
    st.tuples(st.just("$in"), st.lists(scalars, max_size=3)),
    st.tuples(st.just("$exists"), st.booleans()),
)
condition = st.one_of(
    scalars,
    st.dictionaries(
        st.sampled_from(["$gt", "$lt", "$in", "$ne", "$exists", "$gte", "$lte"]),
        scalars,
        min_size=1,
        max_size=2,
    ),
    operator.map(lambda pair: {pair[0]: pair[1]}),
)
leaf = st.dictionaries(st.sampled_from(FIELDS), condition, min_size=1, max_size=2)
filters = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"$and": parts}),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"$or": parts}),
    ),
    max_leaves=6,
)


def mongomock(filter: dict[str, Any], document: dict[str, Any]) -> bool | str:
    try:
        return bool(mongomock_applies(filter, document))
    except Exception as error:
        return type(error).__name__


@settings(max_examples=3000, deadline=None)
@given(filters, documents)
def test_plain_filters_match_as_mongomock_matches(
    filter: dict[str, Any], document: dict[str, Any]
) -> None:
    decided = _plain_match(filter, document)
    if decided is not None:
        assert decided == mongomock(filter, document), (filter, document)


def test_the_store_filters_are_decided_without_mongomock() -> None:
    document = {
        "_id": "s1",
        "stored": "2026-11-01T10:00:00.000Z",
        "voided": False,
        "statement": {"id": "s1"},
    }
    log = {
        "$and": [
            {"pending": {"$exists": False}},
            {
                "$or": [
                    {"stored": {"$gt": "2026-10-01"}},
                    {"stored": "2026-10-01", "_id": {"$gt": "s0"}},
                ]
            },
            {"stored": {"$lte": "2026-12-01", "$gte": "2026-10-01"}},
        ]
    }
    assert _plain_match(log, document) is True
    assert _plain_match({"_id": "s1", "version": 3}, {**document, "version": 3}) is True
    assert _plain_match({"_id": "s1", "version": {"$exists": False}}, document) is True
    assert _plain_match({"statement": {"id": "s1"}}, document) is None  # a subdocument
    assert filter_applies({"statement.id": "s1"}, document)  # mongomock decides it


small = st.one_of(
    st.none(), st.booleans(), st.sampled_from([0, 1, 1.0, 2]), st.sampled_from(["a", "b", "c"])
)
plain_documents = st.dictionaries(st.sampled_from(FIELDS), small, max_size=3)
plain_leaf = st.dictionaries(
    st.sampled_from(FIELDS),
    st.one_of(
        small,
        st.tuples(st.sampled_from(["$gt", "$gte", "$lt", "$lte", "$ne"]), small).map(
            lambda p: {p[0]: p[1]}
        ),
        st.lists(small, max_size=3).map(lambda v: {"$in": v}),
        st.booleans().map(lambda v: {"$exists": v}),
    ),
    min_size=1,
    max_size=2,
)
plain_filters = st.recursive(
    plain_leaf,
    lambda inner: st.lists(inner, min_size=1, max_size=3).flatmap(
        lambda parts: st.sampled_from([{"$and": parts}, {"$or": parts}])
    ),
    max_leaves=5,
)


@settings(max_examples=4000, deadline=None)
@given(plain_filters, plain_documents)
def test_plain_values_match_as_mongomock_matches(
    filter: dict[str, Any], document: dict[str, Any]
) -> None:
    decided = _plain_match(filter, document)
    if decided is not None:
        assert decided == mongomock(filter, document), (filter, document)


DOMAIN: list[Any] = [None, True, False, 0, 1, 1.0, 2, "", "a", "b", [1], {"x": 1}]
MISSING = object()


def test_every_operator_on_every_kind_of_value_as_mongomock() -> None:
    """Exhaustive over a small domain: each condition kind, each wanted value, each value
    (or no field at all)."""
    decided = 0
    for value in [*DOMAIN, MISSING]:
        document = {"_id": "d"} if value is MISSING else {"_id": "d", "a": value}
        for wanted in DOMAIN:
            conditions: list[Any] = [
                wanted,
                *({op: wanted} for op in ("$gt", "$gte", "$lt", "$lte", "$ne")),
            ]
            conditions += [{"$in": [wanted]}, {"$in": [wanted, "a"]}, {"$exists": wanted}]
            for condition in conditions:
                found = _plain_match({"a": condition}, document)
                if found is not None:
                    decided += 1
                    assert found == mongomock({"a": condition}, document), (condition, document)
    assert decided > 200  # most plain cases are decided here, not by mongomock


def test_projections_copy_as_mongomock_copies() -> None:
    import mongomock

    from lrs.store._indexed import IndexedCollection

    raw = IndexedCollection(mongomock.MongoClient().db, "c")
    document = {"_id": "d", "a": 1, "b": {"c": [1, {"d": 2}]}, "e": None}
    raw.insert_all([document])
    stored = raw._documents["d"]
    for projection in [
        None,
        {},
        {"a": 1},
        {"a": 1, "_id": 0},
        {"_id": 1},
        {"_id": 0},
        {"b": 1, "zz": 1},
        {"b.c": 1},
        {"a": 0},
    ]:
        assert raw.project(stored, projection) == raw._copy_only_fields(stored, projection, dict), (
            projection
        )
    copy = raw.project(stored, None)
    copy["b"]["c"].append(3)
    assert stored["b"]["c"] == [1, {"d": 2}]  # a reader's copy is its own
