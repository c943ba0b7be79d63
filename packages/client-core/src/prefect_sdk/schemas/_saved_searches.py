"""Saved searches: named sets of UI filters."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import Field, field_validator

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = ["SavedSearch", "SavedSearchCreate", "SavedSearchFilter"]


class SavedSearchFilter(RequestModel):
    """One filter of a saved search, e.g. ``object="flow_run", property="state",
    type="string", operation="equals", value="FAILED"`` (the server stores them as given)."""

    object: str
    property: str
    type: str
    operation: str
    value: Any


class SavedSearch(ResponseModel):
    """A saved search: a name and the filters it applies."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    filters: list[SavedSearchFilter] = Field(default_factory=list)

    @field_validator("filters", mode="before")
    @classmethod
    def _known_fields_only(cls, value: Any) -> Any:
        # SavedSearchFilter refuses unknown fields (typos when building one); fields a newer
        # server adds to the filters it returns are dropped instead.
        if not isinstance(value, list):
            return value
        known = SavedSearchFilter.model_fields
        return [
            {k: v for k, v in item.items() if k in known} if isinstance(item, dict) else item
            for item in value
        ]


class SavedSearchCreate(RequestModel):
    """The body of ``PUT /saved_searches/`` (a search of that name is replaced)."""

    name: str = Field(min_length=1)
    filters: list[SavedSearchFilter] = Field(default_factory=list)
