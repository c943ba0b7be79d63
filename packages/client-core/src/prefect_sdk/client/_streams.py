"""Live streams over the server's websockets (``/events/out``, ``/logs/out``).

A hand-written async/sync pair (like ``_io.py``), because the two cannot share one shape: the
async stream keeps its connection in a task of its own, started when the stream is entered and
cancelled when it is left, so reconnecting never opens or closes a task group inside a
caller's own cancel scopes; the blocking stream simply reconnects in place.  What is not I/O
(the handshake's token, reading items, de-duplication, the reconnect decision) lives in
``BaseClient._stream_*`` and is shared.

The protocol (Prefect's): connect with the ``prefect`` subprotocol, send
``{"type": "auth", "token": ...}``, expect ``{"type": "auth_success"}``, send
``{"type": "filter", ...}``, then read ``{"type": "event" | "log", ...}`` messages.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from prefect_sdk.client._base import RecentIds

if TYPE_CHECKING:
    import anyio.abc
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream
    from httpx_ws import AsyncWebSocketSession, WebSocketSession

    from prefect_sdk.client._async import AsyncAPIClient
    from prefect_sdk.client._call import Call
    from prefect_sdk.exceptions import NotSupportedByServer

T = TypeVar("T")

BUFFER = 256
"""Items received but not yet taken by the consumer; the connection waits beyond that."""


class _Failure:
    """An error of the connection task, handed to the consumer in the stream's order."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _leaf(exc: Exception) -> Exception:
    """The one error inside (nested) exception groups of one error, else ``exc`` itself."""
    while True:
        inner = getattr(exc, "exceptions", None)
        if not inner or len(inner) != 1 or not isinstance(inner[0], Exception):
            return exc
        exc = inner[0]


def _lost_connection(exc: BaseException) -> bool:
    from httpx_ws import WebSocketDisconnect, WebSocketNetworkError

    return isinstance(exc, WebSocketDisconnect | WebSocketNetworkError | httpx.TransportError)


class _StreamState(Generic[T]):
    def __init__(
        self,
        client: Any,
        name: str,
        path: str,
        kind: str,
        into: type[T],
        subscription: dict[str, Any],
        reconnect: bool = True,
        resubscription: dict[str, Any] | None = None,
        requires: tuple[str, ...] = (),
    ) -> None:
        self._client = client
        self._requires = requires
        self._checked = not requires
        self._name = name
        self._path = path
        self._kind = kind
        self._into = into
        self._subscription = subscription
        self._resubscription = resubscription or subscription
        self._reconnect = reconnect
        self._seen = RecentIds()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._name}>"

    def _not_open(self) -> RuntimeError:
        how = "async with" if isinstance(self, AsyncStream) else "with"
        return RuntimeError(
            f"open the stream first: `{how} client.{self._name}(...) as stream:`, then "
            "iterate over `stream`"
        )

    def _disabled(self, settings: Any) -> NotSupportedByServer | None:
        """The error to raise when the server's settings say it does not feed this stream."""
        from prefect_sdk.exceptions import NotSupportedByServer, safe_url

        off = []
        for dotted in self._requires:
            value: Any = settings
            for key in dotted.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            if value is False:
                off.append("PREFECT_" + dotted.replace(".", "_").upper())
        if not off:
            return None
        return NotSupportedByServer(
            f"{self._name}: the server at {safe_url(self._client.api_url)} does not feed this "
            f"stream: start it with {' and '.join(f'{name}=true' for name in off)}"
        )

    def _begin(self, http: httpx.AsyncClient | httpx.Client) -> tuple[Call, httpx.Request, float]:
        client = self._client
        call = client._new_call(self._name, "GET", self._path, True)
        request = http.build_request("GET", self._path)
        started = client._started(call, request)
        client._before_attempt(call, request)
        return call, request, started


class AsyncStream(_StreamState[T]):
    """A live stream from the server: enter it, then iterate over it::

        async with client.subscribe_events(EventFilter(...)) as events:
            async for event in events:
                ...

    The websocket is opened by the client's httpx client (its settings, headers and auth),
    announced to the hooks under the operation's name, and authenticated with the API key or
    auth string.  A dropped connection is reopened after a backoff, at most
    ``PREFECT_CLIENT_MAX_RETRIES`` times in a row, and items already delivered (by ``id``) are
    not delivered again.  Leaving the block (``break``, an error, cancellation) closes it.
    """

    _client: AsyncAPIClient
    _group: anyio.abc.TaskGroup | None = None
    _items: MemoryObjectReceiveStream[Any] | None = None
    _ws: AsyncWebSocketSession | None = None  # the current connection (tests sever it)

    async def __aenter__(self) -> AsyncStream[T]:
        import anyio

        if self._group is not None:
            raise RuntimeError(f"this {self._name} stream is already open")
        send, receive = anyio.create_memory_object_stream[Any](BUFFER)
        group = anyio.create_task_group()
        await group.__aenter__()
        try:
            # Returns once connected (and subscribed), or with the first connection's error.
            error = await group.start(self._run, send)
        except BaseException:
            receive.close()
            group.cancel_scope.cancel()
            await group.__aexit__(None, None, None)
            raise
        if error is not None:
            receive.close()
            await group.__aexit__(None, None, None)
            raise error
        self._group, self._items = group, receive
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        group, self._group = self._group, None
        items, self._items = self._items, None
        if items is not None:
            items.close()
        if group is not None:
            group.cancel_scope.cancel()
            await group.__aexit__(None, None, None)

    def __aiter__(self) -> AsyncStream[T]:
        return self

    async def __anext__(self) -> T:
        import anyio

        if self._items is None:
            raise self._not_open()
        try:
            item = await self._items.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None
        if isinstance(item, _Failure):
            raise item.error
        return item  # type: ignore[no-any-return]

    async def _run(
        self,
        send: MemoryObjectSendStream[Any],
        *,
        task_status: anyio.abc.TaskStatus[BaseException | None],
    ) -> None:
        """The connection task: connect, read, reconnect; errors go to the consumer."""
        import anyio

        started = False
        failures = 0
        subscription = self._subscription
        last_call: Call | None = None
        async with send:
            while True:
                call: Call | None = None
                try:
                    async with self._connection(subscription) as (call, ws):
                        last_call = call
                        if not started:
                            task_status.started(None)
                            started = True
                        failures = 0
                        while True:
                            message: Any = await ws.receive_json()
                            item = self._client._stream_item(
                                call, message, self._kind, self._into, self._seen
                            )
                            if item is not None:
                                await send.send(item)
                except Exception as raised:
                    exc = _leaf(raised)
                    # A connection that could not be made again (the server restarting) counts
                    # as lost too, once the stream has started.
                    lost = call or (last_call if started else None)
                    try:
                        if lost is None or not _lost_connection(exc):
                            raise exc from None
                        delay = self._client._stream_lost(lost, exc, self._reconnect, failures)
                    except Exception as final:
                        if not started:
                            task_status.started(final)
                        else:
                            with contextlib.suppress(anyio.BrokenResourceError):
                                await send.send(_Failure(final))
                        return
                    failures += 1
                    subscription = self._resubscription
                    await self._wait_before_reconnect(delay)

    async def _check_enabled(self) -> None:
        """Once: does the server feed this stream at all? (A log stream is off by default.)"""
        from prefect_sdk.exceptions import NotSupportedByServer, PrefectHTTPStatusError

        try:
            settings = await self._client._request(
                self._name, "GET", "/admin/settings", into=dict[str, Any]
            )
        except (PrefectHTTPStatusError, NotSupportedByServer):
            settings = {}  # not readable here (Prefect Cloud, a restricted key): just connect
        self._checked = True
        error = self._disabled(settings)
        if error is not None:
            raise error

    async def _wait_before_reconnect(self, seconds: float) -> None:
        import anyio

        await anyio.sleep(seconds)

    @contextlib.asynccontextmanager
    async def _connection(
        self, subscription: dict[str, Any]
    ) -> AsyncIterator[tuple[Call, AsyncWebSocketSession]]:
        """One websocket connection, authenticated and subscribed, inside the hooks."""
        client = self._client
        if not self._checked:
            await self._check_enabled()
        async with (
            client._borrow_http() as http,
            self._connected(client, http, subscription) as connected,
        ):
            yield connected

    @contextlib.asynccontextmanager
    async def _connected(
        self, client: Any, http: httpx.AsyncClient, subscription: dict[str, Any]
    ) -> AsyncIterator[tuple[Call, AsyncWebSocketSession]]:
        from httpx_ws import WebSocketUpgradeError, aconnect_ws

        call, _, started = self._begin(http)
        error: BaseException | None = None
        try:
            auth = client._stream_auth(http)
            ws: AsyncWebSocketSession
            try:
                async with aconnect_ws(self._path, http, subprotocols=["prefect"], auth=auth) as ws:
                    await ws.send_json({"type": "auth", "token": client._stream_token()})
                    client._check_stream_auth(call, await ws.receive_json())
                    await ws.send_json({"type": "filter", **subscription})
                    self._ws = ws
                    try:
                        yield call, ws
                    finally:
                        self._ws = None
            except WebSocketUpgradeError as exc:
                raise client._stream_refused(call, exc.response) from exc
            except Exception as exc:
                refused = client._stream_refusal(call, _leaf(exc))
                if refused is None:
                    raise
                raise refused from exc
        except BaseException as exc:
            error = exc
            raise
        finally:
            client._finished(call, started, None, error)


class SyncStream(_StreamState[T]):
    """A live stream from the server: enter it, then iterate over it::

        with client.subscribe_events(EventFilter(...)) as events:
            for event in events:
                ...

    The websocket is opened by the client's httpx client (its settings, headers and auth),
    announced to the hooks under the operation's name, and authenticated with the API key or
    auth string.  A dropped connection is reopened after a backoff, at most
    ``PREFECT_CLIENT_MAX_RETRIES`` times in a row, and items already delivered (by ``id``) are
    not delivered again.  Leaving the block (``break``, an error) closes it.
    """

    _client: Any  # the blocking SyncAPIClient (client-sync builds on core, not the reverse)
    _ws: WebSocketSession | None = None
    _exit: contextlib.ExitStack | None = None
    _call: Call | None = None
    _failures = 0
    _started_at = 0.0

    def __enter__(self) -> SyncStream[T]:
        if self._exit is not None:
            raise RuntimeError(f"this {self._name} stream is already open")
        self._connect(self._subscription)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._disconnect(exc)

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        while True:
            if self._ws is None or self._call is None:
                raise self._not_open()
            call = self._call
            try:
                message: Any = self._ws.receive_json()
            except Exception as raised:
                exc = _leaf(raised)
                if not _lost_connection(exc):
                    raise
                self._disconnect(exc)
                self._reconnect_after(call, exc)
                continue
            item = self._client._stream_item(call, message, self._kind, self._into, self._seen)
            if item is not None:
                return item  # type: ignore[no-any-return]

    def _reconnect_after(self, call: Call, exc: Exception) -> None:
        """Wait and connect again, for as many tries as the settings allow."""
        import time

        while True:
            delay = self._client._stream_lost(call, exc, self._reconnect, self._failures)
            self._failures += 1
            time.sleep(delay)
            try:
                self._connect(self._resubscription)
                return
            except Exception as raised:
                exc = _leaf(raised)
                if not _lost_connection(exc):
                    raise

    def _connect(self, subscription: dict[str, Any]) -> None:
        from httpx_ws import WebSocketUpgradeError, connect_ws

        client = self._client
        if not self._checked:
            self._check_enabled()
        stack = contextlib.ExitStack()
        try:
            http = stack.enter_context(client._borrow_http())
        except BaseException:
            stack.close()
            raise
        try:
            call, _, started = self._begin(http)
        except BaseException:
            stack.close()
            raise
        try:
            auth = client._stream_auth(http)
            ws: WebSocketSession = stack.enter_context(
                connect_ws(self._path, http, subprotocols=["prefect"], auth=auth)
            )
            ws.send_json({"type": "auth", "token": client._stream_token()})
            client._check_stream_auth(call, ws.receive_json())
            ws.send_json({"type": "filter", **subscription})
        except WebSocketUpgradeError as exc:
            error = client._stream_refused(call, exc.response)
            self._close(stack, call, started, error)
            raise error from exc
        except Exception as exc:
            refused = client._stream_refusal(call, _leaf(exc))
            self._close(stack, call, started, refused or exc)
            if refused is None:
                raise
            raise refused from exc
        except BaseException as exc:
            self._close(stack, call, started, exc)
            raise
        self._ws, self._exit, self._call, self._started_at = ws, stack, call, started
        self._failures = 0

    def _check_enabled(self) -> None:
        """Once: does the server feed this stream at all? (A log stream is off by default.)"""
        from prefect_sdk.exceptions import NotSupportedByServer, PrefectHTTPStatusError

        try:
            settings = self._client._request(
                self._name, "GET", "/admin/settings", into=dict[str, Any]
            )
        except (PrefectHTTPStatusError, NotSupportedByServer):
            settings = {}  # not readable here (Prefect Cloud, a restricted key): just connect
        self._checked = True
        error = self._disabled(settings)
        if error is not None:
            raise error

    def _disconnect(self, error: BaseException | None) -> None:
        stack, self._exit, self._ws = self._exit, None, None
        if stack is not None and self._call is not None:
            self._close(stack, self._call, self._started_at, error)

    def _close(
        self, stack: contextlib.ExitStack, call: Call, started: float, error: BaseException | None
    ) -> None:
        try:
            stack.close()
        except Exception:
            pass  # the connection is going away either way; the caller's error is what counts
        finally:
            self._client._finished(call, started, None, error)


__all__ = ["AsyncStream", "SyncStream"]
