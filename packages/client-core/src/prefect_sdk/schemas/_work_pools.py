"""Work pools."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import Field

from prefect_sdk.schemas._base import RequestModel, ResponseModel
from prefect_sdk.schemas._flow_runs import FlowRun
from prefect_sdk.schemas._work_queues import WorkQueueConcurrencyStatusDetail

__all__ = [
    "WorkPool",
    "WorkPoolConcurrencyStatus",
    "WorkPoolCreate",
    "WorkPoolStorageConfiguration",
    "WorkPoolUpdate",
    "WorkerFlowRunResponse",
]


class WorkPool(ResponseModel):
    """A work pool: where workers pick up flow runs."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    description: str | None = None
    type: str
    base_job_template: dict[str, Any] = Field(default_factory=dict)
    is_paused: bool = False
    concurrency_limit: int | None = None
    status: str | None = None
    default_queue_id: UUID | None = None
    storage_configuration: dict[str, Any] = Field(default_factory=dict)
    active_slots: int | None = None


class WorkPoolStorageConfiguration(RequestModel):
    """Where a work pool's workers store results and bundles (block document ids)."""

    bundle_upload_step: dict[str, Any] | None = None
    bundle_execution_step: dict[str, Any] | None = None
    default_result_storage_block_id: UUID | None = None


class WorkPoolCreate(RequestModel):
    """The body of ``POST /work_pools/``."""

    name: str = Field(min_length=1, pattern=r"^[^/%&><]+$")
    description: str | None = None
    type: str = "process"
    base_job_template: dict[str, Any] = Field(default_factory=dict)
    is_paused: bool = False
    concurrency_limit: int | None = Field(default=None, ge=0)
    storage_configuration: WorkPoolStorageConfiguration | None = None


class WorkPoolUpdate(RequestModel):
    """The body of ``PATCH /work_pools/{name}``: only the fields given are changed."""

    description: str | None = None
    is_paused: bool | None = None
    base_job_template: dict[str, Any] | None = None
    concurrency_limit: int | None = Field(default=None, ge=0)
    storage_configuration: WorkPoolStorageConfiguration | None = None


class WorkerFlowRunResponse(ResponseModel):
    """A scheduled flow run of a work pool, with the pool and queue it was found in."""

    work_pool_id: UUID
    work_queue_id: UUID
    flow_run: FlowRun


class WorkPoolConcurrencyStatus(ResponseModel):
    """A work pool's concurrency slots in use, and one page of its queues' slots.

    ``count`` is the number of queues in all, ``pages`` how many pages of ``limit`` queues
    they fill; ``page`` is the page this answer holds (from 1).
    """

    active_slots: int
    concurrency_limit: int | None = None
    queues: list[WorkQueueConcurrencyStatusDetail] = Field(default_factory=list)
    count: int
    limit: int
    pages: int
    page: int
