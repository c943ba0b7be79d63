"""Operations on flow runs and their states against the real server, through both clients."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import (
    ObjectNotFound,
)
from prefect_sdk.filters import (
    FlowFilter,
    FlowRunFilter,
    FlowRunSort,
)
from prefect_sdk.schemas import (
    FlowRun,
    OrchestrationResult,
    SetStateStatus,
    StateType,
)
from prefect_sdk.states import Completed, Pending, Running, Scheduled

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_read_more_than_server_page_cap(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("many"))
    tag = unique("bulk")
    for _ in range(205):
        await client.create_flow_run(flow, tags=[tag])
    runs = await client.read_flow_runs(limit=250, flow_run_filter=FlowRunFilter(tags=[tag]))
    assert len(runs) == 205
    assert len({r.id for r in runs}) == 205
    walked = [r async for r in client.iter_flow_runs(flow_run_filter=FlowRunFilter(tags=[tag]))]
    assert {r.id for r in walked} == {r.id for r in runs}


async def test_create_flow_run_from_flow_object_id_and_name(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("runs"))
    run = await client.create_flow_run(
        flow, name="first", parameters={"x": 1}, context={"k": "v"}, tags=["api-created"]
    )
    assert isinstance(run, FlowRun)
    assert run.flow_id == flow.id and run.name == "first"
    assert run.parameters == {"x": 1} and run.tags == ["api-created"]
    assert run.state is not None and run.state.type == StateType.PENDING
    by_id = await client.create_flow_run(flow.id, state=Scheduled())
    assert by_id.flow_id == flow.id and by_id.state_type == StateType.SCHEDULED

    class MyFlow:
        name = unique("by-name")

    by_name = await client.create_flow_run(MyFlow())
    assert (await client.read_flow(by_name.flow_id)).name == MyFlow.name

    read = await client.read_flow_run(run.id)
    assert read.id == run.id and read.parameters == {"x": 1}
    with pytest.raises(ObjectNotFound):
        await client.read_flow_run(uuid.uuid4())


async def test_idempotency_key_returns_the_same_run(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("idem"))
    key = unique("key")
    first = await client.create_flow_run(flow, idempotency_key=key)
    second = await client.create_flow_run(flow, idempotency_key=key)
    assert first.id == second.id
    runs = await client.read_flow_runs(flow_filter=FlowFilter(id=flow.id))
    assert [r.id for r in runs] == [first.id]


async def test_flow_run_states_and_orchestration(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("states"))
    run = await client.create_flow_run(flow)
    result = await client.set_flow_run_state(run.id, Running(message="go"))
    assert isinstance(result, OrchestrationResult)
    assert result.status == SetStateStatus.ACCEPT
    assert result.state is not None and result.state.type == StateType.RUNNING
    assert result.details.flow_run_id == run.id
    # The orchestrator refuses to move a running run back to Pending ...
    back = await client.set_flow_run_state(run.id, Pending())
    assert back.status == SetStateStatus.ABORT
    assert back.details.reason and "PENDING" in back.details.reason
    assert (await client.read_flow_run(run.id)).state_type == StateType.RUNNING
    # ... unless forced.
    forced = await client.set_flow_run_state(run.id, Pending(), force=True)
    assert forced.status == SetStateStatus.ACCEPT
    done = await client.set_flow_run_state(run.id, Completed(message="Completed via API"))
    assert done.status == SetStateStatus.ACCEPT
    read = await client.read_flow_run(run.id)
    assert read.state_type == StateType.COMPLETED
    assert read.state is not None and read.state.message == "Completed via API"


async def test_read_flow_runs_by_state_and_sort(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("sorted"))
    runs = [await client.create_flow_run(flow, name=f"r{i}") for i in range(3)]
    await client.set_flow_run_state(runs[0].id, Running())
    running = await client.read_flow_runs(
        flow_filter=FlowFilter(id=[flow.id]), flow_run_filter=FlowRunFilter(state="RUNNING")
    )
    assert [r.id for r in running] == [runs[0].id]
    by_name = await client.read_flow_runs(
        sort=FlowRunSort.NAME_ASC, flow_filter=FlowFilter(name=flow.name)
    )
    assert [r.name for r in by_name] == ["r0", "r1", "r2"]


async def test_flow_run_default_state_is_pending(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("pending"))
    run = await client.create_flow_run(flow, state=None)
    assert run.state_type == Pending().type
