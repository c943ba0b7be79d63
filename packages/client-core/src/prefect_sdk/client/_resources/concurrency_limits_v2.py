"""Global concurrency limits (v2): ``/v2/concurrency_limits/...``, slots and leases."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class GlobalConcurrencyLimitAsyncClient(AsyncAPIClient):
    """Operations on global concurrency limits."""


__all__ = ["GlobalConcurrencyLimitAsyncClient"]
