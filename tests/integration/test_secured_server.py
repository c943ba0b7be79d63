"""Against a real server started with PREFECT_SERVER_API_AUTH_STRING and CSRF protection.

Before 3.2 the server has no basic auth (it ignores the setting): the credential tests are
skipped there, the CSRF ones hold on every version."""

from __future__ import annotations

from typing import Any

import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import AuthenticationError
from prefect_sdk.schemas import StateType
from prefect_sdk.states import Completed, Running
from prefect_sdk.sync import SyncPrefectClient
from tests._support import BASIC_AUTH, needs_server
from tests.conftest import SECURED_AUTH_STRING

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["async", "sync"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def run(kind: str, url: str, op: str, *args: Any) -> Any:
    if kind == "sync":
        with SyncPrefectClient(api=url) as sync_client:
            return getattr(sync_client, op)(*args)
    async with PrefectClient(api=url) as client:
        return await getattr(client, op)(*args)


async def test_without_credentials_the_server_says_401(
    kind: str, api_url: str, secured_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_server(api_url, *BASIC_AUTH)
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    with pytest.raises(AuthenticationError) as info:
        await run(kind, secured_api_url, "read_flows")
    assert info.value.status_code == 401
    assert "PREFECT_API_AUTH_STRING" in str(info.value)


async def test_wrong_credentials_are_rejected_without_leaking(
    kind: str, api_url: str, secured_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_server(api_url, *BASIC_AUTH)
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", "admin:wrong-guess")
    with pytest.raises(AuthenticationError) as info:
        await run(kind, secured_api_url, "read_flows")
    assert "wrong-guess" not in str(info.value) + repr(info.value)


async def test_auth_string_and_csrf_make_the_full_scenario_work(
    kind: str, secured_api_url: str, monkeypatch: pytest.MonkeyPatch, unique: Any
) -> None:
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", SECURED_AUTH_STRING)
    flow = await run(kind, secured_api_url, "create_flow", unique("secured"))
    flow_run = await run(kind, secured_api_url, "create_flow_run", flow)
    await run(kind, secured_api_url, "set_flow_run_state", flow_run.id, Running())
    result = await run(kind, secured_api_url, "set_flow_run_state", flow_run.id, Completed())
    assert result.state.type == StateType.COMPLETED
    read = await run(kind, secured_api_url, "read_flow_run", flow_run.id)
    assert read.state_type == StateType.COMPLETED


async def test_without_csrf_support_changes_are_refused(
    kind: str, secured_api_url: str, monkeypatch: pytest.MonkeyPatch, unique: Any
) -> None:
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", SECURED_AUTH_STRING)
    monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")
    assert await run(kind, secured_api_url, "api_healthcheck") is None  # GETs need no token
    with pytest.raises(AuthenticationError) as info:
        await run(kind, secured_api_url, "create_flow", unique("refused"))
    assert info.value.status_code == 403 and "CSRF" in str(info.value)


async def test_a_protected_server_issues_csrf_tokens(
    kind: str, secured_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    monkeypatch.setenv("PREFECT_API_AUTH_STRING", SECURED_AUTH_STRING)
    token = await run(kind, secured_api_url, "create_csrf_token", "sdk-test-client")
    assert token.client == "sdk-test-client"
    assert token.expiration > dt.datetime.now(dt.timezone.utc)
    secret = token.token.get_secret_value()
    assert len(secret) >= 16 and secret not in repr(token)
