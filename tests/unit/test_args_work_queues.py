"""Work queue operations: bad arguments fail before any I/O; which route and body is sent."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import WorkPoolFilter, WorkQueueFilter
from prefect_sdk.schemas import QueueFilter
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio

flavour, anyio_backend, kind = flavour_fixtures()

NEVER = httpx.Response(500, json={"detail": "no request should have been sent"})
QID = uuid.uuid4()


def queue(name: str = "q") -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "created": None, "updated": None, "name": name}


BAD_CALLS = [
    ("create_work_queue", ("",), {}, "name"),
    ("create_work_queue", ("a/b",), {}, "name"),
    ("create_work_queue", ("q",), {"priority": 0}, "priority"),
    ("create_work_queue", ("q",), {"concurrency_limit": -1}, "concurrency_limit"),
    ("create_work_queue", ("q",), {"work_pool_name": ".."}, "work_pool_name"),
    ("create_work_queue", ("q",), {"work_pool_name": ""}, "work_pool_name"),
    ("read_work_queue", ("not-a-uuid",), {}, "id"),
    ("read_work_queue", (None,), {}, "id"),
    ("read_work_queue_by_name", ("",), {}, "name"),
    ("read_work_queue_by_name", ("..",), {}, "name"),
    ("read_work_queue_by_name", ("q", "."), {}, "work_pool_name"),
    ("update_work_queue", (QID,), {}, "at least one field"),
    ("update_work_queue", ("x",), {"description": "d"}, "id"),
    ("update_work_queue", (QID,), {"is_paused": None}, "is_paused"),
    ("update_work_queue", (QID,), {"name": None}, "name"),
    ("update_work_queue", (QID,), {"name": "a/b"}, "name"),
    ("update_work_queue", (QID,), {"priority": 0}, "priority"),
    ("update_work_queue", (QID,), {"concurrency_limit": -2}, "concurrency_limit"),
    ("update_work_queue", (QID,), {"last_polled": "yesterday"}, "last_polled"),
    ("update_work_queue", (QID,), {"filter": {"tagz": ["x"]}}, "filter"),
    ("update_work_pool_queue", ("p", "q"), {}, "at least one field"),
    ("update_work_pool_queue", ("p", ".."), {"description": "d"}, "work_queue_name"),
    ("update_work_pool_queue", ("", "q"), {"description": "d"}, "work_pool_name"),
    ("delete_work_queue_by_id", ("nope",), {}, "id"),
    ("delete_work_pool_queue", ("p", ""), {}, "work_queue_name"),
    ("read_work_queues", (), {"limit": -1}, "limit"),
    ("read_work_queues", (), {"offset": -1}, "offset"),
    ("read_work_queues", ("..",), {}, "work_pool_name"),
    ("read_work_queues", (None, WorkPoolFilter()), {}, "WorkQueueFilter"),
    ("iter_work_queues", (), {"page_size": 0}, "page_size"),
    ("match_work_queues", ("prod",), {}, "prefixes"),
    ("match_work_queues", ([1],), {}, r"prefixes\[0\]"),
    ("match_work_queues", (["p"], ".."), {}, "work_pool_name"),
    ("get_runs_in_work_queue", (QID, 201), {}, "limit"),
    ("get_runs_in_work_queue", (QID,), {"scheduled_before": "now"}, "scheduled_before"),
    ("get_runs_in_work_queue", ("x",), {}, "id"),
    ("read_work_queue_status", ("x",), {}, "id"),
    ("read_work_queue_concurrency_status", (QID, 0), {}, "page"),
    ("read_work_queue_concurrency_status", (QID, 1, 201), {}, "limit"),
]


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


@pytest.mark.parametrize(("op", "args", "kwargs", "match"), BAD_CALLS)
async def test_bad_arguments_fail_before_any_request(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    handler, seen = respond(NEVER)
    run = walk if op.startswith("iter_") else call_with
    with pytest.raises(ValidationError, match=match):
        await run(kind, handler, op, *args, **kwargs)
    assert seen == []


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "method", "path"),
    [
        ("create_work_queue", ("q",), {}, "POST", "/api/work_queues/"),
        (
            "create_work_queue",
            ("q",),
            {"work_pool_name": "my pool"},
            "POST",
            "/api/work_pools/my%20pool/queues",
        ),
        ("read_work_queue_by_name", ("my q",), {}, "GET", "/api/work_queues/name/my%20q"),
        ("read_work_queue_by_name", ("q", "p"), {}, "GET", "/api/work_pools/p/queues/q"),
        ("read_work_queues", (), {}, "POST", "/api/work_queues/filter"),
        ("read_work_queues", ("p",), {}, "POST", "/api/work_pools/p/queues/filter"),
        ("delete_work_pool_queue", ("p", "q"), {}, "DELETE", "/api/work_pools/p/queues/q"),
        ("delete_work_queue_by_id", (QID,), {}, "DELETE", f"/api/work_queues/{QID}"),
        ("read_work_queue", (str(QID),), {}, "GET", f"/api/work_queues/{QID}"),
    ],
)
async def test_routes(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], method: str, path: str
) -> None:
    answer: Any = [] if op == "read_work_queues" else queue()
    handler, seen = respond(httpx.Response(204 if method == "DELETE" else 200, json=answer))
    await call_with(kind, handler, op, *args, **kwargs)
    assert (seen[0].method, seen[0].url.raw_path.decode()) == (method, path)


async def test_create_sends_only_what_is_given(kind: str) -> None:
    handler, seen = respond(httpx.Response(201, json=queue()))
    await call_with(kind, handler, "create_work_queue", "q", is_paused=False, priority=2)
    assert json.loads(seen[0].content) == {"name": "q", "is_paused": False, "priority": 2}


async def test_updates_send_only_the_fields_given(kind: str) -> None:
    handler, seen = respond(httpx.Response(204))
    polled = dt.datetime(2030, 1, 1, 12, 0)
    await call_with(
        kind,
        handler,
        "update_work_queue",
        QID,
        concurrency_limit=None,
        description="d",
        last_polled=polled,
        filter=QueueFilter(tags=["t"]),
    )
    assert seen[0].method == "PATCH" and seen[0].url.path == f"/api/work_queues/{QID}"
    assert json.loads(seen[0].content) == {
        "concurrency_limit": None,  # None clears the limit
        "description": "d",
        "last_polled": "2030-01-01T12:00:00Z",
        "filter": {"tags": ["t"]},
    }
    handler, seen = respond(httpx.Response(204))
    await call_with(kind, handler, "update_work_pool_queue", "p", "old", name="new", is_paused=True)
    assert seen[0].url.path == "/api/work_pools/p/queues/old"
    assert json.loads(seen[0].content) == {"name": "new", "is_paused": True}


async def test_read_work_queues_pages_beyond_the_server_cap(kind: str) -> None:
    handler, seen = respond(
        httpx.Response(200, json=[queue()] * 200), httpx.Response(200, json=[queue()] * 10)
    )
    got = await call_with(
        kind, handler, "read_work_queues", "p", WorkQueueFilter(name="q"), limit=250, offset=5
    )
    assert len(got) == 210
    bodies = [json.loads(r.content) for r in seen]
    assert [(b["offset"], b["limit"]) for b in bodies] == [(5, 200), (205, 50)]
    assert all(r.url.path == "/api/work_pools/p/queues/filter" for r in seen)
    assert bodies[0]["work_queues"]["name"] == {"any_": ["q"]}


async def test_match_work_queues_reads_every_page_by_prefix(kind: str) -> None:
    handler, seen = respond(
        httpx.Response(200, json=[queue("prod-a")] * 200),
        httpx.Response(200, json=[queue("prod-b")]),
    )
    got = await call_with(kind, handler, "match_work_queues", ["prod-", "stage-"], "p")
    assert len(got) == 201
    bodies = [json.loads(r.content) for r in seen]
    assert [b["offset"] for b in bodies] == [0, 200]
    assert bodies[0]["work_queues"]["name"] == {"startswith_": ["prod-", "stage-"]}
    assert seen[0].url.path == "/api/work_pools/p/queues/filter"


async def test_get_runs_defaults_to_runs_due_now(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[]))
    before = dt.datetime.now(dt.timezone.utc)
    await call_with(kind, handler, "get_runs_in_work_queue", QID)
    body = json.loads(seen[0].content)
    assert body["limit"] == 10
    sent = dt.datetime.fromisoformat(body["scheduled_before"])
    assert sent.tzinfo is not None and before <= sent <= dt.datetime.now(dt.timezone.utc)


async def test_concurrency_status_request(kind: str) -> None:
    answer = {"active_slots": 1, "flow_runs": [], "count": 1, "limit": 1, "pages": 1, "page": 1}
    handler, seen = respond(httpx.Response(200, json=answer))
    status = await call_with(kind, handler, "read_work_queue_concurrency_status", QID, 1, 1)
    assert status.active_slots == 1
    assert json.loads(seen[0].content) == {"page": 1, "limit": 1}
    assert seen[0].url.path == f"/api/work_queues/{QID}/concurrency_status"
