"""The sync client is generated from the async one, and stays its exact twin."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.sync import SyncPrefectClient
from tests._support import assert_blocking_module, twin_problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_csrf(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests count requests; CSRF token traffic is tested in test_csrf.py."""
    monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")


def test_generated_sync_client_is_fresh() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/unasync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_every_async_method_has_an_identical_sync_twin() -> None:
    problems = twin_problems(PrefectClient, SyncPrefectClient)
    assert not problems, "\n".join(problems)


def test_sync_client_has_no_event_loop_and_works_inside_one() -> None:
    # A running loop (Jupyter) does not matter to real blocking I/O.
    import asyncio

    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json=[])

    async def inside_a_loop() -> list[object]:
        with SyncPrefectClient(
            api="http://x.test/api", httpx_settings={"transport": httpx.MockTransport(handler)}
        ) as client:
            return list(client.read_flows())

    assert asyncio.run(inside_a_loop()) == []
    assert seen == ["/api/flows/filter"]
    sync_dir = ROOT / "packages/client-sync/src/prefect_sdk/sync"
    for module in [
        sync_dir / "_api_client.py",
        sync_dir / "_client.py",
        *sync_dir.glob("_resources/*.py"),
    ]:
        assert_blocking_module(
            module,
            {
                "asyncio",
                "anyio",
                "async_sleep",
                "async_loop_token",
                "prefect_sdk.client._async",
                "prefect_sdk.client._client",
                "prefect_sdk.client._resources",
            },
        )


def test_many_threads_share_one_sync_client() -> None:
    # All eight threads must be inside the client at the same moment for the barrier to open:
    # the client neither serialises callers nor breaks when they overlap.
    barrier = threading.Barrier(8, timeout=10)
    calls = 0
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        with lock:
            calls += 1
            first_round = calls <= 8
        if first_round:
            barrier.wait()
        return httpx.Response(200, json=[])

    client = SyncPrefectClient(
        api="http://x.test/api", httpx_settings={"transport": httpx.MockTransport(handler)}
    )
    results: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                results.append(len(client.read_flows()))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert not errors and len(results) == 160 and calls == 160


def test_get_client_returns_the_right_client(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect_sdk.client import get_client

    monkeypatch.setenv("PREFECT_API_URL", "http://x.test/api")
    assert type(get_client()) is PrefectClient
    assert type(get_client(sync_client=False)) is PrefectClient
    assert type(get_client(sync_client=True)) is SyncPrefectClient


def test_get_client_without_client_sync_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect_sdk.client import get_client

    monkeypatch.setenv("PREFECT_API_URL", "http://x.test/api")
    monkeypatch.setitem(sys.modules, "prefect_sdk.sync", None)  # as if not installed
    with pytest.raises(ImportError, match=r'pip install "prefect-sdk\[sync\]"'):
        get_client(sync_client=True)


RESOURCES = sorted(
    p.stem
    for p in (ROOT / "packages/client-core/src/prefect_sdk/client/_resources").glob("*.py")
    if p.stem != "__init__"
)


@pytest.mark.parametrize("resource", RESOURCES)
def test_each_resource_mixin_has_its_blocking_twin(resource: str) -> None:
    # Per resource, so that a failure names the module to look at.
    import importlib
    import inspect

    async_module = importlib.import_module(f"prefect_sdk.client._resources.{resource}")
    sync_module = importlib.import_module(f"prefect_sdk.sync._resources.{resource}")
    mixins = [
        cls
        for name, cls in inspect.getmembers(async_module, inspect.isclass)
        if cls.__module__ == async_module.__name__ and name.endswith("AsyncClient")
    ]
    assert mixins, f"{resource} defines no *AsyncClient mixin"
    for cls in mixins:
        twin = getattr(sync_module, cls.__name__.replace("AsyncClient", "Client"))
        problems = twin_problems(cls, twin)
        assert not problems, "\n".join(problems)
