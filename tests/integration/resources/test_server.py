"""Operations on the server itself against the real server, through both clients."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from tests._support import expected_server_version, server_version

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_health_hello_and_version(client: Any, api_url: str) -> None:
    assert await client.api_healthcheck() is None
    hello = await client.hello()
    assert isinstance(hello, httpx.Response)
    assert hello.status_code == 200
    answered = server_version(api_url)  # a plain GET /admin/version
    assert answered == (expected_server_version() or answered)
    assert await client.read_server_version() == answered


async def test_readiness_api_version_and_csrf_token(client: Any, api_url: str) -> None:
    from prefect_sdk.exceptions import ServerValidationError

    assert await client.api_readiness_check() is None
    api_version = await client.read_server_api_version()
    # The REST API's own version (0.8.4 for Prefect 3.8.8), not the Prefect version.
    assert re.fullmatch(r"\d+\.\d+\.\d+", api_version)
    assert api_version != server_version(api_url)
    # This server runs without CSRF protection: it refuses to issue tokens.
    with pytest.raises(ServerValidationError, match="CSRF protection is disabled"):
        await client.create_csrf_token("my-client")
    with pytest.raises(ValidationError, match="client"):
        await client.create_csrf_token("")


async def test_readiness_reports_unreachable_server(
    flavour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.exceptions import APIConnectionError
    from prefect_sdk.sync import SyncPrefectClient

    url = "http://127.0.0.1:9/api"  # discard port: nothing listens
    if flavour == "sync":
        with SyncPrefectClient(api=url) as sync_client:
            error = sync_client.api_readiness_check()
    else:
        async with PrefectClient(api=url) as async_client:
            error = await async_client.api_readiness_check()
    assert isinstance(error, APIConnectionError)  # at once: never retried


async def test_healthcheck_reports_unreachable_server(
    flavour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.exceptions import APIConnectionError
    from prefect_sdk.sync import SyncPrefectClient

    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    url = "http://127.0.0.1:9/api"  # discard port: nothing listens
    if flavour == "sync":
        with SyncPrefectClient(api=url) as sync_client:
            error = sync_client.api_healthcheck()
    else:
        async with PrefectClient(api=url) as async_client:
            error = await async_client.api_healthcheck()
    assert isinstance(error, APIConnectionError)
    assert "127.0.0.1:9" in str(error)
