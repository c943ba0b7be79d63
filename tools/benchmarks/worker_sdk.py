#!/usr/bin/env python3
"""prefect-sdk on the benchmark's workload (see tools/bench.py), through its public API only:
``prefect_sdk.client.get_client`` (async), ``get_client(sync_client=True)`` (``prefect_sdk.sync``),
``prefect_sdk.states``, ``prefect_sdk.filters``.

Requests and retries are counted by a plugin on ``prefect_sdk_request_finished`` (once per
operation call: ``call.attempt`` attempts were made), as any user's plugin would.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
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

from prefect_sdk.client import get_client, hookimpl
from prefect_sdk.states import Running

COUNT = Counter()


class CountingPlugin:
    """Counts attempts; one hook call per operation, so it adds next to nothing per request."""

    @hookimpl
    def prefect_sdk_request_finished(self, call: Any) -> None:
        COUNT.requests += call.attempt
        COUNT.retries += max(call.attempt - 1, 0)


PLUGIN = CountingPlugin()


def parse_filter() -> Any:
    from prefect_sdk.filters import FlowRunFilter, FlowRunFilterTags

    return FlowRunFilter(tags=FlowRunFilterTags(all_=[PARSE_TAG]))


def iter_filter(cfg: dict[str, Any]) -> Any:
    deployment = cfg.get("iter_deployment")
    if not deployment:
        return None
    from prefect_sdk.filters import FlowRunFilter, FlowRunFilterDeploymentId

    return FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[UUID(deployment)]))


# -- async ----------------------------------------------------------------------------------


async def aiteration(client: Any, flow_id: UUID) -> UUID:
    run = await client.create_flow_run(flow_id, tags=[LOOP_TAG])
    await client.set_flow_run_state(run.id, Running())
    read = await client.read_flow_run(run.id)
    return read.id  # type: ignore[no-any-return]


async def run_async(cfg: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    flow_id = UUID(cfg["flow_id"])
    async with get_client(plugins=[PLUGIN]) as client:
        with Timer("cold") as cold:
            ids = [await aiteration(client, flow_id)]
        result.update(cold_cpu=cold.cpu, cold_wall=cold.wall)
        for _ in range(cfg["warmup"]):
            ids.append(await aiteration(client, flow_id))
        COUNT.take()
        with Timer("loop") as loop:
            for _ in range(cfg["loop"]):
                ids.append(await aiteration(client, flow_id))
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
    """CPU of turning one 200-row page's bytes into models, the way a JSON body can be parsed
    straight into pydantic models (``TypeAdapter(list[FlowRun]).validate_json``)."""
    import httpx
    from pydantic import TypeAdapter

    from prefect_sdk.schemas import FlowRun

    body = {"flow_runs": {"tags": {"all_": [PARSE_TAG]}}, "limit": cfg["bulk_limit"]}
    async with httpx.AsyncClient(base_url=cfg["api"], timeout=120) as http:
        data = (await http.post("/flow_runs/filter", json=body)).content
    adapter = TypeAdapter(list[FlowRun])
    adapter.validate_json(data)
    gc.collect()
    with Timer("parse") as parse:
        for _ in range(cfg["parse_only"]):
            adapter.validate_json(data)
    return parse.cpu / max(cfg["parse_only"], 1)


async def run_faults(cfg: dict[str, Any]) -> dict[str, Any]:
    flow_id = UUID(cfg["flow_id"])
    # PREFECT_API_URL is the faulty address in this phase (tools/bench.py sets it).
    async with get_client(plugins=[PLUGIN]) as client:
        failures = 0
        # Under a loaded server a call may fail after its retries: counted, and the loop goes on.
        with contextlib.suppress(Exception):
            await aiteration(client, flow_id)
        COUNT.take()
        with Timer("faults") as loop:
            for _ in range(cfg["faults_loop"]):
                try:
                    await aiteration(client, flow_id)
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
    flt = iter_filter(cfg)
    async with get_client(plugins=[PLUGIN]) as client:
        await client.read_flow_runs(limit=1, flow_run_filter=flt)  # warm: models and adapters
        with growth() as memory, Timer(cfg["phase"]) as timer:
            if keep:
                runs = await client.read_flow_runs(limit=cfg["iter_rows"], flow_run_filter=flt)
                count = len(runs)
            else:
                count = 0
                async for _ in client.iter_flow_runs(flow_run_filter=flt):
                    count += 1
    return dict(rows=count, cpu=timer.cpu, wall=timer.wall, **memory)


# -- sync -----------------------------------------------------------------------------------


def iteration(client: Any, flow_id: UUID) -> UUID:
    run = client.create_flow_run(flow_id, tags=[LOOP_TAG])
    client.set_flow_run_state(run.id, Running())
    read = client.read_flow_run(run.id)
    return read.id  # type: ignore[no-any-return]


def run_sync(cfg: dict[str, Any]) -> dict[str, Any]:
    flow_id = UUID(cfg["flow_id"])
    with get_client(sync_client=True, plugins=[PLUGIN]) as client:
        for _ in range(cfg["warmup"] + 1):
            iteration(client, flow_id)
        COUNT.take()
        with Timer("sync") as loop:
            for _ in range(cfg["loop"]):
                iteration(client, flow_id)
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
