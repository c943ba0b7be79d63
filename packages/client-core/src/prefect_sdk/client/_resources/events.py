"""Events: ``/events...`` (emit, read, follow pages, count)."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class EventAsyncClient(AsyncAPIClient):
    """Operations on events."""


__all__ = ["EventAsyncClient"]
