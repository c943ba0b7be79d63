"""Live event and log streams over the real server's websockets, through both clients."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest

from prefect_sdk.client import PrefectClient, hookimpl
from prefect_sdk.exceptions import (
    NotSupportedByServer,
    WebSocketAuthenticationError,
)
from prefect_sdk.filters import EventFilter, LogFilter
from prefect_sdk.sync import SyncPrefectClient
from tests._support import (
    BASIC_AUTH,
    MOCK_API,
    WEBSOCKET_AUTH,
    needs_server,
    server_older_than,
)

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]
RECEIVE_TIMEOUT = 30  # seconds: generous for a loaded machine; a pass takes well under one


def named(name: str) -> EventFilter:
    return EventFilter(event={"name": [name]})


def resource(name: str) -> dict[str, str]:
    return {"prefect.resource.id": f"sdk.test.{name}"}


def wait_until_stored_sync(client: SyncPrefectClient, name: str, count: int) -> None:
    deadline = time.monotonic() + RECEIVE_TIMEOUT
    while len(client.read_events(named(name)).events) < count:
        assert time.monotonic() < deadline, "the server did not store the events in time"
        time.sleep(0.2)


async def wait_until_stored(client: PrefectClient, name: str, count: int) -> None:
    with anyio.fail_after(RECEIVE_TIMEOUT):
        while len((await client.read_events(named(name))).events) < count:  # noqa: ASYNC110
            await anyio.sleep(0.2)  # the server stores events in batches, a moment later


class Opened:
    """A plugin that records the stream connections the hooks see."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str | None]] = []

    @hookimpl
    def prefect_sdk_request_started(self, call: Any, request: httpx.Request) -> None:
        self.calls.append((call.operation, request.url.path, request.headers.get("X-Team")))


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_events_backfill_live_and_after_a_dropped_connection(
    api_url: str, unique: Unique, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_CUSTOM_HEADERS", '{"X-Team": "data"}')
    name = unique("sdk.stream")
    opened = Opened()
    async with PrefectClient(api=api_url, plugins=[opened]) as client:
        first = await client.emit_event(name, resource("a"), payload={"n": 1})
        await wait_until_stored(client, name, 1)
        received = []
        with anyio.fail_after(RECEIVE_TIMEOUT):
            async with client.subscribe_events(named(name), backfill=True) as events:
                # The stored event comes first (backfill), so the live subscription is open.
                received.append(await events.__anext__())
                second = await client.emit_event(name, resource("a"), payload={"n": 2})
                received.append(await events.__anext__())
                # The connection drops. While it is down a third event is stored; once the
                # stream is back it is sent what it missed (the first two again, which it
                # does not deliver twice, and the third).
                reconnect = anyio.Event()

                async def wait_for_the_test(seconds: float) -> None:
                    await reconnect.wait()

                events._wait_before_reconnect = wait_for_the_test  # type: ignore[method-assign]
                assert events._ws is not None
                await events._ws.close()
                third = await client.emit_event(name, resource("a"), payload={"n": 3})
                await wait_until_stored(client, name, 3)
                reconnect.set()
                received.append(await events.__anext__())
    assert [e.id for e in received] == [first.id, second.id, third.id]
    assert [e.payload["n"] for e in received] == [1, 2, 3]
    assert received[0].received is not None
    # Each connection went through the hooks, with the client's headers.
    assert opened.calls.count(("subscribe_events", "/api/events/out", "data")) == 2


def test_events_on_the_blocking_client(api_url: str, unique: Unique) -> None:
    name = unique("sdk.stream")
    with SyncPrefectClient(api=api_url) as client:
        first = client.emit_event(name, resource("b"))
        wait_until_stored_sync(client, name, 1)
        received = []
        with client.subscribe_events(named(name), backfill=True) as events:
            received.append(next(events))
            emitted = []
            # Emitted from another thread while this one blocks on the stream.
            thread = threading.Thread(
                target=lambda: emitted.append(client.emit_event(name, resource("b")))
            )
            thread.start()
            received.append(next(events))
            thread.join()
    assert [e.id for e in received] == [first.id, emitted[0].id]


# The log stream's websocket, /logs/out, came in Prefect 3.4 (3.2.15 has none): on an older
# server the upgrade is refused, and the client says the server does not support it.
LOGS_OUT = "3.4.0"


async def test_logs_arrive_live(api_url: str, unique: Unique) -> None:
    async with PrefectClient(api=api_url) as client:
        if server_older_than(api_url, LOGS_OUT):
            with pytest.raises(NotSupportedByServer, match=r"subscribe_logs.*/logs/out"):
                async with client.subscribe_logs(LogFilter(flow_run_id=[uuid.uuid4()])):
                    pass  # pragma: no cover
            return
        run = await client.create_flow_run(unique("logs"))
        received: list[Any] = []

        async def log_until_heard() -> None:
            # The subscription starts on the server a moment after it is sent: keep logging
            # until the stream hears a line (only lines after that moment are streamed).
            n = 0
            while len(received) < 2:
                n += 1
                line = {
                    "name": "sdk.test",
                    "level": 20,
                    "message": f"line {n}",
                    "timestamp": dt.datetime.now(dt.timezone.utc),
                    "flow_run_id": run.id,
                }
                await client.create_logs([line])
                await anyio.sleep(0.3)

        with anyio.fail_after(RECEIVE_TIMEOUT):
            async with (
                client.subscribe_logs(LogFilter(flow_run_id=[run.id])) as logs,
                anyio.create_task_group() as tg,
            ):
                tg.start_soon(log_until_heard)
                received.append(await logs.__anext__())
                received.append(await logs.__anext__())
    assert all(log.flow_run_id == run.id for log in received)
    numbers = [int(log.message.split()[1]) for log in received]
    assert numbers[1] == numbers[0] + 1  # in order, none twice


def test_logs_on_the_blocking_client(api_url: str, unique: Unique) -> None:
    with SyncPrefectClient(api=api_url) as client:
        if server_older_than(api_url, LOGS_OUT):
            with (
                pytest.raises(NotSupportedByServer, match=r"subscribe_logs.*/logs/out"),
                client.subscribe_logs(LogFilter(flow_run_id=[uuid.uuid4()])),
            ):
                pass  # pragma: no cover
            return
        run = client.create_flow_run(unique("logs"))
        heard = threading.Event()

        def log_until_heard() -> None:
            n = 0
            while not heard.is_set():
                n += 1
                client.create_logs(
                    [
                        {
                            "name": "sdk.test",
                            "level": 20,
                            "message": f"line {n}",
                            "timestamp": dt.datetime.now(dt.timezone.utc),
                            "flow_run_id": run.id,
                        }
                    ]
                )
                time.sleep(0.3)

        thread = threading.Thread(target=log_until_heard, daemon=True)
        with client.subscribe_logs(LogFilter(flow_run_id=[run.id])) as logs:
            thread.start()
            line = next(logs)
            heard.set()
        thread.join()
    assert line.flow_run_id == run.id and line.message.startswith("line ")


async def test_a_stream_must_be_entered_first(api_url: str) -> None:
    async with PrefectClient(api=api_url) as client:
        stream = client.subscribe_events()
        with pytest.raises(RuntimeError, match=r"async with client\.subscribe_events"):
            await stream.__anext__()


async def test_a_server_without_the_route_says_so() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"detail": "Not Found"})  # settings and the route

    settings = {"transport": httpx.MockTransport(handler)}
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        with pytest.raises(NotSupportedByServer, match=r"subscribe_logs.*/logs/out"):
            async with client.subscribe_logs():
                pass  # pragma: no cover


async def test_a_refused_upgrade_is_not_supported_by_server() -> None:
    # Prefect 3.0-3.2 have no /logs/out: the web framework refuses the upgrade with 403 and a
    # body nobody reads (it used to surface as httpx.ResponseNotRead).
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/logs/out"):
            return httpx.Response(403, text="Forbidden")
        return httpx.Response(200, json={})  # settings: nothing says streaming is off

    settings = {"transport": httpx.MockTransport(handler)}
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        with pytest.raises(NotSupportedByServer, match=r"subscribe_logs.*/logs/out.*403"):
            async with client.subscribe_logs():
                pass  # pragma: no cover


async def test_a_server_that_does_not_stream_logs_says_so() -> None:
    # A Prefect server streams log lines only when told to; otherwise it accepts the
    # subscription and sends nothing, so the client checks the server's settings first.
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/api/admin/settings"  # no websocket is opened
        logs = {"stream_out_enabled": False, "stream_publishing_enabled": True}
        return httpx.Response(200, json={"server": {"logs": logs}})

    settings = {"transport": httpx.MockTransport(handler)}
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        with pytest.raises(NotSupportedByServer, match="PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED"):
            async with client.subscribe_logs():
                pass  # pragma: no cover


async def test_the_secured_server_checks_the_streams_credentials(
    api_url: str, secured_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import SECURED_AUTH_STRING

    needs_server(api_url, *BASIC_AUTH)

    monkeypatch.setenv("PREFECT_API_AUTH_STRING", SECURED_AUTH_STRING)
    name = f"sdk.secured.{uuid.uuid4().hex[:8]}"
    async with PrefectClient(api=secured_api_url) as client:
        sent = await client.emit_event(name, resource("s"))
        await wait_until_stored(client, name, 1)
        with anyio.fail_after(RECEIVE_TIMEOUT):
            async with client.subscribe_events(named(name), backfill=True) as events:
                assert (await events.__anext__()).id == sent.id
    needs_server(api_url, *WEBSOCKET_AUTH)  # wrong credentials refused
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", "admin:wrong-guess")
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    async with PrefectClient(api=secured_api_url) as client:
        with pytest.raises(WebSocketAuthenticationError, match="Invalid token") as info:
            async with client.subscribe_events(named(name)):
                pass  # pragma: no cover
    assert "wrong-guess" not in str(info.value)
