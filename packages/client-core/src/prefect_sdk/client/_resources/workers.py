"""Workers: heartbeats and listings under ``/work_pools/{name}/workers/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class WorkerAsyncClient(AsyncAPIClient):
    """Operations on workers."""


__all__ = ["WorkerAsyncClient"]
