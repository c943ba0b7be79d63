"""Work queues: the queues of a work pool, their health and their concurrency."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from pydantic import Field

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "FlowRunSlotSummary",
    "QueueFilter",
    "WorkQueue",
    "WorkQueueConcurrencyStatus",
    "WorkQueueConcurrencyStatusDetail",
    "WorkQueueCreate",
    "WorkQueueHealthPolicy",
    "WorkQueueStatusDetail",
    "WorkQueueUpdate",
]

_QUEUE_NAME = r"^[^/%&><]+$"


class QueueFilter(ResponseModel):
    """The tags and deployments an old-style (pre work pool) queue served. Deprecated by the
    server; kept so such queues still read and can be changed."""

    tags: list[str] | None = None
    deployment_ids: list[UUID] | None = None


class WorkQueue(ResponseModel):
    """A queue inside a work pool."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    description: str | None = ""
    is_paused: bool = False
    concurrency_limit: int | None = None
    priority: int = 1
    work_pool_id: UUID | None = None
    filter: QueueFilter | None = None
    last_polled: dt.datetime | None = None
    work_pool_name: str | None = None
    status: str | None = None
    """``READY``, ``NOT_READY`` or ``PAUSED`` (``None``: the server did not say)."""
    active_slots: int | None = None


class WorkQueueCreate(RequestModel):
    """The body of ``POST /work_queues/`` and ``POST /work_pools/{name}/queues``."""

    name: str = Field(min_length=1, pattern=_QUEUE_NAME)
    description: str | None = None
    is_paused: bool = False
    concurrency_limit: int | None = Field(default=None, ge=0)
    priority: int | None = Field(default=None, gt=0)
    filter: QueueFilter | None = None


class WorkQueueUpdate(RequestModel):
    """The body of a work queue ``PATCH``: only the fields given are changed."""

    name: str | None = Field(default=None, min_length=1, pattern=_QUEUE_NAME)
    description: str | None = None
    is_paused: bool = False
    concurrency_limit: int | None = Field(default=None, ge=0)
    priority: int | None = Field(default=None, gt=0)
    last_polled: dt.datetime | None = None
    filter: QueueFilter | None = None


class WorkQueueHealthPolicy(ResponseModel):
    """When the server calls a queue healthy: at most ``maximum_late_runs`` late runs and a
    poll within the last ``maximum_seconds_since_last_polled`` seconds."""

    maximum_late_runs: int | None = 0
    maximum_seconds_since_last_polled: int | None = 60


class WorkQueueStatusDetail(ResponseModel):
    """A work queue's health, as ``GET /work_queues/{id}/status`` reports it."""

    healthy: bool
    late_runs_count: int = 0
    last_polled: dt.datetime | None = None
    health_check_policy: WorkQueueHealthPolicy = Field(default_factory=WorkQueueHealthPolicy)


class FlowRunSlotSummary(ResponseModel):
    """A flow run holding (or waiting for) a concurrency slot of a queue or pool."""

    id: UUID
    name: str
    state_type: StateType | None = None
    state_name: str | None = None
    start_time: dt.datetime | None = None
    state_timestamp: dt.datetime | None = None
    time_in_current_state: dt.timedelta | None = None


class WorkQueueConcurrencyStatus(ResponseModel):
    """A queue's concurrency slots in use and one page of the flow runs holding them.

    ``count`` is the number of such runs in all, ``pages`` how many pages of ``limit`` they
    fill; ``page`` is the page this answer holds (from 1).
    """

    active_slots: int
    concurrency_limit: int | None = None
    flow_runs: list[FlowRunSlotSummary] = Field(default_factory=list)
    count: int
    limit: int
    pages: int
    page: int


class WorkQueueConcurrencyStatusDetail(ResponseModel):
    """One queue's slots in a work pool's concurrency status."""

    queue_id: UUID
    queue_name: str
    active_slots: int
    concurrency_limit: int | None = None
    flow_runs: list[FlowRunSlotSummary] = Field(default_factory=list)
    flow_run_count: int | None = None
