"""The command errors the wire server answers with, by mongod's codes and code names."""

from __future__ import annotations

from typing import Any

CODE_NAMES = {
    2: "BadValue",
    9: "FailedToParse",
    11000: "DuplicateKey",
    13: "Unauthorized",
    15: "Overflow",
    20: "IllegalOperation",
    26: "NamespaceNotFound",
    27: "IndexNotFound",
    40: "ConflictingUpdateOperators",
    43: "CursorNotFound",
    48: "NamespaceExists",
    52: "DollarPrefixedFieldName",
    53: "InvalidIdField",
    56: "EmptyFieldName",
    59: "CommandNotFound",
    66: "ImmutableField",
    85: "IndexOptionsConflict",
    86: "IndexKeySpecsConflict",
    115: "CommandNotSupported",
    171: "CannotIndexParallelArrays",
    8000: "WireServerInternalError",
    17419: "BSONObjectTooLarge",
}


class CommandError(Exception):
    """A command (or one write of it) fails with this mongod error code."""

    def __init__(self, code: int, errmsg: str, **details: Any) -> None:
        super().__init__(errmsg)
        self.code = code
        self.errmsg = errmsg
        self.details = details  # e.g. keyPattern and keyValue of a duplicate key

    def write_error(self, index: int) -> dict[str, Any]:
        """This error as one entry of a write command's `writeErrors`."""
        return {"index": index, "code": self.code, "errmsg": self.errmsg, **self.details}

    def reply(self) -> dict[str, Any]:
        """This error as a command's reply."""
        name = CODE_NAMES.get(self.code, "UnknownError")
        return {
            "ok": 0.0,
            "errmsg": self.errmsg,
            "code": self.code,
            "codeName": name,
            **self.details,
        }
