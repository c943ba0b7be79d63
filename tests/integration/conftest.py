"""Integration fixtures: every client test runs against both clients.

``client`` is the async ``PrefectClient`` (on asyncio and on trio) or the blocking
``SyncPrefectClient`` behind a thin adapter that makes its results awaitable, so one test body
exercises both without a copy.  The sync client's calls really block (no thread, no loop).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.sync import SyncPrefectClient
from tests._support import AwaitableSync, flavour_fixtures

flavour, anyio_backend, _kind = flavour_fixtures()


@pytest.fixture
async def client(flavour: str, api_url: str) -> AsyncIterator[Any]:
    if flavour == "sync":
        with SyncPrefectClient(api=api_url) as sync_client:
            yield AwaitableSync(sync_client)
    else:
        async with PrefectClient(api=api_url) as async_client:
            yield async_client


@pytest.fixture
def unique() -> Callable[[str], str]:
    """Unique names, so tests sharing the session's server never see each other's objects."""

    def make(prefix: str) -> str:
        return f"{prefix}-{uuid.uuid4().hex[:10]}"

    return make
