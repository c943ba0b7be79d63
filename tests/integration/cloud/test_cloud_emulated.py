"""The Cloud client against the Prefect Cloud emulator (and, through it, the real server).

Every test runs three times: async on asyncio, async on trio, and the blocking client.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.client import PrefectClient, hookimpl
from prefect_sdk.cloud import IPAllowlist, IPAllowlistEntry, User, Workspace, WorkspaceSettings
from prefect_sdk.exceptions import (
    AuthenticationError,
    ObjectAlreadyExists,
    ObjectNotFound,
    PrefectHTTPStatusError,
    ServerValidationError,
    ValidationError,
)

try:
    from tests.cloud_emulator import Tenant
except ImportError:  # pragma: no cover - run from inside tests/
    from cloud_emulator import Tenant  # type: ignore[no-redef]

pytestmark = pytest.mark.anyio


def by_handle(workspaces: list[Workspace]) -> dict[str, Workspace]:
    return {w.handle: w for w in workspaces}


# -- workspaces and the current user ---------------------------------------------------------


async def test_read_workspaces_lists_what_the_key_may_use(cloud: Any, tenant: Tenant) -> None:
    workspaces = by_handle(await cloud.read_workspaces())
    acme = tenant.account.handle
    assert set(workspaces) == {f"{acme}/prod", f"{acme}/staging"}
    prod = workspaces[f"{acme}/prod"]
    assert prod.id == tenant.prod.id and prod.account_id == tenant.account.id
    assert (prod.name, prod.description, prod.account_name) == (
        "Production",
        "where it counts",
        tenant.account.name,
    )
    # URLs point at the Cloud the workspace was read from (here, the emulator).
    assert prod.api_url() == tenant.workspace_url(tenant.prod)
    assert prod.ui_url() == (
        f"{tenant.emulator.url.removesuffix('/api')}"
        f"/account/{tenant.account.id}/workspace/{tenant.prod.id}"
    )


async def test_read_current_user(cloud: Any, tenant: Tenant) -> None:
    user = await cloud.read_current_user()
    assert isinstance(user, User)
    assert user.id == tenant.user.id and user.handle == tenant.user.handle
    assert user.email == tenant.user.email and user.name == "Alice Liddell"
    assert user.created is not None


async def test_a_service_account_has_no_user_profile(
    make_cloud: Callable[..., Any], tenant: Tenant
) -> None:
    async with make_cloud(api_key=tenant.bot_key) as bot:
        assert [w.id for w in await bot.read_workspaces()] == [tenant.prod.id]
        with pytest.raises(AuthenticationError) as info:
            await bot.read_current_user()
    assert info.value.status_code == 403
    assert "refused the request for this API key" in str(info.value)


async def test_current_workspace_and_host_are_inferred_from_prefect_api_url(
    make_cloud: Callable[..., Any], tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", tenant.workspace_url(tenant.staging))
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "http://127.0.0.1:9/api")  # must not be used
    async with make_cloud(host=None) as cloud:
        assert cloud.api_url == tenant.emulator.url
        assert (cloud.account_id, cloud.workspace_id) == (tenant.account.id, tenant.staging.id)
        current = await cloud.read_current_workspace()
    assert current.id == tenant.staging.id
    assert current.api_url() == tenant.workspace_url(tenant.staging)


async def test_current_workspace_the_key_cannot_see(
    make_cloud: Callable[..., Any], tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", tenant.workspace_url(tenant.other_workspace))
    async with make_cloud(host=None) as cloud:
        with pytest.raises(ValidationError, match="not one this API key can use"):
            await cloud.read_current_workspace()


async def test_create_workspace(cloud: Any, tenant: Tenant) -> None:
    created = await cloud.create_workspace(
        "Data Science", "notebooks", account_id=tenant.account.id
    )
    assert isinstance(created, Workspace)
    assert created.handle == f"{tenant.account.handle}/data-science"
    assert (created.name, created.description) == ("Data Science", "notebooks")
    assert created.account_name == tenant.account.name
    assert created.id in {w.id for w in await cloud.read_workspaces()}
    # The handle is unique in the account.
    with pytest.raises(ObjectAlreadyExists):
        await cloud.create_workspace("Data  Science!", account_id=tenant.account.id)


async def test_create_workspace_refusals(
    cloud: Any, make_cloud: Callable[..., Any], tenant: Tenant
) -> None:
    with pytest.raises(ServerValidationError) as info:
        await cloud.create_workspace("ok", handle="Not A Handle", account_id=tenant.account.id)
    assert info.value.status_code == 422 and "handle" in str(info.value)
    with pytest.raises(ValidationError, match="name must be a non-empty string"):
        await cloud.create_workspace("  ", account_id=tenant.account.id)
    with pytest.raises(ValidationError, match="no account id"):
        await cloud.create_workspace("somewhere")
    with pytest.raises(ObjectNotFound):
        await cloud.create_workspace("x", account_id="00000000-0000-4000-8000-000000000000")
    async with make_cloud(api_key=tenant.member_key) as member:
        with pytest.raises(AuthenticationError) as refused:
            await member.create_workspace("mine", account_id=tenant.account.id)
    assert refused.value.status_code == 403


async def test_read_workspace_settings(cloud: Any, tenant: Tenant) -> None:
    prod = by_handle(await cloud.read_workspaces())[f"{tenant.account.handle}/prod"]
    settings = await cloud.read_workspace_settings(prod)
    assert isinstance(settings, WorkspaceSettings)
    assert settings.workspace_id == tenant.prod.id
    assert settings.settings == {"default_result_storage_block_id": None, "retention_days": 14}
    by_id = await cloud.read_workspace_settings(str(tenant.prod.id), account_id=tenant.account.id)
    assert by_id == settings
    with pytest.raises(ObjectNotFound) as info:
        await cloud.read_workspace_settings(
            "00000000-0000-4000-8000-000000000000", account_id=tenant.account.id
        )
    assert info.value.status_code == 404
    with pytest.raises(AuthenticationError) as forbidden:
        await cloud.read_workspace_settings(
            tenant.other_workspace.id, account_id=tenant.other_account.id
        )
    assert forbidden.value.status_code == 403


async def test_read_worker_metadata(cloud: Any, tenant: Tenant) -> None:
    prod = by_handle(await cloud.read_workspaces())[f"{tenant.account.handle}/prod"]
    metadata = await cloud.read_worker_metadata(prod)
    assert "process" in metadata["prefect"]


# -- account settings and the IP allowlist ----------------------------------------------------


async def test_account_settings_round_trip(cloud: Any, tenant: Tenant) -> None:
    account = tenant.account.id
    settings = await cloud.read_account_settings(account)
    assert settings["enforce_ip_allowlist"] is False
    await cloud.update_account_settings({"ai_log_summaries": False}, account)
    assert (await cloud.read_account_settings(account))["ai_log_summaries"] is False
    with pytest.raises(ServerValidationError, match="not_a_setting"):
        await cloud.update_account_settings({"not_a_setting": True}, account)
    with pytest.raises(ValidationError, match="non-empty dict"):
        await cloud.update_account_settings({}, account)


async def test_ip_allowlist(cloud: Any, tenant: Tenant) -> None:
    account = tenant.account.id
    assert (await cloud.read_account_ip_allowlist(account)).entries == []
    access = await cloud.check_ip_allowlist_access(account)
    assert access.allowed is False and "127.0.0.1" in access.detail
    # Enforcing a list that leaves the caller out would lock them out: refused.
    with pytest.raises(ServerValidationError, match="prevent account lockout"):
        await cloud.update_account_settings({"enforce_ip_allowlist": True}, account)
    office = IPAllowlistEntry(ip_network="203.0.113.0/24", description="office")  # type: ignore[arg-type]
    with pytest.raises(ServerValidationError, match=r"\(127\.0\.0\.1\) must be included"):
        await cloud.update_account_ip_allowlist(IPAllowlist(entries=[office]), account)
    me = IPAllowlistEntry(ip_network="127.0.0.1", description="this machine")  # type: ignore[arg-type]
    await cloud.update_account_ip_allowlist(IPAllowlist(entries=[office, me]), account)
    entries = (await cloud.read_account_ip_allowlist(account)).entries
    assert [(str(e.ip_network), e.description) for e in entries] == [
        ("203.0.113.0/24", "office"),
        ("127.0.0.1/32", "this machine"),
    ]
    assert (await cloud.check_ip_allowlist_access(account)).allowed is True
    await cloud.update_account_settings({"enforce_ip_allowlist": True}, account)
    assert (await cloud.read_account_settings(account))["enforce_ip_allowlist"] is True
    too_many = [
        IPAllowlistEntry(ip_network=f"10.0.{i}.0/24")  # type: ignore[arg-type]
        for i in range(25)
    ]
    with pytest.raises(ServerValidationError, match="at most 25"):
        await cloud.update_account_ip_allowlist(IPAllowlist(entries=[me, *too_many]), account)


async def test_ip_allowlisting_not_on_the_plan(cloud: Any, tenant: Tenant) -> None:
    tenant.account.ip_allowlisting = False
    assert "enforce_ip_allowlist" not in await cloud.read_account_settings(tenant.account.id)
    with pytest.raises(AuthenticationError):
        await cloud.read_account_ip_allowlist(tenant.account.id)


async def test_an_enforced_allowlist_refuses_other_addresses(cloud: Any, tenant: Tenant) -> None:
    tenant.account.ip_allowlist = [{"ip_network": "203.0.113.0/24", "enabled": True}]
    tenant.account.settings["enforce_ip_allowlist"] = True
    with pytest.raises(AuthenticationError, match="IP allowlist"):
        await cloud.read_account_settings(tenant.account.id)
    # Checking one's own access still works, so a locked-out caller can learn why.
    assert (await cloud.check_ip_allowlist_access(tenant.account.id)).allowed is False


# -- the workspace-scoped API, end to end ----------------------------------------------------


async def test_list_workspaces_pick_one_create_a_flow_run_in_it(
    cloud: Any, tenant: Tenant, api_url: str, unique: Callable[[str], str]
) -> None:
    workspaces = by_handle(await cloud.read_workspaces())
    prod = workspaces[f"{tenant.account.handle}/prod"]
    flow_name = unique("cloud-flow")
    async with cloud.workspace_client(prod) as workspace_client:
        assert workspace_client.api_url == prod.api_url()
        run = await workspace_client.create_flow_run(flow_name, parameters={"x": 1})
        read = await workspace_client.read_flow_run(run.id)
        assert read.parameters == {"x": 1}
    # The run is on the real server behind the emulator.
    async with PrefectClient(api=api_url) as direct:
        assert (await direct.read_flow_run(run.id)).flow_id == run.flow_id
    # Every forwarded request carried the key, and was checked against it.
    forwarded = tenant.emulator.state.recorded(f"/workspaces/{tenant.prod.id}/flow_runs/")
    assert forwarded and {r.actor for r in forwarded} == {tenant.user.handle}


async def test_workspace_get_client_uses_the_reading_clients_key(
    cloud: Any, tenant: Tenant, flavour: str
) -> None:
    prod = by_handle(await cloud.read_workspaces())[f"{tenant.account.handle}/prod"]
    if flavour == "sync":
        with prod.get_client(sync_client=True) as sync_client:
            assert sync_client.read_server_version()
    else:
        async with prod.get_client() as async_client:
            assert await async_client.read_server_version()
    version_reads = tenant.emulator.state.recorded(f"/workspaces/{tenant.prod.id}/admin/version")
    assert version_reads[-1].actor == tenant.user.handle


async def test_current_workspace_client(
    make_cloud: Callable[..., Any], tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", tenant.workspace_url(tenant.prod))
    async with make_cloud(host=None) as cloud, cloud.workspace_client() as workspace_client:
        assert workspace_client.api_url == tenant.workspace_url(tenant.prod)
        assert await workspace_client.read_server_version()


async def test_given_settings_name_the_workspace_and_key(
    make_cloud: Callable[..., Any], tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prefect_sdk.settings import Secret, Settings

    # The environment names nothing usable; the given settings name everything.
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    monkeypatch.setenv("PREFECT_API_KEY", "pnu_revoked-or-never-issued")
    given = Settings(api_url=tenant.workspace_url(tenant.prod), api_key=Secret(tenant.key))
    async with make_cloud(host=None, api_key=None, settings=given) as cloud:
        assert cloud.api_url == tenant.emulator.url
        assert (await cloud.read_current_workspace()).id == tenant.prod.id
        async with cloud.workspace_client() as workspace_client:
            assert await workspace_client.read_server_version()
    version_reads = tenant.emulator.state.recorded(f"/workspaces/{tenant.prod.id}/admin/version")
    assert version_reads[-1].actor == tenant.user.handle


async def test_workspace_api_refusals(
    cloud: Any, make_cloud: Callable[..., Any], tenant: Tenant
) -> None:
    async with cloud.workspace_client(tenant.workspace_url(tenant.other_workspace)) as other:
        with pytest.raises(AuthenticationError) as forbidden:
            await other.read_flows()
    assert forbidden.value.status_code == 403
    assert "not allowed to use this account or workspace" in str(forbidden.value)
    missing = f"{tenant.emulator.url}/accounts/{tenant.account.id}/workspaces/{tenant.account.id}"
    async with cloud.workspace_client(missing) as gone:
        with pytest.raises(ObjectNotFound):
            await gone.read_flows()
    stranger = make_cloud(api_key="pnu_revoked-or-never-issued")
    async with stranger, stranger.workspace_client(tenant.workspace_url(tenant.prod)) as client:
        with pytest.raises(AuthenticationError, match="rejected the API key"):
            await client.read_flows()
    with pytest.raises(ValidationError, match="not a workspace API URL"):
        cloud.workspace_client("http://127.0.0.1:9/api")


# -- errors ----------------------------------------------------------------------------------


async def test_missing_malformed_and_rejected_keys_are_told_apart(
    make_cloud: Callable[..., Any], tenant: Tenant
) -> None:
    revoked = tenant.emulator.state.new_key(tenant.user)
    tenant.emulator.state.revoke(revoked)
    messages = {}
    for case, key in [
        ("missing", None),
        ("malformed", "my-secret-token-xyz"),
        ("rejected", revoked),
    ]:
        async with make_cloud(api_key=key) as cloud:
            with pytest.raises(AuthenticationError) as info:
                await cloud.read_workspaces()
            assert info.value.status_code == 401
            messages[case] = str(info.value)
            if key:
                assert key not in messages[case] and key not in repr(info.value)
            # The health check reports the same error instead of raising it.
            assert isinstance(await cloud.api_healthcheck(), AuthenticationError)
    assert "no API key was sent" in messages["missing"]
    assert "'pnu_'" in messages["malformed"] and "'pnb_'" in messages["malformed"]
    assert "rejected the API key" in messages["rejected"]
    assert len(set(messages.values())) == 3
    async with make_cloud() as cloud:
        assert await cloud.api_healthcheck() is None


async def test_429_is_retried_honouring_retry_after(cloud: Any, tenant: Tenant) -> None:
    state = tenant.emulator.state
    state.throttle(2, retry_after="0.2", path="/me/workspaces", key=tenant.key)
    before = len(state.recorded("/me/workspaces"))
    started = time.monotonic()
    workspaces = await cloud.read_workspaces()
    assert len(workspaces) == 2
    assert time.monotonic() - started >= 0.4  # two waits of Retry-After seconds
    statuses = [r.status for r in state.recorded("/me/workspaces")[before:]]
    assert statuses == [429, 429, 200]


async def test_a_throttled_create_is_retried_and_creates_once(cloud: Any, tenant: Tenant) -> None:
    state = tenant.emulator.state
    state.throttle(1, retry_after="0", path=f"/accounts/{tenant.account.id}/workspaces/")
    created = await cloud.create_workspace("Once", account_id=tenant.account.id)
    same = [w for w in await cloud.read_workspaces() if w.workspace_handle == "once"]
    assert [w.id for w in same] == [created.id]


async def test_retries_give_up_after_max_retries(
    make_cloud: Callable[..., Any], tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "1")  # two attempts in all
    tenant.emulator.state.throttle(2, retry_after="0", key=tenant.key)
    async with make_cloud() as cloud:
        with pytest.raises(PrefectHTTPStatusError) as info:
            await cloud.read_current_user()
    assert info.value.status_code == 429


# -- hooks -----------------------------------------------------------------------------------


class Recorder:
    """A plugin that records what the hooks see."""

    name = "cloud-recorder"

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int]] = []

    @hookimpl
    def prefect_sdk_request_started(self, call: Any) -> None:
        self.events.append(("started", call.operation, call.attempt))

    @hookimpl
    def prefect_sdk_request(self, request: Any, call: Any) -> None:
        request.headers["X-Recorded"] = "yes"
        self.events.append(("attempt", call.operation, call.attempt))

    @hookimpl
    def prefect_sdk_request_finished(self, call: Any, response: Any) -> None:
        self.events.append(("finished", call.operation, response.status_code))


async def test_hooks_see_every_cloud_request(
    make_cloud: Callable[..., Any], tenant: Tenant, flavour: str
) -> None:
    recorder = Recorder()
    state = tenant.emulator.state
    state.throttle(1, retry_after="0", path="/me/", key=tenant.key)
    async with make_cloud(plugins=[recorder]) as cloud:
        await cloud.read_current_user()
        prod = next(w for w in await cloud.read_workspaces() if w.id == tenant.prod.id)
        async with cloud.workspace_client(prod) as workspace_client:
            await workspace_client.read_flows(limit=1)
    assert recorder.events[:4] == [
        ("started", "read_current_user", 0),
        ("attempt", "read_current_user", 1),
        ("attempt", "read_current_user", 2),
        ("finished", "read_current_user", 200),
    ]
    operations = [op for kind, op, _ in recorder.events if kind == "finished"]
    assert operations == ["read_current_user", "read_workspaces", "read_flows"]
    # The header the plugin set reached the emulator on the cloud and the workspace requests.
    # (CSRF token requests are made by the auth flow, not by an operation: no hooks run.)
    mine = [
        r
        for r in state.requests
        if r.actor == tenant.user.handle and not r.path.endswith("/csrf-token")
    ]
    assert len(mine) == 4 and all(r.headers.get("x-recorded") == "yes" for r in mine)
