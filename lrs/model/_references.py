"""Statement References (Data §2.4.4.3): pointers to Statements that already exist."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from lrs.model._base import XapiModel
from lrs.model._values import Uuid


class StatementRef(XapiModel):
    """The id of another Statement; the LRS does not check that it exists."""

    object_type: Literal["StatementRef"] = Field(alias="objectType")
    id: Uuid
