"""Building filters and sorts, and states to move runs to."""

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

from prefect_sdk.client import PrefectClient
from prefect_sdk.filters import (
    DeploymentFilter,
    DeploymentFilterPaused,
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
    FlowRunSort,
    FlowSort,
    Operator,
    StateType,
    filter_body,
)
from prefect_sdk.schemas import FlowRun, OrchestrationResult, State
from prefect_sdk.states import (
    AwaitingRetry,
    Cancelled,
    Completed,
    Crashed,
    Failed,
    Late,
    Paused,
    Pending,
    Running,
    Scheduled,
    Suspended,
)
from prefect_sdk_downstream._compat import assert_type


def filters() -> dict[str, Any]:
    by_name = FlowFilter(name=["etl", "report"], tags="prod")
    assert_type(by_name.name, FlowFilterName | None)
    assert_type(by_name.operator, Operator)
    nested = FlowRunFilter(
        state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.FAILED]))
    )
    shorthand = FlowRunFilter(state=["FAILED", StateType.CRASHED], deployment_id=uuid4())
    assert_type(shorthand.state, FlowRunFilterState | None)
    deployments = DeploymentFilter(paused=False, work_pool_name="pool")
    assert_type(deployments.paused, DeploymentFilterPaused | None)
    assert_type(nested.to_wire(), dict[str, Any])
    assert_type(FlowSort.NAME_ASC, FlowSort)
    sort: str = FlowRunSort.START_TIME_DESC
    print(sort)
    return filter_body(flows=by_name, flow_runs=shorthand, deployments=deployments)


def states() -> list[State]:
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)
    made = [
        Scheduled(later),
        Late(),
        AwaitingRetry(later, message="again"),
        Pending(),
        Running(),
        Completed(message="ok", data={"rows": 3}),
        Failed(message="boom"),
        Crashed(),
        Cancelled(),
        Paused(timeout_seconds=60, reschedule=True),
        Suspended(pause_key="k"),
    ]
    for state in made:
        assert_type(state, State)
        assert_type(state.type, StateType)
        assert_type(state.is_completed(), bool)
    return made


async def move(client: PrefectClient, run: FlowRun) -> UUID | None:
    result = await client.set_flow_run_state(run.id, Completed(), force=True)
    assert_type(result, OrchestrationResult)
    if run.state is not None:
        assert_type(run.state, State)
    return run.state_id
