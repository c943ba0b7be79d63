"""The status values the server reports, as enums (``WorkerStatus`` lives with the filters)."""

from __future__ import annotations

import enum

from prefect_sdk.filters import WorkerStatus

__all__ = ["DeploymentStatus", "RunType", "WorkPoolStatus", "WorkQueueStatus", "WorkerStatus"]


class DeploymentStatus(str, enum.Enum):
    """Whether a deployment has a worker or runner polling for its runs."""

    READY = "READY"
    NOT_READY = "NOT_READY"
    DISABLED = "DISABLED"


class WorkPoolStatus(str, enum.Enum):
    """Whether a work pool has workers polling it, or is paused."""

    READY = "READY"
    NOT_READY = "NOT_READY"
    PAUSED = "PAUSED"


class WorkQueueStatus(str, enum.Enum):
    """Whether a work queue is being polled, or is paused."""

    READY = "READY"
    NOT_READY = "NOT_READY"
    PAUSED = "PAUSED"


class RunType(str, enum.Enum):
    """What kind of run a graph node or input refers to."""

    FLOW_RUN = "flow_run"
    TASK_RUN = "task_run"
