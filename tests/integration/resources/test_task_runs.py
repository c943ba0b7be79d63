"""Operations on task runs, their states, the UI's task-run summaries and task workers against
the real server, through both clients."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from httpx_ws import connect_ws

from prefect_sdk.exceptions import ObjectNotFound
from prefect_sdk.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    TaskRunFilter,
    TaskRunFilterId,
    TaskRunFilterStartTime,
    TaskRunSort,
    TaskWorkerFilter,
)
from prefect_sdk.schemas import (
    CountByState,
    HistoryResponse,
    Parameter,
    SetStateStatus,
    State,
    StateType,
    TaskRun,
    TaskRunCount,
    TaskRunPaginationResponse,
    TaskRunResult,
    TaskRunUpdate,
    TaskWorkerResponse,
    UITaskRun,
)
from prefect_sdk.states import Completed, Running

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def running_flow_run(client: Any, unique: Unique) -> Any:
    run = await client.create_flow_run(unique("tasks"))
    await client.set_flow_run_state(run.id, Running())  # tasks only run inside running flows
    return run


def of_run(run: Any) -> FlowRunFilter:
    return FlowRunFilter(id=FlowRunFilterId(any_=[run.id]))


async def test_task_runs(client: Any, unique: Unique) -> None:
    run = await running_flow_run(client, unique)
    task_run = await client.create_task_run("my-task", run.id, "0", tags=["t"])
    assert isinstance(task_run, TaskRun)
    assert task_run.flow_run_id == run.id and task_run.task_key == "my-task"
    assert task_run.tags == ["t"]
    # Deduplicated by (flow run, task key, dynamic key): a retried create is harmless.
    again = await client.create_task_run("my-task", run.id, "0")
    assert again.id == task_run.id
    result = await client.set_task_run_state(task_run.id, Running())
    assert result.status == SetStateStatus.ACCEPT
    assert result.details.task_run_id == task_run.id
    await client.set_task_run_state(task_run.id, Completed())
    read = await client.read_task_run(task_run.id)
    assert read.state_type == StateType.COMPLETED


async def test_create_like_prefect_client_then_read_rename_and_delete(
    client: Any, unique: Unique
) -> None:
    run = await running_flow_run(client, unique)

    class Task:  # the attributes prefect-client reads off a task
        task_key = unique("module.task")
        name = "my_task"
        tags = {"from-task"}

    upstream = await client.create_task_run(Task(), run.id, "0", extra_tags=["extra"])
    assert upstream.name == "my_task" and upstream.task_key == Task.task_key
    assert sorted(upstream.tags) == ["extra", "from-task"]
    explicit = uuid.uuid4()
    downstream = await client.create_task_run(
        "consumer",
        run,
        "0",
        explicit,
        name="consumer-0",
        task_inputs={"x": [TaskRunResult(id=upstream.id)], "y": [Parameter(name="p")]},
    )
    assert downstream.id == explicit
    read = await client.read_task_run(str(explicit))
    assert read.name == "consumer-0" and read.flow_run_id == run.id
    assert read.task_inputs == {"x": [TaskRunResult(id=upstream.id)], "y": [Parameter(name="p")]}

    ui = await client.read_task_run_with_flow_run_name(downstream)
    assert isinstance(ui, UITaskRun)
    assert ui.id == explicit and ui.flow_run_name == run.name

    # Filtered reads, counts and paging, scoped to this flow run.
    mine = of_run(run)
    by_name = await client.read_task_runs(sort=TaskRunSort.NAME_ASC, flow_run_filter=mine)
    assert [r.name for r in by_name] == ["consumer-0", "my_task"]
    assert [r.id for r in await client.read_task_runs(1, 1, "NAME_ASC", flow_run_filter=mine)] == [
        upstream.id
    ]
    only = TaskRunFilter(id=TaskRunFilterId(any_=[upstream.id]))
    assert [r.id for r in await client.read_task_runs(task_run_filter=only)] == [upstream.id]
    assert await client.count_task_runs(flow_run_filter=mine) == 2
    assert await client.count_task_runs(flow_run_filter=mine, task_run_filter=only) == 1
    walked = [r async for r in client.iter_task_runs(flow_run_filter=mine, page_size=1)]
    assert sorted(r.id for r in walked) == sorted([upstream.id, explicit])
    assert {r.dynamic_key for r in walked} == {"0"}  # complete TaskRun objects
    first = await client.paginate_task_runs(1, 1, TaskRunSort.NAME_ASC, flow_run_filter=mine)
    assert isinstance(first, TaskRunPaginationResponse)
    assert (first.count, first.pages, first.page, first.limit) == (2, 2, 1, 1)
    assert [(r.id, r.task_key) for r in first.results] == [(explicit, "consumer")]
    second = await client.paginate_task_runs(page=2, limit=1, sort="NAME_ASC", flow_run_filter=mine)
    assert [r.id for r in second.results] == [upstream.id]
    assert (await client.paginate_task_runs(3, 1, flow_run_filter=mine)).results == []

    await client.set_task_run_name(upstream.id, "renamed")
    assert (await client.read_task_run(upstream.id)).name == "renamed"
    await client.update_task_run(upstream, TaskRunUpdate(name="updated"))
    assert (await client.read_task_run(upstream.id)).name == "updated"
    await client.update_task_run(upstream.id, name="by-keyword")
    assert (await client.read_task_run(upstream.id)).name == "by-keyword"

    await client.delete_task_run(upstream.id)
    with pytest.raises(ObjectNotFound):
        await client.read_task_run(upstream.id)
    assert await client.count_task_runs(flow_run_filter=mine) == 1
    with pytest.raises(ObjectNotFound):
        await client.delete_task_run(upstream.id)
    with pytest.raises(ObjectNotFound):
        await client.update_task_run(upstream.id, name="gone")
    with pytest.raises(ObjectNotFound):
        await client.read_task_run_with_flow_run_name(upstream.id)


async def test_states_history_and_the_ui_counts(client: Any, unique: Unique) -> None:
    started = dt.datetime.now(dt.timezone.utc)
    run = await running_flow_run(client, unique)
    done = await client.create_task_run(unique("t"), run.id, "0")
    await client.create_task_run(unique("t"), run.id, "0")  # stays Pending
    await client.set_task_run_state(done.id, Running())
    await client.set_task_run_state(done.id, Completed())

    states = await client.read_task_run_states(done.id)
    assert all(isinstance(s, State) for s in states)
    assert [s.type for s in states] == [StateType.PENDING, StateType.RUNNING, StateType.COMPLETED]
    one = await client.read_task_run_state(states[1].id)
    assert one.type == StateType.RUNNING and one.state_details.task_run_id == done.id
    assert await client.read_task_run_states(uuid.uuid4()) == []
    with pytest.raises(ObjectNotFound):
        await client.read_task_run_state(uuid.uuid4())

    mine = of_run(run)
    counts = await client.count_task_runs_by_state(flow_run_filter=mine)
    assert isinstance(counts, CountByState)
    assert (counts.COMPLETED, counts["PENDING"], counts[StateType.FAILED]) == (1, 1, 0)

    # The dashboard: 20 buckets over the window; only the completed run has started.
    window = TaskRunFilter(
        start_time=TaskRunFilterStartTime(
            after_=started - dt.timedelta(minutes=5),
            before_=dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5),
        )
    )
    buckets = await client.read_task_run_dashboard_counts(window, flow_run_filter=mine)
    assert len(buckets) == 20 and all(isinstance(b, TaskRunCount) for b in buckets)
    assert (sum(b.completed for b in buckets), sum(b.failed for b in buckets)) == (1, 0)

    # History: one interval around now holds both runs, by state.
    history = await client.read_task_run_history(
        started - dt.timedelta(hours=1),
        started + dt.timedelta(hours=1),
        dt.timedelta(hours=1),
        flow_run_filter=mine,
    )
    assert len(history) == 2 and all(isinstance(h, HistoryResponse) for h in history)
    found = {s.state_type: s.count_runs for h in history for s in h.states}
    assert found == {StateType.COMPLETED: 1, StateType.PENDING: 1}

    # No runs: every interval is listed, empty.
    past = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    empty = await client.read_task_run_history(past, past + dt.timedelta(hours=1), 1800)
    assert [(h.interval_start, h.states) for h in empty] == [
        (past, []),
        (past + dt.timedelta(minutes=30), []),
    ]


async def test_task_workers(client: Any, unique: Unique, api_url: str) -> None:
    key = unique("served")
    assert await client.read_task_workers(TaskWorkerFilter(task_keys=[key])) == []
    # A task worker is a websocket subscribed to task keys; play one for the test.
    worker_id = unique("worker")
    with (
        httpx.Client() as http,
        connect_ws(f"{api_url}/task_runs/subscriptions/scheduled", http) as ws,
    ):
        ws.send_json({"type": "subscribe", "keys": [key, "other"], "client_id": worker_id})
        deadline = time.monotonic() + 10
        workers: list[TaskWorkerResponse] = []
        while not workers and time.monotonic() < deadline:
            # The server notes the worker as soon as it has read the subscription.
            workers = await client.read_task_workers(TaskWorkerFilter(task_keys=[key]))
        assert [(w.identifier, sorted(w.task_keys)) for w in workers] == [
            (worker_id, sorted([key, "other"]))
        ]
        assert isinstance(workers[0], TaskWorkerResponse) and workers[0].timestamp is not None
        everyone = await client.read_task_workers()
        assert worker_id in {w.identifier for w in everyone}
        assert await client.read_task_workers(TaskWorkerFilter(task_keys=[unique("none")])) == []
