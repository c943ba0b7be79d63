"""Variables: ``/variables/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class VariableAsyncClient(AsyncAPIClient):
    """Operations on variables."""


__all__ = ["VariableAsyncClient"]
