"""Cloud fixtures: one Prefect Cloud emulator per session, forwarding workspace APIs to the
session's real Prefect server, and a ``cloud`` client per test in each flavour.

``cloud`` is the async ``CloudClient`` (on asyncio and on trio) or the blocking
``SyncCloudClient`` behind a thin adapter that makes its results awaitable (and its workspace
clients usable with ``async with``), so one test body exercises all three.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from prefect_sdk.cloud import CloudClient, SyncCloudClient
from tests._support import AwaitableSync
from tests.cloud_emulator import Emulator, Tenant, run_emulator, seed_tenant


@pytest.fixture(scope="session")
def emulator(api_url: str) -> Iterator[Emulator]:
    with run_emulator(api_url) as running:
        yield running


@pytest.fixture
def tenant(emulator: Emulator) -> Tenant:
    return seed_tenant(emulator)


@pytest.fixture
def make_cloud(flavour: str, tenant: Tenant) -> Callable[..., Any]:
    """``make_cloud(**kwargs)``: a Cloud client of ``flavour`` at the emulator (not opened)."""

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("host", tenant.emulator.url)
        if "api_key" not in kwargs:
            kwargs["api_key"] = tenant.key
        if flavour == "sync":
            return AwaitableSync(SyncCloudClient(**kwargs))
        return CloudClient(**kwargs)

    return make


@pytest.fixture
async def cloud(make_cloud: Callable[..., Any]) -> AsyncIterator[Any]:
    async with make_cloud() as client:
        yield client
