"""The Cloud client without a network: URL resolution, models, error messages, retries, secrets.

Faults are injected with ``httpx.MockTransport``; the emulator-backed tests are in
``tests/integration/cloud``.
"""

from __future__ import annotations

import ast
import json
import logging
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from prefect_sdk.cloud import (
    CloudClient,
    IPAllowlist,
    SyncCloudClient,
    User,
    Workspace,
    get_cloud_client,
)
from prefect_sdk.exceptions import (
    AuthenticationError,
    ObjectNotFound,
    ServerValidationError,
    ValidationError,
)
from prefect_sdk.settings import Secret, Settings

ACCOUNT = uuid.UUID("11111111-1111-4111-8111-111111111111")
WORKSPACE = uuid.UUID("22222222-2222-4222-8222-222222222222")
KEY = "pnu_0123456789abcdefSECRET"
CLOUD = "https://api.prefect.cloud/api"
WORKSPACE_URL = f"{CLOUD}/accounts/{ACCOUNT}/workspaces/{WORKSPACE}"

LISTED = {
    "account_id": str(ACCOUNT),
    "account_name": "Acme",
    "account_handle": "acme",
    "workspace_id": str(WORKSPACE),
    "workspace_name": "Production",
    "workspace_description": "prod",
    "workspace_handle": "prod",
}

Handler = Callable[[httpx.Request], httpx.Response]


def mocked(handler: Handler, **kwargs: object) -> CloudClient:
    kwargs.setdefault("host", CLOUD)
    kwargs.setdefault("api_key", KEY)
    return CloudClient(
        httpx_settings={"transport": httpx.MockTransport(handler)},
        **kwargs,  # type: ignore[arg-type]
    )


def answer(status: int, body: object = None, **headers: str) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body, headers=headers)

    return handler


# -- where the client talks to ------------------------------------------------------------


def test_default_is_prefect_cloud_and_needs_no_prefect_api_url() -> None:
    client = CloudClient()
    assert client.api_url == CLOUD
    assert (client.account_id, client.workspace_id) == (None, None)


def test_prefect_cloud_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "https://api.stg.prefect.dev/api/")
    assert CloudClient().api_url == "https://api.stg.prefect.dev/api"


def test_host_and_ids_are_inferred_from_a_workspace_prefect_api_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "PREFECT_API_URL", "https://cloud.example.com/api" + WORKSPACE_URL[len(CLOUD) :]
    )
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "https://elsewhere.example.com/api")
    inferred = CloudClient()
    assert inferred.api_url == "https://cloud.example.com/api"
    assert (inferred.account_id, inferred.workspace_id) == (ACCOUNT, WORKSPACE)
    not_inferred = CloudClient(infer_cloud_url=False)
    assert not_inferred.api_url == "https://elsewhere.example.com/api"
    assert not_inferred.account_id == ACCOUNT  # the current workspace is still known


def test_a_non_workspace_prefect_api_url_is_not_a_cloud_host(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    client = CloudClient()
    assert client.api_url == CLOUD and client.account_id is None


def test_explicit_host_wins_and_may_be_a_workspace_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", WORKSPACE_URL)
    assert CloudClient("https://other.example.com/api/").api_url == "https://other.example.com/api"
    other = uuid.uuid4()
    client = get_cloud_client(host=f"https://x.example.com/api/accounts/{other}/workspaces/{other}")
    assert client.api_url == "https://x.example.com/api"
    assert (client.account_id, client.workspace_id) == (other, other)


def test_the_profile_is_read(isolated_prefect_env: Path) -> None:
    (isolated_prefect_env / "profiles.toml").write_text(
        f'active = "cloud"\n[profiles.cloud]\nPREFECT_API_URL = "{WORKSPACE_URL}"\n'
        f'PREFECT_API_KEY = "{KEY}"\n'
    )
    client = CloudClient()
    assert client.api_url == CLOUD and client.workspace_id == WORKSPACE
    assert client.settings.api_key is not None
    assert client.settings.api_key.get_secret_value() == KEY


def test_get_cloud_client_flavours() -> None:
    assert type(get_cloud_client()) is CloudClient
    assert type(get_cloud_client(sync_client=True)) is SyncCloudClient
    client = get_cloud_client("https://h.example.com/api", "pnb_x", {"timeout": 5}, False)
    assert client.api_url == "https://h.example.com/api"


def test_explicit_settings_replace_environment_and_profile(
    monkeypatch: pytest.MonkeyPatch, isolated_prefect_env: Path
) -> None:
    elsewhere = f"https://env.example.com/api/accounts/{uuid.uuid4()}/workspaces/{uuid.uuid4()}"
    monkeypatch.setenv("PREFECT_API_URL", elsewhere)
    monkeypatch.setenv("PREFECT_API_KEY", "pnu_from_the_environment")
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "https://env-cloud.example.com/api")
    monkeypatch.setenv("PREFECT_API_REQUEST_TIMEOUT", "5")
    (isolated_prefect_env / "profiles.toml").write_text(
        'active = "p"\n[profiles.p]\nPREFECT_API_REQUEST_TIMEOUT = "6"\n'
    )
    given = Settings(
        api_url=WORKSPACE_URL,
        api_key=Secret(KEY),
        request_timeout=7,
        cloud_api_url="https://given-cloud.example.com/api",
    )

    cloud = CloudClient(settings=given)
    assert cloud.api_url == CLOUD  # the root of the given workspace URL
    assert (cloud.account_id, cloud.workspace_id) == (ACCOUNT, WORKSPACE)
    assert cloud.settings.api_key == Secret(KEY) and cloud.settings.request_timeout == 7
    assert not cloud.settings.csrf_support_enabled and given.csrf_support_enabled
    not_inferred = CloudClient(infer_cloud_url=False, settings=given)
    assert not_inferred.api_url == "https://given-cloud.example.com/api"

    # host= and api_key= still override the given settings.
    overridden = SyncCloudClient("https://host.example.com/api", "pnb_given_key", settings=given)
    assert overridden.api_url == "https://host.example.com/api"
    assert overridden.settings.api_key == Secret("pnb_given_key")
    assert overridden.account_id == ACCOUNT  # still the current workspace of the settings

    # The workspace clients it hands out use the given settings too, with its key.
    for workspace_client in (
        cloud.workspace_client(),
        overridden.workspace_client(Workspace.model_validate(LISTED)),
    ):
        assert workspace_client.settings.request_timeout == 7
        assert workspace_client.settings.csrf_support_enabled
    assert cloud.workspace_client().api_url == WORKSPACE_URL
    assert cloud.workspace_client().settings.api_key == Secret(KEY)
    assert overridden.workspace_client().settings.api_key == Secret("pnb_given_key")

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[LISTED])

    transport = {"transport": httpx.MockTransport(handler)}
    with get_cloud_client(httpx_settings=transport, sync_client=True, settings=given) as sync:
        [read] = sync.read_workspaces()
    for client in (read.get_client(), read.get_client(sync_client=True)):
        assert client.api_url == WORKSPACE_URL and client.settings.request_timeout == 7
    assert get_cloud_client(settings=given).settings.request_timeout == 7


def test_bad_host_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="http:// or https://"):
        CloudClient("api.prefect.cloud")


# -- models --------------------------------------------------------------------------------


def test_workspace_urls_and_handle(monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = Workspace.model_validate(LISTED)
    assert workspace.handle == "acme/prod"
    assert (workspace.id, workspace.name, workspace.description) == (
        WORKSPACE,
        "Production",
        "prod",
    )
    assert workspace.api_url() == WORKSPACE_URL
    assert (
        workspace.ui_url() == f"https://app.prefect.cloud/account/{ACCOUNT}/workspace/{WORKSPACE}"
    )
    monkeypatch.setenv("PREFECT_CLOUD_API_URL", "https://api.stg.prefect.dev/api")
    assert workspace.ui_url().startswith("https://app.stg.prefect.dev/account/")
    monkeypatch.setenv("PREFECT_CLOUD_UI_URL", "https://ui.example.com/")
    assert workspace.ui_url().startswith("https://ui.example.com/account/")


def test_workspace_accepts_the_account_scoped_shape() -> None:
    created = Workspace.model_validate(
        {
            "id": str(WORKSPACE),
            "account_id": str(ACCOUNT),
            "name": "Production",
            "handle": "prod",
            "description": None,
            "is_public": False,
            "created": "2024-01-01T00:00:00Z",
        }
    )
    assert created.workspace_handle == "prod" and created.created is not None
    listed = Workspace.model_validate(LISTED)
    # The same workspace (same hash), seen through a shape with fewer facts (not equal).
    assert hash(created) == hash(listed) and created != listed


def test_workspaces_compare_by_content_not_by_origin() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[LISTED])

    with SyncCloudClient(CLOUD, KEY, {"transport": httpx.MockTransport(handler)}) as cloud:
        [read] = cloud.read_workspaces()
    by_hand = Workspace.model_validate(LISTED)
    assert read == by_hand and hash(read) == hash(by_hand)
    assert KEY not in repr(read) and KEY not in str(read.model_dump())
    assert KEY not in repr(read._origin)


def test_user_name_is_built_from_first_and_last_names() -> None:
    user = User.model_validate(
        {"id": str(uuid.uuid4()), "email": "a@x.io", "first_name": "Ada", "last_name": "L"}
    )
    assert user.name == "Ada L"
    assert User.model_validate({"id": str(uuid.uuid4()), "name": "Given"}).name == "Given"


# -- operations ----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_requests_carry_the_key_and_no_csrf_traffic(anyio_backend: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(
                201,
                json={
                    "id": str(WORKSPACE),
                    "account_id": str(ACCOUNT),
                    "name": "Production",
                    "handle": "prod",
                    "description": "prod",
                },
            )
        return httpx.Response(200, json=[LISTED])

    async with mocked(handler) as cloud:
        created = await cloud.create_workspace("Production", "prod", account_id=ACCOUNT)
    assert created.account_name == "Acme"  # completed from the listing
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", f"/api/accounts/{ACCOUNT}/workspaces/"),
        ("GET", "/api/me/workspaces"),
    ]
    assert json.loads(seen[0].content) == {
        "name": "Production",
        "handle": "production",
        "description": "prod",
    }
    assert all(r.headers["authorization"] == f"Bearer {KEY}" for r in seen)


@pytest.mark.anyio
async def test_account_operations_use_the_current_account(
    anyio_backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_API_URL", WORKSPACE_URL)
    seen: list[tuple[str, str, bytes]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.content))
        if request.url.path.endswith("/my_access"):
            return httpx.Response(200, json={"allowed": True, "detail": "ok"})
        if request.url.path.endswith("/ip_allowlist") and request.method == "GET":
            return httpx.Response(200, json={"entries": [{"ip_network": "10.0.0.0/8"}]})
        if request.method in ("PUT", "PATCH"):
            return httpx.Response(204)
        return httpx.Response(200, json={"enforce_ip_allowlist": False})

    async with CloudClient(
        api_key=KEY, httpx_settings={"transport": httpx.MockTransport(handler)}
    ) as cloud:
        assert await cloud.read_account_settings() == {"enforce_ip_allowlist": False}
        await cloud.update_account_settings({"enforce_ip_allowlist": True})
        allowlist = await cloud.read_account_ip_allowlist()
        assert str(allowlist.entries[0].ip_network) == "10.0.0.0/8"
        await cloud.update_account_ip_allowlist(allowlist)
        assert (await cloud.check_ip_allowlist_access()).allowed
        await cloud.read_worker_metadata()
    base = f"/api/accounts/{ACCOUNT}"
    assert [(m, p) for m, p, _ in seen] == [
        ("GET", f"{base}/settings"),
        ("PATCH", f"{base}/settings"),
        ("GET", f"{base}/ip_allowlist"),
        ("PUT", f"{base}/ip_allowlist"),
        ("GET", f"{base}/ip_allowlist/my_access"),
        ("GET", f"{base}/workspaces/{WORKSPACE}/collections/work_pool_types"),
    ]
    assert json.loads(seen[1][2]) == {"enforce_ip_allowlist": True}
    assert json.loads(seen[3][2]) == {
        "entries": [
            {"ip_network": "10.0.0.0/8", "enabled": True, "description": None, "last_seen": None}
        ]
    }


def test_client_side_validation_happens_before_any_request() -> None:
    def handler(request: httpx.Request) -> httpx.Response:  # pragma: no cover - never called
        raise AssertionError(request)

    with SyncCloudClient(CLOUD, KEY, {"transport": httpx.MockTransport(handler)}) as cloud:
        with pytest.raises(ValidationError, match="no account id"):
            cloud.read_account_settings()
        with pytest.raises(ValidationError, match="no account id"):
            cloud.read_worker_metadata()
        with pytest.raises(ValidationError, match="account_id must be a UUID"):
            cloud.read_account_settings("acme")
        with pytest.raises(ValidationError, match="must be an IPAllowlist"):
            cloud.update_account_ip_allowlist({"entries": []}, ACCOUNT)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="no account id"):
            cloud.workspace_client()


# -- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "status", "expected"),
    [
        (None, 401, "no API key was sent"),
        ("not-a-cloud-key", 401, "keys start with 'pnu_'"),
        ("pnb_botkey_SECRET", 401, "rejected the API key"),
        (KEY, 403, "refused the request for this API key"),
        (None, 403, "no API key was sent"),
    ],
)
def test_auth_errors_say_what_is_wrong_with_the_key(
    key: str | None, status: int, expected: str
) -> None:
    client = SyncCloudClient(
        CLOUD,
        key,
        {"transport": httpx.MockTransport(answer(status, {"detail": "Invalid credentials"}))},
    )
    with client, pytest.raises(AuthenticationError) as info:
        client.read_workspaces()
    message = str(info.value)
    assert expected in message and "read_workspaces: GET" in message
    assert "Invalid credentials" in message and info.value.status_code == status
    if key:
        assert key not in message and "SECRET" not in message


def test_404_and_422() -> None:
    with (
        SyncCloudClient(
            CLOUD, KEY, {"transport": httpx.MockTransport(answer(404, {"detail": "Not Found"}))}
        ) as cloud,
        pytest.raises(ObjectNotFound),
    ):
        cloud.read_workspace_settings(WORKSPACE, account_id=ACCOUNT)
    invalid = {
        "exception_message": "Invalid request received.",
        "exception_detail": [{"loc": ["body", "handle"], "msg": "bad handle", "type": "x"}],
    }
    with (
        SyncCloudClient(
            CLOUD, KEY, {"transport": httpx.MockTransport(answer(422, invalid))}
        ) as cloud,
        pytest.raises(ServerValidationError, match=r"body\.handle: bad handle"),
    ):
        cloud.create_workspace("x", account_id=ACCOUNT)


def test_429_is_retried_after_retry_after_seconds() -> None:
    attempts: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(time.monotonic())
        if len(attempts) < 3:
            return httpx.Response(429, headers={"Retry-After": "0.15"}, json={"detail": "slow"})
        return httpx.Response(200, json=[LISTED])

    with SyncCloudClient(CLOUD, KEY, {"transport": httpx.MockTransport(handler)}) as cloud:
        assert len(cloud.read_workspaces()) == 1
    assert len(attempts) == 3
    assert attempts[1] - attempts[0] >= 0.15 and attempts[2] - attempts[1] >= 0.15


def test_a_non_idempotent_create_is_retried_on_429_only() -> None:
    statuses = iter([429, 503])
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(next(statuses), headers={"Retry-After": "0"})

    cloud = SyncCloudClient(CLOUD, KEY, {"transport": httpx.MockTransport(handler)})
    with cloud, pytest.raises(Exception) as info:
        cloud.create_workspace("x", account_id=ACCOUNT)
    # 429 means "not processed": retried; a 503 on a create may have had effect: not retried.
    assert seen == ["POST", "POST"] and "503" in str(info.value)


def test_secrets_stay_out_of_reprs_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret_headers = {"X-Api-Token": "HEADER-SECRET"}
    client = SyncCloudClient(
        CLOUD,
        KEY,
        {
            "transport": httpx.MockTransport(answer(401, {"detail": "nope"})),
            "headers": secret_headers,
        },
    )
    with client, pytest.raises(AuthenticationError) as info:
        client.read_current_user()
    workspace_client = client.workspace_client(Workspace.model_validate(LISTED))
    texts = [
        repr(client),
        str(client.settings),
        repr(client.settings),
        str(info.value),
        repr(info.value),
        repr(workspace_client),
        repr(client._origin()),
        caplog.text,
    ]
    for text in texts:
        assert KEY not in text and "HEADER-SECRET" not in text
    assert "read_current_user" in caplog.text  # the logging plugin did run


def test_workspace_client_is_scoped_and_keyed() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json="3.8.8")

    cloud = SyncCloudClient(CLOUD, KEY, {"timeout": 7})
    workspace = Workspace.model_validate(LISTED)
    client = cloud.workspace_client(workspace)
    assert client.api_url == WORKSPACE_URL
    assert client.settings.api_key is not None and client.settings.api_key.get_secret_value() == KEY
    # The transport is not shared (closing one client must not close the other's); the rest is.
    assert cloud.workspace_client(workspace)._httpx_settings == {"timeout": 7}
    mocked_cloud = SyncCloudClient(CLOUD, KEY, {"transport": httpx.MockTransport(handler)})
    assert "transport" not in mocked_cloud.workspace_client(workspace)._httpx_settings


def test_workspace_get_client_by_hand_uses_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_KEY", KEY)
    workspace = Workspace.model_validate(LISTED)
    client = workspace.get_client()
    assert client.api_url == WORKSPACE_URL
    assert client.settings.api_key is not None and client.settings.api_key.get_secret_value() == KEY
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    assert isinstance(client, PrefectClient)
    assert isinstance(workspace.get_client(sync_client=True), SyncPrefectClient)


def test_ip_allowlist_entries_validate() -> None:
    with pytest.raises(ValueError):
        IPAllowlist.model_validate({"entries": [{"ip_network": "not-an-ip"}]})
    entry = IPAllowlist.model_validate({"entries": [{"ip_network": "::1"}]}).entries[0]
    assert str(entry.ip_network) == "::1/128" and entry.enabled


# -- packaging -----------------------------------------------------------------------------


def cloud_import_graph() -> dict[str, set[str]]:
    """Which modules of ``prefect_sdk.cloud`` each of its modules imports, read from the source.

    Every import counts: at the top, inside functions, under ``TYPE_CHECKING``, and module
    names given to ``importlib`` as string constants.  ``from prefect_sdk.cloud import x``
    imports the package itself (its ``__init__``).
    """
    import prefect_sdk.cloud

    package = "prefect_sdk.cloud"
    folder = Path(prefect_sdk.cloud.__file__).parent
    paths = {
        package if path.stem == "__init__" else f"{package}.{path.stem}": path
        for path in folder.glob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        here = module if path.stem == "__init__" else module.rpartition(".")[0]
        named: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                named |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = here.rsplit(".", node.level - 1)[0] if node.level > 1 else here
                    base = f"{parent}.{base}" if base else parent
                named |= {base} | {f"{base}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                named.add(node.value)
        graph[module] = (named & set(paths)) - {module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (its modules in order, the first repeated), or ``None``."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for imported in sorted(graph[module]):
            cycle = visit(imported, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return None


def test_find_cycle_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_the_cloud_modules_import_each_other_without_a_cycle() -> None:
    graph = cloud_import_graph()
    # The graph is read (not empty), including imports inside functions.
    assert {"prefect_sdk.cloud._common", "prefect_sdk.cloud._workspace"} <= graph[
        "prefect_sdk.cloud._async"
    ]
    assert "prefect_sdk.cloud._sync" in graph["prefect_sdk.cloud._get_cloud_client"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_import_is_light_and_the_sync_client_is_optional(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "import prefect_sdk.cloud as cloud\n"
        "assert 'httpx' not in sys.modules and 'pydantic' not in sys.modules, sorted(sys.modules)\n"
        "cloud.CloudClient\n"
        "sys.modules['prefect_sdk.sync'] = None\n"
        "try:\n"
        "    cloud.SyncCloudClient\n"
        "except ImportError as exc:\n"
        "    print('HINT', exc)\n"
        "try:\n"
        "    cloud.get_cloud_client(sync_client=True)\n"
        "except ImportError as exc:\n"
        "    print('HINT', exc)\n"
        "print(type(cloud.get_cloud_client()).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PREFECT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    hints = [line for line in done.stdout.splitlines() if line.startswith("HINT")]
    assert len(hints) == 2 and all('pip install "prefect-sdk[sync]"' in h for h in hints)
    assert done.stdout.strip().endswith("CloudClient")
