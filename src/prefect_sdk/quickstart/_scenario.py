"""The quickstart scenario: work pool, flow, deployment, runs, states, filtered reads."""

from __future__ import annotations

import time
import uuid
from typing import Any

from prefect_sdk.client import PrefectClient
from prefect_sdk.filters import DeploymentFilter, FlowFilter, FlowRunFilter, FlowRunSort
from prefect_sdk.schemas import CronSchedule, FlowRun
from prefect_sdk.states import Completed, Failed, Running


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [_row(header, widths), _row(["-" * w for w in widths], widths)]
    lines += [_row(r, widths) for r in rows]
    return "\n".join("  " + line for line in lines)


async def run_scenario(api_url: str, cleanup: bool) -> None:
    suffix = uuid.uuid4().hex[:6]
    pool_name = f"quickstart-pool-{suffix}"
    flow_name = f"quickstart-etl-{suffix}"
    created: dict[str, Any] = {}
    started = time.monotonic()
    async with PrefectClient(api=api_url) as client:
        try:
            await _scenario(client, pool_name, flow_name, created)
        finally:
            if cleanup:
                await _cleanup(client, created)
    print(f"\ndone in {time.monotonic() - started:.2f}s")


async def _scenario(
    client: PrefectClient, pool_name: str, flow_name: str, created: dict[str, Any]
) -> None:
    print(
        f"server healthy: {await client.api_healthcheck() is None}, "
        f"Prefect {await client.read_server_version()}"
    )

    pool = await client.create_work_pool(pool_name, "process", description="quickstart pool")
    created["pool"] = pool.name
    print(f"1. work pool   {pool.name} (type={pool.type})")

    flow = await client.create_flow(flow_name, tags=["quickstart"])
    created["flow"] = flow.id
    print(f"2. flow        {flow.name} ({flow.id})")

    deployment = await client.create_deployment(
        flow.id,
        "nightly",
        schedule=CronSchedule(cron="0 2 * * *", timezone="UTC"),
        parameters={"source": "s3://bucket/raw"},
        tags=["quickstart", "etl"],
        work_pool_name=pool.name,
        paused=True,  # the scenario makes its own runs; no schedule fires behind its back
    )
    created["deployment"] = deployment.id
    print(f"3. deployment  {flow.name}/{deployment.name} on {pool.name}, cron 0 2 * * * (paused)")

    plans: list[tuple[str, dict[str, Any], list[str], str]] = [
        ("extract", {"table": "orders"}, ["quickstart", "extract"], "completed"),
        ("transform", {"table": "orders", "full": True}, ["quickstart", "transform"], "failed"),
        ("load", {"table": "orders", "target": "warehouse"}, ["quickstart", "load"], "running"),
    ]
    runs: list[FlowRun] = []
    for name, parameters, tags, _ in plans:
        run = await client.create_flow_run(flow, name=name, parameters=parameters, tags=tags)
        runs.append(run)
    created["runs"] = [r.id for r in runs]
    print(f"4. flow runs   {', '.join(r.name for r in runs)} (Pending)")

    moves = []
    for run, (_, _, _, target) in zip(runs, plans, strict=True):
        result = await client.set_flow_run_state(run.id, Running(message="started by quickstart"))
        moves.append(f"{run.name}: Pending -> Running ({result.status.value})")
        if target == "completed":
            result = await client.set_flow_run_state(run.id, Completed(message="3 rows"))
            moves.append(f"{run.name}: Running -> Completed ({result.status.value})")
        elif target == "failed":
            result = await client.set_flow_run_state(run.id, Failed(message="bad row 17"))
            moves.append(f"{run.name}: Running -> Failed ({result.status.value})")
    print("5. states      " + "\n              ".join(moves))

    finished = await client.read_flow_runs(
        sort=FlowRunSort.NAME_ASC,
        flow_filter=FlowFilter(name=flow_name),
        flow_run_filter=FlowRunFilter(state=["COMPLETED", "FAILED"]),
    )
    print(
        f"6. read back   finished runs (state COMPLETED or FAILED, by name): "
        f"{', '.join(r.name for r in finished)}"
    )
    tagged = await client.read_flow_runs(
        flow_filter=FlowFilter(name=flow_name), flow_run_filter=FlowRunFilter(tags=["load"])
    )
    print(f"               tagged 'load': {', '.join(r.name for r in tagged)}")
    in_pool = await client.read_deployments(
        deployment_filter=DeploymentFilter(work_pool_name=pool.name)
    )
    print(f"               deployments in {pool.name}: {', '.join(d.name for d in in_pool)}")

    everything = await client.read_flow_runs(
        sort=FlowRunSort.NAME_ASC, flow_filter=FlowFilter(name=flow_name)
    )
    print("\nSummary\n")
    print(
        _table(
            ["run", "state", "message", "parameters", "tags"],
            [
                [
                    r.name,
                    r.state_name or "-",
                    (r.state.message if r.state else None) or "-",
                    ", ".join(f"{k}={v}" for k, v in r.parameters.items()),
                    ", ".join(r.tags),
                ]
                for r in everything
            ],
        )
    )


async def _cleanup(client: PrefectClient, created: dict[str, Any]) -> None:
    for run_id in created.get("runs", []):
        await client.delete_flow_run(run_id)
    if "deployment" in created:
        await client.delete_deployment(created["deployment"])
    if "flow" in created:
        await client.delete_flow(created["flow"])
    if "pool" in created:
        await client.delete_work_pool(created["pool"])
    print("\ncleaned up: flow runs, deployment, flow and work pool deleted")
