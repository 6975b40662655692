"""Stored documents that share what they have in common, so the embedded engine holds less.

A statement decoded from BSON is some sixty dicts, lists and strings of its own: 8 KB, most of
it repeated in every other statement (the same verb, the same activity and its definition, the
same actor, the same keys). :class:`Sharing` hands out one object for equal parts:

- a dict or list of at most ``_SMALL`` bytes of ``marshal`` (version 0: equal values, keys in
  the same order, give equal bytes; datetimes, ObjectIds and the like are refused, and such a
  part is copied instead) is looked up by those bytes in a bounded pool, and the pooled object
  is used instead (built once, its own parts shared too);
- bigger containers are copied with each of their values shared in the same way;
- every string is ``sys.intern``-ed (interned strings are freed when no longer used).

Equal bytes mean equal values of the same types, but for one case: marshal writes a subclass of
bytes, str or int as its base type, so a bson ``Binary`` of a subtype other than 0, a ``Code``
or an ``Int64`` inside a pooled part would be taken for plain bytes, str or int. BSON decodes to
those only values the stores never write (they keep JSON values, bytes and datetimes).

This is only sound because the engine never changes a stored document in place: an update
replaces the document with a private copy first (:mod:`lrs.store._indexed`), and reads copy.
"""

from __future__ import annotations

import marshal
import sys
from typing import Any

_SMALL = 768  # bytes of marshal: parts this size or smaller are pooled
_WIDE = 8  # keys or items: wider containers are copied without looking them up
_POOL_LIMIT = 50_000  # pooled parts; the pool starts again when it is full


class Sharing:
    """Copies of documents whose equal parts are one object."""

    def __init__(self) -> None:
        self._pool: dict[bytes, Any] = {}

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        """`document` (freshly decoded, owned by the caller) with its parts shared."""
        return {sys.intern(key): self._value(value) for key, value in document.items()}

    def _value(self, value: Any) -> Any:
        if isinstance(value, str):
            return sys.intern(value)
        if not isinstance(value, (dict, list)):
            return value
        if len(value) > _WIDE:  # a statement, not one of its parts: too big to be repeated
            return self._copy(value)
        try:
            text = marshal.dumps(value, 0)  # version 0: the same bytes for equal values
        except ValueError:  # datetime, ObjectId, Binary, ...: not pooled, parts still shared
            return self._copy(value)
        if len(text) > _SMALL:
            return self._copy(value)
        found = self._pool.get(text)
        if found is None:
            if len(self._pool) >= _POOL_LIMIT:
                self._pool.clear()
            found = self._pool[text] = self._copy(value)
        return found

    def _copy(self, value: dict[str, Any] | list[Any]) -> Any:
        if isinstance(value, dict):
            return {sys.intern(k): self._value(v) for k, v in value.items()}
        return [self._value(item) for item in value]
