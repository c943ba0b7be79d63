"""Flow runs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import Field

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel, ResponseModel
from prefect_sdk.schemas._common import CreatedBy, JSONLabels
from prefect_sdk.schemas._states import State

__all__ = ["FlowRun", "FlowRunCreate", "FlowRunPolicy"]


class FlowRunPolicy(ResponseModel):
    max_retries: int = 0
    retry_delay_seconds: float = 0
    retries: int | None = None
    retry_delay: int | None = None
    pause_keys: list[str] | None = None
    resuming: bool | None = False
    retry_type: str | None = None


class FlowRun(ResponseModel):
    """One run of a flow."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str = ""
    flow_id: UUID
    state_id: UUID | None = None
    deployment_id: UUID | None = None
    deployment_version: str | None = None
    work_queue_id: UUID | None = None
    work_queue_name: str | None = None
    work_pool_id: UUID | None = None
    work_pool_name: str | None = None
    flow_version: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    empirical_policy: FlowRunPolicy = Field(default_factory=FlowRunPolicy)
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None
    parent_task_run_id: UUID | None = None
    state_type: StateType | None = None
    state_name: str | None = None
    run_count: int = 0
    expected_start_time: dt.datetime | None = None
    next_scheduled_start_time: dt.datetime | None = None
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    total_run_time: float = 0.0
    estimated_run_time: float = 0.0
    estimated_start_time_delta: float = 0.0
    auto_scheduled: bool = False
    infrastructure_document_id: UUID | None = None
    infrastructure_pid: str | None = None
    created_by: CreatedBy | None = None
    state: State | None = None
    job_variables: dict[str, Any] | None = None


class FlowRunCreate(RequestModel):
    """The body of ``POST /flow_runs/`` (validated before it is sent)."""

    flow_id: UUID
    name: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    parent_task_run_id: UUID | None = None
    state: dict[str, Any] | None = None
    idempotency_key: str | None = None
    work_pool_name: str | None = None
    work_queue_name: str | None = None
    job_variables: dict[str, Any] | None = None
    deployment_id: UUID | None = None
    labels: JSONLabels | None = None
