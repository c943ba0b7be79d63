"""Cloud fixtures: one Prefect Cloud emulator per session, forwarding workspace APIs to the
session's real Prefect server, and a ``cloud`` client per test in each flavour.

``cloud`` is the async ``CloudClient`` (on asyncio and on trio) or the blocking
``SyncCloudClient`` behind a thin adapter that makes its results awaitable (and its workspace
clients usable with ``async with``), so one test body exercises all three.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

try:
    from tests.cloud_emulator import Emulator, Tenant, run_emulator, seed_tenant
except ImportError:  # pragma: no cover - run from inside tests/
    from cloud_emulator import Emulator, Tenant, run_emulator, seed_tenant  # type: ignore[no-redef]

from prefect_sdk.cloud import CloudClient, SyncCloudClient


@pytest.fixture(scope="session")
def emulator(api_url: str) -> Iterator[Emulator]:
    with run_emulator(api_url) as running:
        yield running


@pytest.fixture
def tenant(emulator: Emulator) -> Tenant:
    return seed_tenant(emulator)


class Awaitable:
    """A blocking client (or result) presented with the async calling convention."""

    def __init__(self, wrapped: Any) -> None:
        self.sync = wrapped

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.sync, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            if inspect.isgenerator(result):
                return _aiter(result)
            return _ready(_wrap(result))

        return call

    def workspace_client(self, *args: Any, **kwargs: Any) -> Awaitable:
        # Building a client is not I/O in either flavour: no await.
        return Awaitable(self.sync.workspace_client(*args, **kwargs))

    async def __aenter__(self) -> Awaitable:
        self.sync.__enter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.sync.__exit__(*exc)


def _wrap(value: Any) -> Any:
    from prefect_sdk.sync import SyncPrefectClient

    return Awaitable(value) if isinstance(value, SyncPrefectClient) else value


class _ready:
    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Iterator[Any]:
        return self.value
        yield  # pragma: no cover


async def _aiter(gen: Iterator[Any]) -> AsyncIterator[Any]:
    for item in gen:
        yield item


@pytest.fixture
def make_cloud(flavour: str, tenant: Tenant) -> Callable[..., Any]:
    """``make_cloud(**kwargs)``: a Cloud client of ``flavour`` at the emulator (not opened)."""

    def make(**kwargs: Any) -> Any:
        kwargs.setdefault("host", tenant.emulator.url)
        if "api_key" not in kwargs:
            kwargs["api_key"] = tenant.key
        if flavour == "sync":
            return Awaitable(SyncCloudClient(**kwargs))
        return CloudClient(**kwargs)

    return make


@pytest.fixture
async def cloud(make_cloud: Callable[..., Any]) -> AsyncIterator[Any]:
    async with make_cloud() as client:
        yield client
