"""Getting a client, using it as a context manager, iterating, streaming, and the helpers."""

import datetime as dt
from uuid import UUID

from prefect_sdk.client import PrefectClient, get_client
from prefect_sdk.concurrency.asyncio import concurrency as async_concurrency
from prefect_sdk.concurrency.sync import concurrency as sync_concurrency
from prefect_sdk.deployments import run_deployment
from prefect_sdk.events import emit_event
from prefect_sdk.filters import EventFilter, FlowRunFilter, FlowRunSort
from prefect_sdk.flow_runs import wait_for_flow_run
from prefect_sdk.schemas import (
    ConcurrencyLimitWithLeaseResponse,
    Deployment,
    Event,
    Flow,
    FlowRun,
    Log,
    ReceivedEvent,
    Variable,
)
from prefect_sdk.settings import Settings, load_settings
from prefect_sdk.sync import SyncPrefectClient
from prefect_sdk.variables import get_variable, set_variable
from prefect_sdk_downstream._compat import assert_type


def get_client_overloads(flag: bool) -> None:
    assert_type(get_client(), PrefectClient)
    assert_type(get_client(sync_client=False), PrefectClient)
    assert_type(get_client(sync_client=True), SyncPrefectClient)
    assert_type(get_client({"timeout": 3}), PrefectClient)
    assert_type(get_client({"timeout": 3}, True), SyncPrefectClient)
    assert_type(get_client(None, False), PrefectClient)
    assert_type(get_client(sync_client=flag), PrefectClient | SyncPrefectClient)
    settings = load_settings(api_url="http://127.0.0.1:4200/api")
    assert_type(settings, Settings)
    assert_type(get_client(settings=settings), PrefectClient)
    assert_type(get_client(sync_client=True, settings=settings), SyncPrefectClient)
    assert_type(PrefectClient(api="http://127.0.0.1:4200/api"), PrefectClient)
    assert_type(SyncPrefectClient(api="http://127.0.0.1:4200/api"), SyncPrefectClient)


async def async_usage() -> list[str]:
    async with get_client() as client:
        assert_type(client, PrefectClient)
        flows = await client.read_flows(limit=10)
        names = [flow.name for flow in flows]
        run = await client.create_flow_run(flows[0], parameters={"x": 1}, tags=["t"])
        assert_type(run.id, UUID)
        finished = await client.wait_for_flow_run(run, timeout=60)
        assert_type(finished, FlowRun)
        async for each in client.iter_flow_runs(
            FlowRunSort.START_TIME_DESC, flow_run_filter=FlowRunFilter(state="FAILED")
        ):
            assert_type(each, FlowRun)
            names.append(each.name)
        async for flow in client.iter_flows():
            assert_type(flow, Flow)
        async with client.subscribe_events(EventFilter(), backfill=True) as events:
            async for event in events:
                assert_type(event, ReceivedEvent)
                break
        async with client.subscribe_logs() as logs:
            async for log in logs:
                assert_type(log, Log)
                break
        return names


def sync_usage() -> None:
    with get_client(sync_client=True) as client:
        assert_type(client, SyncPrefectClient)
        deployment = client.read_deployment_by_name("flow/deployment")
        assert_type(deployment, Deployment)
        run = client.run_deployment(deployment, parameters={"x": 1}, timeout=0)
        assert_type(run, FlowRun)
        for each in client.iter_flow_runs():
            assert_type(each, FlowRun)
        with client.subscribe_events() as events:
            for event in events:
                assert_type(event, ReceivedEvent)
                break


async def helpers(client: PrefectClient, sync: SyncPrefectClient) -> None:
    run = await run_deployment("flow/deployment", client=client, timeout=0)
    assert_type(run, FlowRun)
    assert_type(await wait_for_flow_run(run, client=client), FlowRun)
    assert_type(await set_variable("v", {"a": [1, 2]}, overwrite=True), Variable)
    value = await get_variable("v", default=0)
    print(value)
    event = emit_event(
        "my.event",
        {"prefect.resource.id": "my.resource"},
        occurred=dt.datetime.now(dt.timezone.utc),
        client=sync,
    )
    assert_type(event, Event)
    async with async_concurrency("limit", occupy=2, client=client) as lease:
        assert_type(lease, ConcurrencyLimitWithLeaseResponse | None)
    with sync_concurrency(["a", "b"], client=sync) as sync_lease:
        assert_type(sync_lease, ConcurrencyLimitWithLeaseResponse | None)
