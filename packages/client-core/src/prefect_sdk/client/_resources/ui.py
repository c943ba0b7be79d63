"""Helpers the Prefect UI uses that are useful to scripts too: ``/ui/schemas/validate``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class UIAsyncClient(AsyncAPIClient):
    """Operations on UI helper routes."""


__all__ = ["UIAsyncClient"]
