"""Artifacts: results, tables, links, markdown and progress that runs publish."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "Artifact",
    "ArtifactCollection",
    "ArtifactCreate",
    "ArtifactUpdate",
]

_KEY = re.compile(r"[a-z0-9-]+")


def _check_key(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(
            f"artifact keys hold only lowercase letters, digits and '-' (got {key!r}), "
            "e.g. 'daily-report'"
        )
    return key


def _check_json(data: Any) -> Any:
    from pydantic_core import PydanticSerializationError, to_json

    try:
        to_json(data)
    except PydanticSerializationError as exc:
        raise ValueError(f"an artifact's data must be a JSON value: {exc}") from None
    return data


ArtifactKey = Annotated[str, AfterValidator(_check_key)]
ArtifactData = Annotated[Any, AfterValidator(_check_json)]


class Artifact(ResponseModel):
    """One artifact: ``data`` of some ``type`` (``"markdown"``, ``"table"``, ``"link"``,
    ``"progress"``, ``"result"`` ...), optionally under a ``key`` that keeps its versions."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    key: str | None = None
    type: str | None = None
    description: str | None = None
    data: Any = None
    metadata_: dict[str, str] | None = None
    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None


class ArtifactCollection(ResponseModel):
    """The newest artifact of one ``key``; ``latest_id`` is that artifact's id (``id`` is the
    collection's own)."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    key: str
    latest_id: UUID
    type: str | None = None
    description: str | None = None
    data: Any = None
    metadata_: dict[str, str] | None = None
    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None


class ArtifactCreate(RequestModel):
    """The body of ``POST /artifacts/``.

    ``key`` (lowercase letters, digits, dashes) makes the artifact a new version of that key;
    ``data`` is any JSON value; ``metadata_`` maps strings to strings.
    """

    key: ArtifactKey | None = None
    type: str | None = None
    description: str | None = None
    data: ArtifactData = None
    metadata_: dict[str, str] | None = None
    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None


class ArtifactUpdate(RequestModel):
    """The body of ``PATCH /artifacts/{id}``: only the fields given are changed."""

    data: ArtifactData = None
    description: str | None = None
    metadata_: dict[str, str] | None = None
