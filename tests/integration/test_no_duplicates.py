"""Retries never duplicate: the real server receives a create, the answer is lost on the way
back (an injected fault in front of a real transport), and the client's retry must not make a
second object."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import APIConnectionError, ObjectAlreadyExists
from prefect_sdk.filters import ArtifactFilter, FlowFilter, WorkPoolFilter
from prefect_sdk.sync import SyncPrefectClient

pytestmark = pytest.mark.anyio


class LoseFirstAnswer:
    """Forward to the real server; for the first request to ``path`` drop the response."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.sent: list[str] = []
        self.dropped = False

    def lose(self, request: httpx.Request) -> bool:
        self.sent.append(f"{request.method} {request.url.path}")
        if request.method == "POST" and request.url.path.endswith(self.path) and not self.dropped:
            self.dropped = True
            return True
        return False


class SyncFaulty(httpx.BaseTransport):
    def __init__(self, fault: LoseFirstAnswer) -> None:
        self.fault, self.real = fault, httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.real.handle_request(request)
        if self.fault.lose(request):
            response.read()
            response.close()
            raise httpx.ReadError("connection reset after the server answered", request=request)
        return response

    def close(self) -> None:
        self.real.close()


class AsyncFaulty(httpx.AsyncBaseTransport):
    def __init__(self, fault: LoseFirstAnswer) -> None:
        self.fault, self.real = fault, httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.real.handle_async_request(request)
        if self.fault.lose(request):
            await response.aread()
            await response.aclose()
            raise httpx.ReadError("connection reset after the server answered", request=request)
        return response

    async def aclose(self) -> None:
        await self.real.aclose()


async def run(flavour: str, api_url: str, fault: LoseFirstAnswer, op: str, *a: Any) -> Any:
    if flavour == "sync":
        with SyncPrefectClient(
            api=api_url, httpx_settings={"transport": SyncFaulty(fault)}
        ) as sync_client:
            return getattr(sync_client, op)(*a)
    async with PrefectClient(
        api=api_url, httpx_settings={"transport": AsyncFaulty(fault)}
    ) as client:
        return await getattr(client, op)(*a)


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("prefect_sdk.client._builtins.BACKOFF_BASE_SECONDS", 0.01)


async def test_lost_answer_to_flow_run_create_makes_one_run(
    flavour: str, api_url: str, client: Any, unique: Any
) -> None:
    flow = await client.create_flow(unique("nodup"))
    fault = LoseFirstAnswer("/flow_runs/")
    created = await run(flavour, api_url, fault, "create_flow_run", flow)
    assert fault.dropped
    # sent, answer lost, sent again
    # (more than twice if a busy SQLite server answered a retry with its rolled-back 503)
    assert fault.sent.count("POST /api/flow_runs/") >= 2, fault.sent
    runs = await client.read_flow_runs(flow_filter=FlowFilter(id=flow.id))
    assert [r.id for r in runs] == [created.id], (runs, fault.sent)


async def test_lost_answer_to_a_name_unique_create_is_read_back(
    flavour: str, api_url: str, client: Any, unique: Any
) -> None:
    # The server made the pool but its answer was lost; the retry is refused 409 (the name is
    # taken, by that very pool): the client reads it back, sees what it asked for, returns it.
    name = unique("pool")
    fault = LoseFirstAnswer("/work_pools/")
    pool = await run(flavour, api_url, fault, "create_work_pool", name, "process", "mine")
    assert fault.dropped and pool.name == name and pool.description == "mine"
    # Sent, answer lost, sent again (more often if a busy server answered its own 503), read.
    assert fault.sent[-1] == f"GET /api/work_pools/{name}"
    assert fault.sent[:-1] == ["POST /api/work_pools/"] * len(fault.sent[:-1])
    assert len(fault.sent) >= 3
    pools = await client.read_work_pools(work_pool_filter=WorkPoolFilter(name=name))
    assert [p.id for p in pools] == [pool.id]


async def test_a_taken_name_is_still_a_conflict_after_a_lost_answer(
    flavour: str, api_url: str, client: Any, unique: Any
) -> None:
    # The name belongs to somebody else's pool (another description) and the answer to our
    # create is lost: the read-back finds a pool that is not what we asked for.
    name = unique("pool")
    theirs = await client.create_work_pool(name, "process", "theirs")
    fault = LoseFirstAnswer("/work_pools/")
    with pytest.raises(ObjectAlreadyExists):
        await run(flavour, api_url, fault, "create_work_pool", name, "process", "mine")
    pools = await client.read_work_pools(work_pool_filter=WorkPoolFilter(name=name))
    assert [(p.id, p.description) for p in pools] == [(theirs.id, "theirs")]


async def test_create_the_server_cannot_deduplicate_is_not_retried(
    flavour: str, api_url: str, client: Any, unique: Any
) -> None:
    key = unique("artifact")
    fault = LoseFirstAnswer("/artifacts/")
    with pytest.raises(APIConnectionError):
        await run(flavour, api_url, fault, "create_artifact", {"key": key, "data": "x"})
    assert fault.sent.count("POST /api/artifacts/") == 1
    found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=key))
    assert len(found) == 1  # it happened once; the caller is told the outcome is unknown
