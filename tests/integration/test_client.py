"""Every client operation against the real server, for the async and the sync client."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import (
    ObjectAlreadyExists,
    ObjectNotFound,
    ServerValidationError,
    ValidationError,
)
from prefect_sdk.filters import (
    DeploymentFilter,
    DeploymentSort,
    FlowFilter,
    FlowRunFilter,
    FlowRunSort,
    FlowSort,
    WorkPoolFilter,
)
from prefect_sdk.schemas import (
    CronSchedule,
    Deployment,
    Flow,
    FlowRun,
    IntervalSchedule,
    OrchestrationResult,
    RRuleSchedule,
    SetStateStatus,
    StateType,
    TaskRun,
    WorkPool,
)
from prefect_sdk.states import Completed, Pending, Running, Scheduled

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_health_hello_and_version(client: Any) -> None:
    assert await client.api_healthcheck() is None
    hello = await client.hello()
    assert isinstance(hello, httpx.Response)
    assert hello.status_code == 200
    assert await client.read_server_version() == "3.8.8"


async def test_healthcheck_reports_unreachable_server(
    flavour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.exceptions import APIConnectionError
    from prefect_sdk.sync import SyncPrefectClient

    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    url = "http://127.0.0.1:9/api"  # discard port: nothing listens
    if flavour == "sync":
        with SyncPrefectClient(api=url) as sync_client:
            error = sync_client.api_healthcheck()
    else:
        async with PrefectClient(api=url) as async_client:
            error = await async_client.api_healthcheck()
    assert isinstance(error, APIConnectionError)
    assert "127.0.0.1:9" in str(error)


async def test_flow_create_read_by_id_and_name(client: Any, unique: Unique) -> None:
    name = unique("flow")
    flow = await client.create_flow(name, tags=["a"])
    assert isinstance(flow, Flow) and flow.name == name and flow.tags == ["a"]
    # Creating the same name again returns the same flow (safe to repeat).
    again = await client.create_flow(name)
    assert again.id == flow.id
    assert (await client.read_flow(flow.id)).name == name
    assert (await client.read_flow(str(flow.id))).id == flow.id
    assert (await client.read_flow_by_name(name)).id == flow.id
    with pytest.raises(ObjectNotFound) as info:
        await client.read_flow_by_name(unique("missing"))
    assert info.value.status_code == 404
    assert "read_flow_by_name" in str(info.value) and "not found" in str(info.value).lower()


async def test_read_flows_filters_sorts_and_pages(client: Any, unique: Unique) -> None:
    tag = unique("tag")
    names = sorted(unique(f"pf{i}") for i in range(3))
    for name in names:
        await client.create_flow(name, tags=[tag, "common"])
    await client.create_flow(unique("other"), tags=[tag])  # lacks "common"

    by_tags = await client.read_flows(flow_filter=FlowFilter(tags=[tag, "common"]))
    assert sorted(f.name for f in by_tags) == names

    desc = await client.read_flows(
        sort=FlowSort(field="name", direction="desc"), flow_filter=FlowFilter(name=names)
    )
    assert [f.name for f in desc] == list(reversed(names))
    asc = await client.read_flows(sort=FlowSort.NAME_ASC, flow_filter=FlowFilter(name=names))
    assert [f.name for f in asc] == names

    page = await client.read_flows(
        limit=1, offset=1, sort="NAME_ASC", flow_filter=FlowFilter(name=names)
    )
    assert [f.name for f in page] == names[1:2]


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


async def test_task_runs(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("tasks"))
    run = await client.create_flow_run(flow)
    await client.set_flow_run_state(run.id, Running())  # tasks only run inside running flows
    task_run = await client.create_task_run("my-task", run.id, "0", tags=["t"])
    assert isinstance(task_run, TaskRun)
    assert task_run.flow_run_id == run.id and task_run.task_key == "my-task"
    # Deduplicated by (flow run, task key, dynamic key): a retried create is harmless.
    again = await client.create_task_run("my-task", run.id, "0")
    assert again.id == task_run.id
    result = await client.set_task_run_state(task_run.id, Running())
    assert result.status == SetStateStatus.ACCEPT
    assert result.details.task_run_id == task_run.id
    await client.set_task_run_state(task_run.id, Completed())
    read = await client.read_task_run(task_run.id)
    assert read.state_type == StateType.COMPLETED


async def test_deployments(client: Any, unique: Unique) -> None:
    pool = await client.create_work_pool(unique("dpool"), "process")
    flow = await client.create_flow(unique("deployed"))
    cron = await client.create_deployment(
        flow.id,
        "cron",
        version="1",
        schedule=CronSchedule(cron="0 9 * * 1-5", timezone="Europe/Paris"),
        parameters={"p": 1},
        tags=["prod"],
        work_pool_name=pool.name,
        work_queue_name="default",
        description="weekday mornings",
    )
    assert isinstance(cron, Deployment)
    assert cron.flow_id == flow.id and cron.work_pool_name == pool.name
    assert cron.schedules[0].schedule == CronSchedule(cron="0 9 * * 1-5", timezone="Europe/Paris")
    assert cron.parameters == {"p": 1} and cron.description == "weekday mornings"
    interval = await client.create_deployment(
        flow, "interval", schedule=IntervalSchedule(interval=dt.timedelta(hours=1))
    )
    schedule = interval.schedules[0].schedule
    assert isinstance(schedule, IntervalSchedule)
    assert schedule.interval == dt.timedelta(hours=1)
    many = await client.create_deployment(
        flow.id,
        "many",
        schedules=[RRuleSchedule(rrule="FREQ=DAILY"), CronSchedule(cron="*/5 * * * *")],
    )
    assert len(many.schedules) == 2

    # Upsert: same flow + name updates in place.
    updated = await client.create_deployment(flow.id, "cron", version="2")
    assert updated.id == cron.id and updated.version == "2"

    assert (await client.read_deployment(cron.id)).name == "cron"
    assert (await client.read_deployment_by_name(f"{flow.name}/cron")).id == cron.id
    with pytest.raises(ObjectNotFound):
        await client.read_deployment(uuid.uuid4())

    in_pool = await client.read_deployments(
        deployment_filter=DeploymentFilter(work_pool_name=pool.name)
    )
    assert [d.id for d in in_pool] == [cron.id]
    of_flow = await client.read_deployments(
        sort=DeploymentSort.NAME_ASC, flow_filter=FlowFilter(id=flow.id)
    )
    assert [d.name for d in of_flow] == ["cron", "interval", "many"]

    await client.pause_deployment(cron.id)
    assert (await client.read_deployment(cron.id)).paused is True
    active = await client.read_deployments(
        flow_filter=FlowFilter(id=flow.id),
        deployment_filter=DeploymentFilter(is_schedule_active=True),
    )
    assert sorted(d.name for d in active) == ["interval", "many"]
    await client.resume_deployment(cron.id)
    assert (await client.read_deployment(cron.id)).paused is False

    await client.delete_deployment(many.id)
    with pytest.raises(ObjectNotFound):
        await client.read_deployment(many.id)


async def test_work_pools(client: Any, unique: Unique) -> None:
    name = unique("pool")
    pool = await client.create_work_pool(
        name, "process", description="d", is_paused=True, concurrency_limit=3
    )
    assert isinstance(pool, WorkPool)
    assert (pool.name, pool.type, pool.description) == (name, "process", "d")
    assert pool.is_paused is True and pool.concurrency_limit == 3
    with pytest.raises(ObjectAlreadyExists) as info:
        await client.create_work_pool(name, "process")
    assert info.value.status_code == 409
    replaced = await client.create_work_pool(name, "process", concurrency_limit=7, overwrite=True)
    assert replaced.id == pool.id and replaced.concurrency_limit == 7
    assert (await client.read_work_pool(name)).id == pool.id
    found = await client.read_work_pools(work_pool_filter=WorkPoolFilter(name=name))
    assert [p.id for p in found] == [pool.id]
    await client.delete_work_pool(name)
    with pytest.raises(ObjectNotFound):
        await client.read_work_pool(name)


async def test_server_validation_error_names_the_field(client: Any) -> None:
    with pytest.raises(ServerValidationError) as info:
        await client.create_flow("has/slash")
    assert info.value.status_code == 422
    assert isinstance(info.value, ValidationError)
    message = str(info.value)
    assert "create_flow" in message and "POST" in message and "name" in message


async def test_client_side_validation_happens_before_io(client: Any) -> None:
    with pytest.raises(ValidationError, match="flow_run_id"):
        await client.read_flow_run("not-a-uuid")
    with pytest.raises(ValidationError, match="limit"):
        await client.read_flows(limit=-1)
    with pytest.raises(ValidationError, match="schedule"):
        await client.create_deployment(
            uuid.uuid4(),
            "x",
            schedule=CronSchedule(cron="* * * * *"),
            schedules=[CronSchedule(cron="* * * * *")],
        )
    with pytest.raises(ValidationError, match="State"):
        await client.set_flow_run_state(uuid.uuid4(), "COMPLETED")
    with pytest.raises(ValueError, match="allowed"):
        await client.read_flows(sort="SIZE_ASC")


async def test_flow_run_default_state_is_pending(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("pending"))
    run = await client.create_flow_run(flow, state=None)
    assert run.state_type == Pending().type


def test_one_bare_async_client_survives_several_event_loops(api_url: str, unique: Unique) -> None:
    # The classic "Event loop is closed" / "bound to a different event loop" trap: a client
    # kept at module level and used from several asyncio.run() calls (and a trio.run()).
    import asyncio

    import trio

    from prefect_sdk.client import PrefectClient

    client = PrefectClient(api=api_url)
    name = unique("loops")

    async def create() -> Flow:
        return await client.create_flow(name)

    async def read() -> Flow:
        return await client.read_flow_by_name(name)

    flow = asyncio.run(create())
    assert asyncio.run(read()).id == flow.id
    assert trio.run(read).id == flow.id
    assert asyncio.run(read()).id == flow.id
    asyncio.run(client.aclose())
