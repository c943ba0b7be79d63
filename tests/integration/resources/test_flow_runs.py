"""Operations on flow runs and their states against the real server, through both clients."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import (
    FlowRunWaitTimeout,
    NotSupportedByServer,
    ObjectAlreadyExists,
    ObjectNotFound,
    PrefectHTTPStatusError,
)
from prefect_sdk.filters import (
    FlowFilter,
    FlowRunFilter,
    FlowRunSort,
)
from prefect_sdk.flow_runs import wait_for_flow_run
from prefect_sdk.schemas import (
    DependencyResult,
    FlowRun,
    FlowRunInput,
    FlowRunOrchestrationResult,
    FlowRunPolicy,
    Graph,
    HistoryResponse,
    OrchestrationResult,
    SetStateStatus,
    SimpleFlowRun,
    State,
    StateType,
    TaskRunResult,
)
from prefect_sdk.states import Cancelled, Completed, Paused, Pending, Running, Scheduled
from tests._support import server_older_than, setup_request

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


def _setup_post(api_url: str, path: str, body: Any) -> Any:
    return setup_request(api_url, "POST", path, body)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


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


async def test_update_rename_labels_and_count(client: Any, unique: Unique, api_url: str) -> None:
    flow = await client.create_flow(unique("update"))
    tag = unique("tag")
    run = await client.create_flow_run(flow, name="before", tags=[tag])
    other = await client.create_flow_run(flow, tags=[tag])
    assert await client.count_flow_runs(flow_filter=FlowFilter(id=[flow.id])) == 2

    assert (
        await client.update_flow_run(
            run,
            flow_version="1.2",
            parameters={"x": 2},
            name="after",
            tags=[tag, "updated"],
            empirical_policy=FlowRunPolicy(retries=3, retry_delay=5),
            infrastructure_pid="pid-1",
        )
        is None
    )
    read = await client.read_flow_run(run.id)
    assert (read.name, read.flow_version, read.infrastructure_pid) == ("after", "1.2", "pid-1")
    assert read.parameters == {"x": 2} and read.tags == [tag, "updated"]
    assert (read.empirical_policy.retries, read.empirical_policy.retry_delay) == (3, 5)
    # Only what is given changes; a policy given as a dict replaces the whole policy.
    await client.update_flow_run(str(run.id), empirical_policy={"retries": 1})
    read = await client.read_flow_run(run.id)
    assert read.name == "after" and read.parameters == {"x": 2}
    assert (read.empirical_policy.retries, read.empirical_policy.retry_delay) == (1, None)
    assert await client.count_flow_runs(flow_run_filter=FlowRunFilter(tags=[tag, "updated"])) == 1

    await client.set_flow_run_name(run.id, "renamed")
    assert (await client.read_flow_run(run.id)).name == "renamed"

    if server_older_than(api_url, "3.2.0"):  # no flow run labels on 3.0 (3.2 has them)
        with pytest.raises(NotSupportedByServer, match=r"update_flow_run_labels.*Prefect 3\.0"):
            await client.update_flow_run_labels(run, {"team": "data"})
    else:
        await client.update_flow_run_labels(run, {"team": "data", "tier": 2})
        await client.update_flow_run_labels(run.id, {"tier": 3, "urgent": True})
        labels = (await client.read_flow_run(run.id)).labels
        assert labels is not None
        assert {k: labels[k] for k in ("team", "tier", "urgent")} == {
            "team": "data",
            "tier": 3,
            "urgent": True,
        }
        assert labels["prefect.flow.id"] == str(flow.id)  # the server's own label stays
        with pytest.raises(ObjectNotFound):
            await client.update_flow_run_labels(uuid.uuid4(), {"a": "b"})
    assert (await client.read_flow_run(other.id)).name != "renamed"

    # The server changes job variables only of a scheduled run of a deployment.
    with pytest.raises(PrefectHTTPStatusError) as info:
        await client.update_flow_run(run.id, job_variables={"image": "x"})
    assert info.value.status_code == 400 and "cannot be updated" in info.value.detail
    missing = uuid.uuid4()
    with pytest.raises(ObjectNotFound):
        await client.update_flow_run(missing, name="x")
    with pytest.raises(ObjectNotFound):
        await client.set_flow_run_name(missing, "x")


async def test_update_job_variables_of_a_scheduled_deployment_run(
    client: Any, unique: Unique, api_url: str
) -> None:
    flow = await client.create_flow(unique("jobvars"))
    # With the schema that takes any parameters: without one, 3.0 and 3.2 refuse every run
    # of the deployment (409) while they enforce the schema.
    deployment = _setup_post(
        api_url,
        "/deployments/",
        {"flow_id": str(flow.id), "name": "d", "parameter_openapi_schema": {"type": "object"}},
    )
    created = _setup_post(api_url, f"/deployments/{deployment['id']}/create_flow_run", {})
    run = await client.read_flow_run(created["id"])
    assert run.state_type == StateType.SCHEDULED
    await client.update_flow_run(run, job_variables={"image": "repo/image:1"})
    assert (await client.read_flow_run(run.id)).job_variables == {"image": "repo/image:1"}


async def test_iter_flow_runs_walks_every_page(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("iter"))
    runs = [await client.create_flow_run(flow, name=f"r{i}") for i in range(5)]
    walked = [
        r async for r in client.iter_flow_runs(flow_filter=FlowFilter(id=[flow.id]), page_size=2)
    ]
    assert all(isinstance(r, FlowRun) for r in walked)
    # The default order is ID_DESC, the server's (and read_flow_runs') own.
    assert [r.id for r in walked] == [
        r.id for r in await client.read_flow_runs(flow_filter=FlowFilter(id=[flow.id]))
    ]
    assert {r.id for r in walked} == {r.id for r in runs}
    by_name = client.iter_flow_runs(
        FlowRunSort.NAME_DESC, flow_filter=FlowFilter(id=[flow.id]), page_size=3
    )
    assert [r.name async for r in by_name] == ["r4", "r3", "r2", "r1", "r0"]


async def test_bulk_set_state_and_bulk_delete(client: Any, unique: Unique, api_url: str) -> None:
    flow = await client.create_flow(unique("bulk"))
    if server_older_than(api_url, "3.6.0"):  # the bulk routes came with 3.6
        run = await client.create_flow_run(flow)
        with pytest.raises(NotSupportedByServer, match="bulk_set_flow_run_state"):
            await client.bulk_set_flow_run_state(FlowRunFilter(id=[run.id]), Pending())
        with pytest.raises(NotSupportedByServer, match="bulk_delete_flow_runs"):
            await client.bulk_delete_flow_runs(FlowRunFilter(id=[run.id]))
        assert (await client.read_flow_run(run.id)).state_type == StateType.PENDING
        return
    due = Scheduled(scheduled_time=_now() - dt.timedelta(minutes=1))
    scheduled = [await client.create_flow_run(flow, state=due) for _ in range(2)]
    pending = await client.create_flow_run(flow)
    ids = [r.id for r in (*scheduled, pending)]
    results = await client.bulk_set_flow_run_state(FlowRunFilter(id=ids), Pending())
    assert all(isinstance(r, FlowRunOrchestrationResult) for r in results)
    by_run = {r.flow_run_id: r for r in results}
    assert set(by_run) == set(ids)
    assert {by_run[r.id].status for r in scheduled} == {SetStateStatus.ACCEPT}
    for run in scheduled:
        result = by_run[run.id]
        assert result.state is not None and result.state.type == StateType.PENDING
        assert result.details.flow_run_id == run.id == result.state.state_details.flow_run_id
        read = await client.read_flow_run(run.id)
        assert read.state_type == StateType.PENDING and read.state_id == result.state.id
    # Each run is orchestrated on its own: a pending run cannot be made pending again.
    assert by_run[pending.id].status == SetStateStatus.ABORT
    assert by_run[pending.id].details.reason and "PENDING" in by_run[pending.id].details.reason

    # limit caps how many runs one request handles.
    forced = await client.bulk_set_flow_run_state(
        FlowRunFilter(id=ids), Cancelled(message="bulk"), force=True, limit=2
    )
    assert len(forced) == 2 and {r.status for r in forced} == {SetStateStatus.ACCEPT}
    states = [(await client.read_flow_run(i)).state_type for i in ids]
    assert states.count(StateType.CANCELLED) == 2

    deleted = await client.bulk_delete_flow_runs(FlowRunFilter(id=ids), limit=2)
    assert len(deleted) == 2 and set(deleted) <= set(ids)
    assert await client.count_flow_runs(flow_filter=FlowFilter(id=[flow.id])) == 1
    rest = await client.bulk_delete_flow_runs(FlowRunFilter(id=ids))
    assert rest == list(set(ids) - set(deleted))
    assert await client.count_flow_runs(flow_filter=FlowFilter(id=[flow.id])) == 0
    assert await client.bulk_delete_flow_runs(FlowRunFilter(id=ids)) == []


async def test_read_flow_run_states(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("history"))
    run = await client.create_flow_run(flow)
    await client.set_flow_run_state(run.id, Running())
    await client.set_flow_run_state(run.id, Completed(message="done"))
    states = await client.read_flow_run_states(run)
    assert all(isinstance(s, State) for s in states)
    assert [s.type for s in states] == [StateType.PENDING, StateType.RUNNING, StateType.COMPLETED]
    assert (
        states[-1].message == "done"
        and states[-1].id == (await client.read_flow_run(run.id)).state_id
    )
    one = await client.read_flow_run_state(states[1].id)
    assert one.id == states[1].id and one.type == StateType.RUNNING
    assert one.state_details.flow_run_id == run.id
    with pytest.raises(ObjectNotFound):
        await client.read_flow_run_state(uuid.uuid4())
    assert await client.read_flow_run_states(uuid.uuid4()) == []


async def test_pause_and_resume(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("pause"))
    run = await client.create_flow_run(flow, state=Running())
    paused = await client.set_flow_run_state(run.id, Paused(timeout_seconds=3600, pause_key="p1"))
    assert paused.status == SetStateStatus.ACCEPT
    resumed = await client.resume_flow_run(run.id)
    assert isinstance(resumed, OrchestrationResult)
    assert resumed.status == SetStateStatus.ACCEPT
    assert resumed.state is not None and resumed.state.type == StateType.RUNNING
    read = await client.read_flow_run(run.id)
    assert read.state_type == StateType.RUNNING and read.empirical_policy.resuming
    # A run that is not paused is not resumed: the server aborts.
    again = await client.resume_flow_run(run)
    assert again.status == SetStateStatus.ABORT and again.state is None
    assert again.details.reason == "Cannot resume a flow run that is not paused."
    # The server answers 500 for an unknown run; the client finds out it does not exist.
    with pytest.raises(ObjectNotFound, match="resume_flow_run"):
        await client.resume_flow_run(uuid.uuid4())
    assert (await client.read_flow_run(run.id)).id == run.id


async def test_resume_with_run_input(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("input"))
    run = await client.create_flow_run(flow, state=Running())
    pause = Paused(timeout_seconds=3600, pause_key="p2")
    pause.state_details.run_input_keyset = {"response": "p2-response", "schema": "p2-schema"}
    assert (await client.set_flow_run_state(run.id, pause)).status == SetStateStatus.ACCEPT

    no_schema = await client.resume_flow_run(run.id, run_input={"x": 1})
    assert no_schema.status == SetStateStatus.REJECT
    assert no_schema.details.reason == "Run input schema not found."
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}, "required": ["x"]}
    await client.create_flow_run_input(run.id, "p2-schema", json.dumps(schema))
    wrong = await client.resume_flow_run(run.id, run_input={"x": "not a number"})
    assert wrong.status == SetStateStatus.REJECT
    assert (await client.read_flow_run(run.id)).state_type == StateType.PAUSED
    done = await client.resume_flow_run(run.id, run_input={"x": 1})
    assert done.status == SetStateStatus.ACCEPT
    assert (await client.read_flow_run(run.id)).state_type == StateType.RUNNING
    assert json.loads(await client.read_flow_run_input(run.id, "p2-response")) == {"x": 1}


async def test_flow_run_inputs(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("inputs"))
    run = await client.create_flow_run(flow)
    assert await client.create_flow_run_input(run, "answer-1", '{"value": 42}', sender="me") is None
    await client.create_flow_run_input(run.id, "answer-2", '"two"')
    await client.create_flow_run_input(str(run.id), "other", "not json")
    assert await client.read_flow_run_input(run.id, "answer-1") == '{"value": 42}'
    assert await client.read_flow_run_input(run.id, "other") == "not json"
    with pytest.raises(ObjectAlreadyExists):
        await client.create_flow_run_input(run.id, "answer-1", "{}")

    found = await client.filter_flow_run_input(run.id, "answer", limit=10, exclude_keys=set())
    assert all(isinstance(i, FlowRunInput) for i in found)
    assert sorted(i.key for i in found) == ["answer-1", "answer-2"]
    first = next(i for i in found if i.key == "answer-1")
    assert first.flow_run_id == run.id and first.sender == "me"
    assert first.decoded_value == {"value": 42}
    excluded = await client.filter_flow_run_input(run.id, "answer", 10, {"answer-1"})
    assert [i.key for i in excluded] == ["answer-2"]
    assert len(await client.filter_flow_run_input(run.id, "")) == 1  # the server's limit: 1
    assert len(await client.filter_flow_run_input(run.id, "", limit=10)) == 3

    await client.delete_flow_run_input(run.id, "answer-1")
    with pytest.raises(ObjectNotFound):
        await client.read_flow_run_input(run.id, "answer-1")
    with pytest.raises(ObjectNotFound):
        await client.delete_flow_run_input(run.id, "answer-1")
    assert [i.key for i in await client.filter_flow_run_input(run.id, "answer", 10)] == ["answer-2"]
    with pytest.raises(ObjectNotFound):
        await client.create_flow_run_input(uuid.uuid4(), "k", "1")


MILLISECOND = dt.timedelta(milliseconds=1)


def _three_intervals(history: list[Any]) -> list[Any]:
    """The three hourly intervals of a three-hour history. Servers before 3.8 (from 3.2 on)
    answer a fourth one after them, starting at the end asked for: it must be empty."""
    assert len(history) in (3, 4)
    for extra in history[3:]:
        assert extra.states == []
        assert abs(extra.interval_start - history[2].interval_end) < MILLISECOND
    return history[:3]


async def test_history_lateness_and_summaries(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("charts"))
    now = _now()
    # Whole milliseconds: 3.0 rounds the times it is given to milliseconds, which would move
    # the interval edges past the runs placed on them.
    now = now.replace(microsecond=now.microsecond - now.microsecond % 1000)
    running = await client.create_flow_run(flow, state=Running())
    done = await client.create_flow_run(flow, state=Running())
    await client.set_flow_run_state(done.id, Completed())
    late = await client.create_flow_run(
        flow, state=Scheduled(scheduled_time=now - dt.timedelta(hours=1))
    )
    history = await client.read_flow_run_history(
        now - dt.timedelta(hours=2),
        now + dt.timedelta(hours=1),
        dt.timedelta(hours=1),
        flow_filter=FlowFilter(id=[flow.id]),
    )
    assert all(isinstance(h, HistoryResponse) for h in history)
    history = _three_intervals(history)
    assert history[0].interval_start == now - dt.timedelta(hours=2)
    counts: dict[str, int] = {}
    for interval in history:
        for state in interval.states:
            counts[state.state_name] = counts.get(state.state_name, 0) + state.count_runs
    assert counts == {"Running": 1, "Completed": 1, "Scheduled": 1}
    assert [s.state_name for s in history[1].states] == ["Scheduled"]  # by expected start
    assert history[1].states[0].sum_estimated_lateness >= 3600

    # Seconds work as the interval too; naive datetimes are UTC.
    naive = now.replace(tzinfo=None)
    same = await client.read_flow_run_history(
        naive - dt.timedelta(hours=2),
        naive + dt.timedelta(hours=1),
        3600,
        flow_run_filter=FlowRunFilter(id=[late.id]),
    )
    assert [[s.state_name for s in h.states] for h in _three_intervals(same)] == [
        [],
        ["Scheduled"],
        [],
    ]

    assert await client.read_flow_run_lateness(flow_run_filter=FlowRunFilter(id=[late.id])) >= 3600
    assert await client.read_flow_run_lateness(flow_run_filter=FlowRunFilter(id=[running.id])) == 0
    assert (
        await client.read_flow_run_lateness(flow_run_filter=FlowRunFilter(id=[uuid.uuid4()]))
        is None
    )

    summaries = await client.read_flow_run_summaries(flow_filter=FlowFilter(id=[flow.id]))
    assert all(isinstance(s, SimpleFlowRun) for s in summaries)
    by_id = {s.id: s for s in summaries}
    assert set(by_id) == {running.id, done.id, late.id}
    assert by_id[late.id].state_type == StateType.SCHEDULED and by_id[late.id].lateness >= 3600
    assert by_id[done.id].state_type == StateType.COMPLETED
    oldest = await client.read_flow_run_summaries(
        limit=1, sort=FlowRunSort.EXPECTED_START_TIME_ASC, flow_filter=FlowFilter(id=[flow.id])
    )
    assert [s.id for s in oldest] == [late.id]
    skipped = await client.read_flow_run_summaries(
        offset=1, sort="EXPECTED_START_TIME_ASC", flow_filter=FlowFilter(id=[flow.id])
    )
    assert {s.id for s in skipped} == {running.id, done.id}


async def test_graphs_task_run_counts_and_logs(client: Any, unique: Unique, api_url: str) -> None:
    flow = await client.create_flow(unique("graph"))
    run = await client.create_flow_run(flow, state=Running())
    empty = await client.create_flow_run(flow)
    task = {"flow_run_id": str(run.id), "dynamic_key": "0"}
    upstream = _setup_post(
        api_url,
        "/task_runs/",
        {**task, "task_key": "a", "name": "a-0", "state": {"type": "COMPLETED"}},
    )
    downstream = _setup_post(
        api_url,
        "/task_runs/",
        {
            **task,
            "task_key": "b",
            "name": "b-0",
            "state": {"type": "RUNNING"},
            "task_inputs": {"x": [{"input_type": "task_run", "id": upstream["id"]}]},
        },
    )
    a, b = uuid.UUID(upstream["id"]), uuid.UUID(downstream["id"])

    graph = await client.read_flow_run_graph(run)
    assert all(isinstance(d, DependencyResult) for d in graph)
    by_id = {d.id: d for d in graph}
    assert set(by_id) == {a, b}
    assert by_id[b].upstream_dependencies == [TaskRunResult(id=a)]
    assert by_id[a].upstream_dependencies == [] and by_id[a].name == "a-0"
    assert by_id[b].state is not None and by_id[b].state.type == StateType.RUNNING
    assert await client.read_flow_run_graph(empty.id) == []

    v2 = await client.read_flow_run_graph_v2(run.id)
    assert isinstance(v2, Graph)
    assert v2.root_node_ids == [a]
    assert {node_id for node_id, _ in v2.nodes} == {a, b}
    assert v2.node(b).parents[0].id == a and v2.node(a).children[0].id == b
    assert v2.node(a).kind == "task-run" and v2.node(a).label == "a-0"
    assert [s.type for s in v2.states] == [StateType.RUNNING]
    # since= leaves out the nodes that ended before it (the completed task run).
    later = await client.read_flow_run_graph_v2(run.id, since=_now() + dt.timedelta(minutes=5))
    assert [node_id for node_id, _ in later.nodes] == [b]
    naive = await client.read_flow_run_graph_v2(run.id, since=dt.datetime(2000, 1, 1))
    assert len(naive.nodes) == 2

    counts = await client.count_task_runs_by_flow_run([run, empty.id, str(uuid.uuid4())])
    assert counts[run.id] == 2 and counts[empty.id] == 0 and len(counts) == 3

    now = _now().isoformat()
    _setup_post(
        api_url,
        "/logs/",
        [
            {
                "name": "t",
                "level": 20,
                "message": 'hello, "world"',
                "timestamp": now,
                "flow_run_id": str(run.id),
            },
            {
                "name": "t",
                "level": 40,
                "message": "two\nlines",
                "timestamp": now,
                "flow_run_id": str(run.id),
            },
        ],
    )
    text = await client.download_flow_run_logs(run.id)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["timestamp", "level", "flow_run_id", "task_run_id", "message"]
    assert sorted((r[1], r[2], r[4]) for r in rows[1:]) == [
        ("20", str(run.id), 'hello, "world"'),
        ("40", str(run.id), "two\nlines"),
    ]
    # A run without logs: the header line alone (3.8 on), or nothing at all (3.6.29 and older).
    header_only = [] if server_older_than(api_url, "3.8.0") else [rows[0]]
    assert list(csv.reader(io.StringIO(await client.download_flow_run_logs(empty)))) == header_only

    missing = uuid.uuid4()
    for operation in ("read_flow_run_graph", "read_flow_run_graph_v2", "download_flow_run_logs"):
        with pytest.raises(ObjectNotFound):
            await getattr(client, operation)(missing)


async def test_wait_for_flow_run(
    client: Any, unique: Unique, caplog: pytest.LogCaptureFixture
) -> None:
    flow = await client.create_flow(unique("wait"))
    run = await client.create_flow_run(flow, state=Running())
    with pytest.raises(FlowRunWaitTimeout) as info:
        await client.wait_for_flow_run(run.id, timeout=0.2, poll_interval=0.05)
    assert isinstance(info.value.flow_run, FlowRun) and info.value.flow_run.id == run.id
    assert info.value.flow_run.state_type == StateType.RUNNING
    assert "timeout=" in str(info.value)

    await client.set_flow_run_state(run.id, Completed())
    with caplog.at_level(logging.INFO, logger="prefect_sdk.flow_runs"):
        finished = await client.wait_for_flow_run(run, poll_interval=0.05, log_states=True)
    assert finished.id == run.id and finished.state_type == StateType.COMPLETED
    assert [r.getMessage() for r in caplog.records] == [f"flow run {run.id} is Completed"]


async def test_wait_for_flow_run_module_function(
    flavour: str, api_url: str, unique: Unique, monkeypatch: pytest.MonkeyPatch
) -> None:
    if flavour == "sync":
        pytest.skip("prefect_sdk.flow_runs.wait_for_flow_run is async (as Prefect's is)")
    async with PrefectClient(api=api_url) as client:
        flow = await client.create_flow(unique("wait-fn"))
        run = await client.create_flow_run(flow, state=Running())
        with pytest.raises(FlowRunWaitTimeout):
            await wait_for_flow_run(run.id, timeout=0.1, poll_interval=0.05, client=client)
        await client.set_flow_run_state(run.id, Completed())
        done = await wait_for_flow_run(run.id, poll_interval=0.05, client=client)
        assert done.state_type == StateType.COMPLETED
    # Without client=, one is made from the environment for the call.
    monkeypatch.setenv("PREFECT_API_URL", api_url)
    again = await wait_for_flow_run(str(run.id), timeout=5, poll_interval=0.05)
    assert again.id == run.id and again.state_type == StateType.COMPLETED


class LoseFirstStateAnswer(httpx.AsyncBaseTransport, httpx.BaseTransport):
    """A real connection to the server that loses the answer to the first state proposal:
    the server makes the transition, the client sees a read timeout (and retries)."""

    def __init__(self) -> None:
        self.async_inner = httpx.AsyncHTTPTransport()
        self.sync_inner = httpx.HTTPTransport()
        self.proposals = 0

    def _lose(self, request: httpx.Request) -> bool:
        if request.url.path.endswith("/set_state"):
            self.proposals += 1
            return self.proposals == 1
        return False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.async_inner.handle_async_request(request)
        if self._lose(request):
            await response.aread()
            await response.aclose()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.sync_inner.handle_request(request)
        if self._lose(request):
            response.read()
            response.close()
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return response

    async def aclose(self) -> None:
        await self.async_inner.aclose()
        self.sync_inner.close()

    def close(self) -> None:
        self.sync_inner.close()


async def test_a_state_change_whose_answer_is_lost_is_made_once(
    flavour: str, api_url: str, unique: Unique
) -> None:
    from prefect_sdk.schemas import SetStateStatus
    from prefect_sdk.sync import SyncPrefectClient

    transport = LoseFirstStateAnswer()
    settings = {"transport": transport}
    if flavour == "sync":
        with SyncPrefectClient(api=api_url, httpx_settings=settings) as sync_client:
            run = sync_client.create_flow_run(unique("lost"))
            result = sync_client.set_flow_run_state(run.id, Running())
            history = sync_client.read_flow_run_states(run.id)
    else:
        async with PrefectClient(api=api_url, httpx_settings=settings) as async_client:
            run = await async_client.create_flow_run(unique("lost"))
            result = await async_client.set_flow_run_state(run.id, Running())
            history = await async_client.read_flow_run_states(run.id)
    # Sent twice (the retry carried the same transition id), made once, reported as made.
    assert transport.proposals == 2
    assert result.status is SetStateStatus.ACCEPT and result.state.is_running()
    assert [s.type.value for s in history] == ["PENDING", "RUNNING"]
