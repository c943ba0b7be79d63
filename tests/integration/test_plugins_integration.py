"""Installed plugins against the real server: the example third-party plugin (discovered through
its entry point, blockable, switched off with autoload) and the OpenTelemetry plugin.

Requests are recorded by wrapping the real httpx transport, so what is checked is what went on
the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import prefect_sdk_example_headers
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from prefect_sdk_example_headers import HEADER, HEADER_VALUE

import prefect_sdk.otel
from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import ObjectNotFound
from prefect_sdk.otel import DURATION_METRIC, OpenTelemetryPlugin
from prefect_sdk.sync import SyncPrefectClient

pytestmark = pytest.mark.anyio

EXAMPLE = prefect_sdk_example_headers.plugin
# The operations ``run_scenario`` calls, and how often.
SCENARIO_CALLS = {
    "api_healthcheck": 1,
    "create_flow": 1,
    "read_flow": 2,
    "read_flows": 1,
    "delete_flow": 1,
}


class RecordingTransport(httpx.BaseTransport):
    def __init__(self, log: list[httpx.Request]) -> None:
        self.log = log
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.log.append(request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncRecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, log: list[httpx.Request]) -> None:
        self.log = log
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.log.append(request)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class Scenario:
    """What one client run saw: the requests on the wire and the client's plugin names."""

    def __init__(self) -> None:
        self.wire: list[httpx.Request] = []
        self.plugin_names: set[str] = set()

    @property
    def api_requests(self) -> list[httpx.Request]:
        """Requests sent for operations (not the CSRF token probe an auth flow may add)."""
        return [r for r in self.wire if not r.url.path.endswith("/csrf-token")]


async def run_scenario(kind: str, api_url: str, name: str, **options: Any) -> Scenario:
    """Create, read, list and delete a flow, and read it once more (404), with one client."""
    seen = Scenario()
    if kind == "sync":
        settings: dict[str, Any] = {"transport": RecordingTransport(seen.wire)}
        with SyncPrefectClient(api=api_url, httpx_settings=settings, **options) as sync_client:
            seen.plugin_names = {n for n, p in sync_client.plugin_manager.list_name_plugin() if p}
            assert sync_client.api_healthcheck() is None
            flow = sync_client.create_flow(name)
            assert sync_client.read_flow(flow.id).name == name
            assert sync_client.read_flows(limit=5)
            sync_client.delete_flow(flow.id)
            with pytest.raises(ObjectNotFound):
                sync_client.read_flow(flow.id)
        return seen
    settings = {"transport": AsyncRecordingTransport(seen.wire)}
    async with PrefectClient(api=api_url, httpx_settings=settings, **options) as client:
        seen.plugin_names = {n for n, p in client.plugin_manager.list_name_plugin() if p}
        assert await client.api_healthcheck() is None
        flow = await client.create_flow(name)
        assert (await client.read_flow(flow.id)).name == name
        assert await client.read_flows(limit=5)
        await client.delete_flow(flow.id)
        with pytest.raises(ObjectNotFound):
            await client.read_flow(flow.id)
    return seen


def kind_of(flavour: str) -> str:
    return "sync" if flavour == "sync" else "async"


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    changed = {k: after[k] - before.get(k, 0) for k in after}
    return {k: n for k, n in changed.items() if n}


# -- the example third-party plugin ----------------------------------------------------------


async def test_example_plugin_is_discovered_and_adds_its_header(
    flavour: str, api_url: str, unique: Callable[[str], str]
) -> None:
    calls, requests = EXAMPLE.calls, EXAMPLE.requests
    seen = await run_scenario(kind_of(flavour), api_url, unique("plugin-flow"))
    assert {"example-headers", "otel"} <= seen.plugin_names
    assert all(r.headers.get(HEADER) == HEADER_VALUE for r in seen.api_requests)
    assert delta(calls, EXAMPLE.calls) == SCENARIO_CALLS
    # Every request on the wire was counted, retries (a busy server's 503) included.
    sent = delta(requests, EXAMPLE.requests)
    assert sent.keys() == SCENARIO_CALLS.keys()
    assert all(sent[op] >= n for op, n in SCENARIO_CALLS.items())
    assert sum(sent.values()) == len(seen.api_requests)


async def test_counter_sees_both_clients(api_url: str, unique: Callable[[str], str]) -> None:
    calls = EXAMPLE.calls
    await run_scenario("async", api_url, unique("plugin-flow"))
    await run_scenario("sync", api_url, unique("plugin-flow"))
    assert delta(calls, EXAMPLE.calls) == {op: 2 * n for op, n in SCENARIO_CALLS.items()}


async def test_autoload_off_skips_installed_plugins(
    flavour: str, api_url: str, unique: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_SDK_DISABLE_PLUGIN_AUTOLOAD", "1")
    calls = EXAMPLE.calls
    seen = await run_scenario(kind_of(flavour), api_url, unique("plugin-flow"))
    assert not {"example-headers", "otel"} & seen.plugin_names
    assert "prefect_sdk.retry" in seen.plugin_names  # built-ins stay
    assert seen.api_requests and not any(HEADER in r.headers for r in seen.wire)
    assert EXAMPLE.calls == calls


@pytest.mark.parametrize("how", ["argument", "environment"])
async def test_example_plugin_can_be_blocked(
    flavour: str,
    api_url: str,
    unique: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    options: dict[str, Any] = {}
    if how == "argument":
        options["blocked_plugins"] = ["example-headers"]
    else:
        monkeypatch.setenv("PREFECT_SDK_BLOCKED_PLUGINS", "other, example-headers")
    calls = EXAMPLE.calls
    seen = await run_scenario(kind_of(flavour), api_url, unique("plugin-flow"), **options)
    assert "example-headers" not in seen.plugin_names
    assert "otel" in seen.plugin_names  # only the named plugin is left out
    assert seen.api_requests and not any(HEADER in r.headers for r in seen.wire)
    assert EXAMPLE.calls == calls


# -- OpenTelemetry ---------------------------------------------------------------------------


async def test_otel_spans_and_metrics_against_the_server(
    flavour: str, api_url: str, unique: Callable[[str], str]
) -> None:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    plugin = OpenTelemetryPlugin(tracer_provider=tracer_provider, meter_provider=meter_provider)
    await run_scenario(kind_of(flavour), api_url, unique("otel-flow"), plugins=[plugin])

    spans = exporter.get_finished_spans()
    by_operation: dict[str, list[dict[str, Any]]] = {}
    for span in spans:
        attributes = dict(span.attributes or {})
        by_operation.setdefault(str(attributes["prefect_sdk.operation"]), []).append(attributes)
        assert span.name == attributes["http.request.method"]
    assert {op: len(v) for op, v in by_operation.items()} == SCENARIO_CALLS

    url = httpx.URL(api_url)
    created = by_operation["create_flow"][0]
    assert created["http.request.method"] == "POST"
    assert created["url.full"] == f"{api_url}/flows/"
    assert created["server.address"] == url.host and created["server.port"] == url.port
    assert created["http.response.status_code"] in (200, 201)
    found, missing = by_operation["read_flow"]
    assert found["http.response.status_code"] == 200 and "error.type" not in found
    assert missing["http.response.status_code"] == 404 and missing["error.type"] == "404"
    (failed,) = [s for s in spans if s.status.status_code is StatusCode.ERROR]
    assert (failed.attributes or {})["error.type"] == "404"

    data = reader.get_metrics_data()
    assert data is not None
    points = [
        point
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        if metric.name == DURATION_METRIC
        for point in metric.data.data_points
        if isinstance(point, HistogramDataPoint)
    ]
    assert sum(p.count for p in points) == sum(SCENARIO_CALLS.values())
    statuses = {(p.attributes or {}).get("http.response.status_code") for p in points}
    assert 404 in statuses and 200 in statuses
    tracer_provider.shutdown()
    meter_provider.shutdown()


async def test_otel_default_instance_is_the_entry_point_one(flavour: str, api_url: str) -> None:
    client_type = SyncPrefectClient if flavour == "sync" else PrefectClient
    pm = client_type(api=api_url).plugin_manager
    assert pm.get_plugin("otel") is prefect_sdk.otel.plugin
    assert pm.get_plugin("example-headers") is EXAMPLE
    blocked = client_type(api=api_url, blocked_plugins=["otel"]).plugin_manager
    assert blocked.get_plugin("otel") is None
