"""Automations: ``/automations/...`` and template validation."""

from __future__ import annotations

from prefect_sdk.client._async import AsyncAPIClient


class AutomationAsyncClient(AsyncAPIClient):
    """Operations on automations."""


__all__ = ["AutomationAsyncClient"]
