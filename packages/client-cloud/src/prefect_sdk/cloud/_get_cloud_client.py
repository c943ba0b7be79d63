from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    from prefect_sdk.cloud._async import CloudClient
    from prefect_sdk.cloud._sync import SyncCloudClient


@overload
def get_cloud_client(
    host: str | None = None,
    api_key: str | None = None,
    httpx_settings: dict[str, Any] | None = None,
    infer_cloud_url: bool = True,
    *,
    sync_client: Literal[False] = False,
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
) -> CloudClient: ...


@overload
def get_cloud_client(
    host: str | None = None,
    api_key: str | None = None,
    httpx_settings: dict[str, Any] | None = None,
    infer_cloud_url: bool = True,
    *,
    sync_client: Literal[True],
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
) -> SyncCloudClient: ...


@overload
def get_cloud_client(
    host: str | None = None,
    api_key: str | None = None,
    httpx_settings: dict[str, Any] | None = None,
    infer_cloud_url: bool = True,
    *,
    sync_client: bool,
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
) -> CloudClient | SyncCloudClient: ...


def get_cloud_client(
    host: str | None = None,
    api_key: str | None = None,
    httpx_settings: dict[str, Any] | None = None,
    infer_cloud_url: bool = True,
    *,
    sync_client: bool = False,
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
) -> CloudClient | SyncCloudClient:
    """Return a client for the Prefect Cloud API.

    ``host`` is the Cloud API root; without it, the root of a workspace ``PREFECT_API_URL``
    when ``infer_cloud_url`` (the default), else ``PREFECT_CLOUD_API_URL``
    (``https://api.prefect.cloud/api``).  ``api_key`` defaults to ``PREFECT_API_KEY``;
    ``httpx_settings`` is passed to the httpx client.  The async ``CloudClient`` by default;
    the blocking ``SyncCloudClient`` with ``sync_client=True`` (needs
    ``pip install "prefect-sdk[sync]"``).  Each call returns a new client: close it, or use it
    as a context manager.
    """
    kwargs: dict[str, Any] = {
        "host": host,
        "api_key": api_key,
        "httpx_settings": httpx_settings,
        "infer_cloud_url": infer_cloud_url,
        "plugins": plugins,
        "blocked_plugins": blocked_plugins,
    }
    if sync_client:
        from prefect_sdk.cloud._common import sync_module

        client: SyncCloudClient = sync_module().SyncCloudClient(**kwargs)
        return client
    from prefect_sdk.cloud._async import CloudClient

    return CloudClient(**kwargs)
