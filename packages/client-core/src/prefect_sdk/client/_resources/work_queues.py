"""Work queues: ``/work_queues/...`` and a pool's queues, ``/work_pools/{name}/queues/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class WorkQueueAsyncClient(AsyncAPIClient):
    """Operations on work queues."""


__all__ = ["WorkQueueAsyncClient"]
