"""Task runs."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import Field

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import ResponseModel
from prefect_sdk.schemas._common import JSONLabels
from prefect_sdk.schemas._states import State

__all__ = ["TaskRun", "TaskRunPolicy"]


class TaskRunPolicy(ResponseModel):
    max_retries: int = 0
    retry_delay_seconds: float = 0
    retries: int | None = None
    retry_delay: int | float | list[int] | list[float] | None = None
    retry_jitter_factor: float | None = None


class TaskRun(ResponseModel):
    """One run of a task."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str = ""
    flow_run_id: UUID | None = None
    task_key: str
    dynamic_key: str
    cache_key: str | None = None
    cache_expiration: dt.datetime | None = None
    task_version: str | None = None
    empirical_policy: TaskRunPolicy = Field(default_factory=TaskRunPolicy)
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None
    state_id: UUID | None = None
    task_inputs: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    state_type: StateType | None = None
    state_name: str | None = None
    run_count: int = 0
    flow_run_run_count: int = 0
    expected_start_time: dt.datetime | None = None
    next_scheduled_start_time: dt.datetime | None = None
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    total_run_time: float = 0.0
    estimated_run_time: float = 0.0
    estimated_start_time_delta: float = 0.0
    state: State | None = None
