"""Block documents: ``/block_documents/...`` and by block type slug."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class BlockDocumentAsyncClient(AsyncAPIClient):
    """Operations on block documents."""


__all__ = ["BlockDocumentAsyncClient"]
