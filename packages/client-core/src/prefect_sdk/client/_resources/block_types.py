"""Block types: ``/block_types/...`` and ``/block_capabilities/``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class BlockTypeAsyncClient(AsyncAPIClient):
    """Operations on block types."""


__all__ = ["BlockTypeAsyncClient"]
