"""Concurrency limits by tag (v1): ``/concurrency_limits/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class ConcurrencyLimitAsyncClient(AsyncAPIClient):
    """Operations on tag concurrency limits."""


__all__ = ["ConcurrencyLimitAsyncClient"]
