"""Helpers shared by the test modules (imported as ``tests._support``)."""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

# (operation, "async" | "sync") of every call this session made to a real server on loopback
# (recorded by tests/conftest.py); tests/integration/test_zz_every_operation_ran.py checks it
# covers every operation. Kept here, not in conftest: pytest imports a conftest under a name
# of its own, so a test importing ``tests.conftest`` would see a second, empty set.
OPERATIONS_SENT: set[tuple[str, str]] = set()
# (operation, method, path, JSON body) of the first few bodies of each operation sent to the
# real server this session: test_zz_every_operation_ran checks each against the server's schema.
BODIES_SENT: dict[str, list[tuple[str, str, Any]]] = {}
BODIES_PER_OPERATION = 6


class NotAServerRoute(LookupError):
    """A route of Prefect Cloud's own API (accounts, workspaces, ``/me/``), not the server's."""


def route_schema(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    """The request-body schema of the OpenAPI route matching ``method path`` (literal routes
    before routes with slots: ``/flow_runs/filter`` is not ``/flow_runs/{id}``), or ``None``
    when the route takes no body. A Cloud workspace's prefix is taken off first."""
    import re

    path = re.sub(r"^/accounts/[^/]+/workspaces/[^/]+(?=/)", "", path)
    templates = sorted(document["paths"], key=lambda t: (t.count("{"), t))
    for template in templates:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        operations = document["paths"][template]
        if re.match(pattern, path) and method.lower() in operations:
            body = operations[method.lower()].get("requestBody")
            if body is None:
                return None
            schema: dict[str, Any] = body["content"]["application/json"]["schema"]
            return schema
    if path.startswith(("/accounts", "/me")):
        raise NotAServerRoute(path)
    raise AssertionError(f"no route for {method} {path}")


def route_for_path(document: dict[str, Any], method: str, path: str) -> str | None:
    """The template of the OpenAPI route of ``document`` matching ``method path`` (literal
    routes first, as ``route_schema`` matches them), or ``None`` when it has none."""
    templates = sorted(document["paths"], key=lambda t: (t.count("{"), t))
    for template in templates:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in document["paths"][template]:
            return str(template)
    return None


def document_has_route(document: dict[str, Any], method: str, template: str) -> bool:
    """Whether ``document`` has the route ``method template``, whatever its slots are named
    (the client's ``/flows/{flow_id:id}`` is the server's ``/flows/{id}``)."""
    shape = re.sub(r"\{[^}]+\}", "{}", template)
    return any(
        re.sub(r"\{[^}]+\}", "{}", known) == shape and method.lower() in operations
        for known, operations in document["paths"].items()
    )


def newest_openapi() -> dict[str, Any]:
    """The OpenAPI document of the newest server the client is built for
    (``tools/openapi-prefect-<version>.json`` of the highest version)."""
    import json
    from pathlib import Path

    tools = Path(__file__).resolve().parent.parent / "tools"
    found = {
        path.name.removeprefix("openapi-prefect-").removesuffix(".json"): path
        for path in tools.glob("openapi-prefect-*.json")
    }
    newest = max(found, key=version_tuple)
    document: dict[str, Any] = json.loads(found[newest].read_text())
    return document


# An ISO 8601 duration, as pydantic reads a timedelta from a string ("PT5M", "P1DT2H").
ISO_DURATION = re.compile(
    r"-?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?"
)


# Timedelta fields (component, property) that servers before 3.6 describe as a bare number,
# without the ``time-delta`` format pydantic gives its other timedeltas: a schedule's interval
# (their IntervalSchedule.interval is a PositiveDuration, a timedelta).
BARE_NUMBER_TIMEDELTAS = {("IntervalSchedule", "interval")}


def body_validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A Draft 2020-12 validator (formats checked) for a request body ``schema`` of
    ``document``. Servers describe timedeltas as ``{"type": "number", "format": "time-delta"}``
    (or, for BARE_NUMBER_TIMEDELTAS, a bare number) while their pydantic also reads an ISO 8601
    duration string, which the client sends: for these only, such a string passes the type
    check too."""
    import copy

    import jsonschema  # type: ignore[import-untyped]

    components = document["components"]
    bare = [
        (component, field)
        for component, field in sorted(BARE_NUMBER_TIMEDELTAS)
        if components["schemas"].get(component, {}).get("properties", {}).get(field, {}).get("type")
        == "number"
    ]
    if bare:
        components = copy.deepcopy(components)
        for component, field in bare:
            components["schemas"][component]["properties"][field]["format"] = "time-delta"

    base = jsonschema.Draft202012Validator
    check_type = base.VALIDATORS["type"]

    def type_or_duration(validator: Any, types: Any, instance: Any, where: Any) -> Any:
        if (
            where.get("format") == "time-delta"
            and isinstance(instance, str)
            and ISO_DURATION.fullmatch(instance)
        ):
            return
        yield from check_type(validator, types, instance, where)

    cls = jsonschema.validators.extend(base, {"type": type_or_duration})
    return cls({**schema, "components": components}, format_checker=base.FORMAT_CHECKER)


def setup_request(api_url: str, method: str, path: str, body: Any = None) -> Any:
    """Test set-up through plain HTTP (another resource's route, whose own tests cover its
    client method). Like the client, it repeats the server's own rolled-back 503 (a busy
    SQLite database did nothing), so set-up does not flake where the client would not."""
    import time

    import httpx

    from prefect_sdk.client._builtins import server_rolled_back

    for attempt in range(6):
        response = httpx.request(method, f"{api_url}{path}", json=body, timeout=30)
        if not server_rolled_back(response) or attempt == 5:
            break
        time.sleep(0.2 * (attempt + 1))
    response.raise_for_status()
    return response.json() if response.content else None


# -- the server's version: what an older server of the matrix lacks -------------------------

_SERVER_VERSIONS: dict[str, str] = {}


def server_version(api_url: str) -> str:
    """The Prefect version of the server at ``api_url`` (``GET /admin/version``, read once)."""
    if api_url not in _SERVER_VERSIONS:
        _SERVER_VERSIONS[api_url] = str(setup_request(api_url, "GET", "/admin/version"))
    return _SERVER_VERSIONS[api_url]


def version_tuple(version: str) -> tuple[int, int, int]:
    """``"3.6.29"`` as ``(3, 6, 29)``."""
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", version)
    assert match, f"not a Prefect version: {version!r}"
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def expected_server_version() -> str | None:
    """The Prefect version the session's server was meant to be: ``PREFECT_SDK_SERVER_VERSION``
    when set (the version matrix sets it), else the version ``PrefectServer()`` starts when the
    session started the server itself; ``None`` for a server given by ``PREFECT_SDK_TEST_API_URL``
    alone, of whatever version it is."""
    import os

    from prefect_sdk.devserver import VERSION_ENV, default_version

    if os.environ.get(VERSION_ENV, "").strip() or not os.environ.get("PREFECT_SDK_TEST_API_URL"):
        return default_version()
    return None


def server_older_than(api_url: str, version: str) -> bool:
    """Whether the session's server is a Prefect release before ``version``."""
    return version_tuple(server_version(api_url)) < version_tuple(version)


_SERVER_DOCUMENTS: dict[str, dict[str, Any]] = {}


def server_document(api_url: str) -> dict[str, Any]:
    """The OpenAPI document of the server at ``api_url`` (``GET /openapi.json``, read once)."""
    if api_url not in _SERVER_DOCUMENTS:
        _SERVER_DOCUMENTS[api_url] = setup_request(api_url, "GET", "/openapi.json")
    return _SERVER_DOCUMENTS[api_url]


def server_has_route(api_url: str, method: str, template: str) -> bool:
    """Whether the server at ``api_url`` has the route ``method template`` (as its OpenAPI
    document spells it: ``/ui/task_runs/{id}``)."""
    return method.lower() in server_document(api_url)["paths"].get(template, {})


def needs_server(api_url: str, version: str, what: str) -> None:
    """Skip the calling test on a server older than ``version``, which lacks ``what``."""
    if server_older_than(api_url, version):
        found = server_version(api_url)
        pytest.skip(f"{what}: Prefect {version} or newer (this server is {found})")


# The secured server's basic auth (PREFECT_SERVER_API_AUTH_STRING) came during 3.1
# (PrefectHQ/prefect#16408): 3.0.11 ignores the setting and lets every caller in, 3.2.15 checks
# it. CSRF protection (PREFECT_SERVER_CSRF_PROTECTION_ENABLED) is older: 3.0.11 has it.
BASIC_AUTH = ("3.2.0", "basic auth (PREFECT_SERVER_API_AUTH_STRING)")
# Websockets (/events/out) check those credentials from 3.4 (3.4.25 does, in its auth message;
# 3.2.15 lets any token subscribe).
WEBSOCKET_AUTH = ("3.4.0", "websocket credentials checked against PREFECT_SERVER_API_AUTH_STRING")


def has_basic_auth(api_url: str) -> bool:
    """Whether servers of the version at ``api_url`` check basic auth credentials."""
    return not server_older_than(api_url, BASIC_AUTH[0])


async def run_in_pool(
    client: Any, api_url: str, flow: Any, state: Any, pool: str, queue: str | None = None
) -> Any:
    """A flow run of ``flow`` in the work pool ``pool`` (and ``queue``), in ``state``. A 3.0
    server has no pool fields on a flow run (3.2 has them): there it goes through a
    deployment in that pool."""
    if not server_older_than(api_url, "3.2.0"):
        return await client.create_flow_run(
            flow, state=state, work_pool_name=pool, work_queue_name=queue
        )
    deployment = await client.create_deployment(
        flow, f"{pool}-{queue or 'default'}", work_pool_name=pool, work_queue_name=queue
    )
    return await client.create_flow_run_from_deployment(deployment.id, state=state)


# -- fresh interpreters ----------------------------------------------------------------------


def fresh_python(code: str, prefect_home: Any, **env: str) -> str:
    """Run ``code`` in a new interpreter, with no ``PREFECT_*`` setting of this process (a
    ``PREFECT_HOME`` of its own, and ``env`` on top); its standard output, stripped."""
    import os
    import subprocess
    import sys

    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    environment["PREFECT_HOME"] = str(prefect_home)
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# -- one test body for the async and the sync client ----------------------------------------


class AwaitableSync:
    """A blocking client presented with the async calling convention.

    Calls really block (no thread, no loop); their results are wrapped so ``await`` works, a
    generator becomes an async iterator, a blocking client result (a workspace client) is
    wrapped in turn, and ``async with`` enters the blocking client.
    """

    def __init__(self, wrapped: Any) -> None:
        self.sync = wrapped

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.sync, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            if inspect.isgenerator(result):
                return _aiter(result)
            return _Ready(_wrap(result))

        return call

    def workspace_client(self, *args: Any, **kwargs: Any) -> AwaitableSync:
        # Building a client is not I/O in either flavour: no await, as on the async client.
        return AwaitableSync(self.sync.workspace_client(*args, **kwargs))

    async def __aenter__(self) -> AwaitableSync:
        self.sync.__enter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.sync.__exit__(*exc)


def _wrap(value: Any) -> Any:
    from prefect_sdk.sync import SyncPrefectClient

    return AwaitableSync(value) if isinstance(value, SyncPrefectClient) else value


class _Ready:
    """An already-computed value that can be awaited."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __await__(self) -> Iterator[Any]:
        return self.value
        yield  # pragma: no cover


async def _aiter(gen: Iterator[Any]) -> AsyncIterator[Any]:
    for item in gen:
        yield item


# -- injected faults ----------------------------------------------------------------------

MOCK_API = "http://prefect.test/api"
Handler = Callable[[Any], Any]


def respond(*responses: Any) -> tuple[Handler, list[Any]]:
    """A MockTransport handler answering with ``responses`` in turn (the last one repeats);
    an exception in the list is raised instead. Returns it and the list of requests seen.

    It plays a server without CSRF protection: token requests get 422 and are not recorded.
    """
    import httpx

    seen: list[Any] = []
    queue = list(responses)

    def handler(request: Any) -> Any:
        if request.url.path.endswith("/csrf-token"):
            return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
        seen.append(request)
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return handler, seen


async def call_with(kind: str, handler: Handler, op: str, *args: Any, **kwargs: Any) -> Any:
    """Run one operation on a fresh client of ``kind`` ("async"/"sync") whose transport is
    ``handler``; ``client_options`` go to the client's constructor."""
    import httpx

    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    options = dict(kwargs.pop("client_options", {}))
    api = options.pop("api", MOCK_API)
    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=api, httpx_settings=settings, **options) as sync_client:
            return getattr(sync_client, op)(*args, **kwargs)
    async with PrefectClient(api=api, httpx_settings=settings, **options) as client:
        return await getattr(client, op)(*args, **kwargs)


def flavour_fixtures() -> tuple[Any, Any, Any]:
    """``flavour`` (async-asyncio, async-trio, sync), ``anyio_backend`` and ``kind`` fixtures
    for a test module: ``flavour, anyio_backend, kind = flavour_fixtures()``."""

    @pytest.fixture(params=["async-asyncio", "async-trio", "sync"])
    def flavour(request: pytest.FixtureRequest) -> str:
        return str(request.param)

    @pytest.fixture
    def anyio_backend(flavour: str) -> str:
        return "trio" if flavour == "async-trio" else "asyncio"

    @pytest.fixture
    def kind(flavour: str) -> str:
        return "sync" if flavour == "sync" else "async"

    return flavour, anyio_backend, kind


# -- generated twins ----------------------------------------------------------------------


def public_methods(cls: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def _unasync_text(text: str | None) -> str | None:
    """A docstring as tools/unasync.py writes it into the blocking twin."""
    if text is None:
        return None
    from tools.unasync import RULES

    for pattern, replacement in RULES:
        text = re.sub(pattern, replacement, text)
    return text


def twin_problems(async_cls: type, sync_cls: type) -> list[str]:
    """Every way ``sync_cls`` fails to be the exact blocking twin of ``async_cls``: a missing
    or extra method, other parameters or defaults, another return annotation (minus the
    coroutine; async clients map to their sync twins), another docstring."""
    async_methods = public_methods(async_cls)
    sync_methods = public_methods(sync_cls)
    renamed = {"aclose": "close"}
    twin_types = {
        r"\bAsyncIterator\b": "Iterator",
        r"\bAsyncStream\b": "SyncStream",
        r"\bPrefectClient\b": "SyncPrefectClient",
        r"\bCloudClient\b": "SyncCloudClient",
    }
    where = sync_cls.__name__
    problems = []
    for name, method in sorted(async_methods.items()):
        twin_name = renamed.get(name, name)
        twin = sync_methods.get(twin_name)
        if twin is None:
            problems.append(f"{where}.{twin_name} is missing")
            continue
        a, s = inspect.signature(method), inspect.signature(twin)
        if list(a.parameters.values()) != list(s.parameters.values()):
            problems.append(f"{where}.{twin_name} parameters differ: {a} vs {s}")
        expected = str(a.return_annotation)
        for pattern, replacement in twin_types.items():
            expected = re.sub(pattern, replacement, expected)
        if str(s.return_annotation) != expected:
            problems.append(f"{where}.{twin_name} returns {s.return_annotation}, not {expected}")
        if _unasync_text(inspect.getdoc(method)) != inspect.getdoc(twin):
            problems.append(f"{where}.{twin_name} docstring differs")
        if inspect.iscoroutinefunction(twin) or inspect.isasyncgenfunction(twin):
            problems.append(f"{where}.{twin_name} is not a blocking function")
    extra = set(sync_methods) - {renamed.get(n, n) for n in async_methods}
    problems += [f"{where}.{n} has no async twin" for n in sorted(extra)]
    return problems


def assert_blocking_module(path: Any, forbidden_modules: set[str]) -> None:
    """``path`` (a generated sync module) has no async code and imports none of
    ``forbidden_modules`` (event-loop libraries, the async source)."""
    import ast
    from pathlib import Path

    tree = ast.parse(Path(path).read_text())
    banned = (ast.AsyncFunctionDef, ast.Await, ast.AsyncFor, ast.AsyncWith)
    assert not [node for node in ast.walk(tree) if isinstance(node, banned)]
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & forbidden_modules, imported & forbidden_modules
