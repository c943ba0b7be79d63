"""A fault-injecting HTTP/1.1 proxy on loopback, in front of a real server.

Standard library only: the prefect-client run of ``tools/fault_matrix.py`` imports it (the
repository root on ``sys.path``) in an environment without prefect-sdk.

The proxy listens on ``127.0.0.1`` (a free port) and runs an asyncio loop in a background
thread, so async and blocking clients, in any thread or event loop, can use it::

    with FaultProxy("http://127.0.0.1:4200/api") as proxy:
        armed = proxy.arm("drop_response", "POST", r"^/api/work_pools/$")
        client = PrefectClient(api=proxy.api_url)
        ...
        armed.fired, armed.forwarded   # the fault was applied; attempts that reached the server

A test *arms* a fault for the next request matching a method, a path regex and optionally a
marker (a string that must appear in the request's path or body, so concurrent tests on the
same route do not take each other's fault). The fault applies to that first matching request
only; later attempts pass through untouched (and are still counted on the arm).

Requests from the client are read with keep-alive (the clients pool connections); each one is
forwarded on a fresh upstream connection and the whole response is read before anything is
sent back, which is what lets a fault answer with the server's status but another body, or cut
the body short. What the proxy forwarded is counted per ``(method, path)``.

``gate`` (a :class:`ServerGate`) is held while a write is with the server, to bound how many
writes the server sees at once (a Prefect server on SQLite stalls under concurrent writes);
reads (``GET``, ``POST .../filter``, ``/count``, ``/paginate``) are not held back.

Fault kinds (:data:`FAULTS`):

``reset_before``
    the request is read, then the client connection is reset (RST, ``SO_LINGER`` 0) without
    forwarding anything: the server never sees it
``drop_response``
    forwarded; the server's full response is read (it has committed), then the client
    connection is reset without an answer
``503``, ``503_retry_after_seconds``, ``503_retry_after_date``, ``429``, ``502_html``
    answered by the proxy without forwarding: a 503 (no ``Retry-After``; ``Retry-After: 1``;
    ``Retry-After`` an HTTP date about a second ahead), a 429 (no ``Retry-After``), a 502 with
    an HTML page as a gateway sends it
``malformed_2xx``
    forwarded; answered with the server's status (200 for a bodiless 204) and a body that is
    not JSON
``truncated``
    forwarded; the headers go out with the real ``Content-Length`` but only half the body, then
    the connection is closed (a bodiless answer is cut inside its header block)
``slow``
    forwarded; the answer is held for :attr:`FaultProxy.slow_seconds` (longer than the
    client's read timeout) before it is sent
``delayed_request``
    (beyond issue 11's ten) the request is held for :attr:`FaultProxy.late_seconds` (longer
    than the client's read timeout) before it is forwarded, as a queue in front of a busy
    server holds it: the client times out, its retry reaches the server first, and the first
    attempt arrives after it
``reset_in_flight``
    (beyond issue 11's ten) the client connection is reset at once, and the request is
    forwarded :attr:`FaultProxy.in_flight_seconds` later (after the client's retry), as when a
    connection breaks while the server is still busy with the request: a client that looks
    before repeating finds nothing done yet

A fault that spoils the server's answer (``drop_response``, ``malformed_2xx``, ``truncated``,
``slow``) stays armed for the next attempt when that answer is the server's own "busy" 503 (it
rolled the request back), and ``malformed_2xx`` spoils 2xx answers only. Upgraded connections
(websockets) are passed through untouched.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import email.utils
import json
import re
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

__all__ = ["FAULTS", "Armed", "FaultProxy", "ServerGate", "is_read"]

FAULTS: tuple[str, ...] = (
    "reset_before",
    "drop_response",
    "503",
    "503_retry_after_seconds",
    "503_retry_after_date",
    "429",
    "502_html",
    "malformed_2xx",
    "truncated",
    "slow",
    "delayed_request",
    "reset_in_flight",
)

_READ_SUFFIXES = ("/filter", "/count", "/paginate")
# Faults whose cases depend on timing (a short client timeout, a retry that must reach the
# server before the held first attempt): their requests go first through the gate.
_URGENT = frozenset({"slow", "delayed_request", "reset_in_flight"})
# Faults that spoil the answer of a request the server processed.
_SPOILS_ANSWER = frozenset({"drop_response", "malformed_2xx", "truncated", "slow"})
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
    }
)
_MAX_HEAD = 64 * 1024
_HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_SERVER_BUSY = {"exception_message": "Service Unavailable"}
_NOT_JSON = b"<!doctype html><html><body><p>Request accepted.</p></body></html>"


@dataclass
class Armed:
    """One armed fault and what happened to the requests it matches."""

    fault: str
    method: str
    path: re.Pattern[str]
    marker: str | None = None
    fired: bool = False
    seen: int = 0  # matching requests the proxy received (every attempt)
    forwarded: int = 0  # matching requests forwarded to the server (every attempt)
    in_flight: int = 0  # matching requests the proxy is still forwarding

    def matches(self, method: str, path: str, target: str, body: bytes) -> bool:
        if method != self.method or not self.path.search(path):
            return False
        if self.marker is None:
            return True
        return self.marker in target or self.marker.encode() in body


@dataclass
class _Request:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.target).path

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def wants_close(self) -> bool:
        connection = (self.header("connection") or "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" not in connection
        return "close" in connection


@dataclass
class _Response:
    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class ServerGate:
    """A semaphore for requests to the server, shared by threads and the proxy's loop, that
    lets *urgent* requests (those of a case with a short client timeout) go first."""

    def __init__(self, limit: int) -> None:
        self._cond = threading.Condition()
        self._free = limit
        self._urgent = 0  # urgent requests waiting

    def _take(self, urgent: bool) -> bool:
        if self._free > 0 and (urgent or self._urgent == 0):
            self._free -= 1
            return True
        return False

    def acquire(self) -> None:
        with self._cond:
            while not self._take(False):
                self._cond.wait()

    def release(self) -> None:
        with self._cond:
            self._free += 1
            self._cond.notify_all()

    async def acquire_async(self, urgent: bool) -> None:
        """Polled: a blocking wait would stall the event loop."""
        with self._cond:
            if self._take(urgent):
                return
            if urgent:
                self._urgent += 1
        try:
            while True:
                await asyncio.sleep(0.002)
                with self._cond:
                    if self._take(urgent):
                        return
        finally:
            if urgent:
                with self._cond:
                    self._urgent -= 1

    def __enter__(self) -> ServerGate:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


class _Closed(Exception):
    """The client closed its connection between requests."""


class FaultProxy:
    """A loopback HTTP/1.1 proxy in front of ``upstream`` that injects armed faults."""

    def __init__(
        self,
        upstream: str,
        *,
        slow_seconds: float = 3.0,
        late_seconds: float = 3.0,
        in_flight_seconds: float = 1.5,
        gate: ServerGate | None = None,
    ) -> None:
        parts = urllib.parse.urlsplit(upstream)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"upstream must be an http:// URL, got {upstream!r}")
        self.upstream_host = parts.hostname
        self.upstream_port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.slow_seconds = slow_seconds  # slow: the answer is held so long
        self.late_seconds = late_seconds  # delayed_request: the request is held so long
        self.in_flight_seconds = in_flight_seconds  # reset_in_flight: forwarded so much later
        # Held while a request is with the server: bounds how many the server sees at once
        # (shared with other threads' direct requests; see _harness.Direct).
        self.gate = gate
        self.port: int | None = None
        self.forwarded: collections.Counter[tuple[str, str]] = collections.Counter()
        self.connections = 0  # client connections accepted
        self._arms: list[Armed] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the proxy is not started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The upstream URL's path (``/api``) on the proxy."""
        return self.url + self.prefix

    def start(self) -> FaultProxy:
        if self._thread is not None:
            return self
        loop = asyncio.new_event_loop()
        self._loop = loop
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="fault-proxy", daemon=True)
        self._thread.start()
        ready.wait()
        server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0, backlog=512), loop
        ).result()
        self._server = server
        self.port = int(server.sockets[0].getsockname()[1])
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            for task in list(self._tasks):
                task.cancel()
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            if self._server is not None:
                await self._server.wait_closed()

        asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop = self._thread = self._server = None

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- arming ------------------------------------------------------------------------------

    def arm(self, fault: str, method: str, path: str, marker: str | None = None) -> Armed:
        """Apply ``fault`` to the next request ``method`` whose path matches the regex ``path``
        (and whose path or body contains ``marker``, if given); later ones pass through."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {FAULTS}")
        armed = Armed(fault, method.upper(), re.compile(path), marker)
        with self._lock:
            self._arms.append(armed)
        return armed

    def disarm(self, armed: Armed) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._arms.remove(armed)

    @contextlib.contextmanager
    def armed(
        self, fault: str, method: str, path: str, marker: str | None = None
    ) -> Iterator[Armed]:
        armed = self.arm(fault, method, path, marker)
        try:
            yield armed
        finally:
            self.disarm(armed)

    def settle(self, armed: Armed, timeout: float = 60.0) -> bool:
        """Wait until no request matching ``armed`` is being forwarded (a client that gave up
        may leave one queued or at the server); whether that happened within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if armed.in_flight <= 0:
                    return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)

    def count(self, method: str, path: str) -> int:
        """Requests forwarded to the server whose method is ``method`` and path matches the
        regex ``path``."""
        pattern = re.compile(path)
        with self._lock:
            return sum(
                n for (m, p), n in self.forwarded.items() if m == method and pattern.search(p)
            )

    def _match(self, request: _Request) -> tuple[Armed | None, list[Armed]]:
        """The arm whose fault applies to ``request`` (if any) and every arm it matches."""
        firing = None
        with self._lock:
            matching = [
                a
                for a in self._arms
                if a.matches(request.method, request.path, request.target, request.body)
            ]
            for armed in matching:
                armed.seen += 1
                armed.in_flight += 1
                if firing is None and not armed.fired:
                    armed.fired = True
                    firing = armed
        return firing, matching

    def _misfire(self, armed: Armed) -> None:
        """The server did not process the request the fault was for: keep it for the next."""
        with self._lock:
            armed.fired = False

    # -- one client connection ---------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        with self._lock:
            self.connections += 1
        try:
            while True:
                try:
                    request = await _read_request(reader)
                except (_Closed, ConnectionError, asyncio.IncompleteReadError):
                    return
                if request.header("upgrade"):
                    await self._tunnel(request, reader, writer)
                    return
                keep_open = await self._handle(request, writer)
                if not keep_open or request.wants_close():
                    return
        except (ConnectionError, OSError):
            return
        except asyncio.CancelledError:
            # stop(): drop the connection. Not re-raised: asyncio's stream callback would log
            # the cancelled task as an error.
            _reset(writer)
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _tunnel(
        self, request: _Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """An upgraded connection (a websocket): passed through both ways, untouched."""
        up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
        head = f"{request.method} {request.target} {request.version}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in request.headers) + "\r\n"
        up_writer.write(head.encode("latin-1") + request.body)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            with contextlib.suppress(ConnectionError, OSError, RuntimeError):
                sink.write_eof()

        try:
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        finally:
            up_writer.close()

    async def _handle(self, request: _Request, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; whether the client connection stays open."""
        firing, arms = self._match(request)
        try:
            return await self._answer(request, writer, firing, arms)
        finally:
            self._done(arms)

    def _done(self, arms: list[Armed]) -> None:
        """The server is done with this request (it answered, or never got it)."""
        with self._lock:
            for armed in arms:
                armed.in_flight -= 1
            arms.clear()  # once per request

    async def _answer(
        self,
        request: _Request,
        writer: asyncio.StreamWriter,
        firing: Armed | None,
        arms: list[Armed],
    ) -> bool:
        fault = firing.fault if firing is not None else None
        if fault == "reset_before":
            _reset(writer)
            return False
        canned = _canned(fault)
        if canned is not None:
            await _send(writer, canned)
            return True
        if fault == "reset_in_flight":
            _reset(writer)
            await asyncio.sleep(self.in_flight_seconds)
            with contextlib.suppress(OSError):
                await self._forward(request, arms)
            return False
        if fault == "delayed_request":
            await asyncio.sleep(self.late_seconds)
        try:
            response = await self._forward(request, arms)
        except OSError as exc:
            self._done(arms)
            await _send(writer, _text(502, "Bad Gateway", f"fault proxy: upstream failed: {exc}"))
            return True
        self._done(arms)
        if fault in _SPOILS_ANSWER and (
            _server_busy(response) or (fault == "malformed_2xx" and response.status >= 300)
        ):
            # The server rolled the request back (its own "busy" 503), or has no 2xx body to
            # spoil: the fault is for the attempt the server does process.
            assert firing is not None
            self._misfire(firing)
            fault = None
        if request.method == "HEAD":
            bodiless = True
        else:
            bodiless = response.status in (204, 304) or response.status < 200
        if fault == "drop_response":
            _reset(writer)
            return False
        if fault == "malformed_2xx":
            status = 200 if bodiless and request.method != "HEAD" else response.status
            reason = "OK" if status != response.status else response.reason
            replaced = ("content-type", "content-encoding")
            headers = [(k, v) for k, v in response.headers if k.lower() not in replaced]
            headers.append(("content-type", "text/html; charset=utf-8"))
            await _send(writer, _Response(status, reason, headers, _NOT_JSON))
            return True
        if fault == "truncated":
            head = _head(response, bodiless)
            if response.body and not bodiless:
                writer.write(head + response.body[: len(response.body) // 2])
            else:
                writer.write(head[: len(head) // 2])
            with contextlib.suppress(ConnectionError):
                await writer.drain()
            return False
        if fault == "slow":
            await asyncio.sleep(self.slow_seconds)
        await _send(writer, response, bodiless)
        return True

    async def _forward(self, request: _Request, arms: list[Armed]) -> _Response:
        """Send ``request`` on a fresh upstream connection (once the gate, if any, lets it);
        the whole response."""
        gate = self.gate
        if gate is None or is_read(request.method, request.path):
            return await self._exchange(request, arms)
        # A case whose client has a short timeout must not lose it waiting for its turn.
        await gate.acquire_async(urgent=any(a.fault in _URGENT for a in arms))
        try:
            return await self._exchange(request, arms)
        finally:
            gate.release()

    async def _exchange(self, request: _Request, arms: list[Armed]) -> _Response:
        up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
        try:
            headers = [(k, v) for k, v in request.headers if k.lower() not in _HOP_BY_HOP]
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(request.body))))
            headers.append(("Connection", "close"))
            head = f"{request.method} {request.target} HTTP/1.1\r\n"
            head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
            up_writer.write(head.encode("latin-1") + request.body)
            await up_writer.drain()
            with self._lock:
                self.forwarded[(request.method, request.path)] += 1
                for armed in arms:
                    armed.forwarded += 1
            raw = await up_reader.read()  # Connection: close -> the server closes after it
        finally:
            up_writer.close()
            with contextlib.suppress(Exception):
                await up_writer.wait_closed()
        return _parse_response(raw, request.method)


# -- HTTP/1.1 framing ------------------------------------------------------------------------


async def _read_request(reader: asyncio.StreamReader) -> _Request:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            raise _Closed from None
        raise
    except asyncio.LimitOverrunError:
        raise ConnectionError("request head too large") from None
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = lines[0].split(" ", 2)
    headers = _parse_headers(lines[1:])
    request = _Request(method.upper(), target, version, headers, b"")
    encoding = (request.header("transfer-encoding") or "").lower()
    if "chunked" in encoding:
        request.body = await _read_chunked(reader)
    else:
        length = int(request.header("content-length") or 0)
        request.body = await reader.readexactly(length) if length else b""
    return request


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = bytearray()
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":
                pass  # trailers
            return bytes(body)
        body += await reader.readexactly(size)
        await reader.readexactly(2)


def _parse_headers(lines: list[str]) -> list[tuple[str, str]]:
    headers = []
    for line in lines:
        if not line:
            continue
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return headers


def _parse_response(raw: bytes, method: str) -> _Response:
    head, sep, rest = raw.partition(b"\r\n\r\n")
    if not sep:
        raise ConnectionResetError("the server closed the connection without a full answer")
    lines = head.decode("latin-1").split("\r\n")
    _, status, *reason = lines[0].split(" ", 2)
    headers = _parse_headers(lines[1:])
    names = {k.lower(): v for k, v in headers}
    if method == "HEAD":
        body = b""
    elif "chunked" in names.get("transfer-encoding", "").lower():
        body = _dechunk(rest)
    elif "content-length" in names:
        body = rest[: int(names["content-length"])]
    else:
        body = rest
    return _Response(int(status), reason[0] if reason else "", headers, body)


def _dechunk(data: bytes) -> bytes:
    body = bytearray()
    while True:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            return bytes(body)
        body += data[:size]
        data = data[size + 2 :]


def _head(response: _Response, bodiless: bool = False) -> bytes:
    headers = [
        (k, v)
        for k, v in response.headers
        if k.lower() not in _HOP_BY_HOP and (bodiless or k.lower() != "content-length")
    ]
    if not bodiless:
        headers.append(("content-length", str(len(response.body))))
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode("latin-1")


async def _send(writer: asyncio.StreamWriter, response: _Response, bodiless: bool = False) -> None:
    writer.write(_head(response, bodiless) + (b"" if bodiless else response.body))
    await writer.drain()


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close the client connection with a TCP reset (``SO_LINGER`` on, timeout 0)."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


def is_read(method: str, path: str) -> bool:
    """A request that only reads (SQLite's readers do not wait for its writer): not gated."""
    return method == "GET" or (method == "POST" and path.endswith(_READ_SUFFIXES))


def _server_busy(response: _Response) -> bool:
    """The Prefect server's own 503 for a request it rolled back (a busy SQLite database)."""
    if response.status != 503:
        return False
    try:
        return bool(json.loads(response.body) == _SERVER_BUSY)
    except ValueError:
        return False


def _text(status: int, reason: str, text: str, *extra: tuple[str, str]) -> _Response:
    headers = [("content-type", "text/plain; charset=utf-8"), *extra]
    return _Response(status, reason, headers, text.encode())


def _canned(fault: str | None) -> _Response | None:
    """The proxy's own answer for a fault that is answered without forwarding."""
    if fault == "503":
        return _text(503, "Service Unavailable", "upstream unavailable (injected fault)")
    if fault == "503_retry_after_seconds":
        return _text(
            503, "Service Unavailable", "upstream busy (injected fault)", ("Retry-After", "1")
        )
    if fault == "503_retry_after_date":
        when = email.utils.formatdate(time.time() + 1.5, usegmt=True)
        return _text(
            503, "Service Unavailable", "upstream busy (injected fault)", ("Retry-After", when)
        )
    if fault == "429":
        return _text(429, "Too Many Requests", "rate limited (injected fault)")
    if fault == "502_html":
        headers = [("content-type", "text/html"), ("server", "nginx")]
        return _Response(502, "Bad Gateway", headers, _HTML_502)
    return None
