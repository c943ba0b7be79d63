"""Flows."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pydantic import Field

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel, ResponseModel
from prefect_sdk.schemas._common import JSONLabels, Page

__all__ = [
    "BulkDeleteResponse",
    "Flow",
    "FlowCreate",
    "FlowPaginationResponse",
    "FlowUpdate",
    "SimpleNextFlowRun",
]


class Flow(ResponseModel):
    """A flow registered with the server."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None


class FlowCreate(RequestModel):
    """The body of ``POST /flows/`` (the server returns the existing flow of that name)."""

    name: str
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None


class FlowUpdate(RequestModel):
    """The body of ``PATCH /flows/{id}``: only the fields given are changed."""

    tags: list[str] | None = None


class FlowPaginationResponse(Page[Flow]):
    """One page of ``POST /flows/paginate``."""


class BulkDeleteResponse(ResponseModel):
    """The ids a ``bulk_delete`` route deleted."""

    deleted: list[UUID] = Field(default_factory=list)


class SimpleNextFlowRun(ResponseModel):
    """The next scheduled run of a flow, as ``read_next_flow_runs_by_flow`` reports it."""

    id: UUID
    flow_id: UUID
    name: str
    state_name: str
    state_type: StateType
    next_scheduled_start_time: dt.datetime
