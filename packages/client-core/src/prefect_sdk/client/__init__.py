"""The Prefect API client.

``from prefect_sdk.client import get_client, PrefectClient`` — importing this package is cheap:
the client, its models and the filters load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prefect_sdk.client._get_client import get_client
from prefect_sdk.client._hookspecs import hookimpl, hookspec

if TYPE_CHECKING:
    from prefect_sdk.client._call import Call
    from prefect_sdk.client._client import PrefectClient
    from prefect_sdk.client._operation import Operation
    from prefect_sdk.client._params import HasId, HasName, HasTaskKey
    from prefect_sdk.client._streams import AsyncStream

__all__ = [
    "AsyncStream",
    "Call",
    "HasId",
    "HasName",
    "HasTaskKey",
    "Operation",
    "PrefectClient",
    "get_client",
    "hookimpl",
    "hookspec",
]

_LAZY = {
    "PrefectClient": "prefect_sdk.client._client",
    "HasName": "prefect_sdk.client._params",
    "HasId": "prefect_sdk.client._params",
    "HasTaskKey": "prefect_sdk.client._params",
    "AsyncStream": "prefect_sdk.client._streams",
    "Call": "prefect_sdk.client._call",
    "Operation": "prefect_sdk.client._operation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'prefect_sdk.client' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
