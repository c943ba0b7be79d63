"""The OpenTelemetry plugin, recorded with the real SDK's in-memory exporter and metric reader.

Faults are injected with httpx.MockTransport; every test runs against the async client (on
asyncio and trio) and the sync client.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import prefect_sdk.otel
from prefect_sdk.client import Call, PrefectClient
from prefect_sdk.exceptions import APIConnectionError, ObjectNotFound
from prefect_sdk.otel import DURATION_METRIC, OpenTelemetryPlugin
from prefect_sdk.sync import SyncPrefectClient
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio

API = MOCK_API
FLOW = {"id": str(uuid.uuid4()), "name": "f", "created": None, "updated": None}


flavour, anyio_backend, kind = flavour_fixtures()


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    async def async_sleep(seconds: float) -> None:
        pass

    monkeypatch.setattr("prefect_sdk.client._async.async_sleep", async_sleep)
    monkeypatch.setattr("prefect_sdk.sync._api_client.sync_sleep", lambda seconds: None)


@dataclass
class Telemetry:
    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader
    plugin: OpenTelemetryPlugin

    def finished(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())

    def points(self, name: str = DURATION_METRIC) -> list[HistogramDataPoint]:
        data = self.metrics.get_metrics_data()
        found: list[HistogramDataPoint] = []
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        assert metric.unit == "s"
                        found.extend(
                            p for p in metric.data.data_points if isinstance(p, HistogramDataPoint)
                        )
        return found


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    meter_provider = MeterProvider(metric_readers=[reader])
    plugin = OpenTelemetryPlugin(tracer_provider=tracer_provider, meter_provider=meter_provider)
    yield Telemetry(exporter, reader, plugin)
    tracer_provider.shutdown()
    meter_provider.shutdown()


def only_span(telemetry: Telemetry) -> ReadableSpan:
    spans = telemetry.finished()
    assert len(spans) == 1, [s.name for s in spans]
    return spans[0]


async def test_successful_call_is_one_client_span(kind: str, telemetry: Telemetry) -> None:
    handler, _ = respond(httpx.Response(200, json=[FLOW]))
    flows = await call_with(
        kind, handler, "read_flows", client_options={"plugins": [telemetry.plugin]}
    )
    assert [f.name for f in flows] == ["f"]
    span = only_span(telemetry)
    assert span.name == "POST"
    assert span.kind is SpanKind.CLIENT
    assert span.instrumentation_scope is not None
    assert span.instrumentation_scope.name == "prefect_sdk.otel"
    assert dict(span.attributes or {}) == {
        "http.request.method": "POST",
        "url.full": "http://prefect.test/api/flows/filter",
        "server.address": "prefect.test",
        "server.port": 80,
        "prefect_sdk.operation": "read_flows",
        "http.response.status_code": 200,
        "network.protocol.version": "1.1",
    }
    assert span.status.status_code is StatusCode.UNSET
    assert not span.events
    assert span.end_time is not None and span.start_time is not None
    assert span.end_time >= span.start_time

    (point,) = telemetry.points()
    assert point.count == 1 and point.sum > 0
    assert dict(point.attributes or {}) == {
        "http.request.method": "POST",
        "server.address": "prefect.test",
        "server.port": 80,
        "prefect_sdk.operation": "read_flows",
        "http.response.status_code": 200,
        "network.protocol.version": "1.1",
    }
    assert 0.005 in point.explicit_bounds and 10.0 in point.explicit_bounds


async def test_retries_show_as_resend_count(kind: str, telemetry: Telemetry) -> None:
    handler, seen = respond(
        httpx.Response(503), httpx.Response(502), httpx.Response(200, json=[FLOW])
    )
    await call_with(kind, handler, "read_flows", client_options={"plugins": [telemetry.plugin]})
    assert len(seen) == 3
    span = only_span(telemetry)
    attributes = span.attributes or {}
    assert attributes["http.request.resend_count"] == 2
    assert attributes["http.response.status_code"] == 200
    assert "error.type" not in attributes
    assert span.status.status_code is StatusCode.UNSET
    (point,) = telemetry.points()
    assert point.count == 1


async def test_error_status_records_error_type(kind: str, telemetry: Telemetry) -> None:
    handler, _ = respond(httpx.Response(404, json={"detail": "Flow not found"}))
    with pytest.raises(ObjectNotFound):
        await call_with(
            kind,
            handler,
            "read_flow",
            uuid.uuid4(),
            client_options={"plugins": [telemetry.plugin]},
        )
    span = only_span(telemetry)
    attributes = span.attributes or {}
    assert span.name == "GET"
    assert attributes["http.response.status_code"] == 404
    assert attributes["error.type"] == "404"
    assert attributes["prefect_sdk.operation"] == "read_flow"
    assert "http.request.resend_count" not in attributes
    assert span.status.status_code is StatusCode.ERROR
    (event,) = span.events
    assert event.name == "exception"
    assert str((event.attributes or {})["exception.type"]).endswith("ObjectNotFound")
    (point,) = telemetry.points()
    assert (point.attributes or {})["error.type"] == "404"
    assert (point.attributes or {})["http.response.status_code"] == 404


async def test_connection_error_records_the_exception(kind: str, telemetry: Telemetry) -> None:
    handler, seen = respond(httpx.ConnectError("connection refused"))
    with pytest.raises(APIConnectionError):
        await call_with(kind, handler, "read_flows", client_options={"plugins": [telemetry.plugin]})
    span = only_span(telemetry)
    attributes = span.attributes or {}
    assert len(seen) > 1  # the built-in retry policy retried the connection error
    assert attributes["http.request.resend_count"] == len(seen) - 1
    assert attributes["error.type"] == "prefect_sdk.exceptions.APIConnectionError"
    assert "http.response.status_code" not in attributes
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description is not None
    assert "APIConnectionError" in span.status.description
    (event,) = span.events
    event_attributes = event.attributes or {}
    assert event.name == "exception"
    assert str(event_attributes["exception.type"]).endswith("APIConnectionError")
    assert "ConnectError" in str(event_attributes["exception.stacktrace"])
    (point,) = telemetry.points()
    assert (point.attributes or {})["error.type"] == "prefect_sdk.exceptions.APIConnectionError"


async def test_no_secrets_in_telemetry(
    kind: str, telemetry: Telemetry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_CUSTOM_HEADERS", '{"X-Token": "hdr-secret"}')
    handler, seen = respond(httpx.Response(401, json={"detail": "nope"}))
    options = {
        "plugins": [telemetry.plugin],
        "api": "https://alice:pw-secret@prefect.test:8443/api",
        "api_key": "key-secret",
    }
    with pytest.raises(Exception, match=r"401|nope"):
        await call_with(kind, handler, "read_flows", client_options=options)
    assert seen[0].headers["Authorization"] == "Bearer key-secret"  # it was there to leak
    span = only_span(telemetry)
    attributes = span.attributes or {}
    # The URL's credentials never reach the request: the client sends them as basic auth
    # (here the API key wins) and keeps a URL without them.
    assert attributes["url.full"] == "https://prefect.test:8443/api/flows/filter"
    assert attributes["server.port"] == 8443
    assert attributes["error.type"] == "401"
    recorded = [
        *map(str, attributes.values()),
        str(span.status.description),
        *(str(v) for e in span.events for v in (e.attributes or {}).values()),
        *(str(v) for p in telemetry.points() for v in (p.attributes or {}).values()),
    ]
    for text in recorded:
        assert "secret" not in text, text
        assert "Bearer" not in text, text


async def test_span_is_a_child_of_the_current_span(kind: str, telemetry: Telemetry) -> None:
    provider = TracerProvider()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    handler, _ = respond(httpx.Response(200, json=[]))
    with provider.get_tracer("app").start_as_current_span("deploy") as parent:
        await call_with(kind, handler, "read_flows", client_options={"plugins": [telemetry.plugin]})
    span = only_span(telemetry)
    assert span.parent is not None
    assert span.parent.span_id == parent.get_span_context().span_id
    assert span.context is not None
    assert span.context.trace_id == parent.get_span_context().trace_id


async def test_each_operation_call_is_its_own_span(kind: str, telemetry: Telemetry) -> None:
    handler, _ = respond(httpx.Response(200, json=[]))
    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(
            api=API, httpx_settings=settings, plugins=[telemetry.plugin]
        ) as sync_client:
            sync_client.read_flows()
            sync_client.read_deployments()
            sync_client.api_healthcheck()
    else:
        async with PrefectClient(
            api=API, httpx_settings=settings, plugins=[telemetry.plugin]
        ) as client:
            await client.read_flows()
            await client.read_deployments()
            await client.api_healthcheck()
    operations = [(s.attributes or {})["prefect_sdk.operation"] for s in telemetry.finished()]
    assert operations == ["read_flows", "read_deployments", "api_healthcheck"]
    assert sum(p.count for p in telemetry.points()) == 3


async def test_default_plugin_is_discovered_and_blockable(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client_type = SyncPrefectClient if kind == "sync" else PrefectClient
    assert client_type(api=API).plugin_manager.get_plugin("otel") is prefect_sdk.otel.plugin
    blocked = client_type(api=API, blocked_plugins=["otel"]).plugin_manager
    assert blocked.get_plugin("otel") is None
    assert prefect_sdk.otel.plugin not in blocked.get_plugins()
    # Passing the auto-loaded instance explicitly as well registers it once.
    twice = client_type(api=API, plugins=[prefect_sdk.otel.plugin]).plugin_manager
    assert [p for p in twice.get_plugins() if isinstance(p, OpenTelemetryPlugin)] == [
        prefect_sdk.otel.plugin
    ]
    monkeypatch.setenv("PREFECT_SDK_BLOCKED_PLUGINS", "otel")
    assert client_type(api=API).plugin_manager.get_plugin("otel") is None


async def test_one_span_per_call_with_several_instances(kind: str, telemetry: Telemetry) -> None:
    other_exporter = InMemorySpanExporter()
    other_provider = TracerProvider()
    other_provider.add_span_processor(SimpleSpanProcessor(other_exporter))
    other = OpenTelemetryPlugin(tracer_provider=other_provider, name="otel.other")
    handler, _ = respond(httpx.Response(200, json=[]))
    options = {"plugins": [other, telemetry.plugin]}  # and the auto-loaded ``otel``
    await call_with(kind, handler, "read_flows", client_options=options)
    await call_with(kind, handler, "read_flows", client_options=options)
    spans = [*telemetry.finished(), *other_exporter.get_finished_spans()]
    assert len(spans) == 2
    assert len({s.context.span_id for s in spans if s.context is not None}) == 2


def test_unknown_methods_are_normalised(telemetry: Telemetry) -> None:
    call = Call(operation="odd", method="PROPFIND", path="/x", retry_safe=True, client="sync")
    request = httpx.Request("PROPFIND", "http://prefect.test/api/x")
    telemetry.plugin.prefect_sdk_request_started(call, request)
    assert "prefect_sdk.otel" in call.state
    call.attempt = 1
    telemetry.plugin.prefect_sdk_request_finished(call, httpx.Response(200), None, 0.01)
    assert call.state == {}
    span = only_span(telemetry)
    assert span.name == "HTTP"
    attributes = span.attributes or {}
    assert attributes["http.request.method"] == "_OTHER"
    assert attributes["http.request.method_original"] == "PROPFIND"
    # Another instance's finish hook leaves a call it did not start alone.
    other = OpenTelemetryPlugin(tracer_provider=TracerProvider())
    telemetry.plugin.prefect_sdk_request_started(call, request)
    other.prefect_sdk_request_finished(call, None, RuntimeError("x"), 0.01)
    assert "prefect_sdk.otel" in call.state


def test_default_plugin_follows_global_providers_set_later() -> None:
    """The auto-loaded instance picks up providers configured after it was imported."""
    script = textwrap.dedent(
        """
        import httpx
        from opentelemetry import metrics, trace
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

        import prefect_sdk.otel
        from prefect_sdk.sync import SyncPrefectClient

        exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        reader = InMemoryMetricReader()
        metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))

        transport = httpx.MockTransport(lambda request: httpx.Response(200, json=[]))
        with SyncPrefectClient(
            api="http://prefect.test/api", httpx_settings={"transport": transport}
        ) as client:
            assert client.plugin_manager.get_plugin("otel") is prefect_sdk.otel.plugin
            client.read_flows()
        spans = exporter.get_finished_spans()
        names = [m.name for r in reader.get_metrics_data().resource_metrics
                 for s in r.scope_metrics for m in s.metrics]
        print(len(spans), spans[0].attributes["prefect_sdk.operation"], names)
        """
    )
    env = {"PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "read_flows", "['http.client.request.duration']"]
