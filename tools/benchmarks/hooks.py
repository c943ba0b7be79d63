#!/usr/bin/env python3
"""Measure the per-request CPU cost of the hook machinery (a diagnostic of tools/bench.py).

    .venv/bin/python tools/bench.py --hooks                      # 20000 calls, 5 repeats
    .venv/bin/python tools/benchmarks/hooks.py -n 5000 -r 3 --clock process

Every case makes ``read_flows()`` calls (``POST /flows/filter``) on an ``httpx.MockTransport``
that answers ``[]``, so no network is involved and what is left is the client's own work:

* ``installed``: built-in plugins plus whatever is installed (in the dev venv: ``otel`` on the
  global, no-op providers, and ``example-headers``), as a user gets it;
* ``builtins``: built-in plugins only (``PREFECT_SDK_DISABLE_PLUGIN_AUTOLOAD=1``);
* ``no-csrf``: built-ins less ``prefect_sdk.csrf`` (whose ``httpx.Auth`` flow runs on every
  POST): what the hooks themselves cost;
* ``otel-sdk``: built-ins plus an ``OpenTelemetryPlugin`` on real SDK providers with nothing
  exporting (the cost of recording a span and a histogram point), if opentelemetry-sdk is
  installed;
* ``none``: autoload off and every built-in blocked: the request path with no hooks to run;
* ``bare``: a bare ``httpx.Client`` / ``httpx.AsyncClient`` posting to the same transport
  (no SDK: no hooks, no response parsing).

The same cases run for the sync and the async client.  Cases are interleaved (in chunks of
``--chunk`` calls) and the median over the repeats is reported, with ratios measured in the
same run.  Nothing is asserted; the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from prefect_sdk.client import PrefectClient
from prefect_sdk.client._builtins import BUILTIN_PLUGINS
from prefect_sdk.client._plugins import AUTOLOAD_OFF_ENV
from prefect_sdk.sync import SyncPrefectClient

API = "http://bench.test/api"
BODY = {"flows": None, "offset": 0}
ALL_BUILTINS = [name for name, _ in BUILTIN_PLUGINS]


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/csrf-token"):
        return httpx.Response(422)  # no CSRF protection: the client stops asking
    return httpx.Response(200, json=[])


@contextmanager
def autoload(enabled: bool) -> Iterator[None]:
    """Build plugin managers with entry-point discovery on or off."""
    before = os.environ.get(AUTOLOAD_OFF_ENV)
    if enabled:
        os.environ.pop(AUTOLOAD_OFF_ENV, None)
    else:
        os.environ[AUTOLOAD_OFF_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(AUTOLOAD_OFF_ENV, None)
        else:
            os.environ[AUTOLOAD_OFF_ENV] = before


def otel_sdk_plugin() -> object | None:
    try:
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.trace import TracerProvider
    except ImportError:
        return None
    from prefect_sdk.otel import OpenTelemetryPlugin

    return OpenTelemetryPlugin(
        tracer_provider=TracerProvider(), meter_provider=MeterProvider(), name="otel.bench"
    )


def client_options() -> dict[str, tuple[bool, dict[str, Any]]]:
    """Case -> (autoload, client keyword arguments)."""
    options: dict[str, tuple[bool, dict[str, Any]]] = {
        "installed": (True, {}),
        "builtins": (False, {}),
        "no-csrf": (False, {"blocked_plugins": ["prefect_sdk.csrf"]}),
    }
    otel = otel_sdk_plugin()
    if otel is not None:
        options["otel-sdk"] = (False, {"plugins": [otel]})
    options["none"] = (False, {"blocked_plugins": ALL_BUILTINS})
    return options


Batch = Callable[[int], float]


def sync_cases(clock: Callable[[], float]) -> dict[str, Batch]:
    cases: dict[str, Batch] = {}
    for name, (load, kwargs) in client_options().items():
        settings = {"transport": httpx.MockTransport(handler)}
        client = SyncPrefectClient(api=API, httpx_settings=settings, **kwargs)
        with autoload(load):
            client.plugin_manager  # noqa: B018 - built now, under this autoload setting
        client.read_flows()  # warm up: connection, CSRF probe, response adapter

        def run(n: int, client: SyncPrefectClient = client) -> float:
            start = clock()
            for _ in range(n):
                client.read_flows()
            return clock() - start

        cases[name] = run

    bare = httpx.Client(base_url=API, transport=httpx.MockTransport(handler))
    bare.post("/flows/filter", json=BODY)

    def run_bare(n: int) -> float:
        start = clock()
        for _ in range(n):
            bare.post("/flows/filter", json=BODY)
        return clock() - start

    cases["bare"] = run_bare
    return cases


def async_cases(clock: Callable[[], float], loop: asyncio.AbstractEventLoop) -> dict[str, Batch]:
    cases: dict[str, Batch] = {}
    for name, (load, kwargs) in client_options().items():
        settings = {"transport": httpx.MockTransport(handler)}
        client = PrefectClient(api=API, httpx_settings=settings, **kwargs)
        with autoload(load):
            client.plugin_manager  # noqa: B018
        loop.run_until_complete(client.read_flows())

        async def batch(n: int, client: PrefectClient = client) -> float:
            start = clock()
            for _ in range(n):
                await client.read_flows()
            return clock() - start

        def run(n: int, batch: Callable[[int], Any] = batch) -> float:
            result: float = loop.run_until_complete(batch(n))
            return result

        cases[name] = run

    bare = httpx.AsyncClient(base_url=API, transport=httpx.MockTransport(handler))
    loop.run_until_complete(bare.post("/flows/filter", json=BODY))

    async def bare_batch(n: int) -> float:
        start = clock()
        for _ in range(n):
            await bare.post("/flows/filter", json=BODY)
        return clock() - start

    def run_bare(n: int) -> float:
        result: float = loop.run_until_complete(bare_batch(n))
        return result

    cases["bare"] = run_bare
    return cases


def measure(cases: dict[str, Batch], n: int, repeats: int, chunk: int) -> dict[str, float]:
    """Median microseconds per call for each case over ``repeats`` batches of ``n`` calls.

    Each batch is run in chunks interleaved across the cases, so that a change in machine load
    during the run hits every case alike.
    """
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        totals = dict.fromkeys(cases, 0.0)
        done = 0
        while done < n:
            size = min(chunk, n - done)
            for name, run in cases.items():
                totals[name] += run(size)
            done += size
        for name, total in totals.items():
            samples[name].append(total / n * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, result: dict[str, float]) -> None:
    print(f"\n{title}")
    print(f"  {'case':<10} {'us/call':>9} {'x bare':>8} {'x none':>8} {'+us vs none':>12}")
    for name, us in result.items():
        print(
            f"  {name:<10} {us:>9.1f} {us / result['bare']:>8.2f} {us / result['none']:>8.2f}"
            f" {us - result['none']:>12.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("-n", type=int, default=20000, help="calls per batch (default 20000)")
    parser.add_argument("-r", "--repeats", type=int, default=5, help="batches per case")
    parser.add_argument("--chunk", type=int, default=500, help="calls per interleaved chunk")
    parser.add_argument(
        "--clock",
        choices=["perf", "process"],
        default="process",
        help="time.perf_counter (wall) or time.process_time (CPU, default)",
    )
    args = parser.parse_args()
    clock = time.process_time if args.clock == "process" else time.perf_counter
    print(f"{args.n} calls per batch, median of {args.repeats}, clock={args.clock}")

    report(
        "SyncPrefectClient.read_flows()",
        measure(sync_cases(clock), args.n, args.repeats, args.chunk),
    )
    loop = asyncio.new_event_loop()
    try:
        result = measure(async_cases(clock, loop), args.n, args.repeats, args.chunk)
    finally:
        loop.close()
    report("PrefectClient.read_flows() (asyncio)", result)


if __name__ == "__main__":
    main()
