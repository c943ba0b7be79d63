"""Load and resource hygiene against the real server.

* 1,000 concurrent calls on one async client (asyncio; 200 on trio), and 50 threads sharing one
  sync client (20 calls each), all succeed;
* afterwards, once the client is closed, the process holds exactly the file descriptors it held
  before (``/proc/self/fd``), and no ``ResourceWarning`` was emitted, garbage collection
  included;
* a client never entered (no ``async with`` / ``with``, never closed) does the same: its calls
  succeed and it leaves no connection behind.

Each scenario runs its own event loop (``anyio.run``) inside a plain test, so descriptors are
counted with no event loop open (a loop's own selector and wake-up pipe would otherwise be
counted) and the collection of whatever the loop left behind happens inside the check.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import pytest

from prefect_sdk.client import PrefectClient, get_client
from prefect_sdk.schemas import FlowRun
from prefect_sdk.sync import SyncPrefectClient
from tests._support import setup_request

pytestmark = pytest.mark.skipif(
    not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc/self/fd (Linux)"
)

CONCURRENT_CALLS = 1_000
THREADS = 50
CALLS_PER_THREAD = 20


def open_fds() -> set[str]:
    """The process's open descriptors, as ``fd -> target`` lines (the listing's own descriptor
    is in every listing alike)."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(f"{fd} -> {os.readlink(f'/proc/self/fd/{fd}')}")
        except OSError:
            continue  # the listing's own descriptor, closed by now
    return found


@contextmanager
def no_leaks() -> Iterator[None]:
    """Fail if the block leaves a descriptor open or emits a ``ResourceWarning``, counting those
    that garbage collection after the block emits (an unclosed socket or transport warns from
    ``__del__``, where an "error" filter would only reach ``sys.unraisablehook``: both the
    warning and anything unraisable are recorded here and fail the test).

    A descriptor is compared with its target (``socket:[inode]``), so one number reused for a
    new socket still counts as new; descriptors that something else closed meanwhile (a server
    thread of another fixture) are not the block's doing and are ignored.
    """
    gc.collect()
    before = open_fds()
    unraisable: list[str] = []
    previous_hook = sys.unraisablehook

    def hook(info: Any) -> None:
        unraisable.append(f"{info.exc_type.__name__}: {info.exc_value} in {info.object!r}")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        sys.unraisablehook = hook
        try:
            yield
            # Closing a socket may take a turn of its (finished) loop or a collection: wait a
            # little for the count to settle, never accept a leftover at the end.
            deadline = time.monotonic() + 5
            while True:
                gc.collect()
                left_open = open_fds() - before
                if not left_open or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        finally:
            sys.unraisablehook = previous_hook
    resource_warnings = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert not resource_warnings, resource_warnings
    assert not unraisable, unraisable
    assert not left_open, f"descriptors opened and not closed: {sorted(left_open)}"


@pytest.fixture(scope="module")
def flow_run_id(api_url: str) -> uuid.UUID:
    flow = setup_request(api_url, "POST", "/flows/", {"name": f"load-{uuid.uuid4().hex[:10]}"})
    run = setup_request(api_url, "POST", "/flow_runs/", {"flow_id": flow["id"]})
    return uuid.UUID(run["id"])


def check_result(i: int, result: Any, flow_run_id: uuid.UUID) -> None:
    if i % 2:
        assert isinstance(result, list) and len(result) == 1, result
    else:
        assert isinstance(result, FlowRun) and result.id == flow_run_id, result


# 1,000 on asyncio; fewer on trio, whose pool and sockets are another code path but need no
# second minute of server time to show a leak.
@pytest.mark.parametrize(("backend", "calls"), [("asyncio", CONCURRENT_CALLS), ("trio", 200)])
def test_a_thousand_concurrent_calls_on_one_async_client(
    backend: str, calls: int, api_url: str, flow_run_id: uuid.UUID
) -> None:
    results: dict[int, Any] = {}

    async def one(client: PrefectClient, i: int) -> None:
        if i % 2:
            results[i] = await client.read_flows(limit=1)
        else:
            results[i] = await client.read_flow_run(flow_run_id)

    async def main() -> None:
        async with PrefectClient(api=api_url) as client, anyio.create_task_group() as tg:
            for i in range(calls):
                tg.start_soon(one, client, i)

    with no_leaks():
        anyio.run(main, backend=backend)
    assert len(results) == calls
    for i, result in results.items():
        check_result(i, result, flow_run_id)


def test_fifty_threads_share_one_sync_client(api_url: str, flow_run_id: uuid.UUID) -> None:
    results: dict[int, Any] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker(client: SyncPrefectClient, n: int) -> None:
        try:
            start.wait(30)
            for k in range(CALLS_PER_THREAD):
                i = n * CALLS_PER_THREAD + k
                if i % 2:
                    results[i] = client.read_flows(limit=1)
                else:
                    results[i] = client.read_flow_run(flow_run_id)
        except BaseException as exc:
            errors.append(exc)

    with no_leaks():
        with SyncPrefectClient(api=api_url) as client:
            threads = [
                threading.Thread(target=worker, args=(client, n), name=f"load-{n}")
                for n in range(THREADS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(300)
        assert not [t.name for t in threads if t.is_alive()], "threads did not finish"
    assert not errors, errors[:3]
    assert len(results) == THREADS * CALLS_PER_THREAD
    for i, result in results.items():
        check_result(i, result, flow_run_id)


# -- a client never entered and never closed ------------------------------------------------


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_an_async_client_never_entered_leaves_nothing_open(
    backend: str, prefect_api: str, flow_run_id: uuid.UUID
) -> None:
    results: list[Any] = []

    async def main() -> None:
        client = get_client()
        results.append(await client.read_flows(limit=1))
        results.append(await client.read_flow_run(flow_run_id))
        # Concurrent calls too, on the same bare client.
        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(read_into, client.read_flow_run, results)

    async def read_into(read: Callable[..., Any], into: list[Any]) -> None:
        into.append(await read(flow_run_id))

    with no_leaks():
        anyio.run(main, backend=backend)
    assert len(results) == 12
    check_result(1, results[0], flow_run_id)
    for result in results[1:]:
        check_result(0, result, flow_run_id)


def test_a_sync_client_never_entered_leaves_nothing_open(
    prefect_api: str, flow_run_id: uuid.UUID
) -> None:
    results: list[Any] = []

    def calls() -> None:
        client = get_client(sync_client=True)
        results.append(client.read_flows(limit=1))
        results.append(client.read_flow_run(flow_run_id))

    with no_leaks():
        calls()
    assert len(results) == 2
    check_result(1, results[0], flow_run_id)
    check_result(0, results[1], flow_run_id)


def test_an_async_client_never_entered_works_across_event_loops(
    prefect_api: str, flow_run_id: uuid.UUID
) -> None:
    # One bare client used by two event loops in turn (two asyncio.run calls, say).
    clients = [get_client()]
    results: list[Any] = []

    async def read() -> None:
        results.append(await clients[0].read_flow_run(flow_run_id))

    with no_leaks():
        anyio.run(read, backend="asyncio")
        anyio.run(read, backend="trio")
        clients.clear()  # dropped unclosed: nothing may be left open
    assert len(results) == 2
    for result in results:
        check_result(0, result, flow_run_id)
