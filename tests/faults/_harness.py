"""The fault matrix's machinery: run one write through the fault proxy, read the server
directly, classify what happened; run many such cases at once; render the matrix.

Standard library and httpx only: the prefect-client run of ``tools/fault_matrix.py`` imports
this module (the repository root on ``sys.path``) in an environment without prefect-sdk.
What is specific to a client library (how to open a client, how to call an operation, what
it should return) is passed in.

A case is one operation x one fault x one client kind (``async``: the async client on asyncio;
``sync``: the blocking client). Every case gets fresh objects on the server (``Target.setup``),
a fresh client and a fault armed for its own requests only (the proxy matches a marker unique
to the case), so cases run concurrently on a thread pool: the matrix has hundreds of cases and
most of their time is spent waiting (``Retry-After``, a read timeout, the event persister).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import traceback
import uuid
from collections.abc import (
    Awaitable,
    Callable,
    Coroutine,
    Generator,
    Iterable,
    Iterator,
    Sequence,
)
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.faults._proxy import FAULTS, FaultProxy, ServerGate, is_read

__all__ = [
    "CLIENT_KINDS",
    "FAULTS",
    "OUTCOMES",
    "Blocking",
    "Call",
    "Case",
    "Clients",
    "Ctx",
    "Direct",
    "Result",
    "Target",
    "classify",
    "render_text",
    "run_matrix",
]

Ctx = dict[str, Any]
CLIENT_KINDS = ("async", "sync")
# What a case can come to, from what the call did and what the server then held:
#   ok               returned the right thing, and the effect exists exactly once
#   raised-clean     raised the library's own error, and there is no effect
#   raised-but-done  raised the library's own error, although the effect happened (once)
#   duplicate        the effect happened more than once (whatever the call did)
#   lost             returned success, but there is no effect
#   wrong            returned, the effect exists once, but the value returned is not it
#   crashed          raised something that is not the library's error (a bug in the client)
#   harness-error    the case itself failed (set-up, the fault never fired, ...)
OUTCOMES = (
    "ok",
    "raised-clean",
    "raised-but-done",
    "duplicate",
    "lost",
    "wrong",
    "crashed",
    "harness-error",
)
SHORT = {
    "ok": "ok",
    "raised-clean": "RC",
    "raised-but-done": "RD",
    "duplicate": "DUP",
    "lost": "LOST",
    "wrong": "WRONG",
    "crashed": "CRASH",
    "harness-error": "ERR",
}
# The client's timeout in the ``slow`` cases (the proxy holds the answer longer). Small, but
# not so small that a retry waiting its turn at a busy server (see server_gate) times out too.
SLOW_CLIENT_TIMEOUT = 2.0
SLOW_PROXY_SECONDS = 3.0  # slow: the answer is held so long
LATE_PROXY_SECONDS = 2.5  # delayed_request: the request is held so long
IN_FLIGHT_PROXY_SECONDS = 1.5  # reset_in_flight: the request reaches the server so much later
# Faults whose cases wait a second or more (a Retry-After, a read timeout): started first.
WAITING_FAULTS = frozenset(
    {
        "slow",
        "delayed_request",
        "reset_in_flight",
        "429",
        "503_retry_after_seconds",
        "503_retry_after_date",
    }
)
# The Prefect server's own "retry me, nothing was done" 503 (a busy SQLite database).
_SERVER_BUSY_BODY = {"exception_message": "Service Unavailable"}


class Direct:
    """Plain HTTP straight to the server (not through the proxy): set-up and effect counts.

    Like the test suite's ``setup_request``, it repeats the server's own rolled-back 503
    (a busy SQLite database did nothing), so set-up does not flake where a client would not.
    Thread-safe (one ``httpx.Client``).
    """

    def __init__(self, api_url: str, gate: ServerGate | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.http = httpx.Client(base_url=self.api_url, timeout=90)
        self.gate = gate
        self._cache: dict[str, Any] = {}
        self._cache_lock = threading.Lock()

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()``, once per ``Direct`` (objects the cases share, e.g. one flow)."""
        with self._cache_lock:
            if key not in self._cache:
                self._cache[key] = make()
            return self._cache[key]

    def close(self) -> None:
        self.http.close()

    def send(self, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
        for attempt in range(8):
            try:
                gate = None if is_read(method, path) else self.gate
                with gate or contextlib.nullcontext():
                    response = self.http.request(method, path, json=body, params=params or None)
            except httpx.TransportError:
                if attempt == 7:
                    raise
                time.sleep(0.2 * (attempt + 1))
                continue
            if not _server_busy(response) or attempt == 7:
                return response
            time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """The JSON answer of a request that must succeed."""
        response = self.send(method, path, body, **params)
        if response.is_error:
            raise AssertionError(
                f"direct {method} {path} -> {response.status_code}: {response.text[:300]}"
            )
        return response.json() if response.content else None

    def exists(self, path: str) -> bool:
        """Whether ``GET path`` finds something (200) rather than nothing (404)."""
        response = self.send("GET", path)
        if response.status_code == 404:
            return False
        if response.is_error:
            raise AssertionError(f"direct GET {path} -> {response.status_code}")
        return True


def _server_busy(response: httpx.Response) -> bool:
    if response.status_code != 503:
        return False
    try:
        return bool(json.loads(response.content) == _SERVER_BUSY_BODY)
    except ValueError:
        return False


@dataclass(frozen=True)
class Target:
    """A write operation as the server sees it: its route, how to set up what it needs, and
    how to count its effect by reading the server directly.

    ``setup(direct, uid)`` returns the case's context; ``ctx["marker"]`` must be a string that
    appears in the operation's request path or body (the fault is armed for it only).
    ``count(direct, ctx)`` returns how many times the effect exists (0, 1, 2, ...); it may
    leave what it found in ``ctx`` (e.g. ``ctx["found"]``, the ids) for the result check.
    """

    name: str
    method: str
    path: str  # a regex on the request path (``/api`` included)
    setup: Callable[[Direct, str], Ctx]
    count: Callable[[Direct, Ctx], int]
    slow_count: bool = False  # the count waits (the event persister): run these first


@dataclass(frozen=True)
class Call:
    """A client library's side of one operation: ``call(client, ctx)`` (the async client, or
    the blocking one behind :class:`Blocking`), and ``check(value, ctx)``: whether the value
    it returned is the effect found on the server."""

    call: Callable[[Any, Ctx], Awaitable[Any]]
    check: Callable[[Any, Ctx], bool]


@dataclass(frozen=True)
class Clients:
    """How to open a client of a library. ``timeout`` is the read timeout to use (``None``:
    the library's default). ``errors``: what the library raises on purpose (the rest is a
    crash)."""

    open_async: Callable[[float | None], AbstractAsyncContextManager[Any]]
    open_sync: Callable[[float | None], AbstractContextManager[Any]]
    errors: tuple[type[BaseException], ...]


@dataclass(frozen=True, order=True)
class Case:
    operation: str
    fault: str
    client: str

    @property
    def id(self) -> str:
        return f"{self.operation}-{self.fault}-{self.client}"


@dataclass
class Result:
    case: Case
    outcome: str
    effects: int = 0
    returned: str | None = None
    error_type: str | None = None
    error: str | None = None
    fired: bool = False
    forwarded: int = 0  # attempts that reached the server
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # set-up, call, count: seconds
    detail: str = ""
    # The error's class and its bases, by name (the exception itself is not kept: a session
    # holding hundreds of them, with their tracebacks, until exit can crash the interpreter's
    # final garbage collection under ``python -X dev``).
    error_classes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.case.operation,
            "fault": self.case.fault,
            "client": self.case.client,
            "outcome": self.outcome,
            "effects": self.effects,
            "returned": self.returned,
            "error_type": self.error_type,
            "error": self.error,
            "fault_fired": self.fired,
            "attempts_forwarded": self.forwarded,
            "seconds": round(self.seconds, 3),
            "phases": {k: round(v, 3) for k, v in self.phases.items()},
            "detail": self.detail,
        }


class Blocking:
    """A blocking client presented with the async calling convention (as the suite's
    ``tests._support.AwaitableSync``): a call really blocks, and its result is wrapped so
    ``await`` works. Drive a coroutine made of such calls with :func:`run_blocking`."""

    def __init__(self, wrapped: Any) -> None:
        self.sync = wrapped

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.sync, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> _Ready:
            return _Ready(attr(*args, **kwargs))

        return call


class _Ready:
    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Any]:
        return self.value
        yield  # pragma: no cover


def run_blocking(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine that never suspends (its awaits are :class:`Blocking` calls)."""
    try:
        coro.send(None)
    except StopIteration as stop:
        return stop.value
    coro.close()
    raise RuntimeError("a blocking case suspended: await only Blocking calls in a Call")


def classify(
    error: BaseException | None,
    right: bool,
    effects: int,
    errors: tuple[type[BaseException], ...],
) -> str:
    if effects >= 2:
        return "duplicate"
    if error is None:
        if effects == 0:
            return "lost"
        return "ok" if right else "wrong"
    if not isinstance(error, errors):
        return "crashed"
    return "raised-clean" if effects == 0 else "raised-but-done"


def _describe(error: BaseException) -> tuple[str, str]:
    return type(error).__name__, " ".join(str(error).split())[:400]


def run_case(
    case: Case,
    target: Target,
    call: Call,
    direct: Direct,
    proxy: FaultProxy,
    clients: Clients,
) -> Result:
    """Set up, arm the fault, call through the proxy with a fresh client, count directly."""
    uid = uuid.uuid4().hex[:12]
    started = time.monotonic()
    try:
        ctx = target.setup(direct, uid)
    except Exception as exc:
        return Result(case, "harness-error", detail=f"set-up failed: {exc!r}")
    set_up = time.monotonic()
    timeout = SLOW_CLIENT_TIMEOUT if case.fault in ("slow", "delayed_request") else None
    armed = proxy.arm(case.fault, target.method, target.path, str(ctx["marker"]))
    error: BaseException | None = None
    value: Any = None
    try:
        if case.client == "async":
            value = asyncio.run(_call_async(call, clients, timeout, ctx))
        else:
            with clients.open_sync(timeout) as client:
                value = run_blocking(_awaited(call.call(Blocking(client), ctx)))
    except Exception as exc:
        error = exc
    # A request the client gave up on may still be on its way to the server: count after it.
    settled = proxy.settle(armed)
    proxy.disarm(armed)
    called = time.monotonic()
    result = Result(case, "harness-error", fired=armed.fired, forwarded=armed.forwarded)
    result.phases = {"set-up": set_up - started, "call": called - set_up}
    if error is not None:
        result.error_type, result.error = _describe(error)
        result.error_classes = tuple(c.__name__ for c in type(error).__mro__)
    else:
        result.returned = repr(value)[:200]
    try:
        result.effects = target.count(direct, ctx)
    except Exception as exc:
        result.detail = f"count failed: {exc!r}"
        result.seconds = time.monotonic() - started
        return result
    result.phases["count"] = time.monotonic() - called
    right = False
    if error is None:
        try:
            right = bool(call.check(value, ctx))
        except Exception as exc:
            result.detail = f"check failed: {exc!r}"
    result.outcome = classify(error, right, result.effects, clients.errors)
    if not armed.fired:
        result.detail = "the fault never fired (no matching request reached the proxy)"
        result.outcome = "harness-error"
    elif not settled:
        result.detail = "a request was still being forwarded a minute after the call ended"
        result.outcome = "harness-error"
    elif result.outcome == "crashed" and error is not None:
        result.detail = "".join(traceback.format_exception(error)[-3:])[:600]
    result.seconds = time.monotonic() - started
    del error
    return result


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


async def _call_async(call: Call, clients: Clients, timeout: float | None, ctx: Ctx) -> Any:
    async with clients.open_async(timeout) as client:
        return await call.call(client, ctx)


def run_matrix(
    cases: Sequence[Case],
    targets: dict[str, Target],
    calls: dict[str, Call],
    direct: Direct,
    proxy: FaultProxy,
    clients: Clients,
    *,
    workers: int = 16,
) -> list[Result]:
    """Run ``cases`` on ``workers`` threads; results in the order of ``cases``."""
    # The long waits first, so they overlap the short cases instead of trailing them.
    order = sorted(
        range(len(cases)),
        key=lambda i: (
            not targets[cases[i].operation].slow_count,
            cases[i].fault not in WAITING_FAULTS,
        ),
    )
    results: list[Result | None] = [None] * len(cases)
    lock = threading.Lock()

    def one(index: int) -> None:
        case = cases[index]
        try:
            result = run_case(
                case, targets[case.operation], calls[case.operation], direct, proxy, clients
            )
        except Exception as exc:  # a bug of the harness: keep going, report it
            result = Result(case, "harness-error", detail=f"{exc!r}")
        with lock:
            results[index] = result

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fault-case") as pool:
        for _ in pool.map(one, order):
            pass
    return [r for r in results if r is not None]


# -- the matrix, rendered ---------------------------------------------------------------------


def _cell(by_client: dict[str, str], short: bool) -> str:
    names = [by_client.get(kind, "-") for kind in CLIENT_KINDS if kind in by_client]
    if short:
        names = [SHORT.get(n, n) for n in names]
    if len(set(names)) == 1:
        return names[0]
    return "/".join(names)


def _grid(results: Iterable[Result]) -> tuple[list[str], dict[str, dict[str, dict[str, str]]]]:
    grid: dict[str, dict[str, dict[str, str]]] = {}
    for r in results:
        grid.setdefault(r.case.operation, {}).setdefault(r.case.fault, {})[r.case.client] = (
            r.outcome
        )
    faults = [f for f in FAULTS if any(f in row for row in grid.values())]
    return faults, grid


def counts(results: Iterable[Result]) -> dict[str, int]:
    found = {name: 0 for name in OUTCOMES}
    for r in results:
        found[r.outcome] = found.get(r.outcome, 0) + 1
    return {k: v for k, v in found.items() if v or k in OUTCOMES[:5]}


FAULT_LABELS = {
    "reset_before": "reset",
    "drop_response": "drop",
    "503": "503",
    "503_retry_after_seconds": "503 RA s",
    "503_retry_after_date": "503 RA date",
    "429": "429",
    "502_html": "502 html",
    "malformed_2xx": "bad 2xx",
    "truncated": "truncated",
    "slow": "slow",
    "delayed_request": "late req",
    "reset_in_flight": "reset busy",
}

LEGEND = (
    "ok = ok, RC = raised-clean, RD = raised-but-done, DUP = duplicate, LOST = lost, "
    "WRONG = returned the wrong value, CRASH = raised an error not the library's, "
    "ERR = harness error; a/b = async client / sync client when they differ"
)


def render_text(results: Sequence[Result], title: str = "fault matrix") -> str:
    faults, grid = _grid(results)
    labels = [FAULT_LABELS.get(f, f) for f in faults]
    rows = [[op, *(_cell(grid[op].get(f, {}), True) for f in faults)] for op in grid]
    header = ["operation", *labels]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = [title, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    total = counts(results)
    lines.append("cases: " + ", ".join(f"{k} {v}" for k, v in total.items()))
    lines.append(LEGEND)
    return "\n".join(lines)


def server_gate(limit: int) -> ServerGate | None:
    """A gate letting at most ``limit`` writes be with the server at once (``0``: no
    limit), for :class:`Direct` and the proxy together (reads are not held back).

    A Prefect 3.8.8 server on SQLite answers concurrent writes with its own "busy" 503s (a
    transaction it rolled back; clients repeat them) and, with three or more deployment
    writes at once, can hold SQLite's write lock for its full 60 s busy timeout. The cases
    run concurrently for their waits (``Retry-After``, timeouts); the server sees their writes
    almost one at a time.
    """
    return ServerGate(limit) if limit > 0 else None


@contextlib.contextmanager
def proxy_in_front_of(api_url: str, gate: ServerGate | None = None) -> Iterator[FaultProxy]:
    with FaultProxy(
        api_url,
        slow_seconds=SLOW_PROXY_SECONDS,
        late_seconds=LATE_PROXY_SECONDS,
        in_flight_seconds=IN_FLIGHT_PROXY_SECONDS,
        gate=gate,
    ) as proxy:
        yield proxy
