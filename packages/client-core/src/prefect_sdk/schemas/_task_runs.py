"""Task runs, their inputs, the UI's task-run summaries and task workers."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import Field

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel, ResponseModel
from prefect_sdk.schemas._common import JSONLabels, Page
from prefect_sdk.schemas._run_inputs import (
    Constant,
    FlowRunResult,
    Parameter,
    TaskRunInput,
    TaskRunResult,
)
from prefect_sdk.schemas._states import State

__all__ = [
    "CountByState",
    "HistoryResponse",
    "HistoryResponseState",
    "TaskRun",
    "TaskRunCount",
    "TaskRunCreate",
    "TaskRunPaginationResponse",
    "TaskRunPolicy",
    "TaskRunResponse",
    "TaskRunUpdate",
    "TaskWorkerResponse",
    "UITaskRun",
]


class TaskRunPolicy(ResponseModel):
    max_retries: int = 0
    retry_delay_seconds: float = 0
    retries: int | None = None
    retry_delay: int | float | list[int] | list[float] | None = None
    retry_jitter_factor: float | None = None


# -- task runs --------------------------------------------------------------------------


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
    task_inputs: dict[str, list[TaskRunInput]] = Field(default_factory=dict)
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


class UITaskRun(TaskRun):
    """A task run with the name of its flow run (``GET /ui/task_runs/{id}``)."""

    flow_run_name: str | None = None


class TaskRunCreate(RequestModel):
    """The body of ``POST /task_runs/`` (validated before it is sent).

    The server returns the existing run when one with the same flow run, ``task_key`` and
    ``dynamic_key`` exists.
    """

    id: UUID | None = None
    name: str | None = None
    flow_run_id: UUID | None = None
    task_key: str = Field(min_length=1)
    dynamic_key: str = Field(min_length=1)
    cache_key: str | None = None
    cache_expiration: dt.datetime | None = None
    task_version: str | None = None
    empirical_policy: TaskRunPolicy | None = None
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None
    state: dict[str, Any] | None = None
    task_inputs: dict[str, list[TaskRunResult | FlowRunResult | Parameter | Constant]] = Field(
        default_factory=dict
    )


class TaskRunUpdate(RequestModel):
    """The body of ``PATCH /task_runs/{id}``: only the fields given are changed."""

    name: str | None = Field(default=None, min_length=1)


class TaskRunResponse(ResponseModel):
    """A task run as ``POST /task_runs/paginate`` lists it: a ``TaskRun`` without
    ``dynamic_key``, the cache fields, ``labels``, run counts and scheduling times."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str = ""
    flow_run_id: UUID | None = None
    task_key: str
    state_id: UUID | None = None
    state: State | None = None
    task_version: str | None = None
    task_inputs: dict[str, list[TaskRunInput]] = Field(default_factory=dict)
    empirical_policy: TaskRunPolicy = Field(default_factory=TaskRunPolicy)
    tags: list[str] = Field(default_factory=list)
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    total_run_time: float = 0.0
    estimated_run_time: float = 0.0
    estimated_start_time_delta: float = 0.0


class TaskRunPaginationResponse(Page[TaskRunResponse]):
    """One page of ``POST /task_runs/paginate``."""


# -- the UI's summaries -----------------------------------------------------------------


class CountByState(ResponseModel):
    """How many task runs are in each state type (``POST /ui/task_runs/count``)."""

    COMPLETED: int = 0
    PENDING: int = 0
    RUNNING: int = 0
    FAILED: int = 0
    CANCELLED: int = 0
    CRASHED: int = 0
    PAUSED: int = 0
    CANCELLING: int = 0
    SCHEDULED: int = 0

    def __getitem__(self, state_type: StateType | str) -> int:
        """The count for a state type: ``counts[StateType.FAILED]`` or ``counts["FAILED"]``."""
        key = state_type.value if isinstance(state_type, StateType) else str(state_type)
        value = getattr(self, key.upper(), None)
        if not isinstance(value, int):
            raise KeyError(state_type)
        return value


class TaskRunCount(ResponseModel):
    """Completed and failed task runs in one time bucket of the UI dashboard."""

    completed: int = 0
    failed: int = 0


# -- run history (``POST /task_runs/history``; ``/flow_runs/history`` answers the same) ------


class HistoryResponseState(ResponseModel):
    """The runs in one state during one history interval."""

    state_type: StateType
    state_name: str
    count_runs: int = 0
    sum_estimated_run_time: float = 0.0
    sum_estimated_lateness: float = 0.0


class HistoryResponse(ResponseModel):
    """One interval of a run history: the states its runs were in (``[]`` for none)."""

    interval_start: dt.datetime
    interval_end: dt.datetime
    states: list[HistoryResponseState] = Field(default_factory=list)


# -- task workers -----------------------------------------------------------------------


class TaskWorkerResponse(ResponseModel):
    """A task worker connected to the server: its id, the task keys it serves, when seen."""

    identifier: str
    task_keys: list[str] = Field(default_factory=list)
    timestamp: dt.datetime | None = None
