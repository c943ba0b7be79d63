"""The objects the Prefect API returns."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Literal
from uuid import UUID

from pydantic import Field, field_validator, model_validator

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel, ResponseModel
from prefect_sdk.schemas._schedules import (
    CronSchedule,
    IntervalSchedule,
    RRuleSchedule,
    Schedule,
)

JSONLabels = dict[str, bool | int | float | str]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class StateDetails(ResponseModel):
    """Extra facts attached to a state (which run, when it is scheduled, pause keys ...)."""

    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None
    child_flow_run_id: UUID | None = None
    scheduled_time: dt.datetime | None = None
    cache_key: str | None = None
    cache_expiration: dt.datetime | None = None
    deferred: bool | None = False
    untrackable_result: bool = False
    pause_timeout: dt.datetime | None = None
    pause_reschedule: bool = False
    pause_key: str | None = None
    run_input_keyset: dict[str, str] | None = None
    refresh_cache: bool | None = None
    retriable: bool | None = None
    transition_id: UUID | None = None
    task_parameters_id: UUID | None = None
    traceparent: str | None = None


class State(ResponseModel):
    """A run's state. Build new ones with the helpers in :mod:`prefect_sdk.states`."""

    id: UUID | None = None
    type: StateType
    name: str | None = None
    timestamp: dt.datetime = Field(default_factory=_now)
    message: str | None = None
    data: Any = None
    state_details: StateDetails = Field(default_factory=StateDetails)

    def is_scheduled(self) -> bool:
        return self.type == StateType.SCHEDULED

    def is_pending(self) -> bool:
        return self.type == StateType.PENDING

    def is_running(self) -> bool:
        return self.type == StateType.RUNNING

    def is_completed(self) -> bool:
        return self.type == StateType.COMPLETED

    def is_failed(self) -> bool:
        return self.type == StateType.FAILED

    def is_crashed(self) -> bool:
        return self.type == StateType.CRASHED

    def is_cancelled(self) -> bool:
        return self.type == StateType.CANCELLED

    def is_cancelling(self) -> bool:
        return self.type == StateType.CANCELLING

    def is_paused(self) -> bool:
        return self.type == StateType.PAUSED

    def is_final(self) -> bool:
        """Completed, failed, crashed or cancelled: the run will not move on by itself."""
        return self.type in (
            StateType.COMPLETED,
            StateType.FAILED,
            StateType.CRASHED,
            StateType.CANCELLED,
        )

    def to_wire(self) -> dict[str, Any]:
        """The body the server expects when this state is proposed (``StateCreate``)."""
        return {
            "type": self.type.value,
            "name": self.name,
            "message": self.message,
            "data": self.data,
            "state_details": self.state_details.model_dump(mode="json", exclude_none=True),
        }

    def __repr__(self) -> str:
        message = f", message={self.message!r}" if self.message else ""
        return f"{self.name or self.type.value.title()}(type={self.type.value}{message})"


class SetStateStatus(str, enum.Enum):
    """What the orchestrator did with a proposed state."""

    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    ABORT = "ABORT"
    WAIT = "WAIT"


class OrchestrationDetails(ResponseModel):
    """Why the orchestrator decided as it did.

    ``reason`` explains a reject/abort/wait; ``delay_seconds`` says how long to wait before
    proposing again (``WAIT`` only).  ``flow_run_id``, ``task_run_id`` and ``transition_id`` are
    taken from the resulting state's details.
    """

    type: Literal["accept_details", "reject_details", "abort_details", "wait_details"]
    reason: str | None = None
    delay_seconds: int | None = None
    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None
    transition_id: UUID | None = None


class OrchestrationResult(ResponseModel):
    """The answer to a proposed state change."""

    state: State | None = None
    status: SetStateStatus
    details: OrchestrationDetails

    @model_validator(mode="after")
    def _details_from_state(self) -> OrchestrationResult:
        if self.state is not None:
            sd = self.state.state_details
            d = self.details
            d.flow_run_id = d.flow_run_id or sd.flow_run_id
            d.task_run_id = d.task_run_id or sd.task_run_id
            d.transition_id = d.transition_id or sd.transition_id
        return self


class CreatedBy(ResponseModel):
    id: UUID | None = None
    type: str | None = None
    display_value: str | None = None


class Flow(ResponseModel):
    """A flow registered with the server."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None


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


class DeploymentSchedule(ResponseModel):
    """A schedule attached to a deployment: a ``CronSchedule``, ``IntervalSchedule`` (its
    ``interval`` a ``timedelta``, whichever form the server wrote it in) or ``RRuleSchedule``."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    deployment_id: UUID | None = None
    schedule: Schedule
    active: bool = True
    max_scheduled_runs: int | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    slug: str | None = None

    @field_validator("schedule", mode="before")
    @classmethod
    def _known_schedule(cls, value: Any) -> Any:
        # The schedule models forbid unknown fields (they are also request models); a newer
        # server may add some, so keep the fields of the kind this schedule is.
        if isinstance(value, dict):
            for kind in (CronSchedule, IntervalSchedule, RRuleSchedule):
                if next(iter(kind.model_fields)) in value:
                    return kind.model_validate(
                        {k: v for k, v in value.items() if k in kind.model_fields}
                    )
        return value


class Deployment(ResponseModel):
    """A deployment: a flow plus where, when and with what parameters it runs."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    version: str | None = None
    description: str | None = None
    flow_id: UUID
    paused: bool = False
    schedules: list[DeploymentSchedule] = Field(default_factory=list)
    concurrency_limit: int | None = None
    job_variables: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None
    work_queue_name: str | None = None
    work_queue_id: UUID | None = None
    last_polled: dt.datetime | None = None
    parameter_openapi_schema: dict[str, Any] | None = None
    path: str | None = None
    pull_steps: list[dict[str, Any]] | None = None
    entrypoint: str | None = None
    storage_document_id: UUID | None = None
    infrastructure_document_id: UUID | None = None
    created_by: CreatedBy | None = None
    updated_by: CreatedBy | None = None
    work_pool_name: str | None = None
    status: str | None = None
    enforce_parameter_schema: bool = True

    @property
    def is_schedule_active(self) -> bool:
        """The older name for "not paused"."""
        return not self.paused


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


class WorkQueue(ResponseModel):
    """A queue inside a work pool."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    description: str | None = None
    is_paused: bool = False
    concurrency_limit: int | None = None
    priority: int = 1
    work_pool_id: UUID | None = None
    last_polled: dt.datetime | None = None
    work_pool_name: str | None = None
    status: str | None = None


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
