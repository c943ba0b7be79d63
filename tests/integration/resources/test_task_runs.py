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
from httpx_ws import WebSocketSession, connect_ws

from prefect_sdk.exceptions import NotSupportedByServer, ObjectNotFound, PrefectHTTPStatusError
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
from tests._support import server_has_route, server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def running_flow_run(client: Any, unique: Unique) -> Any:
    run = await client.create_flow_run(unique("tasks"))
    await client.set_flow_run_state(run.id, Running())  # tasks only run inside running flows
    return run


async def check_paging(
    client: Any, api_url: str, mine: FlowRunFilter, first: uuid.UUID, second: uuid.UUID
) -> None:
    """``paginate_task_runs`` over the two task runs of ``mine``, ``first`` (with a parameter
    among its inputs) before ``second`` by name."""
    if not server_has_route(api_url, "POST", "/task_runs/paginate"):  # 3.2.15 has it, 3.0 not
        with pytest.raises(NotSupportedByServer, match="POST /task_runs/paginate"):
            await client.paginate_task_runs(1, 1, TaskRunSort.NAME_ASC, flow_run_filter=mine)
        return
    if server_older_than(api_url, "3.4.0"):
        # A 3.2 server bug: its paginate response admits only task_run inputs, so a page holding
        # a run with a parameter input fails (500, "Input should be a valid dictionary or
        # instance of TaskRunResult"); /task_runs/filter lists the same run. Fixed by 3.4.
        with pytest.raises(PrefectHTTPStatusError) as info:
            await client.paginate_task_runs(1, 1, TaskRunSort.NAME_ASC, flow_run_filter=mine)
        assert info.value.status_code == 500
    else:
        page = await client.paginate_task_runs(1, 1, TaskRunSort.NAME_ASC, flow_run_filter=mine)
        assert isinstance(page, TaskRunPaginationResponse)
        assert (page.count, page.pages, page.page, page.limit) == (2, 2, 1, 1)
        assert [(r.id, r.task_key) for r in page.results] == [(first, "consumer")]
    page = await client.paginate_task_runs(page=2, limit=1, sort="NAME_ASC", flow_run_filter=mine)
    assert isinstance(page, TaskRunPaginationResponse)
    assert (page.count, page.pages, page.page) == (2, 2, 2)
    assert [r.id for r in page.results] == [second]
    assert (await client.paginate_task_runs(3, 1, flow_run_filter=mine)).results == []


def ui_task_run_route(api_url: str) -> bool:
    """Whether the server has ``GET /ui/task_runs/{id}`` (3.4.25 has it, 3.2.15 not)."""
    return server_has_route(api_url, "GET", "/ui/task_runs/{id}")


def server_extends_history(api_url: str) -> bool:
    """Whether the server may answer a history with one more, empty, interval after the end
    asked for (Prefect 3.2 to 3.7 on SQLite: its interval series is generated with
    sqlalchemy, the end compared as a string with starts cut to milliseconds)."""
    return not server_older_than(api_url, "3.2.0") and server_older_than(api_url, "3.8.0")


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
    client: Any, unique: Unique, api_url: str
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

    if ui_task_run_route(api_url):
        ui = await client.read_task_run_with_flow_run_name(downstream)
        assert isinstance(ui, UITaskRun)
        assert ui.id == explicit and ui.flow_run_name == run.name
    else:
        with pytest.raises(NotSupportedByServer, match=r"GET /ui/task_runs/"):
            await client.read_task_run_with_flow_run_name(downstream)

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
    await check_paging(client, api_url, mine, first=explicit, second=upstream.id)

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
    with pytest.raises(ObjectNotFound if ui_task_run_route(api_url) else NotSupportedByServer):
        await client.read_task_run_with_flow_run_name(upstream.id)


async def test_states_history_and_the_ui_counts(client: Any, unique: Unique, api_url: str) -> None:
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
    assert all(isinstance(h, HistoryResponse) for h in history)
    if len(history) == 3 and server_extends_history(api_url):
        # 3.2 and 3.6 on SQLite list one interval more when the times carry microseconds: their
        # interval series compares the end asked for with interval starts cut to milliseconds.
        # It starts at the end asked for and is empty.
        assert history[2].interval_start == history[1].interval_end
        assert history[2].states == []
        history = history[:2]
    assert len(history) == 2
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
    # Prefect's websocket protocol: the "prefect" subprotocol, then an auth message answered
    # before anything else. Servers before 3.6 refuse a socket without the subprotocol (403 on
    # the upgrade); later ones accept it in a legacy mode, as long as no auth is configured.
    ws: WebSocketSession
    with (
        httpx.Client() as http,
        connect_ws(
            f"{api_url}/task_runs/subscriptions/scheduled", http, subprotocols=["prefect"]
        ) as ws,
    ):
        ws.send_json({"type": "auth", "token": None})
        assert ws.receive_json(timeout=10) == {"type": "auth_success"}
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
