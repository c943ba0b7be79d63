#!/usr/bin/env python3
"""prefect-client 3.8.8 on the benchmark's workload (see tools/bench.py), run by the
interpreter of its own isolated environment (it never enters the project's lock).

Its public API as a user calls it: ``prefect.client.orchestration.get_client`` (async, and
``sync_client=True``), ``prefect.states``, ``prefect.client.schemas.filters``. Its
``create_flow_run`` takes a flow object and registers the flow (``POST /flows/``) before
creating the run, so each loop iteration makes four requests where the others make three.
Requests and retries are counted by an httpx event hook on responses (a 503 or 429 answer is
followed by a retry), set through ``httpx_settings``.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
from types import SimpleNamespace
from typing import Any
from uuid import UUID

from _common import (
    LOOP_TAG,
    PARSE_TAG,
    Counter,
    Timer,
    config,
    emit,
    growth,
)
from prefect.client.orchestration import get_client
from prefect.states import Running

COUNT = Counter()
RETRY_STATUS = (429, 503)
# What prefect-client's create_flow_run reads from a flow: its name, version and retry policy.
FLOW = SimpleNamespace(
    name="prefect-sdk-bench", version=None, retries=None, retry_delay_seconds=None
)


def on_response_sync(response: Any) -> None:
    COUNT.requests += 1
    if response.status_code in RETRY_STATUS:
        COUNT.retries += 1


async def on_response(response: Any) -> None:
    on_response_sync(response)


def parse_filter() -> Any:
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags

    return FlowRunFilter(tags=FlowRunFilterTags(all_=[PARSE_TAG]))


def iter_filter(cfg: dict[str, Any]) -> Any:
    deployment = cfg.get("iter_deployment")
    if not deployment:
        return None
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId

    return FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[UUID(deployment)]))


# -- async ----------------------------------------------------------------------------------


def aclient() -> Any:
    return get_client(httpx_settings={"event_hooks": {"response": [on_response]}})


async def aiteration(client: Any) -> UUID:
    run = await client.create_flow_run(FLOW, tags=[LOOP_TAG])
    await client.set_flow_run_state(run.id, Running())
    read = await client.read_flow_run(run.id)
    return read.id  # type: ignore[no-any-return]


async def run_async(cfg: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    async with aclient() as client:
        with Timer("cold") as cold:
            ids = [await aiteration(client)]
        result.update(cold_cpu=cold.cpu, cold_wall=cold.wall)
        for _ in range(cfg["warmup"]):
            ids.append(await aiteration(client))
        COUNT.take()
        with Timer("loop") as loop:
            for _ in range(cfg["loop"]):
                ids.append(await aiteration(client))
        result.update(loop_cpu=loop.cpu, loop_wall=loop.wall)
        result["loop_requests"], result["loop_retries"] = COUNT.take()

        flt = parse_filter()
        rows = await client.read_flow_runs(limit=cfg["bulk_limit"], flow_run_filter=flt)  # warm
        with Timer("bulk") as bulk:
            for _ in range(cfg["bulk"]):
                rows = await client.read_flow_runs(limit=cfg["bulk_limit"], flow_run_filter=flt)
        result.update(bulk_cpu=bulk.cpu, bulk_wall=bulk.wall, bulk_rows=len(rows))

        targets = ids[: cfg["conc"]]
        while len(targets) < cfg["conc"]:
            targets += ids[: cfg["conc"] - len(targets)]

        async def batch() -> None:
            await asyncio.gather(*(client.read_flow_run(i) for i in targets))

        await batch()  # warm: opens the pool's connections
        COUNT.take()
        with Timer("conc") as conc:
            for _ in range(cfg["conc_batches"]):
                await batch()
        result.update(
            conc_cpu=conc.cpu / cfg["conc_batches"], conc_wall=conc.wall / cfg["conc_batches"]
        )
        result["conc_requests"], result["conc_retries"] = COUNT.take()
    result["parse_only_cpu"] = await parse_only(cfg)
    return result


async def parse_only(cfg: dict[str, Any]) -> float:
    """CPU of what prefect-client's read_flow_runs does with a 200-row page's body:
    ``FlowRun.model_validate_list(response.json())``."""
    import httpx
    from prefect.client.schemas.objects import FlowRun

    body = {"flow_runs": {"tags": {"all_": [PARSE_TAG]}}, "limit": cfg["bulk_limit"]}
    async with httpx.AsyncClient(base_url=cfg["api"], timeout=120) as http:
        data = (await http.post("/flow_runs/filter", json=body)).content
    FlowRun.model_validate_list(json.loads(data))
    gc.collect()
    with Timer("parse") as parse:
        for _ in range(cfg["parse_only"]):
            FlowRun.model_validate_list(json.loads(data))
    return parse.cpu / max(cfg["parse_only"], 1)


async def run_faults(cfg: dict[str, Any]) -> dict[str, Any]:
    # PREFECT_API_URL is the faulty address in this phase (tools/bench.py sets it).
    async with aclient() as client:
        failures = 0
        # Under a loaded server a call may fail after its retries: counted, and the loop goes on.
        with contextlib.suppress(Exception):
            await aiteration(client)
        COUNT.take()
        with Timer("faults") as loop:
            for _ in range(cfg["faults_loop"]):
                try:
                    await aiteration(client)
                except Exception:
                    failures += 1
        requests, retries = COUNT.take()
    return dict(
        faults_cpu=loop.cpu,
        faults_wall=loop.wall,
        faults_requests=requests,
        faults_retries=retries,
        faults_failures=failures,
    )


async def run_iter(cfg: dict[str, Any], keep: bool) -> dict[str, Any]:
    """prefect-client has no iterator over flow runs: read page after page of 200 (offset
    paging), dropping each page (``iter``) or keeping them all (``all``)."""
    flt = iter_filter(cfg)
    async with aclient() as client:
        await client.read_flow_runs(limit=1, flow_run_filter=flt)  # warm: models
        kept: list[Any] = []
        count = 0
        with growth() as memory, Timer(cfg["phase"]) as timer:
            offset = 0
            while True:
                page = await client.read_flow_runs(limit=200, offset=offset, flow_run_filter=flt)
                count += len(page)
                if keep:
                    kept.extend(page)
                if len(page) < 200:
                    break
                offset += 200
        del kept
    return dict(rows=count, cpu=timer.cpu, wall=timer.wall, **memory)


# -- sync -----------------------------------------------------------------------------------


def iteration(client: Any) -> UUID:
    run = client.create_flow_run(FLOW, tags=[LOOP_TAG])
    client.set_flow_run_state(run.id, Running())
    read = client.read_flow_run(run.id)
    return read.id  # type: ignore[no-any-return]


def run_sync(cfg: dict[str, Any]) -> dict[str, Any]:
    hooks = {"event_hooks": {"response": [on_response_sync]}}
    with get_client(sync_client=True, httpx_settings=hooks) as client:
        for _ in range(cfg["warmup"] + 1):
            iteration(client)
        COUNT.take()
        with Timer("sync") as loop:
            for _ in range(cfg["loop"]):
                iteration(client)
        requests, retries = COUNT.take()
    return dict(
        sync_cpu=loop.cpu, sync_wall=loop.wall, sync_requests=requests, sync_retries=retries
    )


def main() -> None:
    cfg = config()
    phase = cfg["phase"]
    if phase == "async":
        result = asyncio.run(run_async(cfg))
    elif phase == "faults":
        result = asyncio.run(run_faults(cfg))
    elif phase == "sync":
        result = run_sync(cfg)
    elif phase in ("iter", "all"):
        result = asyncio.run(run_iter(cfg, keep=phase == "all"))
    else:
        raise SystemExit(f"unknown phase {phase!r}")
    emit(result)


if __name__ == "__main__":
    main()
