"""Flow operations refuse bad arguments before any network I/O, naming the argument, and
send what the server expects (checked on the wire with a mock transport)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import FlowFilter, FlowRunFilter, WorkQueueFilter
from prefect_sdk.schemas import SimpleNextFlowRun
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

FLOW_ID = uuid.UUID("9a0c7a52-3c1f-4d63-8a62-4e1d4f0c2b33")
OTHER_ID = uuid.UUID("0b8f0c1e-7f55-4c36-9d0b-2c5b1f4a7e21")
FLOW = {"id": str(FLOW_ID), "name": "f"}


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


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("create_flow", ("",), {}, "flow must be a non-empty"),
        ("create_flow", (object(),), {}, "flow must be a non-empty"),
        ("create_flow", ("f",), {"tags": [1]}, "tags must be a list of strings"),
        ("create_flow_from_name", ("",), {}, "flow must be a non-empty"),
        ("read_flow", ("nope",), {}, "flow_id"),
        ("read_flow_by_name", ("",), {}, "flow_name must be a non-empty"),
        ("read_flow_by_name", ("..",), {}, "flow_name='..' cannot be used"),
        ("update_flow", ("nope",), {"tags": []}, "flow_id"),
        ("update_flow", (FLOW_ID,), {"tags": [1]}, "tags must be a list of strings"),
        ("delete_flow", (None,), {}, "flow_id"),
        ("read_flows", (), {"limit": -1}, "limit"),
        ("read_flows", (), {"offset": "1"}, "offset"),
        ("read_flows", (), {"sort": "SIDEWAYS"}, "sort"),
        ("read_flows", (), {"work_queue_filter": WorkQueueFilter()}, "work_queue_filter=None"),
        ("read_flows", (), {"flow_filter": FlowRunFilter()}, "flows= takes a FlowFilter"),
        ("count_flows", (), {"flow_run_filter": FlowFilter()}, "flow_runs= takes"),
        ("bulk_delete_flows", (), {}, "needs a flow_filter"),
        ("bulk_delete_flows", (FlowFilter(),), {"limit": 51}, "between 1 and 50"),
        ("bulk_delete_flows", (FlowFilter(),), {"limit": 0}, "between 1 and 50"),
        ("bulk_delete_flows", (FlowFilter(),), {"limit": None}, "between 1 and 50"),
        ("count_deployments_by_flow", (FLOW_ID,), {}, "flow_ids must be a list"),
        ("count_deployments_by_flow", ([FLOW_ID, "x"],), {}, r"flow_ids\[1\]"),
        ("read_next_flow_runs_by_flow", ("abc",), {}, "flow_ids must be a list"),
        ("read_next_flow_runs_by_flow", ([object()],), {}, r"flow_ids\[0\]"),
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


@pytest.mark.parametrize("page_size", [0, 201, 1.5])
async def test_iter_flows_page_size_is_checked(kind: str, page_size: Any) -> None:
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match="page_size"):
        await drain(kind, handler, "iter_flows", page_size=page_size)
    assert seen == []


async def test_iter_flows_pages_through_paginate(kind: str) -> None:
    handler, seen = respond(
        ok({"results": [FLOW], "count": 2, "limit": 1, "pages": 2, "page": 1}),
        ok({"results": [FLOW], "count": 2, "limit": 1, "pages": 2, "page": 2}),
    )
    flows = await drain(kind, handler, "iter_flows", "NAME_DESC", page_size=1)
    assert len(flows) == 2
    assert [r.url.path for r in seen] == ["/api/flows/paginate"] * 2
    assert [(body_of(r)["page"], body_of(r)["sort"]) for r in seen] == [
        (1, "NAME_DESC"),
        (2, "NAME_DESC"),
    ]


async def test_bulk_delete_and_counts_on_the_wire(kind: str) -> None:
    deleted, request = await sent(
        kind, "bulk_delete_flows", ok({"deleted": [str(FLOW_ID)]}), FlowFilter(name=["f"])
    )
    assert deleted == [FLOW_ID]
    body = body_of(request)
    assert body["limit"] == 50 and body["flows"]["name"] == {"any_": ["f"]}
    count, request = await sent(kind, "count_flows", ok(3), flow_filter=FlowFilter(tags=["t"]))
    assert count == 3 and request.url.path == "/api/flows/count"
    counts, request = await sent(
        kind,
        "count_deployments_by_flow",
        ok({str(FLOW_ID): 2, str(OTHER_ID): 0}),
        [FLOW_ID, str(OTHER_ID)],
    )
    assert counts == {FLOW_ID: 2, OTHER_ID: 0}
    assert body_of(request) == {"flow_ids": [str(FLOW_ID), str(OTHER_ID)]}


async def test_next_runs_and_update_on_the_wire(kind: str) -> None:
    nxt = {
        "id": str(OTHER_ID),
        "flow_id": str(FLOW_ID),
        "name": "r",
        "state_name": "Scheduled",
        "state_type": "SCHEDULED",
        "next_scheduled_start_time": "2026-01-01T00:00:00Z",
    }
    runs, request = await sent(
        kind, "read_next_flow_runs_by_flow", ok({str(FLOW_ID): nxt, str(OTHER_ID): None}), [FLOW_ID]
    )
    assert isinstance(runs[FLOW_ID], SimpleNextFlowRun) and runs[OTHER_ID] is None
    assert request.url.path == "/api/ui/flows/next-runs"
    result, request = await sent(kind, "update_flow", ok(), str(FLOW_ID), tags=["a"])
    assert result is None and request.method == "PATCH" and body_of(request) == {"tags": ["a"]}
    flow_id, request = await sent(kind, "create_flow_from_name", ok(FLOW), "f")
    assert flow_id == FLOW_ID and body_of(request)["name"] == "f"
