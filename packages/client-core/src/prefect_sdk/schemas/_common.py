"""Pieces several resources' models share."""

from __future__ import annotations

from typing import Generic, TypeVar
from uuid import UUID

from prefect_sdk.schemas._base import ResponseModel

__all__ = ["CreatedBy", "JSONLabels", "Page"]

T = TypeVar("T")

JSONLabels = dict[str, bool | int | float | str]
"""Key-value labels: the values the server stores are JSON scalars."""


class CreatedBy(ResponseModel):
    id: UUID | None = None
    type: str | None = None
    display_value: str | None = None


class Page(ResponseModel, Generic[T]):
    """One page of a ``/paginate`` route: ``results`` and where it sits among ``pages``."""

    results: list[T]
    count: int
    limit: int
    pages: int
    page: int
