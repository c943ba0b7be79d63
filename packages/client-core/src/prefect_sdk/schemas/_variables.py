"""Variables: named JSON values stored on the server."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field, Strict

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "StrictVariableValue",
    "Variable",
    "VariableCreate",
    "VariableUpdate",
    "VariableValue",
]

MAX_VARIABLE_NAME_LENGTH = 255
"""The longest variable name the server stores."""

MAX_VARIABLE_VALUE_LENGTH = 5000
"""The server refuses a value whose compact JSON form is longer than this many bytes."""

_NAME = re.compile(r"[a-z0-9_-]+")

VariableValue = (
    Annotated[str, Strict()]
    | Annotated[int, Strict()]
    | Annotated[bool, Strict()]
    | Annotated[float, Strict()]
    | dict[str, Any]
    | list[Any]
    | None
)
"""What a variable holds: any JSON value (a string, number, boolean, null, object or array).

Scalars are taken as they are (``"1"`` stays a string, bytes are refused); a tuple becomes a list.
"""


def _check_value(value: Any) -> Any:
    from pydantic_core import PydanticSerializationError, to_json

    if not isinstance(value, _JSON_TYPES):
        raise ValueError(
            "a variable's value must be a JSON value (str, int, float, bool, None, or a list or "
            f"dict of them), got {type(value).__name__}"
        )
    try:
        size = len(to_json(value))
    except PydanticSerializationError as exc:
        raise ValueError(
            "a variable's value must be a JSON value (str, int, float, bool, None, or lists and "
            f"dicts of them): {exc}"
        ) from None
    if value is not None and size > MAX_VARIABLE_VALUE_LENGTH:
        raise ValueError(
            f"the value is {size} bytes as JSON; the server stores at most "
            f"{MAX_VARIABLE_VALUE_LENGTH}"
        )
    return value


_JSON_TYPES = (str, int, float, bool, type(None), dict, list, tuple)


def _check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise ValueError(
            f"variable names hold only lowercase letters, digits, '-' and '_' (got {name!r}), "
            "e.g. 'db_host'"
        )
    return name


StrictVariableValue = Annotated[VariableValue, BeforeValidator(_check_value)]
"""A variable value checked before sending: JSON-serialisable and within the server's limit."""

VariableName = Annotated[
    str, Field(min_length=1, max_length=MAX_VARIABLE_NAME_LENGTH), AfterValidator(_check_name)
]


class Variable(ResponseModel):
    """A variable: a named JSON value, with tags."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    value: VariableValue = None
    tags: list[str] = Field(default_factory=list)


class VariableCreate(RequestModel):
    """The body of ``POST /variables/``: a new variable (names are unique)."""

    name: VariableName
    value: StrictVariableValue
    tags: list[str] | None = None


class VariableUpdate(RequestModel):
    """The body of ``PATCH /variables/...``: only the fields given are changed.

    ``update_variable`` addresses the variable by ``name``; ``update_variable_by_id`` may
    rename it (``name`` is then the new name).  ``value=None`` given explicitly stores null.
    """

    name: VariableName | None = None
    value: StrictVariableValue = None
    tags: list[str] | None = None
