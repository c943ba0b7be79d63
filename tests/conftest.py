"""Session-wide fixtures: one real Prefect server for the whole test session.

Set ``PREFECT_SDK_TEST_API_URL`` to reuse a server you already run (faster local loops);
otherwise the session starts Prefect 3.8.8 in its own uv environment on a free loopback port.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prefect_sdk.devserver import TEST_SETTINGS

ROOT = Path(__file__).resolve().parent.parent

# The test server's switches: see TEST_SETTINGS (no scheduler, no late-run marker, no
# background writers competing with the tests for SQLite's lock, log lines streamed).
TEST_SERVER_ENV = dict(TEST_SETTINGS)


@pytest.fixture(autouse=True, scope="session")
def record_operations_sent() -> Iterator[None]:
    from prefect_sdk.client._base import BaseClient
    from tests._support import BODIES_PER_OPERATION, BODIES_SENT, OPERATIONS_SENT

    original = BaseClient._started

    def started(self: BaseClient, call: Any, request: Any) -> float:
        if request.url.host == "127.0.0.1":
            OPERATIONS_SENT.add((call.operation, call.client))
            bodies = BODIES_SENT.setdefault(call.operation, [])
            if request.content and len(bodies) < BODIES_PER_OPERATION:
                import json

                path = request.url.path.removeprefix("/api")
                bodies.append((request.method, path, json.loads(request.content)))
        return original(self, call, request)

    BaseClient._started = started  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseClient._started = original  # type: ignore[method-assign]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "integration" in Path(str(item.fspath)).parts:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def api_url() -> Iterator[str]:
    """The API URL of the real Prefect server of this test session."""
    given = os.environ.get("PREFECT_SDK_TEST_API_URL")
    if given:
        yield given.rstrip("/")
        return
    from prefect_sdk.devserver import PrefectServer

    server = PrefectServer(env=TEST_SERVER_ENV)
    server.start()
    try:
        yield server.api_url
    finally:
        server.stop()


SECURED_AUTH_STRING = "admin:s3cret-pass"


@pytest.fixture(scope="session")
def secured_api_url() -> Iterator[str]:
    """A second real server, started with basic auth and CSRF protection switched on."""
    from prefect_sdk.devserver import PrefectServer

    server = PrefectServer(
        env={
            **TEST_SERVER_ENV,
            "PREFECT_SERVER_API_AUTH_STRING": SECURED_AUTH_STRING,
            "PREFECT_SERVER_CSRF_PROTECTION_ENABLED": "true",
        }
    )
    server.start()
    try:
        yield server.api_url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server_openapi(api_url: str) -> dict[str, Any]:
    """The live server's OpenAPI document: the contract request bodies are checked against."""
    import httpx

    response = httpx.get(f"{api_url}/openapi.json", timeout=30)
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


@pytest.fixture(autouse=True)
def isolated_prefect_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No test sees the developer's Prefect settings or profiles."""
    for name in list(os.environ):
        # Prefect's settings go; prefect-sdk's own switches (PREFECT_SDK_UV: where uv is, on a
        # machine without it on PATH) stay.
        if name.startswith("PREFECT_") and not name.startswith("PREFECT_SDK_"):
            monkeypatch.delenv(name)
    # The client falls back to SSL_CERT_FILE (as Prefect does): not the machine's, in tests.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    home = tmp_path / "prefect-home"
    home.mkdir()
    monkeypatch.setenv("PREFECT_HOME", str(home))
    return home


@pytest.fixture
def prefect_api(api_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point ``PREFECT_API_URL`` at the session's server, as a user's environment would."""
    monkeypatch.setenv("PREFECT_API_URL", api_url)
    return api_url
