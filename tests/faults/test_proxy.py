"""The fault proxy itself, seen from a plain httpx client: what each fault does on the wire,
that later attempts pass through, that keep-alive connections are kept, and what it counts."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.faults._harness import Direct
from tests.faults._proxy import FaultProxy

pytestmark = pytest.mark.integration

FLOWS = r"/flows/$"


@pytest.fixture(scope="module")
def proxy(api_url: str) -> Iterator[FaultProxy]:
    with FaultProxy(api_url, slow_seconds=1.5) as running:
        yield running


@pytest.fixture
def http(proxy: FaultProxy) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxy.api_url, timeout=5) as client:
        yield client


def new_name() -> str:
    return f"proxy-{uuid.uuid4().hex[:12]}"


def flow_exists(api_url: str, name: str) -> bool:
    direct = Direct(api_url)
    try:
        return direct.exists(f"/flows/name/{name}")
    finally:
        direct.close()


def test_keep_alive_and_counts(proxy: FaultProxy, http: httpx.Client) -> None:
    before = proxy.connections
    assert http.get("/health").json() is True
    assert http.get("/health").json() is True
    assert proxy.connections == before + 1  # one pooled connection, two requests
    assert proxy.count("GET", r"/api/health$") >= 2


@pytest.mark.parametrize(
    ("fault", "status", "retry_after"),
    [
        ("503", 503, None),
        ("503_retry_after_seconds", 503, "1"),
        ("503_retry_after_date", 503, "GMT"),
        ("429", 429, None),
        ("502_html", 502, None),
    ],
)
def test_answered_by_the_proxy(
    proxy: FaultProxy, http: httpx.Client, fault: str, status: int, retry_after: str | None
) -> None:
    name = new_name()
    with proxy.armed(fault, "POST", FLOWS, name) as armed:
        first = http.post("/flows/", json={"name": name})
        assert first.status_code == status
        if retry_after is None:
            assert "retry-after" not in first.headers
        else:
            assert retry_after in first.headers["retry-after"]
        if fault == "502_html":
            assert first.headers["content-type"] == "text/html"
            assert b"<html>" in first.content
        assert armed.fired and armed.forwarded == 0
        again = http.post("/flows/", json={"name": name})  # same connection, passed through
        assert again.status_code == 201
        assert armed.forwarded == 1 and armed.seen == 2


def test_marker_picks_the_request(proxy: FaultProxy, http: httpx.Client) -> None:
    name, other = new_name(), new_name()
    with proxy.armed("503", "POST", FLOWS, name) as armed:
        assert http.post("/flows/", json={"name": other}).status_code == 201
        assert not armed.fired
        assert http.post("/flows/", json={"name": name}).status_code == 503
        assert armed.fired


def test_reset_before_the_server_sees_it(
    proxy: FaultProxy, http: httpx.Client, api_url: str
) -> None:
    name = new_name()
    with proxy.armed("reset_before", "POST", FLOWS, name) as armed:
        with pytest.raises(httpx.TransportError):
            http.post("/flows/", json={"name": name})
        assert armed.fired and armed.forwarded == 0
    assert not flow_exists(api_url, name)


@pytest.mark.parametrize(
    ("fault", "error"),
    [("drop_response", httpx.TransportError), ("truncated", httpx.RemoteProtocolError)],
)
def test_answer_lost_after_the_server_committed(
    proxy: FaultProxy,
    http: httpx.Client,
    api_url: str,
    fault: str,
    error: type[Exception],
) -> None:
    name = new_name()
    with proxy.armed(fault, "POST", FLOWS, name) as armed:
        with pytest.raises(error):
            http.post("/flows/", json={"name": name})
        assert armed.forwarded == 1
    assert flow_exists(api_url, name)


def test_malformed_2xx(proxy: FaultProxy, http: httpx.Client, api_url: str) -> None:
    name = new_name()
    with proxy.armed("malformed_2xx", "POST", FLOWS, name):
        answer = http.post("/flows/", json={"name": name})
    assert answer.status_code == 201
    with pytest.raises(ValueError):
        answer.json()
    assert flow_exists(api_url, name)


def test_slow_answer(proxy: FaultProxy, api_url: str) -> None:
    name = new_name()
    with (
        httpx.Client(base_url=proxy.api_url, timeout=0.5) as http,
        proxy.armed("slow", "POST", FLOWS, name) as armed,
    ):
        with pytest.raises(httpx.ReadTimeout):
            http.post("/flows/", json={"name": name})
        assert armed.forwarded == 1
    assert flow_exists(api_url, name)


def test_delayed_request(proxy: FaultProxy, api_url: str) -> None:
    name = new_name()
    with (
        httpx.Client(base_url=proxy.api_url, timeout=0.5) as http,
        proxy.armed("delayed_request", "POST", FLOWS, name) as armed,
    ):
        with pytest.raises(httpx.ReadTimeout):
            http.post("/flows/", json={"name": name})
        assert armed.forwarded == 0  # still held
        assert proxy.settle(armed, timeout=10)
        assert armed.forwarded == 1  # it reached the server after the client gave up
    assert flow_exists(api_url, name)


def test_reset_in_flight(proxy: FaultProxy, http: httpx.Client, api_url: str) -> None:
    name = new_name()
    with proxy.armed("reset_in_flight", "POST", FLOWS, name) as armed:
        with pytest.raises(httpx.TransportError):
            http.post("/flows/", json={"name": name})
        assert armed.forwarded == 0  # reset at once, the request still held
        assert proxy.settle(armed, timeout=10)
        assert armed.forwarded == 1
    assert flow_exists(api_url, name)
