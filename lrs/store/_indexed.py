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
import functools
import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

import bson
from bson import ObjectId
from bson.codec_options import CodecOptions
from mongomock import DuplicateKeyError
from mongomock.collection import Collection
from mongomock.filtering import filter_applies as _filter_applies
from mongomock.filtering import resolve_sort_key
from pymongo.errors import DocumentTooLarge, WriteError

from lrs.store._sharing import Sharing

Document = dict[str, Any]
TICK: Any = object()
"""Yielded by a scan between documents: the reader may let other tasks run."""
_NONE: frozenset[Any] = frozenset()
_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024  # MongoDB's maxBsonObjectSize
_DUPLICATE_KEY = 11000
_TICK_EVERY = 256  # documents looked at
_CODEC: CodecOptions[Document] = CodecOptions(tz_aware=True)
_MAX = "\U0010ffff"
_SCALARS = (str, int, float, bool)
_HELD = object()  # the index key of a field held by no scalar value (see `_values`)
_IMMUTABLE = frozenset({str, int, float, bool, type(None)})


class IndexedCollection(Collection):  # type: ignore[misc,unused-ignore]
    """A mongomock collection that maintains hash indexes and one ordered index.

    Stored documents are never changed in place (an update replaces the document with a
    private copy first), so they can share equal parts (:mod:`lrs.store._sharing`) and a
    snapshot or a long read can hold them while writes go on.
    """

    def __init__(self, database: Any, name: str, sharing: Sharing | None = None) -> None:
        super().__init__(
            database,
            name=name,
            _db_store=database._store,
            read_preference=database.read_preference,
            codec_options=database.codec_options,
        )
        if not self._store._documents:
            self._store._documents = {}  # a dict holds a document in half an OrderedDict's room
        self._sharing = sharing or Sharing()
        self._hash: dict[str, dict[Any, set[Any]]] = {}
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
                for doc_id, doc in self._documents.items():
                    self._index_order(doc_id, doc, insert=False)
                self._order.sort()
            return
        field = fields[0]
        if field == "_id" or field in self._hash:
            return
        index: dict[Any, set[Any]] = {}
        for doc_id, doc in self._documents.items():
            for value in _values(doc, field):
                index.setdefault(value, set()).add(doc_id)
        self._hash[field] = index

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

    # -- writing --------------------------------------------------------------------------

    def insert_all(
        self, documents: list[Document], *, ordered: bool = True
    ) -> tuple[list[Document], list[Document]]:
        """Insert documents as MongoDB does, but encode (and so check) every one first: a
        document BSON cannot hold (an integer of 2^63 or more, a lone surrogate, ...) raises
        BSON's error, one over 16 MiB DocumentTooLarge, as pymongo does, and then none is
        stored.

        An id already stored or given twice is a write error (code 11000); `ordered` stops at
        the first, else the others are stored. Returns (the documents stored, as given; the
        write errors, as in a BulkWriteError).
        """
        encoded = []
        for document in documents:
            if "_id" not in document:
                document["_id"] = ObjectId()  # like pymongo, set on the caller's document
            if isinstance(document["_id"], dict):
                raise WriteError("the embedded engine takes no document as an _id")
            encoded.append(_encode(document))
        inserted: list[Document] = []
        errors: list[Document] = []
        for index, (document, raw) in enumerate(zip(documents, encoded, strict=True)):
            try:
                if document["_id"] in self._documents:
                    raise DuplicateKeyError("E11000 Duplicate Key Error", _DUPLICATE_KEY)
                self._add(self._sharing.document(bson.decode(raw, _CODEC)))
            except DuplicateKeyError as exc:
                errors.append(
                    {"index": index, "code": _DUPLICATE_KEY, "errmsg": str(exc), "op": document}
                )
                if ordered:
                    break
                continue
            inserted.append(document)
        return inserted, errors

    def load(self, documents: Iterable[Document]) -> None:
        """Add documents read from a snapshot (decoded, owned by the collection, unique ids)."""
        share = self._sharing.document
        for document in documents:
            self._add(share(document))

    def _add(self, doc: Document) -> None:
        doc_id = doc["_id"]
        self._documents[doc_id] = doc
        if self._has_unique_index:
            try:
                self._ensure_uniques(doc)
            except DuplicateKeyError:
                del self._documents[doc_id]
                raise
        self._seq[doc_id] = next(self._counter)
        self._index(doc_id, doc)

    def _remove(self, doc_id: Any) -> None:
        self._unindex(doc_id, self._documents[doc_id])
        del self._documents[doc_id]
        del self._seq[doc_id]

    def _insert(self, data: Any, session: Any = None, ordered: bool = True) -> Any:
        """mongomock's insert (its upserts call it): one document, stored as `insert_all` does."""
        if not isinstance(data, dict) or session or isinstance(data.get("_id"), dict):
            return super()._insert(data, session, ordered=ordered)
        _, errors = self.insert_all([data])
        if errors:
            raise DuplicateKeyError(errors[0]["errmsg"], _DUPLICATE_KEY)
        return data["_id"]

    def _update(self, spec: Any, document: Any, upsert: bool = False, **kwargs: Any) -> Any:
        """mongomock's update, applied to private copies of the documents it will change."""
        touched = [doc["_id"] for doc in self._iter_documents(spec or {})]
        if not kwargs.get("multi"):
            touched = touched[:1]
        fields = _top_level_fields(document)
        simple = not kwargs.get("array_filters") and not self._has_unique_index
        if fields is not None and touched and simple:
            return self._set_fields(touched, *fields)
        if len(touched) == 1 and simple:
            bounded = _bounded(document, self._documents[touched[0]])
            if bounded is not None:
                return self._set_fields(touched, *bounded)
        if upsert and not touched and simple:
            created = _upserted(spec, document)
            if created is not None:
                self._insert(created)
                return {
                    "connectionId": self.database.client._id,
                    "err": None,
                    "n": 1,
                    "nModified": 0,
                    "ok": 1,
                    "upserted": created["_id"],
                    "updatedExisting": False,
                }
        documents = self._documents
        before = {doc_id: documents[doc_id] for doc_id in touched}
        for doc_id, old in before.items():
            documents[doc_id] = bson.decode(bson.encode(old), _CODEC)
        try:
            return super()._update(spec, document, upsert=upsert, **kwargs)
        except Exception:
            # mongomock may fail halfway through a document (comparing across types); what
            # the journal does not record must not stay in memory either
            for doc_id, old in before.items():
                documents[doc_id] = old
            raise
        finally:
            for doc_id, old in before.items():  # an upserted document was indexed by `_insert`
                self._unindex(doc_id, old)
                self._index(doc_id, documents[doc_id])

    def _set_fields(self, touched: list[Any], values: Document, unset: list[str]) -> Any:
        """An update that only sets or unsets top-level fields, without mongomock's deep copies:
        each document is replaced by a shallow copy (its parts are never changed in place)."""
        values = bson.decode(_encode(values), _CODEC)
        changed = {*values, *unset}
        documents, modified = self._documents, 0
        for doc_id in touched:
            old = documents[doc_id]
            new = {**old, **values}
            for field in unset:
                new.pop(field, None)
            if new == old:
                continue
            modified += 1
            documents[doc_id] = new
            self._unindex(doc_id, old, changed)
            self._index(doc_id, new, changed)
        return {
            "connectionId": self.database.client._id,
            "err": None,
            "n": len(touched),
            "nModified": modified,
            "ok": 1,
            "upserted": None,
            "updatedExisting": True,
        }

    def _delete(
        self, filter: Any, collation: Any = None, hint: Any = None, multi: bool = False, **kw: Any
    ) -> Any:
        if collation or hint or kw.get("session"):
            raise NotImplementedError("the embedded engine deletes without collation or hint")
        if filter is None:
            filter = {}
        if not isinstance(filter, Mapping):
            filter = {"_id": filter}
        doomed = []
        for doc in self._iter_documents(filter):
            doomed.append(doc["_id"])
            if not multi:
                break
        for doc_id in doomed:
            self._remove(doc_id)
        return {"connectionId": self.database.client._id, "n": len(doomed), "ok": 1.0, "err": None}

    # -- keeping indexes current ----------------------------------------------------------

    def _index(self, doc_id: Any, doc: Document, only: AbstractSet[str] | None = None) -> None:
        """Add `doc` to the indexes (`only`: to those on these top-level fields)."""
        for field, index in self._hash.items():
            if only is not None and field.partition(".")[0] not in only:
                continue
            for value in _values(doc, field):
                found = index.get(value)
                if found is None:
                    index[value] = {doc_id}
                else:
                    found.add(doc_id)
        if only is None or self._ordered_field in only:
            self._index_order(doc_id, doc, insert=True)

    def _unindex(self, doc_id: Any, doc: Document, only: AbstractSet[str] | None = None) -> None:
        """Remove `doc` (as it was indexed: stored documents do not change) from the indexes
        (`only`: from those on these top-level fields)."""
        for field, index in self._hash.items():
            if only is not None and field.partition(".")[0] not in only:
                continue
            for value in _values(doc, field):
                ids = index.get(value)
                if ids is not None:
                    ids.discard(doc_id)
                    if not ids:
                        del index[value]
        if only is not None and self._ordered_field not in only:
            return
        key = self._order_keys.pop(doc_id, None)
        if key is None:
            return
        if key[1] is None:
            self._unordered -= 1
            return
        position = bisect.bisect_left(self._order, key)
        if position < len(self._order) and self._order[position] == key:
            del self._order[position]

    def _index_order(self, doc_id: Any, doc: Document, *, insert: bool) -> None:
        if self._ordered_field is None:
            return
        value = doc.get(self._ordered_field)
        if not isinstance(value, str):
            self._unordered += 1
            self._order_keys[doc_id] = ("", None)
            return
        key = (value, doc_id)
        if not insert:
            self._order.append(key)
        elif not self._order or self._order[-1] < key:
            self._order.append(key)  # the usual case: stored times only grow
        else:
            bisect.insort(self._order, key)
        self._order_keys[doc_id] = key

    # -- answering queries ----------------------------------------------------------------

    def _iter_documents(self, filter: Any) -> Iterator[Document]:
        for doc in self.scan(filter):
            if doc is not TICK:
                yield doc

    def scan(self, filter: Any) -> Iterator[Any]:
        """The stored documents (not copies) matching `filter`, in natural order, with `TICK`
        between them every few hundred documents looked at (a reader can let others run)."""
        candidates = self._candidates(filter) if isinstance(filter, Mapping) else None
        documents = self._documents
        if candidates is None:
            if not documents:
                filter_applies(filter, {})  # validate the filter even if nothing can match
            pool: Iterable[Document] = list(documents.values())
            exact = False
        else:
            seq = self._seq
            pool = [documents[i] for i in sorted(candidates, key=seq.__getitem__)]
            exact = self._exact(filter)
        for count, doc in enumerate(pool):
            if count % _TICK_EVERY == _TICK_EVERY - 1:
                yield TICK
            if exact or filter_applies(filter, doc):
                yield doc

    def scan_ordered(
        self, filter: Document, sort: list[tuple[str, int]], limit: int = 0
    ) -> Iterator[Any] | None:
        """Like `scan`, in the order of `sort` by walking the ordered index, or None when the
        sort is not the ordered index's (the caller then sorts). `limit` is how many matches
        the reader will likely want (0: all)."""
        field = self._ordered_field
        if field is None or self._unordered or [f for f, _ in sort] != [field, "_id"]:
            return None
        descending = sort[0][1] < 0
        if sort[1][1] != sort[0][1]:
            return None
        return self._walk(filter, field, descending, limit)

    def _walk(self, filter: Document, field: str, descending: bool, limit: int) -> Iterator[Any]:
        candidates = self._candidates(filter)
        keys: Iterable[tuple[str, Any]]
        rest = filter  # what a document walked to in the index's range must still match
        if candidates is not None and len(candidates) * 8 < len(self._order):
            keys = self._candidate_keys(candidates, descending, limit)
        else:
            keys = self._ordered_keys(*_range(filter, field), descending)
            rest = _without_range(filter, field)
        documents = self._documents
        for count, (value, doc_id) in enumerate(keys):
            if count % _TICK_EVERY == _TICK_EVERY - 1:
                yield TICK
            if candidates is not None and doc_id not in candidates:
                continue
            doc = documents.get(doc_id)  # None: deleted while a reader waited
            if doc is None:
                continue
            # Walked within the range, the range need not be checked again, unless the
            # document changed since its key was read (the reader waited).
            if filter_applies(rest if doc.get(field) == value else filter, doc):
                yield doc

    def _candidate_keys(
        self, candidates: AbstractSet[Any], descending: bool, limit: int
    ) -> Iterator[tuple[str, Any]]:
        """The candidates' keys in order: the first `limit` by a partial sort, then the rest."""
        keys = [self._order_keys[i] for i in candidates]
        if limit and limit * 4 < len(keys):
            first = (heapq.nlargest if descending else heapq.nsmallest)(limit, keys)
            yield from first
            after = first[-1]
            keys = [k for k in keys if (k < after if descending else k > after)]
        keys.sort(reverse=descending)
        yield from keys

    def _ordered_keys(self, low: Any, high: Any, descending: bool) -> Iterator[tuple[str, Any]]:
        """The ordered index's keys within the bounds, a chunk at a time, each chunk found
        again from the last key given (the index may change while a reader waits)."""
        order, last = self._order, None
        while True:
            start = 0 if low is None else _bisect_low(order, low)
            stop = len(order) if high is None else _bisect_high(order, high)
            if last is not None and descending:
                stop = min(stop, bisect.bisect_left(order, last))
            elif last is not None:
                start = max(start, bisect.bisect_right(order, last))
            if start >= stop:
                return
            if descending:
                chunk = order[max(start, stop - _TICK_EVERY) : stop]
                chunk.reverse()
            else:
                chunk = order[start : min(stop, start + _TICK_EVERY)]
            yield from chunk
            last = chunk[-1]

    def sort_documents(self, documents: list[Document], sort: list[tuple[str, int]]) -> None:
        """Sort in place as mongomock sorts (one stable sort per key, the last key first)."""
        for key, direction in reversed(sort):
            if key == "$natural":
                if direction < 0:
                    documents.reverse()
                continue
            if key.startswith("$"):
                raise NotImplementedError(f"sorting by {key} is not implemented")
            documents.sort(key=functools.partial(resolve_sort_key, key), reverse=direction < 0)

    def project(self, doc: Document, projection: Document | None) -> Document:
        """The copy of a stored document that a reader gets: BSON's own copy (in C) for the
        whole document or top-level fields, else mongomock's."""
        fields = _included(projection)
        if fields is None:
            copied: Document = self._copy_only_fields(doc, projection, dict)
            return copied
        picked = doc if not fields else {f: doc[f] for f in fields if f in doc}
        if picked is not doc and all(type(v) in _IMMUTABLE for v in picked.values()):
            return picked  # plain values (ids, times as text): BSON would give them back as is
        return bson.decode(bson.encode(picked), _CODEC)

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

    def _candidates(self, filter: Mapping[str, Any]) -> AbstractSet[Any] | None:
        """Ids of a superset of the documents `filter` matches, or None if no index helps.

        Possibly an index's own set: only read it, and not across an await."""
        best: AbstractSet[Any] | None = None
        for field, wanted in filter.items():
            found: AbstractSet[Any] | None = None
            if field == "$and" and isinstance(wanted, list):
                for part in wanted:
                    if isinstance(part, Mapping):
                        found = _intersect(found, self._candidates(part))
            elif field in self._hash and wanted == {"$exists": True}:
                found = set().union(*self._hash[field].values())  # a sparse field: few hold it
            elif field == "_id" or field in self._hash:
                values = _wanted(wanted)
                if values is not None and field != "_id" and len(values) == 1:
                    found = self._hash[field].get(values[0], _NONE)  # the index's own set
                elif values is not None:
                    found = set()
                    for value in values:
                        if field == "_id":
                            if value in self._documents:
                                found.add(value)
                        else:
                            found |= self._hash[field].get(value, _NONE)
            best = _intersect(best, found)
        return best


def _top_level_fields(update: Any) -> tuple[Document, list[str]] | None:
    """(fields to set, fields to unset) of an update that only does that, on top-level fields
    other than `_id`; None for any other update."""
    if not isinstance(update, Mapping) or not update or set(update) - {"$set", "$unset"}:
        return None
    values, unset = update.get("$set", {}), update.get("$unset", {})
    if not isinstance(values, Mapping) or not isinstance(unset, Mapping):
        return None
    for field in [*values, *unset]:
        if not _plain_field(field):
            return None
        if field == "_id" or (field in values and field in unset):
            return None
    return dict(values), list(unset)


def _plain_field(field: Any) -> bool:
    """Whether an update names this field plainly: a top-level field, not an operator."""
    return isinstance(field, str) and bool(field) and "." not in field and not field.startswith("$")


def _bounded(update: Any, old: Document) -> tuple[Document, list[str]] | None:
    """What an update by `$min` and `$max` (besides `$set` and `$unset`) of top-level fields
    does to `old`, as (fields to set, fields to unset); None for any other update, and where
    a bound and the value it meets are not both strings or both numbers (mongomock compares
    across BSON types)."""
    if not isinstance(update, Mapping) or not set(update) & {"$min", "$max"}:
        return None
    if set(update) - {"$set", "$unset", "$min", "$max"}:
        return None
    plain = {k: v for k, v in update.items() if k in ("$set", "$unset")}
    fields = _top_level_fields(plain) if plain else ({}, [])
    if fields is None:
        return None
    values, unset = fields  # a copy: the bounds join it
    for operator, keep in (("$min", min), ("$max", max)):
        bounds = update.get(operator, {})
        if not isinstance(bounds, Mapping):
            return None
        for field, bound in bounds.items():
            if not _plain_field(field):
                return None
            if field == "_id" or field in values or field in unset:
                return None
            if field not in old:
                values[field] = bound
            elif _comparable(bound, old[field]):
                values[field] = keep(old[field], bound)
            else:
                return None
    return values, unset


def _comparable(one: Any, other: Any) -> bool:
    if isinstance(one, str) and isinstance(other, str):
        return True
    numbers = (int, float)
    return all(isinstance(v, numbers) and not isinstance(v, bool) for v in (one, other))


def _included(projection: Document | None) -> list[str] | None:
    """The top-level fields an inclusion projection keeps (`_id` first unless excluded), []
    for the whole document, or None for any other projection (mongomock applies it)."""
    if projection is None or projection == {}:
        return []
    fields = ["_id"]
    for field, wanted in projection.items():
        if not isinstance(field, str) or "." in field or field.startswith("$"):
            return None
        if field == "_id":
            if wanted in (0, False):
                fields.remove("_id")
            elif wanted not in (1, True):
                return None
        elif wanted in (1, True) and not isinstance(wanted, float):
            fields.append(field)
        else:
            return None
    return fields or None  # {"_id": 0} alone: everything but the id, mongomock's


_CREATING = ("$setOnInsert", "$set", "$inc", "$min", "$max")


def _upserted(spec: Any, update: Any) -> Document | None:
    """The document an upsert creates when nothing matches, for the common shape: a filter on
    `_id` (other conditions only `$exists: false`) and an update of top-level fields by
    `$set`, `$setOnInsert`, `$inc`, `$min` or `$max`; None for any other (mongomock decides)."""
    if not isinstance(spec, Mapping) or not isinstance(update, Mapping) or not update:
        return None
    doc_id = spec.get("_id")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
        return None
    for field, condition in spec.items():
        if field != "_id" and condition != {"$exists": False}:
            return None
    if set(update) - set(_CREATING):
        return None
    created: Document = {"_id": doc_id}
    for operator in _CREATING:
        values = update.get(operator, {})
        if not isinstance(values, Mapping):
            return None
        for field, value in values.items():
            if not _plain_field(field):
                return None
            if field == "_id" or field in created:
                return None
            created[field] = value
    return created


def _encode(document: Document) -> bytes:
    """`document` as BSON, refused as pymongo refuses it before sending: what BSON cannot hold
    raises BSON's own error (InvalidDocument, OverflowError, UnicodeEncodeError, ...), and a
    document over MongoDB's 16 MiB raises DocumentTooLarge."""
    raw = bson.encode(document)
    if len(raw) > _MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(
            f"the document is {len(raw)} bytes of BSON, over the {_MAX_DOCUMENT_BYTES} allowed"
        )
    return raw


def filter_applies(filter: Any, document: Document) -> bool:
    """Whether `document` matches `filter`: decided here for the filters the stores send most
    (equalities, ranges, `$in`, `$ne` and `$exists` on top-level fields holding plain values,
    combined by `$and` and `$or`), else by mongomock's own matcher, which is exact for all of
    MongoDB's query language it knows and about twenty times slower."""
    found = _plain_match(filter, document)
    return bool(_filter_applies(filter, document)) if found is None else found


_PLAIN_OPERATORS = frozenset({"$gt", "$gte", "$lt", "$lte", "$in", "$ne", "$exists"})


def _plain_match(filter: Any, document: Mapping[str, Any]) -> bool | None:
    """`filter` on `document` when both are plain enough to decide exactly without
    mongomock; None when not (the caller asks mongomock)."""
    if not isinstance(filter, Mapping):
        return None
    for field, condition in filter.items():
        if field == "$and" or field == "$or":
            if not isinstance(condition, list) or not condition:
                return None
            results = [_plain_match(part, document) for part in condition]
            if any(result is None for result in results):
                return None
            if not (all(results) if field == "$and" else any(results)):
                return False
            continue
        if not isinstance(field, str) or field.startswith("$") or "." in field:
            return None
        present = field in document
        value = document.get(field)
        if present and not _plain(value):
            return None  # arrays, subdocuments, dates: mongomock's semantics
        if isinstance(condition, Mapping):
            if not condition or set(condition) - _PLAIN_OPERATORS:
                return None
            for operator, wanted in condition.items():
                decided = _operator(operator, wanted, present, value)
                if decided is None:
                    return None
                if not decided:
                    return False
            continue
        if not _plain(condition) or condition is None:
            return None
        if not present or not _same_kind(value, condition) or value != condition:
            if present and not _same_kind(value, condition) and value is not None:
                return None  # equal across BSON types is mongomock's to decide
            return False
    return True


def _operator(operator: str, wanted: Any, present: bool, value: Any) -> bool | None:
    if operator == "$exists":
        return present == bool(wanted) if isinstance(wanted, bool) else None
    if operator == "$in":
        if not isinstance(wanted, list) or not all(_plain(w) and w is not None for w in wanted):
            return None
        if not present or value is None:
            return False
        if not all(_same_kind(value, w) for w in wanted):
            return None
        return value in wanted
    if not _plain(wanted) or wanted is None:
        return None
    if operator == "$ne":
        if not present or value is None:
            return True
        return value != wanted if _same_kind(value, wanted) else None
    if not isinstance(wanted, str):
        return None  # numeric ranges: mongomock
    if not present or value is None:
        return False
    if not isinstance(value, str):
        return None
    if operator == "$gt":
        return value > wanted
    if operator == "$gte":
        return value >= wanted
    if operator == "$lt":
        return value < wanted
    return value <= wanted


def _plain(value: Any) -> bool:
    return value is None or type(value) in (str, int, float, bool)


def _same_kind(left: Any, right: Any) -> bool:
    """Both strings, both booleans, or both numbers (not booleans)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is bool and type(right) is bool
    if isinstance(left, str) or isinstance(right, str):
        return type(left) is str and type(right) is str
    return type(left) in (int, float) and type(right) in (int, float)


def _intersect(
    left: AbstractSet[Any] | None, right: AbstractSet[Any] | None
) -> AbstractSet[Any] | None:
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
    """The hashable values a (possibly dotted, possibly multikey) field holds in `doc`, and
    `_HELD` where it holds only others (null, an object, an empty list): `$exists` finds those
    through the index too."""
    if "." not in field:
        if field not in doc:
            return []
        value = doc[field]
        if isinstance(value, list):
            return [item for item in value if isinstance(item, _SCALARS)] or [_HELD]
        return [value] if isinstance(value, _SCALARS) else [_HELD]
    current: list[Any] = [doc]
    for part in field.split("."):
        following: list[Any] = []
        reached = False  # whether this part is held at all
        for item in current:
            if isinstance(item, Mapping) and part in item:
                reached = True
                value = item[part]
                following.extend(value if isinstance(value, list) else [value])
        current = following
    held = [value for value in current if isinstance(value, _SCALARS)]
    return held or ([_HELD] if reached else [])


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


_RANGE_OPERATORS = frozenset({"$gt", "$gte", "$lt", "$lte"})


def _without_range(filter: Document, field: str) -> Document:
    """`filter` without its top-level condition on the ordered `field` when that condition is
    only string bounds: a walk of the ordered index between `_range`'s bounds (the tightest)
    meets each of them, so they need no checking document by document."""
    condition = filter.get(field)
    if (
        not isinstance(condition, Mapping)
        or not condition
        or set(condition) - _RANGE_OPERATORS
        or len(set(condition) & {"$gt", "$gte"}) > 1  # both at one value: `_range` keeps one
        or len(set(condition) & {"$lt", "$lte"}) > 1
        or not all(isinstance(value, str) for value in condition.values())
    ):
        return filter
    return {key: value for key, value in filter.items() if key != field}


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
