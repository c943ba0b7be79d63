"""Logs: ``/logs/...``."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class LogAsyncClient(AsyncAPIClient):
    """Operations on logs."""


__all__ = ["LogAsyncClient"]
