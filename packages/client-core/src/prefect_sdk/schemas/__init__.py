"""Models of the objects the Prefect API returns, and of the schedules and states it accepts.

Response models ignore fields they do not know (newer servers add fields); request models
forbid them (a typo is an error, not a silently dropped value).
"""

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._objects import (
    CreatedBy,
    Deployment,
    DeploymentSchedule,
    Flow,
    FlowRun,
    FlowRunCreate,
    FlowRunPolicy,
    OrchestrationDetails,
    OrchestrationResult,
    SetStateStatus,
    State,
    StateDetails,
    TaskRun,
    TaskRunPolicy,
    WorkPool,
    WorkQueue,
)
from prefect_sdk.schemas._schedules import (
    CronSchedule,
    DeploymentScheduleCreate,
    IntervalSchedule,
    RRuleSchedule,
    Schedule,
)

__all__ = [
    "CreatedBy",
    "CronSchedule",
    "Deployment",
    "DeploymentSchedule",
    "DeploymentScheduleCreate",
    "Flow",
    "FlowRun",
    "FlowRunCreate",
    "FlowRunPolicy",
    "IntervalSchedule",
    "OrchestrationDetails",
    "OrchestrationResult",
    "RRuleSchedule",
    "Schedule",
    "SetStateStatus",
    "State",
    "StateDetails",
    "StateType",
    "TaskRun",
    "TaskRunPolicy",
    "WorkPool",
    "WorkQueue",
]
