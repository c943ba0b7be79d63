"""Deployments and their schedules."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from pydantic import Field, field_validator

from prefect_sdk.schemas._base import ResponseModel
from prefect_sdk.schemas._common import CreatedBy, JSONLabels
from prefect_sdk.schemas._schedules import (
    CronSchedule,
    IntervalSchedule,
    RRuleSchedule,
    Schedule,
)

__all__ = ["Deployment", "DeploymentSchedule"]


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
