"""The Prefect Cloud client: workspaces, the current user, account settings, IP allowlists.

``from prefect_sdk.cloud import get_cloud_client, CloudClient`` — importing this package is
cheap: clients and models load on first use.  ``SyncCloudClient`` (the blocking twin) needs the
sync client too: ``pip install "prefect-sdk[sync]"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prefect_sdk.cloud._get_cloud_client import get_cloud_client

if TYPE_CHECKING:
    from prefect_sdk.cloud._async import CloudClient
    from prefect_sdk.cloud._schemas import (
        IPAllowlist,
        IPAllowlistAccess,
        IPAllowlistEntry,
        User,
        Workspace,
        WorkspaceSettings,
    )
    from prefect_sdk.cloud._sync import SyncCloudClient

__all__ = [
    "CloudClient",
    "IPAllowlist",
    "IPAllowlistAccess",
    "IPAllowlistEntry",
    "SyncCloudClient",
    "User",
    "Workspace",
    "WorkspaceSettings",
    "get_cloud_client",
]

_SCHEMAS = "prefect_sdk.cloud._schemas"
_LAZY = {
    "CloudClient": "prefect_sdk.cloud._async",
    "SyncCloudClient": "prefect_sdk.cloud._sync",
    "IPAllowlist": _SCHEMAS,
    "IPAllowlistAccess": _SCHEMAS,
    "IPAllowlistEntry": _SCHEMAS,
    "User": _SCHEMAS,
    "Workspace": _SCHEMAS,
    "WorkspaceSettings": _SCHEMAS,
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'prefect_sdk.cloud' has no attribute {name!r}")
    import importlib

    if name == "SyncCloudClient":
        from prefect_sdk.cloud._get_cloud_client import sync_module

        value = sync_module().SyncCloudClient
    else:
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
