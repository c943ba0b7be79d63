"""``PREFECT_API_REQUEST_TIMEOUT`` bounds every request a call makes, against a loopback port
that accepts connections and never answers: reads, and changes (whose first request, on a fresh
client, asks the server for a CSRF token).

Each call runs in a thread joined with a deadline, so a call that hangs fails the test instead
of the suite; closing the silent port afterwards resets the connections it held.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import APITimeoutError
from prefect_sdk.sync import SyncPrefectClient

TIMEOUT = 0.3
DEADLINE = 8.0  # seconds: far above the 0.3 s timeout, far below "hangs"


@pytest.fixture
def silent_url() -> Iterator[str]:
    with socket.create_server(("127.0.0.1", 0), backlog=64) as sock:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api"


def call_in_thread(
    flavour: str, url: str, op: str, *args: Any
) -> tuple[BaseException | None, float]:
    outcome: list[BaseException | None] = []

    def sync_call() -> None:
        with SyncPrefectClient(api=url) as client:
            getattr(client, op)(*args)

    async def async_call() -> None:
        async with PrefectClient(api=url) as client:
            await getattr(client, op)(*args)

    def target() -> None:
        try:
            if flavour == "sync":
                sync_call()
            else:
                anyio.run(async_call, backend=flavour)
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    started = time.monotonic()
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive(), f"{op} still waiting after {DEADLINE} s (timeout {TIMEOUT} s)"
    return outcome[0], time.monotonic() - started


@pytest.mark.parametrize("flavour", ["asyncio", "trio", "sync"])
@pytest.mark.parametrize(
    ("op", "args"),
    [
        ("read_flow", (uuid.uuid4(),)),  # GET
        ("read_flows", ()),  # POST: a CSRF token is asked for first
        ("create_flow", ("timeouts",)),  # POST
    ],
    ids=["read_flow", "read_flows", "create_flow"],
)
def test_every_request_of_a_call_times_out(
    flavour: str, op: str, args: tuple[Any, ...], silent_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_REQUEST_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    error, took = call_in_thread(flavour, silent_url, op, *args)
    assert isinstance(error, APITimeoutError), repr(error)
    assert took < 5, f"{op} took {took:.1f} s with a {TIMEOUT} s timeout"
