"""Block schemas: ``/block_schemas/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class BlockSchemaAsyncClient(AsyncAPIClient):
    """Operations on block schemas."""


__all__ = ["BlockSchemaAsyncClient"]
