"""Artifacts: ``/artifacts/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class ArtifactAsyncClient(AsyncAPIClient):
    """Operations on artifacts."""


__all__ = ["ArtifactAsyncClient"]
