"""Storage on PyMongo's async API: MongoDB when configured, else the embedded engine."""

from lrs.store._attachments import AttachmentStore
from lrs.store._backup import Backup, BackupFailed, backup, restore
from lrs.store._documents import STATEMENT_INDEXES, ifi_key
from lrs.store._embedded import EmbeddedClient
from lrs.store._query import Cursor, StatementQuery, decode_more, encode_more
from lrs.store._seam import Collection, Database
from lrs.store._statements import Page, StatementStore

__all__ = [
    "STATEMENT_INDEXES",
    "AttachmentStore",
    "Backup",
    "BackupFailed",
    "Collection",
    "Cursor",
    "Database",
    "EmbeddedClient",
    "Page",
    "StatementQuery",
    "StatementStore",
    "backup",
    "decode_more",
    "encode_more",
    "ifi_key",
    "restore",
]
