"""Secrets (the API key, the auth string, a credential in the API URL, custom header values)
appear in no exception, repr, log line or span, checked automatically.

Every exception class prefect-sdk defines must have a scenario here that makes a real client
raise it the way the client does (real sockets: the session's server, the secured server, the
Cloud emulator, a canned loopback HTTP server for answers a Prefect server never gives, a
refusing port and a silent one). Each scenario runs on both clients, once per way of passing a
credential (``PREFECT_API_KEY``, ``PREFECT_API_AUTH_STRING``, ``user:password@`` in the API URL),
and checks every surface of the error: ``str``, ``repr``, ``args``, notes, every attribute
(``request``, ``response`` ...), the formatted traceback, and the same for every exception in
its chain, a ``__context__`` hidden by ``raise ... from None`` included (it is still reachable).

Also checked: the reprs of settings, clients and auth objects, every log line (all loggers, at
DEBUG) and every OpenTelemetry span of real calls that succeed and fail, and the command line's
output.
"""

from __future__ import annotations

import ast
import base64
import importlib
import inspect
import json
import logging
import pkgutil
import re
import socket
import threading
import traceback
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import prefect_sdk
import prefect_sdk.exceptions
from prefect_sdk.client import PrefectClient, hookimpl
from prefect_sdk.cloud import CloudClient, SyncCloudClient
from prefect_sdk.concurrency import (
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLeaseRenewalError,
    ConcurrencySlotAcquisitionError,
)
from prefect_sdk.exceptions import (
    APIConnectionError,
    APITimeoutError,
    APIVersionMismatchError,
    AuthenticationError,
    ClientClosedError,
    FlowRunWaitTimeout,
    NotSupportedByServer,
    ObjectAlreadyExists,
    ObjectNotFound,
    PluginError,
    PrefectHTTPStatusError,
    PrefectSDKError,
    ServerValidationError,
    UnexpectedResponseError,
    ValidationError,
    WebSocketAuthenticationError,
)
from prefect_sdk.otel import OpenTelemetryPlugin
from prefect_sdk.settings import Secret, load_settings
from prefect_sdk.sync import SyncPrefectClient
from tests._support import (
    BASIC_AUTH,
    WEBSOCKET_AUTH,
    flavour_fixtures,
    has_basic_auth,
    needs_server,
    server_has_route,
    setup_request,
)
from tests.cloud_emulator import Emulator, run_emulator, seed_tenant

pytestmark = pytest.mark.anyio

flavour, anyio_backend, kind = flavour_fixtures()

ROOT = Path(__file__).resolve().parents[2]

# -- the secrets ----------------------------------------------------------------------------

API_KEY = f"pnu_{uuid.uuid4().hex}"  # shaped like a Cloud user key; unknown everywhere
AUTH_STRING = f"admin:pw-{uuid.uuid4().hex}"  # wrong for the secured server
HEADER_SECRET = f"hdr-{uuid.uuid4().hex}"  # a custom header's value (a proxy's token)
URL_USER = "urluser"
URL_PASSWORD = f"urlpw-{uuid.uuid4().hex}"  # a password in the API URL
MALFORMED_PASSWORD = f"mal-{uuid.uuid4().hex}/{uuid.uuid4().hex}"  # "/" not percent-encoded


def _basic(user_pass: str) -> str:
    return base64.b64encode(user_pass.encode()).decode()


# Every form a secret could take on its way out.
SECRET_FORMS = {
    "API key": API_KEY,
    "auth string": AUTH_STRING,
    "auth string's password": AUTH_STRING.partition(":")[2],
    "auth string as basic auth": _basic(AUTH_STRING),
    "custom header value": HEADER_SECRET,
    "URL password": URL_PASSWORD,
    "URL userinfo as basic auth": _basic(f"{URL_USER}:{URL_PASSWORD}"),
    "start of a malformed URL's password": MALFORMED_PASSWORD.partition("/")[0],
    "end of a malformed URL's password": MALFORMED_PASSWORD.partition("/")[2],
}

# How the credential is given: PREFECT_API_KEY, PREFECT_API_AUTH_STRING, or user:password in
# the API URL. The custom header is set in every mode.
MODES = ["api_key", "auth_string", "url_userinfo"]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PREFECT_CLIENT_CUSTOM_HEADERS", json.dumps({"X-Access": HEADER_SECRET}))
    if request.param == "api_key":
        monkeypatch.setenv("PREFECT_API_KEY", API_KEY)
    elif request.param == "auth_string":
        monkeypatch.setenv("PREFECT_API_AUTH_STRING", AUTH_STRING)
    return str(request.param)


def url_for(url: str, mode: str) -> str:
    """``url`` as the client is given it: with ``user:password@`` in ``url_userinfo`` mode."""
    if mode != "url_userinfo":
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{URL_USER}:{URL_PASSWORD}@{parts.netloc}"))


def leaks(texts: dict[str, str]) -> list[str]:
    return [
        f"{what} in {where}: {text[:300]!r}"
        for where, text in texts.items()
        for what, secret in SECRET_FORMS.items()
        if secret in text
    ]


# -- every surface of an exception --------------------------------------------------------


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, its causes and contexts (suppressed ones too), and the members of groups."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo:
        current = todo.pop()
        if any(current is s for s in seen) or len(seen) > 20:
            continue
        seen.append(current)
        todo += [e for e in (current.__cause__, current.__context__) if e is not None]
        todo += list(getattr(current, "exceptions", None) or ())  # an exception group
    return seen


def exception_texts(exc: BaseException) -> dict[str, str]:
    texts = {"traceback": "".join(traceback.format_exception(exc))}
    for depth, current in enumerate(_chain(exc)):
        where = f"{type(current).__name__}#{depth}"
        texts[f"str({where})"] = str(current)
        texts[f"repr({where})"] = repr(current)
        texts[f"{where}.args"] = repr(current.args)
        texts[f"{where}.__notes__"] = repr(getattr(current, "__notes__", []))
        for name, value in vars(current).items():
            texts[f"{where}.{name}"] = repr(value)
            texts[f"str({where}.{name})"] = str(value)
    return texts


# -- loopback servers ---------------------------------------------------------------------


class CannedServer:
    """A loopback HTTP server answering ``answers[(method, path)]`` (status, JSON-able or raw
    body) and 404 to anything else; it records the headers of every request it gets."""

    def __init__(self) -> None:
        self.answers: dict[tuple[str, str], tuple[int, Any]] = {}
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                path = self.path.split("?")[0]
                canned.seen.append((self.command, path, dict(self.headers.items())))
                status, body = canned.answers.get(
                    (self.command, path), (404, {"detail": "Not Found"})
                )
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/api"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> CannedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture(scope="module")
def canned() -> Iterator[CannedServer]:
    with CannedServer() as server:
        server.answers[("POST", "/api/flows/filter")] = (200, b"<html>a proxy's page</html>")
        server.answers[("POST", "/api/flow_runs/filter")] = (
            500,
            {"exception_message": "Internal Server Error"},
        )
        server.answers[("GET", "/api/version")] = (200, "1.0.0")
        yield server


@pytest.fixture(scope="module")
def refused_url() -> Iterator[str]:
    """A loopback port that refuses connections (bound, never listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api"


@pytest.fixture(scope="module")
def silent_url() -> Iterator[str]:
    """A loopback port that accepts connections (in the kernel's backlog) and never answers."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as sock:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/api"


@pytest.fixture(scope="module")
def cloud_emulator(api_url: str) -> Iterator[Emulator]:
    with run_emulator(api_url) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def scheduled_run(api_url: str) -> str:
    flow = setup_request(api_url, "POST", "/flows/", {"name": f"secrets-{uuid.uuid4().hex[:8]}"})
    run = setup_request(api_url, "POST", "/flow_runs/", {"flow_id": flow["id"]})
    return str(run["id"])


# -- the scenarios ------------------------------------------------------------------------


@dataclass
class Ctx:
    kind: str  # "async" | "sync"
    mode: str
    api_url: str
    request: pytest.FixtureRequest

    def fixture(self, name: str) -> Any:
        return self.request.getfixturevalue(name)

    def client(
        self, url: str, *, raw: bool = False, retries: int | None = None, **kwargs: Any
    ) -> Any:
        """A client of this kind for ``url`` (with the mode's userinfo, unless ``raw``)."""
        cls = SyncPrefectClient if self.kind == "sync" else PrefectClient
        if retries is not None:
            kwargs["settings"] = load_settings(max_retries=retries)
        return cls(api=url if raw else url_for(url, self.mode), **kwargs)

    async def call(self, url: str, op: str, *args: Any, **kwargs: Any) -> Any:
        options = kwargs.pop("client_options", {})
        client = self.client(url, **options)
        if self.kind == "sync":
            with client:
                return getattr(client, op)(*args, **kwargs)
        async with client:
            return await getattr(client, op)(*args, **kwargs)

    async def stream(self, url: str, op: str) -> None:
        client = self.client(url)
        if self.kind == "sync":
            with client, getattr(client, op)():
                pass
            return
        async with client, getattr(client, op)():
            pass

    @asynccontextmanager
    async def opened(self, url: str) -> AsyncIterator[Any]:
        client = self.client(url)
        if self.kind == "sync":
            with client:
                yield client
        else:
            async with client:
                yield client

    async def invoke(self, client: Any, op: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(client, op)(*args, **kwargs)
        return result if self.kind == "sync" else await result

    @asynccontextmanager
    async def holding(self, client: Any, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        """``prefect_sdk.concurrency``'s helper of this kind, with ``client``."""
        from prefect_sdk.concurrency import concurrency
        from prefect_sdk.concurrency import sync as blocking

        if self.kind == "sync":
            with blocking.concurrency(*args, client=client, **kwargs) as lease:
                yield lease
        else:
            async with concurrency(*args, client=client, **kwargs) as lease:
                yield lease

    def new_limit(self) -> str:
        name = f"secrets-{uuid.uuid4().hex[:10]}"
        setup_request(self.api_url, "POST", "/v2/concurrency_limits/", {"name": name, "limit": 1})
        return name


Scenario = Callable[[Ctx], Awaitable[Any]]


def blocking_sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)


# For a refused or silent port, whose retries would only take time.
NO_RETRIES = {"retries": 0}


async def not_found(ctx: Ctx) -> Any:
    return await ctx.call(ctx.api_url, "read_flow", uuid.uuid4())


async def already_exists(ctx: Ctx) -> Any:
    name = f"secrets_{uuid.uuid4().hex[:10]}"
    await ctx.call(ctx.api_url, "create_variable", {"name": name, "value": 1})
    return await ctx.call(ctx.api_url, "create_variable", {"name": name, "value": 1})


async def server_validation(ctx: Ctx) -> Any:
    return await ctx.call(ctx.api_url, "create_flow", "has/slash")


async def auth_refused(ctx: Ctx) -> Any:
    return await ctx.call(ctx.fixture("secured_api_url"), "read_flows")


async def auth_refused_on_a_change(ctx: Ctx) -> Any:
    # A POST: the CSRF token request goes first, with the same credentials.
    return await ctx.call(ctx.fixture("secured_api_url"), "create_flow", "secrets")


async def websocket_refused(ctx: Ctx) -> Any:
    return await ctx.stream(ctx.fixture("secured_api_url"), "subscribe_events")


async def cloud_auth_refused(ctx: Ctx) -> Any:
    emulator: Emulator = ctx.fixture("cloud_emulator")
    host = url_for(emulator.url, ctx.mode)
    if ctx.kind == "sync":
        with SyncCloudClient(host=host) as sync_cloud:
            return sync_cloud.read_workspaces()
    async with CloudClient(host=host) as cloud:
        return await cloud.read_workspaces()


async def http_status(ctx: Ctx) -> Any:
    return await ctx.call(ctx.fixture("canned").url, "read_flow_runs")


async def unexpected_response(ctx: Ctx) -> Any:
    return await ctx.call(ctx.fixture("canned").url, "read_flows")


async def version_mismatch(ctx: Ctx) -> Any:
    return await ctx.call(ctx.fixture("canned").url, "raise_for_api_version_mismatch")


async def not_supported(ctx: Ctx) -> Any:
    return await ctx.stream(ctx.fixture("canned").url, "subscribe_events")


async def connection_refused(ctx: Ctx) -> Any:
    return await ctx.call(ctx.fixture("refused_url"), "read_flows", client_options=NO_RETRIES)


async def timed_out(ctx: Ctx) -> Any:
    monkeypatch: pytest.MonkeyPatch = ctx.fixture("monkeypatch")
    monkeypatch.setenv("PREFECT_API_REQUEST_TIMEOUT", "0.3")
    # A GET: a change (POST) first asks for a CSRF token, a request sent without a timeout.
    return await ctx.call(
        ctx.fixture("silent_url"), "read_flow", uuid.uuid4(), client_options=NO_RETRIES
    )


async def closed(ctx: Ctx) -> Any:
    client = ctx.client(ctx.api_url)
    if ctx.kind == "sync":
        client.close()
        return client.read_flows()
    await client.aclose()
    return await client.read_flows()


class FailingPlugin:
    name = "failing"

    @hookimpl
    def prefect_sdk_request(self, request: Any, call: Any) -> None:
        raise RuntimeError(f"cannot handle {call.operation}")


async def plugin_failed(ctx: Ctx) -> Any:
    return await ctx.call(ctx.api_url, "read_flows", client_options={"plugins": [FailingPlugin()]})


async def wait_timed_out(ctx: Ctx) -> Any:
    run = ctx.fixture("scheduled_run")
    return await ctx.call(ctx.api_url, "wait_for_flow_run", run, timeout=0)


async def bad_argument(ctx: Ctx) -> Any:
    return await ctx.call(ctx.api_url, "read_flow_run", "not-a-uuid")


async def bad_url(ctx: Ctx) -> Any:
    # A scheme the client refuses, with a password in the URL whatever the mode.
    url = f"ftp://{URL_USER}:{URL_PASSWORD}@127.0.0.1/api"
    return await ctx.call(url, "read_flows", client_options={"raw": True})


async def bad_url_without_scheme(ctx: Ctx) -> Any:
    url = f"{URL_USER}:{URL_PASSWORD}@127.0.0.1:4200/api"
    return await ctx.call(url, "read_flows", client_options={"raw": True})


async def malformed_url(ctx: Ctx) -> Any:
    # A password with an unencoded "/" (it must be %2F): the URL does not parse.
    url = f"http://{URL_USER}:{MALFORMED_PASSWORD}@127.0.0.1:4200/api"
    return await ctx.call(url, "read_flows", client_options={"raw": True})


async def slots_strict(ctx: Ctx) -> Any:
    missing = f"missing-{uuid.uuid4().hex[:8]}"
    async with ctx.opened(ctx.api_url) as client, ctx.holding(client, missing, strict=True):
        pytest.fail("the block must not run")


async def slots_timed_out(ctx: Ctx) -> Any:
    name = ctx.new_limit()
    async with (
        ctx.opened(ctx.api_url) as client,
        ctx.holding(client, name),
        ctx.holding(client, name, timeout_seconds=0),
    ):
        pytest.fail("the block must not run")


async def lease_lost(ctx: Ctx) -> Any:
    import anyio

    from prefect_sdk.concurrency import _core

    monkeypatch: pytest.MonkeyPatch = ctx.fixture("monkeypatch")
    # Renew every 0.045 s instead of every 45 s; the lease is then released behind the
    # helper's back, so a renewal fails.
    monkeypatch.setattr(_core, "RENEWAL_FRACTION", 0.00075)
    name = ctx.new_limit()
    async with (
        ctx.opened(ctx.api_url) as client,
        ctx.holding(client, name, lease_duration=60, raise_on_lease_renewal_failure=True) as lease,
    ):
        await ctx.invoke(client, "release_concurrency_slots_with_lease", lease.lease_id)
        if ctx.kind == "sync":
            # A blocking block is not interrupted: it raises at its end, once the renewing
            # thread has given up (the test's own thread may block here).
            blocking_sleep(3)
        else:
            await anyio.sleep(30)  # cancelled once the renewal fails


SCENARIOS: dict[str, tuple[type[BaseException], Scenario]] = {
    "not_found": (ObjectNotFound, not_found),
    "already_exists": (ObjectAlreadyExists, already_exists),
    "server_validation": (ServerValidationError, server_validation),
    "auth_refused": (AuthenticationError, auth_refused),
    "auth_refused_on_a_change": (AuthenticationError, auth_refused_on_a_change),
    "websocket_refused": (WebSocketAuthenticationError, websocket_refused),
    "cloud_auth_refused": (AuthenticationError, cloud_auth_refused),
    "http_status": (PrefectHTTPStatusError, http_status),
    "unexpected_response": (UnexpectedResponseError, unexpected_response),
    "version_mismatch": (APIVersionMismatchError, version_mismatch),
    "not_supported": (NotSupportedByServer, not_supported),
    "connection_refused": (APIConnectionError, connection_refused),
    "timed_out": (APITimeoutError, timed_out),
    "closed": (ClientClosedError, closed),
    "plugin_failed": (PluginError, plugin_failed),
    "wait_timed_out": (FlowRunWaitTimeout, wait_timed_out),
    "bad_argument": (ValidationError, bad_argument),
    "bad_url": (ValidationError, bad_url),
    "bad_url_without_scheme": (ValidationError, bad_url_without_scheme),
    "malformed_url": (ValidationError, malformed_url),
    "slots_strict": (ConcurrencySlotAcquisitionError, slots_strict),
    "slots_timed_out": (AcquireConcurrencySlotTimeoutError, slots_timed_out),
    "lease_lost": (ConcurrencyLeaseRenewalError, lease_lost),
}

# Scenarios on a route older servers lack: there the client's NotSupportedByServer is the
# exception that must not show a secret (the concurrency leases came with 3.4; 3.2.15 has none).
ROUTE_NEEDED: dict[str, tuple[str, str]] = {
    name: ("POST", "/v2/concurrency_limits/increment-with-lease")
    for name in ("slots_strict", "slots_timed_out", "lease_lost")
}

# Base classes the client never raises as such (checked below: nothing constructs them).
ABSTRACT: set[type[BaseException]] = {PrefectSDKError}


def _covered_elsewhere() -> dict[type[BaseException], str]:
    """Exception classes checked by another test here (the one named) than the scenarios."""
    from prefect_sdk.cli._app import CLIError

    # The command line prints its errors: checked on its output.
    return {CLIError: "test_no_cli_output_shows_a_secret"}


def needs(run: Scenario) -> list[str]:
    """The fixtures a scenario asks its ``Ctx`` for: set up before it runs, so that a fixture
    failing is not taken for the scenario's exception."""
    return re.findall(r'ctx\.fixture\("(\w+)"\)', inspect.getsource(run))


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
async def test_no_exception_shows_a_secret(
    scenario: str, kind: str, mode: str, api_url: str, request: pytest.FixtureRequest
) -> None:
    expected, run = SCENARIOS[scenario]
    if "secured_api_url" in needs(run):  # refused credentials
        needs_server(api_url, *BASIC_AUTH)
    if scenario == "websocket_refused":
        needs_server(api_url, *WEBSOCKET_AUTH)
    if scenario in ROUTE_NEEDED and not server_has_route(api_url, *ROUTE_NEEDED[scenario]):
        expected = NotSupportedByServer
    for name in needs(run):
        request.getfixturevalue(name)
    with pytest.raises(BaseException) as info:
        await run(Ctx(kind, mode, api_url, request))
    assert type(info.value) is expected, "".join(traceback.format_exception(info.value))
    assert leaks(exception_texts(info.value)) == []


def _sdk_exception_classes() -> set[type[BaseException]]:
    """Every exception class defined in prefect-sdk's modules but the embedded dev server's
    (which runs a server, not requests) and the quickstart's."""
    found: set[type[BaseException]] = set()
    skip = ("prefect_sdk.devserver", "prefect_sdk.quickstart")
    for info in pkgutil.walk_packages(prefect_sdk.__path__, "prefect_sdk."):
        if info.name.startswith(skip):
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            module_name = value.__module__
            if (
                issubclass(value, BaseException)
                and module_name.startswith("prefect_sdk.")
                and not module_name.startswith(skip)
            ):
                found.add(value)
    return found


def test_every_exception_class_has_a_scenario() -> None:
    exported = {
        value
        for _, value in inspect.getmembers(prefect_sdk.exceptions, inspect.isclass)
        if issubclass(value, BaseException)
    }
    defined = _sdk_exception_classes()
    assert exported <= defined and len(exported) > 10
    covered = {expected for expected, _ in SCENARIOS.values()} | set(_covered_elsewhere())
    missing = defined - covered - ABSTRACT
    assert not missing, f"no secrets scenario raises {sorted(c.__name__ for c in missing)}"


def test_abstract_exceptions_are_never_raised_as_such() -> None:
    names = {cls.__name__ for cls in ABSTRACT}
    sources = [
        *(ROOT / "packages").glob("*/src/**/*.py"),
        *(ROOT / "plugins").glob("*/src/**/*.py"),
    ]
    assert len(sources) > 20
    made = []
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called in names:
                    made.append(f"{path.relative_to(ROOT)}:{node.lineno} {called}(...)")
    assert not made


# -- the secrets do get sent ----------------------------------------------------------------


async def test_the_secrets_are_really_sent(
    kind: str, mode: str, request: pytest.FixtureRequest, canned: CannedServer
) -> None:
    # Absence would prove nothing if the client never had the secrets: the canned server sees
    # them on the wire (on every request: the version probe of a 404 included).
    canned.seen.clear()
    with pytest.raises(PrefectSDKError):
        await Ctx(kind, mode, canned.url, request).call(canned.url, "read_flow", uuid.uuid4())
    assert canned.seen
    for _method, _path, headers in canned.seen:
        assert headers.get("X-Access") == HEADER_SECRET
        if mode == "api_key":
            assert headers.get("Authorization") == f"Bearer {API_KEY}"
        elif mode == "auth_string":
            assert headers.get("Authorization") == f"Basic {_basic(AUTH_STRING)}"


# -- reprs of everything holding a secret ---------------------------------------------------


def test_no_repr_shows_a_secret(monkeypatch: pytest.MonkeyPatch, api_url: str) -> None:
    monkeypatch.setenv("PREFECT_API_KEY", API_KEY)
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", AUTH_STRING)
    monkeypatch.setenv("PREFECT_CLIENT_CUSTOM_HEADERS", json.dumps({"X-Access": HEADER_SECRET}))
    monkeypatch.setenv("PREFECT_API_URL", url_for(api_url, "url_userinfo"))
    cloud_api = url_for("https://api.prefect.test/api", "url_userinfo")
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", cloud_api)
    settings = load_settings()
    assert settings.api_key is not None and settings.api_key.get_secret_value() == API_KEY
    objects: dict[str, Any] = {
        "Settings": settings,
        "Secret": Secret(API_KEY),
        "PrefectClient": PrefectClient(),
        "PrefectClient(api_key=)": PrefectClient(api_key=API_KEY),
        "SyncPrefectClient": SyncPrefectClient(),
        "CloudClient": CloudClient(host=url_for("https://api.prefect.test/api", "url_userinfo")),
        "SyncCloudClient": SyncCloudClient(api_key=API_KEY),
    }
    for name in ("PrefectClient", "SyncPrefectClient"):
        client = objects[name]
        objects[f"{name}.settings"] = client.settings
        auth = client._client_kwargs()["auth"]
        objects[f"{name} auth"] = auth
        objects[f"{name} credentials"] = auth.inner
    # Without a key, the auth string is the credential: basic auth.
    monkeypatch.delenv("PREFECT_API_KEY")
    basic = PrefectClient()._client_kwargs()["auth"]
    objects["basic auth"] = basic
    objects["basic auth credentials"] = basic.inner
    texts = {}
    for name, value in objects.items():
        texts[f"repr({name})"] = repr(value)
        texts[f"str({name})"] = str(value)
    assert leaks(texts) == []


async def test_cloud_objects_show_no_key(
    kind: str, api_url: str, cloud_emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    tenant = seed_tenant(cloud_emulator)
    monkeypatch.setenv("PREFECT_API_KEY", tenant.key)
    texts: dict[str, str] = {}
    workspace_client: Any
    if kind == "sync":
        with SyncCloudClient(host=cloud_emulator.url) as cloud:
            workspaces = cloud.read_workspaces()
            workspace_client = workspaces[0].get_client(sync_client=True)
            texts["cloud"] = repr(cloud)
    else:
        async with CloudClient(host=cloud_emulator.url) as cloud:
            workspaces = await cloud.read_workspaces()
            workspace_client = workspaces[0].get_client()
            texts["cloud"] = repr(cloud)
    for i, workspace in enumerate(workspaces):
        texts[f"workspace {i}"] = repr(workspace) + str(workspace)
        texts[f"workspace {i} dump"] = repr(workspace.model_dump())
    texts["workspace client"] = repr(workspace_client) + repr(workspace_client.settings)
    # The key is the tenant's here, not API_KEY: check it the same way.
    found = [where for where, text in texts.items() if tenant.key in text]
    assert found == [], found


# -- log lines and spans of real calls, failed ones included --------------------------------


async def real_calls(ctx: Ctx, **client_options: Any) -> list[BaseException]:
    """Calls that succeed and calls that fail (404, 401, refused), on real sockets."""
    errors: list[BaseException] = []
    await ctx.call(ctx.api_url, "read_flows", limit=1, client_options=client_options)
    failing: list[tuple[str, str, tuple[Any, ...]]] = [(ctx.api_url, "read_flow", (uuid.uuid4(),))]
    refused: list[type[BaseException]] = []
    if has_basic_auth(ctx.api_url):  # before 3.2 the secured server lets every caller in
        failing += [
            (ctx.fixture("secured_api_url"), "read_flows", ()),
            (ctx.fixture("secured_api_url"), "create_flow", ("secrets",)),
        ]
        refused = [AuthenticationError, AuthenticationError]
    failing.append((ctx.fixture("refused_url"), "read_flows", ()))
    for url, op, args in failing:
        options = dict(client_options)
        if url == ctx.fixture("refused_url"):
            options.update(NO_RETRIES)
        try:
            await ctx.call(url, op, *args, client_options=options)
        except PrefectSDKError as exc:
            errors.append(exc)
    assert [type(e) for e in errors] == [ObjectNotFound, *refused, APIConnectionError]
    return errors


async def test_no_log_line_shows_a_secret(
    kind: str, mode: str, api_url: str, request: pytest.FixtureRequest, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: the SDK's, httpx's, httpcore's
    await real_calls(Ctx(kind, mode, api_url, request))
    ours = [r for r in caplog.records if r.name.startswith("prefect_sdk.client")]
    assert ours, "the prefect_sdk.client logger logged nothing at DEBUG"
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    texts = {
        f"{record.name} line {i}": formatter.format(record) + repr(record.args)
        for i, record in enumerate(caplog.records)
    }
    assert leaks(texts) == []


async def test_no_span_shows_a_secret(
    kind: str, mode: str, api_url: str, request: pytest.FixtureRequest
) -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    plugin = OpenTelemetryPlugin(tracer_provider=provider)
    try:
        errors = await real_calls(Ctx(kind, mode, api_url, request), plugins=[plugin])
        spans = exporter.get_finished_spans()
    finally:
        provider.shutdown()
    assert len(spans) >= 1 + len(errors)  # a span per call at least
    assert any(event.name == "exception" for span in spans for event in span.events)
    texts = {f"span {i} ({span.name})": span.to_json() for i, span in enumerate(spans)}
    assert leaks(texts) == []


# -- the command line's output ------------------------------------------------------------


def test_no_cli_output_shows_a_secret(
    mode: str,
    api_url: str,
    refused_url: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from prefect_sdk.cli import EXIT_API, main

    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    runs = {
        "no such flow run (CLIError)": (api_url, ["flow-runs", "inspect", str(uuid.uuid4())]),
        "no such variable (CLIError)": (api_url, ["variables", "get", "secrets_missing"]),
        "connection refused": (refused_url, ["work-pools", "ls"]),
    }
    if has_basic_auth(api_url):  # before 3.2 the secured server lets every caller in
        secured_api_url = str(request.getfixturevalue("secured_api_url"))
        runs["credentials refused"] = (secured_api_url, ["flow-runs", "ls"])
        runs["change refused"] = (secured_api_url, ["variables", "set", "secrets_x", "1"])
    texts: dict[str, str] = {}
    for what, (url, args) in runs.items():
        code = main(["--api-url", url_for(url, mode), *args])
        out, err = capsys.readouterr()
        assert code == EXIT_API, (what, code, out, err)
        assert err.startswith("error: "), (what, err)
        texts[what] = out + err
    assert "no flow run" in texts["no such flow run (CLIError)"]
    assert "no variable" in texts["no such variable (CLIError)"]
    assert leaks(texts) == []
