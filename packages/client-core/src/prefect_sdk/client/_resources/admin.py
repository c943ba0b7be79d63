"""Administration: ``/admin/...`` (settings, result storage, versions), ``/collections/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class AdminAsyncClient(AsyncAPIClient):
    """Operations on the server's administration routes."""


__all__ = ["AdminAsyncClient"]
