"""Flow-run operations refuse bad arguments before any network I/O, naming the argument, and
send what the server expects (checked on the wire with a mock transport)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import (
    FlowRunWaitTimeout,
    ObjectNotFound,
    PrefectHTTPStatusError,
    ValidationError,
)
from prefect_sdk.filters import FlowFilter, FlowRunFilter, FlowRunSort, WorkQueueFilter
from prefect_sdk.schemas import FlowRunOrchestrationResult, FlowRunPolicy, Graph
from prefect_sdk.states import Cancelled, Running
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

RUN_ID = uuid.UUID("3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11")
OTHER_ID = uuid.UUID("0b8f0c1e-7f55-4c36-9d0b-2c5b1f4a7e21")
FLOW_ID = uuid.UUID("9a0c7a52-3c1f-4d63-8a62-4e1d4f0c2b33")
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def ok(body: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body) if body is not None else httpx.Response(204)


def run_json(state_type: str = "RUNNING", **extra: Any) -> dict[str, Any]:
    state = {"type": state_type, "name": state_type.title(), "timestamp": NOW.isoformat()}
    return {
        "id": str(RUN_ID),
        "flow_id": str(FLOW_ID),
        "name": "r",
        "state_type": state_type,
        "state_name": state_type.title(),
        "state": state,
        **extra,
    }


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


# -- refused before any I/O -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("update_flow_run", ("nope",), {"name": "x"}, "flow_run_id"),
        ("update_flow_run", (RUN_ID,), {"name": ""}, "name must be a non-empty"),
        ("update_flow_run", (RUN_ID,), {"tags": "one"}, "tags must be a list"),
        ("update_flow_run", (RUN_ID,), {"parameters": [1]}, "update_flow_run: parameters"),
        ("update_flow_run", (RUN_ID,), {"flow_version": 3}, "update_flow_run: flow_version"),
        ("update_flow_run", (RUN_ID,), {"empirical_policy": {"retires": 1}}, "retires"),
        ("update_flow_run", (RUN_ID,), {"empirical_policy": 3}, "empirical_policy"),
        ("set_flow_run_name", (RUN_ID, ""), {}, "name must be a non-empty"),
        ("set_flow_run_name", (RUN_ID, None), {}, "name must be a non-empty"),
        ("set_flow_run_name", (object(), "x"), {}, "flow_run_id"),
        ("update_flow_run_labels", (RUN_ID, ["a"]), {}, "labels must be a dict"),
        ("update_flow_run_labels", (RUN_ID, {"a": {"b": 1}}), {}, r"labels\['a'\]"),
        ("update_flow_run_labels", (RUN_ID, {"a": None}), {}, r"labels\['a'\]"),
        ("update_flow_run_labels", (RUN_ID, {"": "x"}), {}, "non-empty string"),
        ("count_flow_runs", (), {"flow_filter": FlowRunFilter()}, "flows= takes a FlowFilter"),
        ("bulk_delete_flow_runs", (), {}, "needs a flow_run_filter"),
        ("bulk_delete_flow_runs", (FlowRunFilter(),), {"limit": 51}, "between 1 and 50"),
        ("bulk_delete_flow_runs", (FlowRunFilter(),), {"limit": 0}, "between 1 and 50"),
        ("bulk_delete_flow_runs", (FlowFilter(),), {}, "flow_runs= takes a FlowRunFilter"),
        ("bulk_set_flow_run_state", (None, Running()), {}, "needs a flow_run_filter"),
        ("bulk_set_flow_run_state", (FlowRunFilter(), "RUNNING"), {}, "state must be a State"),
        ("bulk_set_flow_run_state", (FlowRunFilter(), Running()), {"limit": 200}, "1 and 50"),
        ("read_flow_run_states", ("nope",), {}, "flow_run_id"),
        ("read_flow_run_state", ("nope",), {}, "flow_run_state_id"),
        ("resume_flow_run", ("nope",), {}, "flow_run_id"),
        ("resume_flow_run", (RUN_ID,), {"run_input": "yes"}, "run_input must be a dict"),
        ("create_flow_run_input", (RUN_ID, "Key", "1"), {}, "lowercase letters"),
        ("create_flow_run_input", (RUN_ID, "a/b", "1"), {}, "lowercase letters"),
        ("create_flow_run_input", (RUN_ID, "", "1"), {}, "lowercase letters"),
        ("create_flow_run_input", (RUN_ID, "k", {"a": 1}), {}, "value must be a str"),
        ("create_flow_run_input", (RUN_ID, "k", "1"), {"sender": 3}, "sender must be"),
        ("create_flow_run_input", ("nope", "k", "1"), {}, "flow_run_id"),
        ("read_flow_run_input", (RUN_ID, ""), {}, "key must be a non-empty"),
        ("read_flow_run_input", (RUN_ID, ".."), {}, "key='..' cannot be used"),
        ("delete_flow_run_input", (RUN_ID, "."), {}, "key='.' cannot be used"),
        ("filter_flow_run_input", (RUN_ID, None), {}, "key_prefix must be a str"),
        ("filter_flow_run_input", (RUN_ID, "k", 0), {}, "limit must be an int >= 1"),
        ("filter_flow_run_input", (RUN_ID, "k", 1, "abc"), {}, "exclude_keys"),
        ("filter_flow_run_input", (RUN_ID, "k", 1, [1]), {}, "exclude_keys"),
        ("read_flow_run_graph", ("nope",), {}, "flow_run_id"),
        ("read_flow_run_graph_v2", (RUN_ID,), {"since": "2026-01-01"}, "since must be"),
        ("download_flow_run_logs", (None,), {}, "flow_run_id"),
        ("read_flow_run_summaries", (), {"limit": -1}, "limit"),
        ("read_flow_run_summaries", (), {"sort": "SIDEWAYS"}, "sort"),
        ("count_task_runs_by_flow_run", (RUN_ID,), {}, "flow_run_ids must be a list"),
        ("count_task_runs_by_flow_run", (["nope"],), {}, r"flow_run_ids\[0\]"),
        ("read_flow_run_lateness", (), {"work_queue_filter": FlowFilter()}, "work_pool_queues"),
    ],
)
async def test_bad_arguments_are_refused_before_io(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


async def drain(kind: str, handler: Any, op: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Every item of the iterating operation ``op``, on a fresh client of ``kind``."""
    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        from prefect_sdk.sync import SyncPrefectClient

        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
            return list(getattr(sync_client, op)(*args, **kwargs))
    from prefect_sdk.client import PrefectClient

    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        return [item async for item in getattr(client, op)(*args, **kwargs)]


@pytest.mark.parametrize("page_size", [0, 201, "2", True])
async def test_iter_page_size_is_checked(kind: str, page_size: Any) -> None:
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match="page_size"):
        await drain(kind, handler, "iter_flow_runs", page_size=page_size)
    assert seen == []


@pytest.mark.parametrize(
    ("start", "end", "interval", "match"),
    [
        ("2026-01-01", NOW, 60, "history_start must be a datetime"),
        (NOW, None, 60, "history_end must be a datetime"),
        (NOW, NOW + dt.timedelta(hours=1), 0.5, "at least 1 second"),
        (NOW, NOW + dt.timedelta(hours=1), dt.timedelta(0), "at least 1 second"),
        (NOW, NOW + dt.timedelta(hours=1), "PT1M", "timedelta or seconds"),
        (NOW, NOW + dt.timedelta(hours=1), True, "timedelta or seconds"),
        (NOW, NOW, 60, "must be after history_start"),
        (NOW, NOW - dt.timedelta(hours=1), 60, "must be after history_start"),
        (NOW, NOW + dt.timedelta(seconds=501), 1, "501 intervals"),
    ],
)
async def test_history_window_is_checked(
    kind: str, start: Any, end: Any, interval: Any, match: str
) -> None:
    await refused(kind, "read_flow_run_history", start, end, interval, match=match)


# -- what goes on the wire ------------------------------------------------------------------


async def test_update_sends_only_what_is_given(kind: str) -> None:
    result, request = await sent(
        kind,
        "update_flow_run",
        ok(),
        str(RUN_ID),
        name="n",
        tags=("a", "b"),
        empirical_policy=FlowRunPolicy(retries=2),
    )
    assert result is None
    assert (request.method, request.url.path) == ("PATCH", f"/api/flow_runs/{RUN_ID}")
    assert body_of(request) == {"name": "n", "tags": ["a", "b"], "empirical_policy": {"retries": 2}}
    _, request = await sent(kind, "update_flow_run", ok(), RUN_ID, job_variables={"a": 1})
    assert body_of(request) == {"job_variables": {"a": 1}}
    _, request = await sent(kind, "set_flow_run_name", ok(), RUN_ID, "renamed")
    assert request.method == "PATCH" and body_of(request) == {"name": "renamed"}
    _, request = await sent(kind, "update_flow_run_labels", ok(), RUN_ID, {"a": 1, "b": True})
    assert request.url.path.endswith(f"/flow_runs/{RUN_ID}/labels")
    assert body_of(request) == {"a": 1, "b": True}


async def test_iter_flow_runs_pages_through_paginate(kind: str) -> None:
    pages = [
        ok({"results": [run_json(), run_json()], "count": 3, "limit": 2, "pages": 2, "page": 1}),
        ok({"results": [run_json()], "count": 3, "limit": 2, "pages": 2, "page": 2}),
    ]
    handler, seen = respond(*pages)
    runs = await drain(
        kind, handler, "iter_flow_runs", flow_filter=FlowFilter(id=[FLOW_ID]), page_size=2
    )
    assert len(runs) == 3
    assert [r.url.path for r in seen] == ["/api/flow_runs/paginate"] * 2
    bodies = [body_of(r) for r in seen]
    assert [(b["page"], b["limit"], b["sort"]) for b in bodies] == [
        (1, 2, "ID_DESC"),
        (2, 2, "ID_DESC"),
    ]
    assert bodies[0]["flows"]["id"] == {"any_": [str(FLOW_ID)]}


async def test_bulk_set_state_body_and_answer(kind: str) -> None:
    # Prefect 3.8.8 answers the same flow_run_id in every result's state details: the result's
    # own flow_run_id is the one to trust.
    state = {
        "type": "CANCELLED",
        "name": "Cancelled",
        "timestamp": NOW.isoformat(),
        "state_details": {"flow_run_id": str(OTHER_ID)},
    }
    answer = {
        "results": [
            {
                "flow_run_id": str(RUN_ID),
                "status": "ACCEPT",
                "state": state,
                "details": {"type": "accept_details"},
            },
            {
                "flow_run_id": str(OTHER_ID),
                "status": "ABORT",
                "state": None,
                "details": {"type": "abort_details", "reason": "no"},
            },
        ]
    }
    results, request = await sent(
        kind,
        "bulk_set_flow_run_state",
        ok(answer),
        FlowRunFilter(id=[RUN_ID, OTHER_ID]),
        Cancelled(message="stop"),
        force=True,
        limit=2,
    )
    body = body_of(request)
    assert request.url.path == "/api/flow_runs/bulk_set_state"
    assert body["flow_runs"]["id"] == {"any_": [str(RUN_ID), str(OTHER_ID)]}
    assert (body["force"], body["limit"]) == (True, 2)
    assert body["state"]["type"] == "CANCELLED" and body["state"]["message"] == "stop"
    assert all(isinstance(r, FlowRunOrchestrationResult) for r in results)
    first, second = results
    assert first.flow_run_id == RUN_ID == first.details.flow_run_id
    assert first.state is not None and first.state.state_details.flow_run_id == RUN_ID
    assert second.details.flow_run_id == OTHER_ID and second.details.reason == "no"


async def test_bulk_set_state_is_sent_once(kind: str) -> None:
    handler, seen = respond(httpx.Response(503))
    with pytest.raises(PrefectHTTPStatusError) as info:
        await call_with(kind, handler, "bulk_set_flow_run_state", FlowRunFilter(), Running())
    assert info.value.status_code == 503
    assert len(seen) == 1  # not retried: a repeat may change other runs


async def test_history_body(kind: str) -> None:
    naive = dt.datetime(2026, 1, 1)
    answer = [{"interval_start": NOW.isoformat(), "interval_end": NOW.isoformat(), "states": []}]
    result, request = await sent(
        kind,
        "read_flow_run_history",
        ok(answer),
        naive,
        naive + dt.timedelta(hours=2),
        dt.timedelta(minutes=30),
        work_queue_filter=WorkQueueFilter(name=["q"]),
    )
    body = body_of(request)
    assert body["history_start"] == "2026-01-01T00:00:00+00:00"
    assert body["history_end"] == "2026-01-01T02:00:00+00:00"
    assert body["history_interval_seconds"] == 1800
    # This route takes the queue filter under "work_queues" (not "work_pool_queues").
    assert body["work_queues"]["name"] == {"any_": ["q"]} and "work_pool_queues" not in body
    assert result[0].states == []


async def test_reads_with_query_and_text_answers(kind: str) -> None:
    states, request = await sent(kind, "read_flow_run_states", ok([]), str(RUN_ID))
    assert request.url.path == "/api/flow_run_states/"
    assert request.url.params["flow_run_id"] == str(RUN_ID)
    assert states == []
    csv_text = "timestamp,level,flow_run_id,task_run_id,message\r\n"
    text, request = await sent(
        kind,
        "download_flow_run_logs",
        httpx.Response(200, text=csv_text, headers={"content-type": "text/csv"}),
        RUN_ID,
    )
    assert text == csv_text and request.url.path == f"/api/flow_runs/{RUN_ID}/logs/download"
    value, request = await sent(
        kind, "read_flow_run_input", httpx.Response(200, text="not json"), RUN_ID, "a b:c"
    )
    assert value == "not json"
    assert request.url.raw_path.decode().endswith(f"/flow_runs/{RUN_ID}/input/a%20b%3Ac")
    graph = {
        "start_time": None,
        "end_time": None,
        "root_node_ids": [],
        "nodes": [],
        "artifacts": [],
        "states": [],
    }
    result, request = await sent(
        kind, "read_flow_run_graph_v2", ok(graph), RUN_ID, since=dt.datetime(2026, 1, 1, 12)
    )
    assert isinstance(result, Graph)
    assert request.url.params["since"] == "2026-01-01T12:00:00+00:00"  # naive is UTC
    _, request = await sent(kind, "read_flow_run_graph_v2", ok(graph), RUN_ID)
    assert "since" not in request.url.params


async def test_input_bodies(kind: str) -> None:
    _, request = await sent(
        kind, "create_flow_run_input", ok(None, 201), RUN_ID, "key-1", '{"a": 1}', sender="me"
    )
    assert body_of(request) == {"key": "key-1", "value": '{"a": 1}', "sender": "me"}
    _, request = await sent(
        kind, "filter_flow_run_input", ok([]), RUN_ID, "key", 5, {"key-2", "key-1"}
    )
    assert request.url.path == f"/api/flow_runs/{RUN_ID}/input/filter"
    assert body_of(request) == {"prefix": "key", "limit": 5, "exclude_keys": ["key-1", "key-2"]}
    _, request = await sent(kind, "filter_flow_run_input", ok([]), RUN_ID, "")
    assert body_of(request) == {"prefix": "", "limit": 1, "exclude_keys": []}


async def test_resume_of_an_unknown_run_is_object_not_found(kind: str) -> None:
    # The server answers 500 for a run that does not exist; the client reads the run to tell.
    handler, seen = respond(
        httpx.Response(500, json={"exception_message": "Internal Server Error"}),
        httpx.Response(404, json={"detail": "Flow run not found"}),
    )
    with pytest.raises(ObjectNotFound, match=r"resume_flow_run: flow run .* not found"):
        await call_with(kind, handler, "resume_flow_run", RUN_ID, run_input={"a": 1})
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", f"/api/flow_runs/{RUN_ID}/resume"),
        ("GET", f"/api/flow_runs/{RUN_ID}"),
    ]
    assert body_of(seen[0]) == {"run_input": {"a": 1}}


async def test_resume_keeps_a_server_error_of_an_existing_run(kind: str) -> None:
    handler, _ = respond(
        httpx.Response(500, json={"exception_message": "Internal Server Error"}),
        ok(run_json("PAUSED")),
    )
    with pytest.raises(PrefectHTTPStatusError) as info:
        await call_with(kind, handler, "resume_flow_run", RUN_ID)
    assert info.value.status_code == 500 and not isinstance(info.value, ObjectNotFound)


async def test_summaries_and_task_run_counts(kind: str) -> None:
    _, request = await sent(
        kind,
        "read_flow_run_summaries",
        ok([]),
        limit=10,
        offset=5,
        sort=FlowRunSort.EXPECTED_START_TIME_ASC,
        flow_filter=FlowFilter(id=[FLOW_ID]),
    )
    assert request.url.path == "/api/ui/flow_runs/history"
    body = body_of(request)
    assert body["flows"]["id"] == {"any_": [str(FLOW_ID)]}
    assert (body["sort"], body["offset"], body["limit"]) == ("EXPECTED_START_TIME_ASC", 5, 10)
    counts, request = await sent(
        kind, "count_task_runs_by_flow_run", ok({str(RUN_ID): 4}), [RUN_ID, str(OTHER_ID)]
    )
    assert counts == {RUN_ID: 4}
    assert body_of(request) == {"flow_run_ids": [str(RUN_ID), str(OTHER_ID)]}


# -- wait_for_flow_run ----------------------------------------------------------------------


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []

    async def async_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("prefect_sdk.client._resources.flow_runs.async_sleep", async_sleep)
    monkeypatch.setattr("prefect_sdk.sync._resources.flow_runs.sync_sleep", waits.append)
    return waits


async def test_wait_polls_until_final(
    kind: str, no_sleep: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    handler, seen = respond(
        ok(run_json("PENDING")),
        ok(run_json("RUNNING")),
        ok(run_json("RUNNING")),
        ok(run_json("COMPLETED")),
    )
    with caplog.at_level(logging.INFO, logger="prefect_sdk.flow_runs"):
        run = await call_with(
            kind, handler, "wait_for_flow_run", RUN_ID, poll_interval=2, log_states=True
        )
    assert run.state_type == "COMPLETED" and len(seen) == 4
    assert no_sleep == [2, 2, 2]
    assert [r.getMessage().rsplit(" ", 1)[1] for r in caplog.records] == [
        "Pending",
        "Running",
        "Completed",
    ]


async def test_wait_times_out_with_the_last_run(kind: str, no_sleep: list[float]) -> None:
    handler, _ = respond(ok(run_json("RUNNING")))
    with pytest.raises(FlowRunWaitTimeout) as info:
        await call_with(kind, handler, "wait_for_flow_run", RUN_ID, timeout=0, poll_interval=1)
    assert info.value.flow_run.id == RUN_ID and "still Running" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"timeout": -1}, "timeout must be"),
        ({"timeout": "10"}, "timeout must be"),
        ({"poll_interval": 0}, "poll_interval must be"),
    ],
)
async def test_wait_arguments(kind: str, kwargs: dict[str, Any], match: str) -> None:
    await refused(kind, "wait_for_flow_run", RUN_ID, match=match, **kwargs)
