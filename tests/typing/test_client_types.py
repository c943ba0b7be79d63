"""Checked by mypy --strict (and run by pytest): what users' type checkers see."""

from __future__ import annotations

from typing_extensions import assert_type

from prefect_sdk.client import PrefectClient, get_client
from prefect_sdk.schemas import Flow, FlowRun, OrchestrationResult
from prefect_sdk.states import Completed
from prefect_sdk.sync import SyncPrefectClient


def test_get_client_overloads(monkeypatch: object) -> None:
    import os

    os.environ.setdefault("PREFECT_API_URL", "http://x.test/api")
    assert_type(get_client(), PrefectClient)
    assert_type(get_client(sync_client=False), PrefectClient)
    assert_type(get_client(sync_client=True), SyncPrefectClient)
    assert_type(get_client({"timeout": 3}, True), SyncPrefectClient)
    flag: bool = bool(os.environ.get("X"))
    assert_type(get_client(sync_client=flag), PrefectClient | SyncPrefectClient)


async def typed_async_usage(client: PrefectClient) -> None:
    flows = await client.read_flows(limit=1)
    assert_type(flows, list[Flow])
    run = await client.create_flow_run(flows[0], parameters={"a": 1})
    assert_type(run, FlowRun)
    result = await client.set_flow_run_state(run.id, Completed())
    assert_type(result, OrchestrationResult)
    async for item in client.iter_flow_runs():
        assert_type(item, FlowRun)


def typed_sync_usage(client: SyncPrefectClient) -> None:
    assert_type(client.read_flows(), list[Flow])
    for item in client.iter_flow_runs():
        assert_type(item, FlowRun)
