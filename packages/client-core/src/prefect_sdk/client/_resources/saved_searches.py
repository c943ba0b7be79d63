"""Saved searches: ``/saved_searches/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class SavedSearchAsyncClient(AsyncAPIClient):
    """Operations on saved searches."""


__all__ = ["SavedSearchAsyncClient"]
