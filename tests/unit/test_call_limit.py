"""An async client keeps at most its pool's size of calls in flight (``_io.async_slot``): a free
slot is taken without waiting, a call beyond the limit waits for one, on asyncio and trio."""

from __future__ import annotations

import uuid

import anyio
import httpx
import pytest

from prefect_sdk.client import PrefectClient

API = "http://limit.test/api"


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_calls_beyond_the_pool_size_wait_for_a_slot(backend: str) -> None:
    in_flight = 0
    most = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await anyio.sleep(0.01)
        in_flight -= 1
        return httpx.Response(200, json=True)

    async def main() -> list[bool]:
        settings = {
            "transport": httpx.MockTransport(handler),
            "limits": {"max_connections": 3},
        }
        results: list[bool] = []
        async with PrefectClient(api=API, httpx_settings=settings) as client:

            async def one() -> None:
                results.append(await client._call("read_flow_run", bool, flow_run_id=uuid.uuid4()))

            async with anyio.create_task_group() as group:
                for _ in range(20):
                    group.start_soon(one)
        return results

    results = anyio.run(main, backend=backend)
    assert results == [True] * 20
    assert most == 3
