"""What the database refuses, said once for every store: translated errors and the size limit.

Every store in `lrs.store` runs its driver calls inside `translated` (or through `call`):

    PyMongoError                     -> StoreUnavailable  503 (the database failed)
    DocumentTooLarge                 -> PayloadTooLarge   413 (over MongoDB's 16 MiB)
    InvalidDocument, InvalidStringData,
    OverflowError, UnicodeEncodeError -> BadRequest       400 (BSON cannot hold the value)

The requests are checked before anything is written (`lrs.model.check_storable`, `check_size`,
`check_statement_size`), so the last two are a safety net rather than the way a client learns
of a limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import bson
from bson.errors import InvalidDocument, InvalidStringData
from pymongo.errors import DocumentTooLarge, PyMongoError

from lrs.errors import BadRequest, PayloadTooLarge, StoreUnavailable
from lrs.store._documents import to_document

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
"""MongoDB's limit on one document (maxBsonObjectSize); the embedded engine keeps it too."""

_FIXED_FIELDS_BYTES = 4096
T = TypeVar("T")


@contextmanager
def translated(store: str) -> Iterator[None]:
    """Driver errors raised inside, as the LRS's errors; `store` names it ("statement", ...).

    >>> with translated("document"):  # doctest: +SKIP
    ...     await collection.insert_one(document)

    Errors a caller handles itself (DuplicateKeyError, BulkWriteError) are caught inside the
    block; whatever else escapes is translated here.
    """
    try:
        yield
    except DocumentTooLarge as exc:
        raise PayloadTooLarge(
            f"the {store} is larger than the {MAX_DOCUMENT_BYTES // 2**20} MiB a stored "
            f"document may be: {exc}"
        ) from exc
    except (InvalidDocument, InvalidStringData, OverflowError, UnicodeEncodeError) as exc:
        raise BadRequest(f"the {store} cannot be stored: {exc}") from exc
    except PyMongoError as exc:
        raise StoreUnavailable(f"the {store} store failed: {exc}") from exc


async def call(store: str, method: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
    """`await method(*args, **kwargs)`, its driver errors translated (see `translated`)."""
    with translated(store):
        return await method(*args, **kwargs)


def check_size(document: dict[str, Any], path: str, what: str) -> None:
    """PayloadTooLarge, naming `path`, when `document` is over `MAX_DOCUMENT_BYTES` as BSON.

    `document` is exactly what will be stored (e.g. ``to_document(statement)``); `what` says
    what it is in the message ("the statement", "the document").
    """
    with translated(what.removeprefix("the ")):
        size = len(bson.encode(document))
    if size > MAX_DOCUMENT_BYTES:
        raise PayloadTooLarge(
            f"{what} would be stored as {size} bytes, over the "
            f"{MAX_DOCUMENT_BYTES // 2**20} MiB ({MAX_DOCUMENT_BYTES} bytes) MongoDB allows",
            path,
        )


def check_statement_size(statement: dict[str, Any], path: str) -> None:
    """PayloadTooLarge, naming `path`, when the complete statement's stored document is too large.

    The stored document (`lrs.store._documents.to_document`) holds the statement and, in its
    precomputed fields, at most two more copies of each identifier in it (e.g. the actor's in
    ``agents`` and ``related_agents``) plus fixed fields of a few hundred bytes. So a statement
    that is at most a third of the limit as BSON fits, and only a larger one is measured as
    the document it would be: a statement of a few kilobytes costs one C encode.
    """
    with translated("statement"):
        size = len(bson.encode(statement))
    if 3 * size + _FIXED_FIELDS_BYTES <= MAX_DOCUMENT_BYTES:
        return
    check_size(to_document(statement), path, "the statement")
