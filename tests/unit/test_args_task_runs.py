"""Task-run operations refuse bad arguments before any network I/O, naming the argument."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import (
    DeploymentFilter,
    FlowRunFilter,
    TaskRunFilter,
    TaskRunFilterStartTime,
    TaskRunSort,
    TaskWorkerFilter,
)
from prefect_sdk.schemas import (
    Constant,
    CountByState,
    FlowRunResult,
    Parameter,
    StateType,
    TaskRun,
    TaskRunResult,
    TaskRunUpdate,
)
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

RUN_ID = uuid.UUID("3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11")
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
TASK_RUN = {"id": str(RUN_ID), "task_key": "k", "dynamic_key": "0"}


def ok(body: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body) if body is not None else httpx.Response(204)


async def refused(kind: str, op: str, *args: Any, match: str, **kwargs: Any) -> None:
    """``op`` raises a ValidationError matching ``match`` and sends nothing."""
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match=match):
        await call_with(kind, handler, op, *args, **kwargs)
    assert seen == []


async def sent(kind: str, op: str, answer: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Run ``op`` against a server answering ``answer``; return its result and the request."""
    handler, seen = respond(answer)
    result = await call_with(kind, handler, op, *args, **kwargs)
    assert len(seen) == 1
    return result, seen[0]


def body_of(request: Any) -> Any:
    return json.loads(request.content)


# -- create ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((None, RUN_ID, "0"), {}, "task must be"),
        (("", RUN_ID, "0"), {}, "task must be"),
        ((object(), RUN_ID, "0"), {}, "task must be"),
        (("k", RUN_ID, ""), {}, "dynamic_key"),
        (("k", RUN_ID, 0), {}, "dynamic_key"),
        (("k", "not-a-uuid", "0"), {}, "flow_run_id"),
        (("k", RUN_ID, "0"), {"id": "nope"}, "id must be"),
        (("k", RUN_ID, "0"), {"extra_tags": "one-string"}, "extra_tags must be a list"),
        (("k", RUN_ID, "0"), {"tags": [1]}, "tags must be a list"),
        (("k", RUN_ID, "0"), {"state": "COMPLETED"}, "state must be a State"),
        (("k", RUN_ID, "0"), {"task_inputs": {"x": [{"input_type": "?"}]}}, "task_inputs"),
    ],
)
async def test_create_task_run_refuses(
    kind: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, "create_task_run", *args, match=match, **kwargs)


async def test_create_task_run_takes_prefect_clients_arguments(kind: str) -> None:
    class Task:  # what prefect-client is handed: a task object with a key, name and tags
        task_key = "module.my_task-abc"
        name = "my_task"
        tags = {"from-task"}

    explicit = uuid.uuid4()
    inputs: dict[str, Any] = {
        "a": [TaskRunResult(id=RUN_ID), FlowRunResult(id=RUN_ID)],
        "b": [Parameter(name="p"), Constant(type="int"), {"input_type": "parameter", "name": "q"}],
    }
    result, request = await sent(
        kind,
        "create_task_run",
        ok(TASK_RUN, 201),
        Task(),
        RUN_ID,
        "7",
        explicit,
        extra_tags=["extra"],
        tags=["ours", "extra"],
        task_inputs=inputs,
    )
    assert isinstance(result, TaskRun)
    body = body_of(request)
    assert body["id"] == str(explicit) and body["flow_run_id"] == str(RUN_ID)
    assert (body["task_key"], body["name"], body["dynamic_key"]) == (
        "module.my_task-abc",
        "my_task",
        "7",
    )
    assert body["tags"] == ["from-task", "extra", "ours"]  # merged, each once
    assert body["state"]["type"] == "PENDING"
    assert body["task_inputs"] == {
        "a": [
            {"input_type": "task_run", "id": str(RUN_ID)},
            {"input_type": "flow_run", "id": str(RUN_ID)},
        ],
        "b": [
            {"input_type": "parameter", "name": "p"},
            {"input_type": "constant", "type": "int"},
            {"input_type": "parameter", "name": "q"},
        ],
    }


# -- reads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("read_task_run", ("nope",), {}, "task_run_id"),
        ("read_task_runs", (-1,), {}, "limit"),
        ("read_task_runs", (None, -5), {}, "offset"),
        ("read_task_runs", (None, None, "SIDEWAYS"), {}, "sort"),
        ("read_task_runs", (), {"task_run_filter": FlowRunFilter()}, "task_runs= takes"),
        (
            "read_task_runs",
            (),
            {"deployment_filter": DeploymentFilter(work_pool_name="pool")},
            "work_pool_name",
        ),
        ("count_task_runs", (), {"flow_run_filter": TaskRunFilter()}, "flow_runs= takes"),
        ("paginate_task_runs", (0,), {}, "page must be an int >= 1"),
        ("paginate_task_runs", (True,), {}, "page must be an int >= 1"),
        ("paginate_task_runs", (1, 0), {}, "limit must be between 1 and 200"),
        ("paginate_task_runs", (1, 201), {}, "limit must be between 1 and 200"),
        ("paginate_task_runs", (1, -1), {}, "limit must be a non-negative"),
        ("paginate_task_runs", (1, 10, "NOPE"), {}, "sort"),
        ("count_task_runs_by_state", (), {"deployment_filter": "x"}, "deployments= takes"),
        ("read_task_run_with_flow_run_name", ("nope",), {}, "task_run_id"),
        ("read_task_run_states", ("nope",), {}, "task_run_id"),
        ("read_task_run_states", (None,), {}, "task_run_id"),
        ("read_task_run_state", ("nope",), {}, "task_run_state_id"),
        ("read_task_workers", ({"task_keys": ["k"]},), {}, "task_worker_filter= takes"),
        ("read_task_run_dashboard_counts", (TaskRunFilter(),), {}, r"start_time\.after_"),
        ("read_task_run_dashboard_counts", (None,), {}, r"start_time\.after_"),
        (
            "read_task_run_dashboard_counts",
            (TaskRunFilter(start_time=TaskRunFilterStartTime(before_=NOW)),),
            {},
            r"start_time\.after_",
        ),
    ],
)
async def test_reads_refuse(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("2026-01-01", NOW, 60), "history_start must be a datetime"),
        ((NOW, None, 60), "history_end must be a datetime"),
        ((NOW, NOW - dt.timedelta(seconds=1), 60), "history_end .* must be after history_start"),
        ((NOW, NOW, 60), "must be after history_start"),
        ((NOW, NOW + dt.timedelta(hours=1), 0.5), "history_interval must be at least 1 second"),
        ((NOW, NOW + dt.timedelta(hours=1), dt.timedelta(milliseconds=10)), "at least 1 second"),
        ((NOW, NOW + dt.timedelta(hours=1), "PT1M"), "history_interval must be a timedelta"),
        ((NOW, NOW + dt.timedelta(hours=1), True), "history_interval must be a timedelta"),
        (
            (NOW, NOW + dt.timedelta(days=1), 60),
            "needs 1440 intervals; the server returns at most 500",
        ),
    ],
)
async def test_history_refuses(kind: str, args: tuple[Any, ...], match: str) -> None:
    await refused(kind, "read_task_run_history", *args, match=match)


async def test_history_sends_the_window_in_seconds(kind: str) -> None:
    answer = [{"interval_start": NOW.isoformat(), "interval_end": NOW.isoformat(), "states": []}]
    result, request = await sent(
        kind,
        "read_task_run_history",
        ok(answer),
        NOW,
        NOW + dt.timedelta(hours=1),
        dt.timedelta(minutes=30),
        task_run_filter=TaskRunFilter(),
    )
    assert result[0].states == []
    body = body_of(request)
    assert body["history_interval_seconds"] == 1800.0
    assert body["history_start"] == NOW.isoformat() and "task_runs" in body
    # A naive datetime is taken as UTC, as the server takes it.
    _, request = await sent(
        kind,
        "read_task_run_history",
        ok([]),
        NOW.replace(tzinfo=None),
        NOW + dt.timedelta(hours=1),
        60,
    )
    assert body_of(request)["history_start"] == NOW.isoformat()


async def test_reads_send_the_server_keys(kind: str) -> None:
    _, request = await sent(
        kind,
        "read_task_runs",
        ok([TASK_RUN]),
        5,
        sort=TaskRunSort.EXPECTED_START_TIME_ASC,
        flow_run_filter=FlowRunFilter(),
    )
    assert body_of(request) == {
        "flow_runs": {"operator": "and_"},
        "sort": "EXPECTED_START_TIME_ASC",
        "offset": 0,
        "limit": 5,
    }
    _, request = await sent(kind, "read_task_workers", ok([]), TaskWorkerFilter(task_keys=["a"]))
    assert body_of(request) == {"task_worker_filter": {"task_keys": ["a"]}}
    counts, request = await sent(kind, "count_task_runs_by_state", ok({"FAILED": 2}))
    assert isinstance(counts, CountByState)
    assert counts.FAILED == counts["FAILED"] == counts[StateType.FAILED] == 2
    assert counts.COMPLETED == 0
    with pytest.raises(KeyError):
        counts["model_fields"]
    page = {"results": [{"id": str(RUN_ID), "task_key": "k"}], "count": 1, "limit": 1}
    result, request = await sent(
        kind, "paginate_task_runs", ok({**page, "pages": 1, "page": 2}), 2, 1
    )
    assert body_of(request) == {"page": 2, "limit": 1}
    assert result.results[0].task_key == "k" and result.page == 2
    _, request = await sent(kind, "read_task_run_states", ok([]), str(RUN_ID))
    assert request.url.params["task_run_id"] == str(RUN_ID)


async def test_iter_task_runs_refuses_before_any_io(kind: str) -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    handler, seen = respond(ok({}))
    settings = {"transport": httpx.MockTransport(handler)}
    for bad, match in [({"page_size": 0}, "page_size"), ({"sort": "NOPE"}, "sort")]:
        with pytest.raises(ValidationError, match=match):
            if kind == "sync":
                with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
                    list(sync_client.iter_task_runs(**bad))
            else:
                async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
                    [run async for run in client.iter_task_runs(**bad)]
    assert seen == []


# -- writes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("update_task_run", (RUN_ID,), {}, "nothing to change"),
        ("update_task_run", (RUN_ID, TaskRunUpdate()), {}, "nothing to change"),
        ("update_task_run", (RUN_ID, {}), {}, "nothing to change"),
        ("update_task_run", (RUN_ID,), {"name": ""}, "name must be a non-empty string"),
        ("update_task_run", (RUN_ID, TaskRunUpdate(name="x")), {"name": ""}, "name must be"),
        ("update_task_run", (RUN_ID, TaskRunUpdate(name="x")), {"name": 3}, "name must be"),
        ("update_task_run", (RUN_ID, {"name": ""}), {}, "task_run: name"),
        ("update_task_run", (RUN_ID, {"tags": ["x"]}), {}, "task_run: tags"),
        ("update_task_run", (RUN_ID, ["name"]), {}, "task_run must be a TaskRunUpdate"),
        ("update_task_run", ("nope",), {"name": "x"}, "task_run_id"),
        ("set_task_run_name", (RUN_ID, ""), {}, "name must be a non-empty string"),
        ("set_task_run_name", (RUN_ID, None), {}, "name must be a non-empty string"),
        ("set_task_run_name", ("nope", "x"), {}, "task_run_id"),
        ("delete_task_run", ("nope",), {}, "task_run_id"),
        ("set_task_run_state", (RUN_ID, "COMPLETED"), {}, "state must be a State"),
    ],
)
async def test_writes_refuse(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


async def test_update_sends_only_the_name(kind: str) -> None:
    for args, kwargs in [
        ((RUN_ID,), {"name": "new"}),
        ((RUN_ID, TaskRunUpdate(name="new")), {}),
        ((RUN_ID, {"name": "old"}), {"name": "new"}),  # the keyword wins
    ]:
        result, request = await sent(kind, "update_task_run", ok(), *args, **kwargs)
        assert result is None
        assert (request.method, body_of(request)) == ("PATCH", {"name": "new"})
