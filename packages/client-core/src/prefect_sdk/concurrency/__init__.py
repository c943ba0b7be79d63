"""Global concurrency limits and rate limits around your own code (``prefect.concurrency``).

``prefect_sdk.concurrency`` (the same as ``prefect_sdk.concurrency.asyncio``) is for async
code, on asyncio or trio; ``prefect_sdk.concurrency.sync`` is its blocking twin::

    from prefect_sdk.concurrency import concurrency, rate_limit

    async with concurrency("database", occupy=1, timeout_seconds=30):
        ...                                  # at most `limit` of these run at once
    await rate_limit("external-api")         # at most `limit` per 1/slot_decay_per_second

    from prefect_sdk.concurrency.sync import concurrency

    with concurrency("database"):
        ...

The limits are global concurrency limits on the server (``client.create_global_concurrency_limit``
or ``upsert_global_concurrency_limit_by_name``); a name without a limit does not limit
anything unless ``strict=True``.  Importing this package loads nothing until a name is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prefect_sdk.concurrency._core import (
        AcquireConcurrencySlotTimeoutError,
        ConcurrencyLeaseRenewalError,
        ConcurrencySlotAcquisitionError,
    )
    from prefect_sdk.concurrency.asyncio import concurrency, rate_limit

__all__ = [
    "AcquireConcurrencySlotTimeoutError",
    "ConcurrencyLeaseRenewalError",
    "ConcurrencySlotAcquisitionError",
    "concurrency",
    "rate_limit",
]

_LAZY = {
    "AcquireConcurrencySlotTimeoutError": "prefect_sdk.concurrency._core",
    "ConcurrencyLeaseRenewalError": "prefect_sdk.concurrency._core",
    "ConcurrencySlotAcquisitionError": "prefect_sdk.concurrency._core",
    "concurrency": "prefect_sdk.concurrency.asyncio",
    "rate_limit": "prefect_sdk.concurrency.asyncio",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'prefect_sdk.concurrency' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
