"""The contract: every request body the client sends validates against the live server's
OpenAPI schema for its route (the server's own request models, ``additionalProperties: false``).

A recording plugin captures the bodies of a run of every body-carrying operation, both
clients; each body is checked with jsonschema against ``/api/openapi.json``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import httpx
import pytest

from prefect_sdk.client import PrefectClient, hookimpl
from prefect_sdk.filters import (
    DeploymentFilter,
    FlowFilter,
    FlowRunFilter,
    FlowRunSort,
    WorkPoolFilter,
)
from prefect_sdk.schemas import CronSchedule, IntervalSchedule, RRuleSchedule
from prefect_sdk.states import Completed, Paused, Running, Scheduled
from prefect_sdk.sync import SyncPrefectClient
from tests._support import AwaitableSync, body_validator, server_older_than

pytestmark = pytest.mark.anyio


class Recorder:
    name = "contract-recorder"

    def __init__(self) -> None:
        self.bodies: list[tuple[str, str, str, Any]] = []

    @hookimpl
    def prefect_sdk_request(self, request: httpx.Request, call: Any) -> None:
        if request.content:
            path = request.url.path.removeprefix("/api")
            self.bodies.append((call.operation, request.method, path, json.loads(request.content)))


def route_schema(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    """The request-body schema of the OpenAPI route matching ``method path``."""
    for template, operations in document["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            body = operations[method.lower()].get("requestBody")
            assert body is not None, f"{method} {template} takes no body"
            schema: dict[str, Any] = body["content"]["application/json"]["schema"]
            return schema
    raise AssertionError(f"no route for {method} {path}")


async def exercise(client: Any, unique: Any, api_url: str) -> None:
    # Labels on deployments and flow runs, a flow run's pool fields and job variables: 3.2.15
    # has them, 3.0.11 not (the client's 422 naming them is checked in the resource tests).
    labels: dict[str, Any] = {}
    pooled: dict[str, Any] = {}
    if not server_older_than(api_url, "3.2.0"):
        labels = {"labels": {"l": 1}}
        pooled = {"work_queue_name": "default", "job_variables": {"k": "v"}}
    pool = await client.create_work_pool(unique("cpool"), "process", description="d")
    await client.create_work_pool(pool.name, "process", concurrency_limit=2, overwrite=True)
    flow = await client.create_flow(unique("contract"), tags=["a"])
    await client.create_deployment(
        flow.id,
        "cron",
        version="1",
        schedule=CronSchedule(cron="0 9 * * *", timezone="UTC"),
        parameters={"x": 1},
        tags=["t"],
        work_pool_name=pool.name,
        work_queue_name="default",
        description="d",
        paused=True,
        concurrency_limit=2,
        entrypoint="flows.py:etl",
        path=".",
        job_variables={"env": {"A": "1"}},
        enforce_parameter_schema=False,
        **labels,
    )
    await client.create_deployment(
        flow,
        "many",
        schedules=[
            IntervalSchedule(interval=dt.timedelta(minutes=5)),
            RRuleSchedule(rrule="FREQ=DAILY"),
        ],
    )
    run = await client.create_flow_run(
        flow,
        name="r",
        parameters={"p": [1, 2]},
        context={"c": 1},
        tags=["x"],
        state=Scheduled(dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)),
        **pooled,
        **labels,
    )
    await client.set_flow_run_state(run.id, Running(message="m"))
    task_run = await client.create_task_run("t", run.id, "0", name="task", tags=["tt"])
    await client.set_task_run_state(task_run.id, Running())
    await client.set_task_run_state(task_run.id, Completed(message="ok"), force=True)
    await client.set_flow_run_state(run.id, Paused(timeout_seconds=60, pause_key="k"))
    await client.read_flows(
        limit=5,
        offset=0,
        sort="NAME_DESC",
        flow_filter=FlowFilter(name=flow.name, tags=["a"]),
        flow_run_filter=FlowRunFilter(state=["RUNNING"]),
        deployment_filter=DeploymentFilter(work_pool_name=pool.name, is_schedule_active=False),
    )
    await client.read_flow_runs(
        sort=FlowRunSort.EXPECTED_START_TIME_DESC,
        flow_filter=FlowFilter(id=flow.id),
        work_pool_filter=WorkPoolFilter(name=pool.name),
    )
    await client.read_deployments(limit=3, deployment_filter=DeploymentFilter(paused=True))
    await client.read_work_pools(limit=2, work_pool_filter=WorkPoolFilter(type="process"))


@pytest.mark.parametrize("kind", ["async", "sync"])
async def test_every_request_body_matches_the_servers_schema(
    kind: str, api_url: str, server_openapi: dict[str, Any], unique: Any
) -> None:
    recorder = Recorder()
    if kind == "sync":
        with SyncPrefectClient(api=api_url, plugins=[recorder]) as sync_client:
            await exercise(AwaitableSync(sync_client), unique, api_url)
    else:
        async with PrefectClient(api=api_url, plugins=[recorder]) as client:
            await exercise(client, unique, api_url)

    operations = {operation for operation, *_ in recorder.bodies}
    assert {
        "create_work_pool",
        "update_work_pool",
        "create_flow",
        "create_deployment",
        "create_flow_run",
        "set_flow_run_state",
        "create_task_run",
        "set_task_run_state",
        "read_flows",
        "read_flow_runs",
        "read_deployments",
        "read_work_pools",
    } <= operations
    problems = []
    for operation, method, path, body in recorder.bodies:
        validator = body_validator(server_openapi, route_schema(server_openapi, method, path))
        for error in validator.iter_errors(body):
            problems.append(
                f"{operation} {method} {path} {list(error.absolute_path)}: {error.message}"
            )
    assert not problems, "\n".join(problems)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
