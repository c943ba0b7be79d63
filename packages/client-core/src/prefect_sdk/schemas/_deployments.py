"""Deployments, their schedules and the runs made from them."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar
from uuid import UUID

from pydantic import ConfigDict, Field, field_validator, model_validator

from prefect_sdk.schemas._base import RequestModel, ResponseModel
from prefect_sdk.schemas._common import CreatedBy, JSONLabels, Page
from prefect_sdk.schemas._concurrency import GlobalConcurrencyLimitResponse
from prefect_sdk.schemas._schedules import (
    CronSchedule,
    DeploymentScheduleCreate,
    DeploymentScheduleUpdate,
    IntervalSchedule,
    RRuleSchedule,
    Schedule,
)
from prefect_sdk.schemas._states import State

__all__ = [
    "ConcurrencyLimitStrategy",
    "ConcurrencyOptions",
    "Deployment",
    "DeploymentCreate",
    "DeploymentFlowRunCreate",
    "DeploymentPaginationResponse",
    "DeploymentResponse",
    "DeploymentSchedule",
    "DeploymentUpdate",
    "FlowRunBulkCreateResponse",
    "FlowRunCreateResult",
    "VersionInfo",
]


def _known_fields(kind: Any, value: Any) -> Any:
    """``value`` (a dict from the server) cut down to the fields ``kind`` declares.

    The models below that are also request models forbid unknown fields; a newer server may
    add some to what it returns, and that must not break reading a deployment.
    """
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k in kind.model_fields}
    return value


class ConcurrencyLimitStrategy(str, enum.Enum):
    """What happens to a new run of a deployment whose concurrency limit is reached."""

    ENQUEUE = "ENQUEUE"
    CANCEL_NEW = "CANCEL_NEW"


class ConcurrencyOptions(RequestModel):
    """How a deployment's concurrency limit is applied: ``collision_strategy`` for runs over
    the limit, ``grace_period_seconds`` (60 to 86400) before a held slot is released."""

    collision_strategy: ConcurrencyLimitStrategy
    grace_period_seconds: int | None = Field(default=None, ge=60, le=86400)


class VersionInfo(RequestModel):
    """Where a deployment's version comes from, e.g. ``VersionInfo(type="git", version="3f2a1c")``.

    Other keys (a branch, a URL ...) are kept and sent as given.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(
        extra="allow", defer_build=True, populate_by_name=True
    )

    type: str
    version: str


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
                    return kind.model_validate(_known_fields(kind, value))
        return value


class Deployment(ResponseModel):
    """A deployment: a flow plus where, when and with what parameters it runs.

    ``concurrency_limit`` is the limit of the deployment's ``global_concurrency_limit`` (the
    server keeps the limit there and leaves its own ``concurrency_limit`` field empty).
    """

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
    concurrency_options: ConcurrencyOptions | None = None
    global_concurrency_limit: GlobalConcurrencyLimitResponse | None = None
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

    @model_validator(mode="before")
    @classmethod
    def _limit_from_global(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("concurrency_limit") is None:
            limit = data.get("global_concurrency_limit")
            if isinstance(limit, dict) and isinstance(limit.get("limit"), int):
                return {**data, "concurrency_limit": limit["limit"]}
        return data

    @field_validator("concurrency_options", mode="before")
    @classmethod
    def _known_options(cls, value: Any) -> Any:
        return _known_fields(ConcurrencyOptions, value)

    @property
    def is_schedule_active(self) -> bool:
        """The older name for "not paused"."""
        return not self.paused


DeploymentResponse = Deployment
"""prefect-client's name for the deployment the server returns."""


class DeploymentCreate(RequestModel):
    """The body of ``POST /deployments/`` (the server upserts by flow and name)."""

    flow_id: UUID
    name: str = Field(min_length=1)
    version: str | None = None
    version_info: VersionInfo | None = None
    description: str | None = None
    paused: bool | None = None
    schedules: list[DeploymentScheduleCreate] = Field(default_factory=list)
    concurrency_limit: int | None = Field(default=None, gt=0)
    concurrency_options: ConcurrencyOptions | None = None
    global_concurrency_limit_id: UUID | None = None
    enforce_parameter_schema: bool | None = None
    parameter_openapi_schema: dict[str, Any] | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None
    pull_steps: list[dict[str, Any]] | None = None
    work_queue_name: str | None = None
    work_pool_name: str | None = None
    storage_document_id: UUID | None = None
    infrastructure_document_id: UUID | None = None
    path: str | None = None
    entrypoint: str | None = None
    job_variables: dict[str, Any] = Field(default_factory=dict)


class DeploymentUpdate(RequestModel):
    """The body of ``PATCH /deployments/{id}``: only the fields given are changed.

    Setting a field to ``None`` clears it where the server allows that (``description``,
    ``version``, ``concurrency_limit`` ...).
    """

    version: str | None = None
    version_info: VersionInfo | None = None
    description: str | None = None
    parameters: dict[str, Any] | None = None
    paused: bool | None = None
    schedules: list[DeploymentScheduleUpdate] | None = None
    concurrency_limit: int | None = Field(default=None, gt=0)
    concurrency_options: ConcurrencyOptions | None = None
    global_concurrency_limit_id: UUID | None = None
    tags: list[str] | None = None
    work_queue_name: str | None = None
    work_pool_name: str | None = None
    path: str | None = None
    job_variables: dict[str, Any] | None = None
    entrypoint: str | None = None
    storage_document_id: UUID | None = None
    infrastructure_document_id: UUID | None = None
    enforce_parameter_schema: bool | None = None
    parameter_openapi_schema: dict[str, Any] | None = None
    pull_steps: list[dict[str, Any]] | None = None


class DeploymentFlowRunCreate(RequestModel):
    """One run to create from a deployment: what differs from the deployment's defaults.

    Parameters given are merged over the deployment's; tags are added to its tags; without a
    ``state`` the run is created ``Scheduled`` for now.  ``state`` takes a ``State``
    (``prefect_sdk.states.Scheduled(...)``) or its wire form.
    """

    name: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] = Field(default_factory=dict)
    state: dict[str, Any] | None = None
    tags: list[str] = Field(default_factory=list)
    idempotency_key: str | None = None
    parent_task_run_id: UUID | None = None
    work_queue_name: str | None = None
    job_variables: dict[str, Any] | None = None
    labels: JSONLabels | None = None
    enforce_parameter_schema: bool | None = None
    infrastructure_document_id: UUID | None = None
    empirical_policy: dict[str, Any] | None = None

    @field_validator("state", mode="before")
    @classmethod
    def _state_on_the_wire(cls, value: Any) -> Any:
        return value.to_wire() if isinstance(value, State) else value


class DeploymentPaginationResponse(Page[Deployment]):
    """One page of ``POST /deployments/paginate``."""


class FlowRunCreateResult(ResponseModel):
    """The outcome for one run of a bulk create: ``status`` ``"CREATED"`` with the
    ``flow_run_id``, or ``"FAILED"`` with the server's ``error``."""

    status: str
    flow_run_id: UUID | None = None
    error: str | None = None

    @property
    def created(self) -> bool:
        """Whether this run was created."""
        return self.status == "CREATED"


class FlowRunBulkCreateResponse(ResponseModel):
    """What ``POST /deployments/{id}/create_flow_run/bulk`` returns: one result per run asked
    for, in the order asked."""

    results: list[FlowRunCreateResult] = Field(default_factory=list)
