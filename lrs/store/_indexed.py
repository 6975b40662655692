"""A mongomock collection with indexes, so the embedded store answers queries without scanning.

mongomock answers every query by matching each document in the collection and copying every
match before it sorts and limits. That is correct but linear in the collection, and the LRS must
answer an agent-filtered query in milliseconds over tens of thousands of statements. This
subclass keeps what a database server keeps:

- hash indexes (multikey, like MongoDB's) on the first field of each declared index, used to pick
  candidate documents when a filter has an equality or ``$in`` on that field;
- one ordered index on ``(stored, _id)``, walked in either direction so that a sorted, limited
  query stops after ``limit`` matches.

The query language itself stays mongomock's: every candidate is still checked with
``mongomock.filtering.filter_applies``, so an index only ever narrows the set of documents to
look at, never decides what matches.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import bson
from bson import ObjectId
from mongomock import DuplicateKeyError
from mongomock.collection import Collection
from mongomock.filtering import filter_applies as _filter_applies
from pymongo.errors import WriteError

Document = dict[str, Any]
_MAX = "\U0010ffff"
_SCALARS = (str, int, float, bool)


class IndexedCollection(Collection):  # type: ignore[misc,unused-ignore]
    """A mongomock collection that maintains hash indexes and one ordered index."""

    def __init__(self, database: Any, name: str) -> None:
        super().__init__(
            database,
            name=name,
            _db_store=database._store,
            read_preference=database.read_preference,
            codec_options=database.codec_options,
        )
        self._hash: dict[str, dict[Any, set[Any]]] = {}
        self._entries: dict[Any, list[tuple[str, Any]]] = {}
        self._ordered_field: str | None = None
        self._order: list[tuple[str, Any]] = []
        self._order_keys: dict[Any, tuple[str, Any]] = {}
        self._unordered = 0  # documents with no string value in the ordered field
        self._seq: dict[Any, int] = {}  # insertion order, mongomock's natural order
        self._counter = itertools.count()
        self._has_unique_index = False  # only then must an insert check mongomock's uniques

    # -- declaring indexes ----------------------------------------------------------------

    def declare_index(self, keys: list[tuple[str, int]]) -> None:
        """Maintain an index for `keys` (a MongoDB index specification)."""
        fields = [field for field, _ in keys]
        if fields[1:] == ["_id"] and len(fields) == 2 and keys[0][1] == keys[1][1]:
            if self._ordered_field is None:
                self._ordered_field = fields[0]
                for doc_id in list(self._store._documents):
                    self._index_order(doc_id)
            return
        field = fields[0]
        if field == "_id" or field in self._hash:
            return
        self._hash[field] = {}
        for doc_id in list(self._store._documents):
            self._unindex_hash(doc_id)
            self._index_hash(doc_id)

    @property
    def _documents(self) -> dict[Any, Document]:
        """The collection's documents by id, without mongomock's per-access locking.

        The embedded engine runs on one event loop thread, so the locks only cost time.
        """
        documents: dict[Any, Document] = self._store._documents
        return documents

    def create_index(self, key_or_list: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("unique"):
            self._has_unique_index = True
        return super().create_index(key_or_list, *args, **kwargs)

    # -- keeping indexes current ----------------------------------------------------------

    def _insert(self, data: Any, session: Any = None, ordered: bool = True) -> Any:
        if not isinstance(data, dict) or session or isinstance(data.get("_id"), dict):
            # A list (mongomock calls back here for each document), or a rare case: as is.
            result = super()._insert(data, session, ordered=ordered)
            if isinstance(data, Mapping):
                self._reindex(data["_id"])
            return result
        # mongomock's insert, with its validation and deep copy done by one BSON round trip
        # (C speed): BSON checks the keys and types, and decoding gives the stored copy with
        # MongoDB's datetime precision.
        document: Document = data
        if "_id" not in document:
            document["_id"] = ObjectId()  # like pymongo, set on the caller's document
        doc_id = document["_id"]
        documents = self._documents
        if doc_id in documents:
            raise DuplicateKeyError("E11000 Duplicate Key Error", 11000)
        try:
            stored = bson.decode(bson.encode(document))
        except bson.errors.InvalidDocument as exc:
            raise WriteError(str(exc)) from exc
        documents[doc_id] = stored
        if self._has_unique_index:
            try:
                self._ensure_uniques(stored)
            except DuplicateKeyError:
                del documents[doc_id]
                raise
        self._reindex(doc_id)
        return doc_id

    def _update(self, spec: Any, document: Any, upsert: bool = False, **kwargs: Any) -> Any:
        before = len(self._store)
        touched = [doc["_id"] for doc in self._iter_documents(spec or {})]
        result = super()._update(spec, document, upsert=upsert, **kwargs)
        if len(self._store) != before:
            touched.extend(i for i in self._store._documents if i not in self._seq)
        for doc_id in touched:
            self._reindex(doc_id)
        return result

    def _delete(self, filter: Any, *args: Any, **kwargs: Any) -> Any:
        touched = [doc["_id"] for doc in self._iter_documents(filter or {})]
        result = super()._delete(filter, *args, **kwargs)
        for doc_id in touched:
            self._reindex(doc_id)
        return result

    def _reindex(self, doc_id: Any) -> None:
        self._unindex_hash(doc_id)
        self._unindex_order(doc_id)
        if doc_id not in self._documents:
            self._seq.pop(doc_id, None)
        else:
            self._seq.setdefault(doc_id, next(self._counter))
            self._index_hash(doc_id)
            self._index_order(doc_id)

    def _index_hash(self, doc_id: Any) -> None:
        doc = self._documents[doc_id]
        entries: list[tuple[str, Any]] = []
        for field, index in self._hash.items():
            for value in _values(doc, field):
                index.setdefault(value, set()).add(doc_id)
                entries.append((field, value))
        self._entries[doc_id] = entries

    def _unindex_hash(self, doc_id: Any) -> None:
        for field, value in self._entries.pop(doc_id, []):
            ids = self._hash[field].get(value)
            if ids is not None:
                ids.discard(doc_id)
                if not ids:
                    del self._hash[field][value]

    def _index_order(self, doc_id: Any) -> None:
        if self._ordered_field is None:
            return
        value = self._documents[doc_id].get(self._ordered_field)
        if not isinstance(value, str):
            self._unordered += 1
            self._order_keys[doc_id] = ("", None)
            return
        key = (value, doc_id)
        bisect.insort(self._order, key)
        self._order_keys[doc_id] = key

    def _unindex_order(self, doc_id: Any) -> None:
        key = self._order_keys.pop(doc_id, None)
        if key is None:
            return
        if key[1] is None:
            self._unordered -= 1
            return
        position = bisect.bisect_left(self._order, key)
        if position < len(self._order) and self._order[position] == key:
            del self._order[position]

    # -- answering queries ----------------------------------------------------------------

    def _iter_documents(self, filter: Any) -> Iterator[Document]:
        candidates = self._candidates(filter) if isinstance(filter, Mapping) else None
        if candidates is None:
            yield from super()._iter_documents(filter)
            return
        documents = self._documents
        exact = self._exact(filter)
        for doc_id in sorted(candidates, key=self._seq.__getitem__):
            doc = documents[doc_id]
            if exact or filter_applies(filter, doc):
                yield doc

    def _exact(self, filter: Mapping[str, Any]) -> bool:
        """Whether the indexes alone answer `filter`: only equalities or `$in` of strings on
        indexed fields (string equality is the same in Python and BSON), so no candidate
        needs checking again."""
        for field, wanted in filter.items():
            if field != "_id" and field not in self._hash:
                return False
            values = _wanted(wanted)
            if values is None or not all(isinstance(v, str) for v in values):
                return False
        return True

    def find_sorted(
        self,
        filter: Document,
        sort: list[tuple[str, int]],
        limit: int = 0,
        projection: Document | None = None,
    ) -> list[Document] | None:
        """Answer a sorted, limited query by walking the ordered index.

        Returns None when the sort is not the ordered index's (the caller then asks mongomock).
        """
        field = self._ordered_field
        if field is None or self._unordered or [f for f, _ in sort] != [field, "_id"]:
            return None
        descending = sort[0][1] < 0
        if sort[1][1] != sort[0][1]:
            return None
        candidates = self._candidates(filter)
        keys: Iterable[tuple[str, Any]]
        if candidates is not None and len(candidates) * 8 < len(self._order):
            keys = sorted((self._order_keys[i] for i in candidates), reverse=descending)
        else:
            low, high = _range(filter, field)
            start = 0 if low is None else _bisect_low(self._order, low)
            stop = len(self._order) if high is None else _bisect_high(self._order, high)
            ordered = self._order[start:stop]
            keys = reversed(ordered) if descending else ordered
        found: list[Document] = []
        for _, doc_id in keys:
            if candidates is not None and doc_id not in candidates:
                continue
            doc = self._documents[doc_id]
            if filter_applies(filter, doc):
                found.append(self._copy_only_fields(doc, projection, dict))
                if limit and len(found) >= limit:
                    break
        return found

    def _candidates(self, filter: Mapping[str, Any]) -> set[Any] | None:
        """Ids of a superset of the documents `filter` matches, or None if no index helps."""
        best: set[Any] | None = None
        for field, wanted in filter.items():
            found: set[Any] | None = None
            if field == "$and" and isinstance(wanted, list):
                for part in wanted:
                    if isinstance(part, Mapping):
                        found = _intersect(found, self._candidates(part))
            elif field == "_id" or field in self._hash:
                values = _wanted(wanted)
                if values is not None:
                    found = set()
                    for value in values:
                        if field == "_id":
                            if value in self._documents:
                                found.add(value)
                        else:
                            found |= self._hash[field].get(value, set())
            best = _intersect(best, found)
        return best


def filter_applies(filter: Any, document: Document) -> bool:
    """mongomock's own matcher: whether `document` matches `filter`."""
    return bool(_filter_applies(filter, document))


def _intersect(left: set[Any] | None, right: set[Any] | None) -> set[Any] | None:
    if left is None:
        return right
    if right is None:
        return left
    return left & right


def _wanted(condition: Any) -> list[Any] | None:
    """The values an equality or ``$in`` condition accepts, or None for any other condition."""
    if isinstance(condition, _SCALARS):
        return [condition]
    if isinstance(condition, Mapping) and list(condition) == ["$in"]:
        values = condition["$in"]
        if isinstance(values, list) and all(isinstance(v, _SCALARS) for v in values):
            return values
    return None


def _values(doc: Mapping[str, Any], field: str) -> list[Any]:
    """The hashable values a (possibly dotted, possibly multikey) field holds in `doc`."""
    if "." not in field:
        value = doc.get(field)
        if isinstance(value, list):
            return [item for item in value if isinstance(item, _SCALARS)]
        return [value] if isinstance(value, _SCALARS) else []
    current: list[Any] = [doc]
    for part in field.split("."):
        following: list[Any] = []
        for item in current:
            if isinstance(item, Mapping) and part in item:
                value = item[part]
                following.extend(value if isinstance(value, list) else [value])
        current = following
    return [value for value in current if isinstance(value, _SCALARS)]


def _range(filter: Mapping[str, Any], field: str) -> tuple[Any, Any]:
    """Bounds on `field` that every match satisfies: ((op, value) | None, (op, value) | None)."""
    low = high = None
    parts = [filter] + [p for p in filter.get("$and", []) if isinstance(p, Mapping)]
    for part in parts:
        condition = part.get(field)
        if not isinstance(condition, Mapping):
            continue
        for op, value in condition.items():
            if not isinstance(value, str):
                continue
            if op in ("$gt", "$gte") and (low is None or value > low[1]):
                low = (op, value)
            elif op in ("$lt", "$lte") and (high is None or value < high[1]):
                high = (op, value)
    return low, high


def _bisect_low(order: list[tuple[str, Any]], bound: tuple[str, str]) -> int:
    op, value = bound
    if op == "$gte":
        return bisect.bisect_left(order, (value,))
    return bisect.bisect_right(order, (value, _MAX))


def _bisect_high(order: list[tuple[str, Any]], bound: tuple[str, str]) -> int:
    op, value = bound
    if op == "$lte":
        return bisect.bisect_right(order, (value, _MAX))
    return bisect.bisect_left(order, (value,))
