"""Checked by mypy --strict (and run by pytest): what type checkers see of the Cloud client."""

from __future__ import annotations

from typing import Any

from typing_extensions import assert_type

from prefect_sdk.client import PrefectClient
from prefect_sdk.cloud import (
    CloudClient,
    IPAllowlist,
    IPAllowlistAccess,
    SyncCloudClient,
    User,
    Workspace,
    WorkspaceSettings,
    get_cloud_client,
)
from prefect_sdk.settings import Settings
from prefect_sdk.sync import SyncPrefectClient


def test_get_cloud_client_overloads() -> None:
    assert_type(get_cloud_client(), CloudClient)
    assert_type(get_cloud_client(sync_client=False), CloudClient)
    assert_type(get_cloud_client(sync_client=True), SyncCloudClient)
    assert_type(get_cloud_client("https://h.example/api", "pnu_x", None, False), CloudClient)
    flag = bool(len(__name__) % 2)
    assert_type(get_cloud_client(sync_client=flag), CloudClient | SyncCloudClient)
    settings = Settings(api_url="https://h.example/api")
    assert_type(get_cloud_client(settings=settings), CloudClient)
    assert_type(get_cloud_client(sync_client=True, settings=settings), SyncCloudClient)
    assert_type(CloudClient(settings=settings), CloudClient)
    assert_type(SyncCloudClient(settings=settings), SyncCloudClient)


def test_workspace_get_client_overloads() -> None:
    workspace = Workspace.model_validate(
        {
            "account_id": "11111111-1111-4111-8111-111111111111",
            "workspace_id": "22222222-2222-4222-8222-222222222222",
            "workspace_name": "w",
            "workspace_handle": "w",
        }
    )
    assert_type(workspace.get_client(), PrefectClient)
    assert_type(workspace.get_client(sync_client=True), SyncPrefectClient)
    assert_type(workspace.api_url(), str)


async def typed_async_usage(cloud: CloudClient) -> None:
    workspaces = await cloud.read_workspaces()
    assert_type(workspaces, list[Workspace])
    assert_type(await cloud.read_current_workspace(), Workspace)
    assert_type(await cloud.create_workspace("w", "d"), Workspace)
    assert_type(await cloud.read_current_user(), User)
    assert_type(await cloud.read_workspace_settings(workspaces[0]), WorkspaceSettings)
    assert_type(await cloud.read_account_settings(), dict[str, Any])
    assert_type(await cloud.update_account_settings({"x": True}), None)
    assert_type(await cloud.read_account_ip_allowlist(), IPAllowlist)
    assert_type(await cloud.check_ip_allowlist_access(), IPAllowlistAccess)
    assert_type(await cloud.read_worker_metadata(), dict[str, Any])
    assert_type(await cloud.api_healthcheck(), Exception | None)
    assert_type(cloud.workspace_client(workspaces[0]), PrefectClient)


def typed_sync_usage(cloud: SyncCloudClient) -> None:
    workspaces = cloud.read_workspaces()
    assert_type(workspaces, list[Workspace])
    assert_type(cloud.read_current_user(), User)
    assert_type(cloud.read_account_ip_allowlist(), IPAllowlist)
    assert_type(cloud.workspace_client(workspaces[0]), SyncPrefectClient)
