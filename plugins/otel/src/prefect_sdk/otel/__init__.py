"""OpenTelemetry traces and metrics for every prefect-sdk operation.

Installing ``prefect-sdk-otel`` (``pip install "prefect-sdk[otel]"``) registers :data:`plugin`
through the ``prefect_sdk.plugins`` entry point under the name ``otel``: from then on each
operation call of either client (``read_flows``, ``create_flow_run`` ...) produces

* one ``CLIENT`` span named after the HTTP method, following the stable HTTP client semantic
  conventions (``http.request.method``, ``url.full`` without credentials, ``server.address``,
  ``server.port``, ``http.response.status_code``, ``http.request.resend_count`` when the
  request was retried, ``error.type`` on failure) plus ``prefect_sdk.operation``;
* one ``http.client.request.duration`` histogram measurement (seconds).

:data:`plugin` uses the global tracer and meter providers, so configuring OpenTelemetry the
usual way (``trace.set_tracer_provider(...)``) is enough.  To use other providers for one client,
pass ``plugins=[OpenTelemetryPlugin(tracer_provider=..., meter_provider=...)]``: an explicitly
passed instance takes over from the auto-loaded one for that client's calls.  To turn the plugin
off, block it: ``blocked_plugins=["otel"]`` or ``PREFECT_SDK_BLOCKED_PLUGINS=otel``.

The hooks only create, annotate and end spans and record measurements; exporting is the job of
the span processors and metric readers configured on the providers (use a batching processor so
that no request waits on an exporter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opentelemetry import metrics, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from prefect_sdk.client import hookimpl
from prefect_sdk.exceptions import safe_url

if TYPE_CHECKING:
    import httpx
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import Span, TracerProvider

    from prefect_sdk.client import Call

__all__ = ["DURATION_METRIC", "INSTRUMENTATION_NAME", "OpenTelemetryPlugin", "plugin"]
__version__ = "0.1.0"

INSTRUMENTATION_NAME = "prefect_sdk.otel"
DURATION_METRIC = "http.client.request.duration"
# The bucket boundaries the HTTP semantic conventions advise for request durations.
_DURATION_BUCKETS = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.25,
    0.5,
    0.75,
    1.0,
    2.5,
    5.0,
    7.5,
    10.0,
)
_KNOWN_METHODS = frozenset(
    {"CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# One key shared by all instances: the first instance to start a span for a call owns it.
_STATE_KEY = "prefect_sdk.otel"


class _Traced:
    __slots__ = ("attributes", "owner", "span")

    def __init__(self, owner: OpenTelemetryPlugin, span: Span, attributes: dict[str, Any]) -> None:
        self.owner = owner
        self.span = span
        self.attributes = attributes


def _error_type(error: BaseException) -> str:
    cls = type(error)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


class OpenTelemetryPlugin:
    """A prefect-sdk plugin recording a span and a duration measurement per operation call.

    ``tracer_provider`` and ``meter_provider`` default to the global providers (resolved lazily,
    so providers set after import are used).  ``name`` is the plugin name a client registers
    it under (and that ``blocked_plugins`` matches); the auto-loaded instance is ``otel``.

    When several instances are registered on one client, the one whose hooks run first (an
    instance passed in ``plugins=[...]`` runs before the auto-loaded one) records the call and
    the others leave it alone, so a call is never traced twice.
    """

    def __init__(
        self,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
        *,
        name: str = "otel.custom",
    ) -> None:
        self.name = name
        self._tracer = trace.get_tracer(
            INSTRUMENTATION_NAME, __version__, tracer_provider=tracer_provider
        )
        meter = metrics.get_meter(INSTRUMENTATION_NAME, __version__, meter_provider=meter_provider)
        self._duration = meter.create_histogram(
            DURATION_METRIC,
            unit="s",
            description="How long prefect-sdk API operations take, retries and waits included.",
            explicit_bucket_boundaries_advisory=list(_DURATION_BUCKETS),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"

    @hookimpl
    def prefect_sdk_request_started(self, call: Call, request: httpx.Request) -> None:
        if _STATE_KEY in call.state:
            return
        url = request.url
        method = request.method.upper()
        attributes: dict[str, Any] = {
            "http.request.method": method if method in _KNOWN_METHODS else "_OTHER",
            "server.address": url.host,
            "server.port": url.port or _DEFAULT_PORTS.get(url.scheme, 0),
            "prefect_sdk.operation": call.operation,
        }
        span_attributes = dict(attributes)
        span_attributes["url.full"] = safe_url(url)
        if method not in _KNOWN_METHODS:
            span_attributes["http.request.method_original"] = request.method
        span = self._tracer.start_span(
            method if method in _KNOWN_METHODS else "HTTP",
            kind=SpanKind.CLIENT,
            attributes=span_attributes,
        )
        call.state[_STATE_KEY] = _Traced(self, span, attributes)

    @hookimpl
    def prefect_sdk_request_finished(
        self,
        call: Call,
        response: httpx.Response | None,
        error: BaseException | None,
        duration: float,
    ) -> None:
        traced = call.state.get(_STATE_KEY)
        if not isinstance(traced, _Traced) or traced.owner is not self:
            return
        del call.state[_STATE_KEY]
        span, attributes = traced.span, traced.attributes
        error_type: str | None = None
        description: str | None = None
        if response is not None:
            attributes["http.response.status_code"] = response.status_code
            version = response.http_version.rpartition("/")[2]
            if version:
                attributes["network.protocol.version"] = version
            if response.status_code >= 400:
                error_type = str(response.status_code)
        if error is not None and error_type is None:
            error_type = _error_type(error)
            description = f"{type(error).__name__}: {error}"
        if error_type is not None:
            attributes["error.type"] = error_type
        if span.is_recording():
            span.set_attributes(attributes)
            if call.attempt > 1:
                span.set_attribute("http.request.resend_count", call.attempt - 1)
            if error is not None:
                span.record_exception(error)
            if error_type is not None:
                span.set_status(Status(StatusCode.ERROR, description))
        span.end()
        self._duration.record(duration, attributes)


plugin: OpenTelemetryPlugin = OpenTelemetryPlugin(name="otel")
"""The instance the ``prefect_sdk.plugins`` entry point registers (as ``otel``): global
providers."""
