#!/usr/bin/env python3
"""The floor: the benchmark's workload as hand-written httpx + json calls (see tools/bench.py).

The requests carry what prefect-sdk sends on the same routes (an idempotency key on a create, a
transition id on a state change), answers are parsed with ``json.loads`` into dicts, and a 503
or 429 answer is repeated after a fixed short wait (``RAW_RETRY_WAIT``): the minimal retry a
user would write. Nothing is validated.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import time
import uuid
from typing import Any

import httpx
from _common import (
    LOOP_TAG,
    PARSE_TAG,
    RAW_MAX_RETRIES,
    RAW_RETRY_WAIT,
    Counter,
    Timer,
    config,
    emit,
    growth,
    new_key,
)

RETRY_STATUS = (429, 503)
COUNT = Counter()


def create_body(flow_id: str) -> dict[str, Any]:
    return {
        "flow_id": flow_id,
        "parameters": {},
        "context": {},
        "tags": [LOOP_TAG],
        "state": {"type": "PENDING", "name": "Pending"},
        "idempotency_key": new_key(),
    }


def state_body() -> dict[str, Any]:
    return {
        "state": {
            "type": "RUNNING",
            "name": "Running",
            "state_details": {"transition_id": str(uuid.uuid4())},
        },
        "force": False,
    }


def filter_body(cfg: dict[str, Any]) -> dict[str, Any]:
    return {"flow_runs": {"tags": {"all_": [PARSE_TAG]}}, "limit": cfg["bulk_limit"], "offset": 0}


def iter_filter(cfg: dict[str, Any]) -> dict[str, Any]:
    deployment = cfg.get("iter_deployment")
    if not deployment:
        return {}
    return {"flow_runs": {"deployment_id": {"any_": [deployment]}}}


# -- async ----------------------------------------------------------------------------------


async def asend(http: httpx.AsyncClient, method: str, path: str, body: Any = None) -> Any:
    retries = 0
    while True:
        COUNT.requests += 1
        response = await http.request(method, path, json=body)
        if response.status_code in RETRY_STATUS and retries < RAW_MAX_RETRIES:
            retries += 1
            COUNT.retries += 1
            await asyncio.sleep(RAW_RETRY_WAIT)
            continue
        response.raise_for_status()
        return json.loads(response.content)


async def aiteration(http: httpx.AsyncClient, flow_id: str) -> str:
    run = await asend(http, "POST", "/flow_runs/", create_body(flow_id))
    run_id = run["id"]
    await asend(http, "POST", f"/flow_runs/{run_id}/set_state", state_body())
    read = await asend(http, "GET", f"/flow_runs/{run_id}")
    return str(read["id"])


async def run_async(cfg: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=cfg["api"], timeout=120) as http:
        flow_id = cfg["flow_id"]
        with Timer("cold") as cold:
            ids = [await aiteration(http, flow_id)]
        result.update(cold_cpu=cold.cpu, cold_wall=cold.wall)
        for _ in range(cfg["warmup"]):
            ids.append(await aiteration(http, flow_id))
        COUNT.take()
        with Timer("loop") as loop:
            for _ in range(cfg["loop"]):
                ids.append(await aiteration(http, flow_id))
        result.update(loop_cpu=loop.cpu, loop_wall=loop.wall)
        result["loop_requests"], result["loop_retries"] = COUNT.take()

        body = filter_body(cfg)
        rows = await asend(http, "POST", "/flow_runs/filter", body)  # warm
        with Timer("bulk") as bulk:
            for _ in range(cfg["bulk"]):
                rows = await asend(http, "POST", "/flow_runs/filter", body)
        result.update(bulk_cpu=bulk.cpu, bulk_wall=bulk.wall, bulk_rows=len(rows))

        targets = ids[: cfg["conc"]]
        while len(targets) < cfg["conc"]:
            targets += ids[: cfg["conc"] - len(targets)]

        async def batch() -> None:
            await asyncio.gather(*(asend(http, "GET", f"/flow_runs/{i}") for i in targets))

        await batch()  # warm: opens the pool's connections
        COUNT.take()
        with Timer("conc") as conc:
            for _ in range(cfg["conc_batches"]):
                await batch()
        result.update(
            conc_cpu=conc.cpu / cfg["conc_batches"], conc_wall=conc.wall / cfg["conc_batches"]
        )
        result["conc_requests"], result["conc_retries"] = COUNT.take()

        page = await http.post("/flow_runs/filter", json=body)
        data = page.content
    gc.collect()
    with Timer("parse") as parse:
        for _ in range(cfg["parse_only"]):
            json.loads(data)
    result["parse_only_cpu"] = parse.cpu / max(cfg["parse_only"], 1)
    return result


async def run_faults(cfg: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=cfg["faults_api"], timeout=120) as http:
        failures = 0
        # Under a loaded server a call may fail after its retries: counted, and the loop goes on.
        with contextlib.suppress(Exception):
            await aiteration(http, cfg["flow_id"])
        COUNT.take()
        with Timer("faults") as loop:
            for _ in range(cfg["faults_loop"]):
                try:
                    await aiteration(http, cfg["flow_id"])
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
    async with httpx.AsyncClient(base_url=cfg["api"], timeout=120) as http:
        base = iter_filter(cfg)
        await asend(http, "POST", "/flow_runs/paginate", {**base, "limit": 1, "page": 1})
        kept: list[Any] = []
        count = 0
        with growth() as memory, Timer(cfg["phase"]) as timer:
            page_number = 1
            while True:
                body = {**base, "limit": 200, "page": page_number, "sort": "ID_DESC"}
                page = await asend(http, "POST", "/flow_runs/paginate", body)
                count += len(page["results"])
                if keep:
                    kept.extend(page["results"])
                if not page["results"] or page_number >= page["pages"]:
                    break
                page_number += 1
        del kept
    return dict(rows=count, cpu=timer.cpu, wall=timer.wall, **memory)


# -- sync -----------------------------------------------------------------------------------


def send(http: httpx.Client, method: str, path: str, body: Any = None) -> Any:
    retries = 0
    while True:
        COUNT.requests += 1
        response = http.request(method, path, json=body)
        if response.status_code in RETRY_STATUS and retries < RAW_MAX_RETRIES:
            retries += 1
            COUNT.retries += 1
            time.sleep(RAW_RETRY_WAIT)
            continue
        response.raise_for_status()
        return json.loads(response.content)


def iteration(http: httpx.Client, flow_id: str) -> str:
    run = send(http, "POST", "/flow_runs/", create_body(flow_id))
    run_id = run["id"]
    send(http, "POST", f"/flow_runs/{run_id}/set_state", state_body())
    read = send(http, "GET", f"/flow_runs/{run_id}")
    return str(read["id"])


def run_sync(cfg: dict[str, Any]) -> dict[str, Any]:
    with httpx.Client(base_url=cfg["api"], timeout=120) as http:
        for _ in range(cfg["warmup"] + 1):
            iteration(http, cfg["flow_id"])
        COUNT.take()
        with Timer("sync") as loop:
            for _ in range(cfg["loop"]):
                iteration(http, cfg["flow_id"])
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
