"""Write commands with mongod's per-document results: insert, update, delete, findAndModify.

Each write of a batch succeeds or fails alone, and an `ordered` batch stops at its first
failure; failures are `writeErrors` entries ({index, code, errmsg}, with keyPattern and
keyValue for a duplicate key, code 11000). Before mongomock sees a document, mongod's own
checks run: at most 16 MiB (code 2) and 100 levels deep (code 15), no $-prefixed top-level
field names (52), no array `_id` (53), no two arrays under one compound index (171); in an
update no empty field name (56), no two operators on one path (40), no change of `_id` (66),
and no document grown past 16 MiB (17419, the document left as it was).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import bson
from mongomock.helpers import get_value_by_dot
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError, OperationFailure, WriteError  # what mongomock raises

from tests.wire._errors import CommandError

Document = dict[str, Any]
MAX_BSON_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 100  # the top-level document is level 1
_POSITIONAL = re.compile(r"\$(\[\w*\])?")  # $, $[] and $[identifier] in update paths


def insert(collection: Any, command: Document) -> Document:
    errors = []
    n = 0
    for index, document in enumerate(command.get("documents", [])):
        _, error = _attempt(collection, document, _insert, collection, document)
        if error is None:
            n += 1
        else:
            errors.append(error.write_error(index))
            if command.get("ordered", True):
                break
    return _with_errors({"n": n}, errors)


def _insert(collection: Any, document: Document) -> None:
    _check_storable(document)
    _check_limits(document)
    _check_parallel_arrays(collection, document)
    collection.insert_one(document)


def update(collection: Any, command: Document) -> Document:
    errors, upserted = [], []
    n = modified = 0
    for index, spec in enumerate(command.get("updates", [])):
        candidate = {**_equalities(spec.get("q") or {}), **_assigned(spec["u"])}
        result, error = _attempt(collection, candidate, _update, collection, spec)
        if error is not None:
            errors.append(error.write_error(index))
            if command.get("ordered", True):
                break
            continue
        n += result.matched_count
        modified += result.modified_count
        if result.upserted_id is not None:
            n += 1
            upserted.append({"index": index, "_id": result.upserted_id})
    reply: Document = {"n": n, "nModified": modified}
    if upserted:
        reply["upserted"] = upserted
    return _with_errors(reply, errors)


def _update(collection: Any, spec: Document) -> Any:
    query, change = spec.get("q") or {}, spec["u"]
    upsert, multi = bool(spec.get("upsert")), bool(spec.get("multi"))
    operators = _check_update(change)
    if not operators and multi:
        raise CommandError(9, "multi update is not supported for replacement-style update")
    before = list(collection.find(query)) if multi else list(collection.find(query).limit(1))
    if not operators:
        result = collection.replace_one(query, change, upsert=upsert)
    else:
        method = collection.update_many if multi else collection.update_one
        result = method(query, change, upsert=upsert, array_filters=spec.get("arrayFilters"))
    _check_grown(collection, before)
    return result


def _check_grown(collection: Any, before: list[Document]) -> None:
    """Put back the documents an update grew past 16 MiB, and fail as mongod does."""
    for document in before:
        after = collection.find_one({"_id": document["_id"]})
        if after is not None and len(bson.encode(after)) > MAX_BSON_BYTES:
            collection.replace_one({"_id": document["_id"]}, document)
            raise CommandError(
                17419, f"Resulting document after update is larger than {MAX_BSON_BYTES}"
            )


def delete(collection: Any, command: Document) -> Document:
    errors = []
    n = 0
    for index, spec in enumerate(command.get("deletes", [])):
        method = collection.delete_one if int(spec.get("limit", 0)) == 1 else collection.delete_many
        try:
            n += method(spec.get("q") or {}).deleted_count
        except (WriteError, OperationFailure) as exc:
            errors.append(_from_mongomock(exc).write_error(index))
            if command.get("ordered", True):
                break
    return _with_errors({"n": n}, errors)


def find_and_modify(collection: Any, command: Document) -> Document:
    query = command.get("query") or {}
    sort = list(command["sort"].items()) if command.get("sort") else None
    projection = command.get("fields") or None
    if command.get("remove"):
        value = collection.find_one_and_delete(query, projection=projection, sort=sort)
        return {"lastErrorObject": {"n": int(value is not None)}, "value": value}
    change = command.get("update") or {}
    operators = _check_update(change)
    method = collection.find_one_and_update if operators else collection.find_one_and_replace
    before = collection.find_one(query, {"_id": 1}, sort=sort)
    upsert = bool(command.get("upsert"))
    value, error = _attempt(
        collection,
        {**_equalities(query), **_assigned(change)},
        method,
        query,
        change,
        projection=projection,
        sort=sort,
        upsert=upsert,
        return_document=ReturnDocument.AFTER if command.get("new") else ReturnDocument.BEFORE,
    )
    if error is not None:
        raise error
    last: Document = {"n": int(before is not None or upsert), "updatedExisting": before is not None}
    if before is None and upsert:
        last["upserted"] = collection.find_one(query, {"_id": 1}, sort=sort)["_id"]
    return {"lastErrorObject": last, "value": value}


# -- mongod's checks ----------------------------------------------------------------------------


def _attempt(
    collection: Any, candidate: Document, write: Callable[..., Any], *args: Any, **kwargs: Any
) -> tuple[Any, CommandError | None]:
    """Run one write: (its result, None), or (None, its failure as mongod reports it).

    A duplicate key is named by the unique index `candidate` (what was written) collides on.
    """
    try:
        return write(*args, **kwargs), None
    except CommandError as exc:
        return None, exc
    except DuplicateKeyError:
        return None, _duplicate_key(collection, candidate)
    except (WriteError, OperationFailure) as exc:
        return None, _from_mongomock(exc)


def _duplicate_key(collection: Any, candidate: Document) -> CommandError:
    """mongod's E11000 error, naming the unique index that `candidate` collides on."""
    for name, info in collection.index_information().items():
        if name != "_id_" and not info.get("unique"):
            continue
        fields = [field for field, _ in info["key"]]
        key_value = {field: _value(candidate, field) for field in fields}
        others = {"_id": {"$ne": candidate["_id"]}} if "_id" in candidate and name != "_id_" else {}
        if collection.find_one({**key_value, **others}, {"_id": 1}) is not None:
            break
    else:
        name, fields, key_value = "_id_", ["_id"], {"_id": candidate.get("_id")}
    rendered = ", ".join(f"{k}: {json.dumps(v, default=str)}" for k, v in key_value.items())
    return CommandError(
        11000,
        f"E11000 duplicate key error collection: {collection.full_name} index: {name} "
        f"dup key: {{ {rendered} }}",
        keyPattern=dict(collection.index_information()[name]["key"]),
        keyValue=key_value,
    )


def _from_mongomock(exc: OperationFailure) -> CommandError:
    if "_id field cannot be changed" in str(exc) or "(immutable) field '_id'" in str(exc):
        return CommandError(66, str(exc))
    return CommandError(int(exc.code or 2), str(exc))


def _check_storable(document: Document) -> None:
    for field in document:
        if field.startswith("$"):
            raise CommandError(52, f"Document can't have $ prefixed field names: {field}")
    if isinstance(document.get("_id"), list):
        raise CommandError(53, "The '_id' value cannot be of type array")


def _check_limits(document: Document) -> None:
    """mongod's checks of a document to insert: its size and its nesting depth."""
    size = len(bson.encode(document))
    if size > MAX_BSON_BYTES:
        raise CommandError(
            2, f"object to insert too large. size in bytes: {size}, max size: {MAX_BSON_BYTES}"
        )
    if _depth(document) > MAX_DEPTH:
        raise CommandError(15, f"Document exceeds maximum nesting depth of {MAX_DEPTH}")


def _depth(document: Document) -> int:
    """Levels of objects and arrays, the document itself being level 1."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    deepest = 0
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _check_parallel_arrays(collection: Any, document: Document) -> None:
    for name, info in collection.index_information().items():
        arrays = [f for f, _ in info["key"] if isinstance(_value(document, f), list)]
        if len(arrays) > 1:
            raise CommandError(
                171, f"cannot index parallel arrays [{arrays[1]}] [{arrays[0]}] (index {name})"
            )


def _check_update(change: Any) -> bool:
    """Check an update document's paths; True if it uses operators, False if a replacement."""
    if isinstance(change, list):
        raise CommandError(115, "pipeline-style updates are not emulated")
    operators = [field for field in change if field.startswith("$")]
    if not operators:
        _check_storable(change)
        return False
    if len(operators) != len(change):
        raise CommandError(9, f"Unknown modifier: {next(f for f in change if f not in operators)}")
    paths: list[str] = []
    for operator, fields in change.items():
        if not isinstance(fields, dict):
            raise CommandError(9, f"Modifiers operate on fields but we found {operator} instead")
        for path in fields:
            _check_path(path)
            for other in paths:
                if f"{path}.".startswith(f"{other}.") or f"{other}.".startswith(f"{path}."):
                    raise CommandError(
                        40, f"Updating the path '{path}' would create a conflict at '{other}'"
                    )
            paths.append(path)
    return True


def _check_path(path: str) -> None:
    for part in path.split("."):
        if part == "":
            raise CommandError(
                56, f"The update path '{path}' contains an empty field name, which is not allowed."
            )
        if part.startswith("$") and not _POSITIONAL.fullmatch(part):
            raise CommandError(
                52, f"The dollar ($) prefixed field '{part}' in '{path}' is not allowed"
            )


# -- helpers ------------------------------------------------------------------------------------


def _value(document: Document, path: str) -> Any:
    try:
        return get_value_by_dot(document, path)
    except (KeyError, IndexError, TypeError):
        return None


def _equalities(query: Document) -> Document:
    """The fields a query pins to one value (what an upsert would insert)."""
    return {k: v for k, v in query.items() if not k.startswith("$") and not _is_operator(v)}


def _assigned(change: Any) -> Document:
    """The fields an update or replacement sets."""
    if isinstance(change, list):
        return {}
    if any(field.startswith("$") for field in change):
        return {**change.get("$setOnInsert", {}), **change.get("$set", {})}
    return dict(change)


def _is_operator(value: Any) -> bool:
    return isinstance(value, dict) and any(str(k).startswith("$") for k in value)


def _with_errors(reply: Document, errors: list[Document]) -> Document:
    if errors:
        reply["writeErrors"] = errors
    return reply
