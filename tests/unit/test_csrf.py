"""CSRF token handling against a simulated CSRF-protected server (MockTransport)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import httpx
import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import AuthenticationError
from prefect_sdk.sync import SyncPrefectClient

pytestmark = pytest.mark.anyio
API = "http://csrf.test/api"


@pytest.fixture(autouse=True)
def forget_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("prefect_sdk.client._csrf._SERVERS_WITHOUT_CSRF", set())


class CsrfServer:
    """Issues tokens; rejects unsafe requests without a valid one (as the real server does)."""

    def __init__(self, enabled: bool = True, lifetime: float = 3600) -> None:
        self.enabled = enabled
        self.lifetime = lifetime
        self.tokens: dict[str, str] = {}
        self.log: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.log.append(f"{request.method} {request.url.path}")
        if request.url.path == "/api/csrf-token":
            if not self.enabled:
                return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
            client = request.url.params["client"]
            token = uuid.uuid4().hex
            self.tokens[client] = token
            expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.lifetime)
            return httpx.Response(
                200,
                json={"token": token, "client": client, "expiration": expires.isoformat()},
            )
        if self.enabled and request.method != "GET":
            client = request.headers.get("Prefect-Csrf-Client", "")
            token = request.headers.get("Prefect-Csrf-Token")
            if client not in self.tokens or self.tokens[client] != token:
                return httpx.Response(403, json={"detail": "Invalid CSRF token or client"})
        return httpx.Response(200, json=[])


@pytest.mark.parametrize("kind", ["async", "sync"])
async def test_token_fetched_once_and_sent_on_unsafe_requests(kind: str) -> None:
    server = CsrfServer()
    settings = {"transport": httpx.MockTransport(server)}
    if kind == "sync":
        with SyncPrefectClient(api=API, httpx_settings=settings) as sync_client:
            sync_client.read_flows()
            sync_client.read_flows()
            sync_client.api_healthcheck()
    else:
        async with PrefectClient(api=API, httpx_settings=settings) as client:
            await client.read_flows()
            await client.read_flows()
            await client.api_healthcheck()
    assert server.log == [
        "GET /api/csrf-token",
        "POST /api/flows/filter",
        "POST /api/flows/filter",
        "GET /api/health",
    ]


async def test_server_without_csrf_is_asked_once() -> None:
    server = CsrfServer(enabled=False)
    async with PrefectClient(
        api=API, httpx_settings={"transport": httpx.MockTransport(server)}
    ) as client:
        await client.read_flows()
        await client.read_flows()
    assert server.log == ["GET /api/csrf-token", "POST /api/flows/filter", "POST /api/flows/filter"]
    # A later client of the same process does not ask again.
    async with PrefectClient(
        api=API, httpx_settings={"transport": httpx.MockTransport(server)}
    ) as client:
        await client.read_flows()
    assert server.log.count("GET /api/csrf-token") == 1


async def test_users_own_httpx_auth_keeps_csrf() -> None:
    server = CsrfServer()
    settings = {"transport": httpx.MockTransport(server), "auth": httpx.BasicAuth("u", "p")}
    async with PrefectClient(api=API, httpx_settings=settings) as client:
        await client.read_flows()
    assert server.log == ["GET /api/csrf-token", "POST /api/flows/filter"]


async def test_rejected_token_is_refreshed_once() -> None:
    server = CsrfServer()
    async with PrefectClient(
        api=API, httpx_settings={"transport": httpx.MockTransport(server)}
    ) as client:
        await client.read_flows()
        server.tokens.clear()  # the server forgot it (restart, expiry)
        await client.read_flows()
    assert server.log.count("GET /api/csrf-token") == 2


async def test_expiring_token_is_renewed_before_use() -> None:
    server = CsrfServer(lifetime=5)  # inside the refresh margin
    async with PrefectClient(
        api=API, httpx_settings={"transport": httpx.MockTransport(server)}
    ) as client:
        await client.read_flows()
        await client.read_flows()
    assert server.log.count("GET /api/csrf-token") == 2
    assert "POST /api/flows/filter" in server.log


async def test_csrf_support_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    server = CsrfServer()
    async with PrefectClient(
        api=API, httpx_settings={"transport": httpx.MockTransport(server)}
    ) as client:
        with pytest.raises(AuthenticationError, match="CSRF"):
            await client.read_flows()
    assert server.log == ["POST /api/flows/filter"]


async def test_csrf_plugin_is_blockable() -> None:
    server = CsrfServer()
    async with PrefectClient(
        api=API,
        httpx_settings={"transport": httpx.MockTransport(server)},
        blocked_plugins=["prefect_sdk.csrf"],
    ) as client:
        with pytest.raises(AuthenticationError):
            await client.read_flows()
    assert "GET /api/csrf-token" not in server.log


def test_token_never_in_repr() -> None:
    server = CsrfServer()
    with SyncPrefectClient(
        api=API, httpx_settings={"transport": httpx.MockTransport(server)}, api_key="pnu_k"
    ) as client:
        client.read_flows()
        auth = client._ensure_http().auth
        token = next(iter(server.tokens.values()))
        assert token not in repr(auth) and "pnu_k" not in repr(auth)
        assert json.dumps(server.log)
