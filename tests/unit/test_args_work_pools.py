"""Work pool and worker operations: bad arguments fail before any I/O; what is sent."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import FlowFilter, WorkerFilter, WorkPoolFilter
from prefect_sdk.schemas import Integration, WorkerMetadata
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio

flavour, anyio_backend, kind = flavour_fixtures()

NEVER = httpx.Response(500, json={"detail": "no request should have been sent"})
WORKER_ID = uuid.uuid4()
POOL_ID = uuid.uuid4()


async def walk(kind: str, handler: Any, op: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Everything an ``iter_*`` operation yields, on a fresh client of ``kind``."""
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
            return list(getattr(sync_client, op)(*args, **kwargs))
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        return [item async for item in getattr(client, op)(*args, **kwargs)]


def worker(name: str, worker_id: uuid.UUID = WORKER_ID) -> dict[str, Any]:
    return {
        "id": str(worker_id),
        "created": None,
        "updated": None,
        "name": name,
        "work_pool_id": str(POOL_ID),
        "status": "ONLINE",
    }


BAD_CALLS = [
    ("create_work_pool", ("prefect-pool",), {}, "reserved"),
    ("create_work_pool", ("Prefect",), {}, "reserved"),
    ("create_work_pool", ("",), {}, "name"),
    ("create_work_pool", ("p",), {"concurrency_limit": -1}, "concurrency_limit"),
    ("read_work_pool", ("..",), {}, "work_pool_name"),
    ("read_work_pools", (), {"limit": -1}, "limit"),
    ("read_work_pools", (), {"work_pool_filter": FlowFilter()}, "WorkPoolFilter"),
    ("count_work_pools", (FlowFilter(),), {}, "WorkPoolFilter"),
    ("iter_work_pools", (), {"page_size": 0}, "page_size"),
    ("iter_work_pools", (), {"page_size": 201}, "page_size"),
    ("update_work_pool", ("p", {"is_paused": "maybe"}), {}, "is_paused"),
    ("delete_work_pool", ("",), {}, "work_pool_name"),
    ("get_scheduled_flow_runs_for_work_pool", ("",), {}, "work_pool_name"),
    ("get_scheduled_flow_runs_for_work_pool", ("p", "default"), {}, "work_queue_names"),
    ("get_scheduled_flow_runs_for_work_pool", ("p", [""]), {}, r"work_queue_names\[0\]"),
    ("get_scheduled_flow_runs_for_work_pool", ("p", None, "2024-01-01"), {}, "scheduled_before"),
    ("get_scheduled_flow_runs_for_work_pool", ("p",), {"scheduled_after": 5}, "scheduled_after"),
    ("get_scheduled_flow_runs_for_work_pool", ("p",), {"limit": 201}, "limit"),
    ("read_work_pool_concurrency_status", ("p",), {"page": 0}, "page"),
    ("read_work_pool_concurrency_status", ("p",), {"limit": -1}, "limit"),
    ("read_work_pool_concurrency_status", ("p",), {"flow_run_limit": 201}, "flow_run_limit"),
    ("read_work_pool_concurrency_status", ("p",), {"flow_run_limit": True}, "flow_run_limit"),
    ("send_worker_heartbeat", ("..", "w"), {}, "work_pool_name"),
    ("send_worker_heartbeat", ("p", ""), {}, "worker_name"),
    ("send_worker_heartbeat", ("p", "w", 1.5), {}, "heartbeat_interval_seconds"),
    ("send_worker_heartbeat", ("p", "w", -1), {}, "heartbeat_interval_seconds"),
    ("send_worker_heartbeat", ("p", "w", "30"), {}, "heartbeat_interval_seconds"),
    ("send_worker_heartbeat", ("p", "w"), {"worker_metadata": {"integrations": 1}}, "metadata"),
    ("read_workers_for_work_pool", ("p",), {"limit": -1}, "limit"),
    ("read_workers_for_work_pool", ("p", WorkPoolFilter()), {}, "WorkerFilter"),
    ("iter_workers_for_work_pool", ("p",), {"page_size": 0}, "page_size"),
    ("delete_worker", ("p", "a/b"), {}, "worker_name"),
    ("delete_worker", ("p", ""), {}, "worker_name"),
]


@pytest.mark.parametrize(("op", "args", "kwargs", "match"), BAD_CALLS)
async def test_bad_arguments_fail_before_any_request(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    handler, seen = respond(NEVER)
    run = walk if op.startswith("iter_") else call_with
    with pytest.raises(ValidationError, match=match):
        await run(kind, handler, op, *args, **kwargs)
    assert seen == []


async def test_scheduled_runs_request(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[]))
    naive = dt.datetime(2030, 1, 2, 3, 4, 5)
    await call_with(
        kind,
        handler,
        "get_scheduled_flow_runs_for_work_pool",
        "my pool",
        ["a", "b"],
        naive,
        limit=5,
    )
    (request,) = seen
    assert request.url.raw_path == b"/api/work_pools/my%20pool/get_scheduled_flow_runs"
    assert json.loads(request.content) == {
        "work_queue_names": ["a", "b"],
        "scheduled_before": "2030-01-02T03:04:05+00:00",  # naive is read as UTC
        "limit": 5,
    }
    handler, seen = respond(httpx.Response(200, json=[]))
    await call_with(kind, handler, "get_scheduled_flow_runs_for_work_pool", "p")
    assert json.loads(seen[0].content) == {}  # no bound unless given, as prefect-client


async def test_concurrency_status_request(kind: str) -> None:
    answer = {"active_slots": 0, "queues": [], "count": 0, "limit": 5, "pages": 0, "page": 2}
    handler, seen = respond(httpx.Response(200, json=answer))
    status = await call_with(
        kind, handler, "read_work_pool_concurrency_status", "p", page=2, limit=5
    )
    assert (status.page, status.limit, status.concurrency_limit) == (2, 5, None)
    assert json.loads(seen[0].content) == {"page": 2, "flow_run_limit": 10, "limit": 5}


async def test_count_and_iterate_work_pools(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=3))
    assert await call_with(kind, handler, "count_work_pools", WorkPoolFilter(name="x")) == 3
    assert json.loads(seen[0].content) == {
        "work_pools": {"name": {"any_": ["x"]}, "operator": "and_"}
    }

    pool = {"id": str(POOL_ID), "name": "p", "type": "process"}
    handler, seen = respond(
        httpx.Response(200, json=[pool, pool]), httpx.Response(200, json=[pool])
    )
    pools = await walk(kind, handler, "iter_work_pools", page_size=2)
    assert len(pools) == 3
    assert [json.loads(r.content)["offset"] for r in seen] == [0, 2]


async def test_heartbeat_without_id_sends_one_request(kind: str) -> None:
    handler, seen = respond(httpx.Response(204))
    metadata = WorkerMetadata(integrations=[Integration(name="prefect-aws", version="1")], x=1)
    assert (
        await call_with(
            kind, handler, "send_worker_heartbeat", "p", "w", 30.0, worker_metadata=metadata
        )
        is None
    )
    (request,) = seen
    assert request.url.path == "/api/work_pools/p/workers/heartbeat"
    assert json.loads(request.content) == {
        "name": "w",
        "heartbeat_interval_seconds": 30,
        "metadata": {"integrations": [{"name": "prefect-aws", "version": "1"}], "x": 1},
    }


@pytest.mark.parametrize("body", [str(WORKER_ID), f'"{WORKER_ID}"'])
async def test_heartbeat_id_from_the_answer(kind: str, body: str) -> None:
    handler, seen = respond(httpx.Response(200, text=body))
    got = await call_with(kind, handler, "send_worker_heartbeat", "p", "w", get_worker_id=True)
    assert got == WORKER_ID
    assert len(seen) == 1 and json.loads(seen[0].content)["return_id"] is True


async def test_heartbeat_id_looked_up_when_the_answer_has_none(kind: str) -> None:
    other = uuid.uuid4()
    handler, seen = respond(
        httpx.Response(204), httpx.Response(200, json=[worker("x", other), worker("w")])
    )
    got = await call_with(kind, handler, "send_worker_heartbeat", "p", "w", get_worker_id=True)
    assert got == WORKER_ID
    assert [r.url.path for r in seen] == [
        "/api/work_pools/p/workers/heartbeat",
        "/api/work_pools/p/workers/filter",
    ]
    handler, seen = respond(httpx.Response(204), httpx.Response(200, json=[worker("x")]))
    assert (
        await call_with(kind, handler, "send_worker_heartbeat", "p", "w", get_worker_id=True)
        is None
    )


async def test_read_workers_request(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[worker("w")]))
    workers = await call_with(
        kind, handler, "read_workers_for_work_pool", "p", WorkerFilter(status="ONLINE"), 3, 2
    )
    assert [w.name for w in workers] == ["w"] and workers[0].status == "ONLINE"
    assert json.loads(seen[0].content) == {
        "workers": {"status": {"any_": ["ONLINE"]}, "operator": "and_"},
        "offset": 3,
        "limit": 2,
    }


async def test_delete_worker_quotes_the_name(kind: str) -> None:
    handler, seen = respond(httpx.Response(204))
    await call_with(kind, handler, "delete_worker", "p", "w 1")
    assert seen[0].method == "DELETE"
    assert seen[0].url.raw_path == b"/api/work_pools/p/workers/w%201"
