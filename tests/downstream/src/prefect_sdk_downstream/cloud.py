"""The Prefect Cloud client: workspaces, and clients of one workspace."""

from typing import Any

from prefect_sdk.client import PrefectClient
from prefect_sdk.cloud import (
    CloudClient,
    IPAllowlist,
    IPAllowlistEntry,
    SyncCloudClient,
    User,
    Workspace,
    get_cloud_client,
)
from prefect_sdk.schemas import Flow
from prefect_sdk.sync import SyncPrefectClient
from prefect_sdk_downstream._compat import assert_type


def overloads(flag: bool) -> None:
    assert_type(get_cloud_client(), CloudClient)
    assert_type(get_cloud_client(sync_client=False), CloudClient)
    assert_type(get_cloud_client(sync_client=True), SyncCloudClient)
    assert_type(get_cloud_client("https://api.prefect.cloud/api", "pnu_x"), CloudClient)
    assert_type(get_cloud_client(api_key="pnu_x", sync_client=True), SyncCloudClient)
    assert_type(get_cloud_client(sync_client=flag), CloudClient | SyncCloudClient)


async def async_cloud() -> list[Flow]:
    async with get_cloud_client() as cloud:
        assert_type(cloud, CloudClient)
        me = await cloud.read_current_user()
        assert_type(me, User)
        workspaces = await cloud.read_workspaces()
        assert_type(workspaces, list[Workspace])
        settings = await cloud.read_account_settings()
        assert_type(settings, dict[str, Any])
        allowlist = await cloud.read_account_ip_allowlist()
        assert_type(allowlist, IPAllowlist)
        assert_type(allowlist.entries, list[IPAllowlistEntry])
        workspace = workspaces[0]
        assert_type(workspace.get_client(), PrefectClient)
        assert_type(workspace.get_client(sync_client=True), SyncPrefectClient)
        assert_type(workspace.api_url(), str)
        async with cloud.workspace_client(workspace) as client:
            assert_type(client, PrefectClient)
            return await client.read_flows()


def sync_cloud() -> list[Flow]:
    with get_cloud_client(sync_client=True) as cloud:
        assert_type(cloud, SyncCloudClient)
        workspace = cloud.read_current_workspace()
        with cloud.workspace_client(workspace) as client:
            assert_type(client, SyncPrefectClient)
            return client.read_flows()
