"""``get_cloud_client()``, and the lazy import of the sync Cloud client (an optional extra).

Imported by ``import prefect_sdk.cloud``: it loads the client modules only when called.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    from prefect_sdk.cloud._async import CloudClient
    from prefect_sdk.cloud._sync import SyncCloudClient
    from prefect_sdk.settings import Settings


def sync_module() -> ModuleType:
    """``prefect_sdk.cloud._sync``, or an ImportError naming the extra to install."""
    from prefect_sdk.cloud._common import require_sync

    require_sync()
    import prefect_sdk.cloud._sync as module

    return module


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
    settings: Settings | None = None,
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
    settings: Settings | None = None,
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
    settings: Settings | None = None,
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
    settings: Settings | None = None,
) -> CloudClient | SyncCloudClient:
    """Return a client for the Prefect Cloud API.

    ``host`` is the Cloud API root; without it, the root of a workspace ``PREFECT_API_URL``
    when ``infer_cloud_url`` (the default), else ``PREFECT_CLOUD_API_URL``
    (``https://api.prefect.cloud/api``).  ``api_key`` defaults to ``PREFECT_API_KEY``;
    ``httpx_settings`` is passed to the httpx client.  ``settings`` (a resolved
    ``prefect_sdk.settings.Settings``) replaces reading the environment and profile; ``host``
    and ``api_key`` still override it.  The async ``CloudClient`` by default; the blocking
    ``SyncCloudClient`` with ``sync_client=True`` (needs ``pip install "prefect-sdk[sync]"``).
    Each call returns a new client: close it, or use it as a context manager.
    """
    kwargs: dict[str, Any] = {
        "host": host,
        "api_key": api_key,
        "httpx_settings": httpx_settings,
        "infer_cloud_url": infer_cloud_url,
        "plugins": plugins,
        "blocked_plugins": blocked_plugins,
        "settings": settings,
    }
    if sync_client:
        client: SyncCloudClient = sync_module().SyncCloudClient(**kwargs)
        return client
    from prefect_sdk.cloud._async import CloudClient

    return CloudClient(**kwargs)
