from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    from prefect_sdk.client._client import PrefectClient
    from prefect_sdk.settings import Settings
    from prefect_sdk.sync import SyncPrefectClient

SYNC_INSTALL_HINT = 'the sync client is not installed: pip install "prefect-sdk[sync]"'


@overload
def get_client(
    httpx_settings: dict[str, Any] | None = None,
    sync_client: Literal[False] | None = None,
    *,
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
    settings: Settings | None = None,
) -> PrefectClient: ...


@overload
def get_client(
    httpx_settings: dict[str, Any] | None = None,
    *,
    sync_client: Literal[True],
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
    settings: Settings | None = None,
) -> SyncPrefectClient: ...


@overload
def get_client(
    httpx_settings: dict[str, Any] | None,
    sync_client: Literal[True],
    *,
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
    settings: Settings | None = None,
) -> SyncPrefectClient: ...


@overload
def get_client(
    httpx_settings: dict[str, Any] | None = None,
    sync_client: bool | None = None,
    *,
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
    settings: Settings | None = None,
) -> PrefectClient | SyncPrefectClient: ...


def get_client(
    httpx_settings: dict[str, Any] | None = None,
    sync_client: bool | None = None,
    *,
    plugins: Sequence[object] = (),
    blocked_plugins: Sequence[str] = (),
    settings: Settings | None = None,
) -> PrefectClient | SyncPrefectClient:
    """Return a client for the API at ``PREFECT_API_URL``.

    The async ``PrefectClient`` by default; the blocking ``SyncPrefectClient`` with
    ``sync_client=True`` (needs ``pip install "prefect-sdk[sync]"``). ``httpx_settings`` is
    passed to the httpx client; ``settings`` (a ``prefect_sdk.settings.Settings``) replaces
    reading the environment and profile. Each call returns a new client: close it, or use it as
    a context manager.
    """
    if sync_client:
        try:
            from prefect_sdk.sync import SyncPrefectClient
        except ImportError as exc:
            raise ImportError(SYNC_INSTALL_HINT) from exc
        return SyncPrefectClient(
            httpx_settings=httpx_settings,
            plugins=plugins,
            blocked_plugins=blocked_plugins,
            settings=settings,
        )
    from prefect_sdk.client._client import PrefectClient

    return PrefectClient(
        httpx_settings=httpx_settings,
        plugins=plugins,
        blocked_plugins=blocked_plugins,
        settings=settings,
    )
