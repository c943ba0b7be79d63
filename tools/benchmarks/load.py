#!/usr/bin/env python3
"""Background writes that keep a Prefect server's SQLite database busy (tools/bench.py).

    python tools/benchmarks/load.py API_URL RATE

Starts RATE write transactions a second (at most 8 under way at once): each creates a flow run
and sets it Running, competing for SQLite's single writer lock with the benchmark's loop (a
request that loses the race is answered 503, which is what the loaded-server figure is
about). The rate is fixed, so every contender meets the same load. Errors and 503s are
ignored. Prints ``READY`` once writes go through, and runs until terminated.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import uuid

import httpx
from _common import FLOW_NAME, LOAD_TAG

MAX_UNDER_WAY = 8


async def write(http: httpx.AsyncClient, flow_id: str, ready: asyncio.Event) -> None:
    try:
        created = await http.post(
            "/flow_runs/",
            json={
                "flow_id": flow_id,
                "tags": [LOAD_TAG],
                "state": {"type": "PENDING", "name": "Pending"},
                "idempotency_key": f"load-{uuid.uuid4()}",
            },
        )
        if created.status_code == 201:
            run_id = created.json()["id"]
            await http.post(
                f"/flow_runs/{run_id}/set_state",
                json={"state": {"type": "RUNNING", "name": "Running"}},
            )
            ready.set()
    except httpx.HTTPError:
        pass


async def main(api: str, rate: float) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    async with httpx.AsyncClient(base_url=api, timeout=120) as http:
        flow_id = (await http.post("/flows/", json={"name": FLOW_NAME})).json()["id"]
        ready = asyncio.Event()
        under_way: set[asyncio.Task[None]] = set()
        announced = False
        while not stop.is_set():
            if len(under_way) < MAX_UNDER_WAY:
                task = asyncio.create_task(write(http, flow_id, ready))
                under_way.add(task)
                task.add_done_callback(under_way.discard)
            if ready.is_set() and not announced:
                print("READY", flush=True)
                announced = True
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1 / rate)
        for task in list(under_way):
            task.cancel()
        await asyncio.gather(*under_way, return_exceptions=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2])))
