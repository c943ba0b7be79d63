"""The spec's examples, with only their import lines changed, run against the real server.

The examples live verbatim in ``spec_examples/``. They return little, so each test also checks
on the server what the example did.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.filters import DeploymentFilter, FlowFilter, FlowRunFilter
from prefect_sdk.schemas import CronSchedule, FlowRun, StateType
from prefect_sdk.sync import SyncPrefectClient

pytestmark = pytest.mark.anyio


def example(name: str) -> ModuleType:
    module = importlib.import_module(f"tests.integration.spec_examples.{name}")
    return importlib.reload(module)  # module-level clients read the current environment


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"  # the examples are backend-agnostic; test_client.py covers trio


async def test_get_client_example(prefect_api: str, unique: Any) -> None:
    name = unique("000-spec-get-client")  # sorts first: read_flows() returns one page
    async with PrefectClient() as client:
        await client.create_flow(name)
    module = example("get_client_example")
    flows = await module.async_example()
    assert name in {f.name for f in flows}
    sync_flows = module.sync_example()
    assert name in {f.name for f in sync_flows}
    # The module-level client got the custom httpx settings.
    http = module.client._ensure_http()
    assert http.timeout.read == 30.0
    assert http._transport._pool._max_connections == 10  # the dict form of limits
    await module.client.aclose()


async def test_client_operations_example(prefect_api: str, unique: Any) -> None:
    async with PrefectClient() as client:
        await client.create_flow(unique("spec-ops"))
        first = (await client.read_flows(limit=10))[0]
    flow_run = await example("client_operations_example").client_operations()
    assert isinstance(flow_run, FlowRun)
    assert flow_run.flow_id == first.id
    async with PrefectClient() as client:
        stored = await client.read_flow_run(flow_run.id)
    assert stored.parameters == {"param1": "value1"}
    assert stored.tags == ["api-created"]
    assert stored.state_type == StateType.COMPLETED
    assert stored.state is not None and stored.state.message == "Completed via API"


def test_sync_client_example(prefect_api: str, unique: Any) -> None:
    with SyncPrefectClient() as client:
        client.create_flow(unique("spec-sync"))
        first = client.read_flows(limit=5)[0]
    flow_run = example("sync_client_example").sync_client_operations()
    assert flow_run is not None and flow_run.flow_id == first.id
    with SyncPrefectClient() as client:
        stored = client.read_flow_run(flow_run.id)
    assert stored.parameters == {"sync": True}
    assert stored.state_type == StateType.RUNNING
    assert stored.state is not None and stored.state.message == "Started via sync client"


async def test_error_handling_example(prefect_api: str, capsys: pytest.CaptureFixture[str]) -> None:
    await example("error_handling_example").error_handling_example()
    assert capsys.readouterr().out == "Flow not found\n"


async def test_error_handling_example_with_bad_auth(
    prefect_api: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server that answers 401 is reached through the same code path.
    import httpx

    def deny(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"detail": "Unauthorized"})

    module = example("error_handling_example")
    monkeypatch.setattr(
        module,
        "get_client",
        lambda: PrefectClient(httpx_settings={"transport": httpx.MockTransport(deny)}),
    )
    await module.error_handling_example()
    assert capsys.readouterr().out == "Authentication failed\n"


async def test_filtering_example(prefect_api: str, unique: Any) -> None:
    async with PrefectClient() as client:
        pool = await client.create_work_pool("kubernetes-pool", "kubernetes", overwrite=True)
        tagged = await client.create_flow(unique("spec-etl"), tags=["production", "etl"])
        await client.create_flow(unique("spec-only-etl"), tags=["etl"])
        active = await client.create_deployment(
            tagged.id,
            unique("active"),
            schedule=CronSchedule(cron="0 * * * *"),
            work_pool_name=pool.name,
        )
        paused = await client.create_deployment(
            tagged.id, unique("paused"), work_pool_name=pool.name, paused=True
        )
        elsewhere = await client.create_deployment(tagged.id, unique("elsewhere"))

        # Run the example, then check that the same filters return what they mean.
        await example("filtering_example").filtering_example()
        flows = await client.read_flows(flow_filter=FlowFilter(tags=["production", "etl"]))
        assert tagged.id in {f.id for f in flows}
        assert all({"production", "etl"} <= set(f.tags) for f in flows)
        deployments = await client.read_deployments(
            deployment_filter=DeploymentFilter(
                work_pool_name="kubernetes-pool", is_schedule_active=True
            ),
            limit=20,
        )
        ids = {d.id for d in deployments}
        assert active.id in ids
        assert paused.id not in ids and elsewhere.id not in ids
        assert all(d.work_pool_name == "kubernetes-pool" and not d.paused for d in deployments)
        runs = await client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=["nope"]))
        assert runs == []
