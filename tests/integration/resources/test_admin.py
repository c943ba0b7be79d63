"""Administration routes, the collection registry views and schema validation against the real
server, through both clients; the version check and the masking of settings also with
injected answers (no server needed)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from importlib.metadata import version
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from prefect_sdk.exceptions import (
    APIConnectionError,
    NotSupportedByServer,
    ObjectNotFound,
    PrefectHTTPStatusError,
    ServerValidationError,
    ValidationError,
)
from prefect_sdk.schemas import (
    SchemaValueIndexError,
    SchemaValuePropertyError,
    SchemaValuesValidationResponse,
    ServerDefaultResultStorage,
    ServerSettings,
)
from tests._support import (
    BASIC_AUTH,
    call_with,
    expected_server_version,
    needs_server,
    respond,
    server_has_route,
    server_version,
    setup_request,
)

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


@pytest.fixture
def kind(flavour: str) -> str:
    return "sync" if flavour == "sync" else "async"


async def maybe_await(value: Any) -> Any:
    """A plain method (``client_version``) returns its value on both clients; the test adapter
    of the blocking client makes every result awaitable."""
    return value if isinstance(value, str) else await value


# -- settings ---------------------------------------------------------------------------------


async def test_server_settings(client: Any) -> None:
    settings = await client.read_server_settings()
    assert isinstance(settings, ServerSettings)
    assert settings.get("server.api.default_limit") == 200
    assert settings.get("server.services.scheduler.enabled") is False  # as the tests start it
    assert settings.get("server.no.such.setting", "x") == "x"
    assert settings.get("nope") is None
    url = settings.get("server.database.connection_url")
    assert isinstance(url, SecretStr)  # the server masks it, and so does the model
    assert "sqlite" not in repr(settings) + settings.model_dump_json()


async def test_secured_server_settings_hide_the_auth_string(
    flavour: str, api_url: str, secured_api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs_server(api_url, *BASIC_AUTH)  # no server.api.auth_string setting before
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient
    from tests.conftest import SECURED_AUTH_STRING

    monkeypatch.setenv("PREFECT_API_AUTH_STRING", SECURED_AUTH_STRING)
    if flavour == "sync":
        with SyncPrefectClient(api=secured_api_url) as sync_client:
            settings = sync_client.read_server_settings()
    else:
        async with PrefectClient(api=secured_api_url) as async_client:
            settings = await async_client.read_server_settings()
    secret = settings.get("server.api.auth_string")
    assert isinstance(secret, SecretStr)
    password = SECURED_AUTH_STRING.split(":", 1)[1]
    shown = repr(settings) + str(settings) + settings.model_dump_json() + str(settings.model_dump())
    assert password not in shown


PLAIN_SECRETS = {
    "api": {
        "url": "https://me:url-pass@prefect.example/api",
        "key": "pnu_plain-key",
        "auth_string": None,
    },
    "client": {"custom_headers": {"X-Token": "header-secret"}, "max_retries": 5},
    "server": {
        "api": {"auth_string": "admin:auth-pass"},
        "database": {"connection_url": "postgresql+asyncpg://u:db-pass@db/prefect", "echo": False},
        "docket": {"url": "redis://:redis-pass@cache:6379/0"},
    },
    "brand_new_section": {"token": "ignored-anyway"},
}


async def test_settings_mask_what_a_server_sends_in_clear(kind: str) -> None:
    # Prefect 3.8.8 masks its SecretStr settings but sends URLs with credentials and custom
    # headers as they are; any server's plain secrets must not reach a repr or a log.
    handler, seen = respond(httpx.Response(200, json=PLAIN_SECRETS))
    settings = await call_with(kind, handler, "read_server_settings")
    assert seen[0].url.path == "/api/admin/settings"
    shown = repr(settings) + str(settings) + settings.model_dump_json() + str(settings.model_dump())
    for secret in ("url-pass", "plain-key", "header-secret", "auth-pass", "db-pass", "redis-pass"):
        assert secret not in shown
    assert settings.get("api.url") == "https://***@prefect.example/api"
    assert settings.get("api.key").get_secret_value() == "pnu_plain-key"
    assert settings.get("client.custom_headers")["X-Token"].get_secret_value() == "header-secret"
    assert settings.get("server.docket.url") == "redis://***@cache:6379/0"
    assert settings.get("client.max_retries") == 5 and settings.get("api.auth_string") is None


# -- default result storage -------------------------------------------------------------------


@pytest.fixture
def storage_block(api_url: str, unique: Unique) -> Iterator[uuid.UUID]:
    """A local-file-system block document, made with plain HTTP (blocks are another module)."""
    block_type = setup_request(api_url, "GET", "/block_types/slug/local-file-system")
    schemas = setup_request(
        api_url,
        "POST",
        "/block_schemas/filter",
        {"block_schemas": {"block_type_id": {"any_": [block_type["id"]]}}},
    )
    document = setup_request(
        api_url,
        "POST",
        "/block_documents/",
        {
            "name": unique("results"),
            "block_type_id": block_type["id"],
            "block_schema_id": schemas[0]["id"],
            "data": {"basepath": "/tmp/prefect-sdk-results"},
        },
    )
    block_id = uuid.UUID(document["id"])
    try:
        yield block_id
    finally:
        httpx.delete(f"{api_url}/block_documents/{block_id}")


async def test_default_result_storage(client: Any, storage_block: uuid.UUID, api_url: str) -> None:
    if not server_has_route(api_url, "GET", "/admin/storage"):  # 3.8.8 has it, 3.6.29 not
        # (The blocking client's calls run when made: made inside pytest.raises.)
        with pytest.raises(NotSupportedByServer, match="GET /admin/storage"):
            await client.read_server_default_result_storage()
        with pytest.raises(NotSupportedByServer, match="PUT /admin/storage"):
            await client.update_server_default_result_storage(storage_block)
        with pytest.raises(NotSupportedByServer, match="DELETE /admin/storage"):
            await client.clear_server_default_result_storage()
        return
    before = await client.read_server_default_result_storage()
    assert isinstance(before, ServerDefaultResultStorage)
    try:
        updated = await client.update_server_default_result_storage(storage_block)
        assert updated.default_result_storage_block_id == storage_block
        read = await client.read_server_default_result_storage()
        assert read.default_result_storage_block_id == storage_block
        with pytest.raises(ObjectNotFound):
            await client.update_server_default_result_storage(uuid.uuid4())
        assert (
            await client.read_server_default_result_storage()
        ).default_result_storage_block_id == storage_block
        await client.clear_server_default_result_storage()
        cleared = await client.read_server_default_result_storage()
        assert cleared.default_result_storage_block_id is None
        await client.clear_server_default_result_storage()  # harmless when none is set
    finally:  # leave the shared server as it was
        if before.default_result_storage_block_id is not None:
            await client.update_server_default_result_storage(
                before.default_result_storage_block_id
            )
        else:
            await client.clear_server_default_result_storage()


# -- versions ---------------------------------------------------------------------------------


async def test_versions_and_the_compatibility_check(client: Any) -> None:
    assert await maybe_await(client.client_version()) == version("prefect-sdk-client-core")
    assert await client.raise_for_api_version_mismatch() is None  # 0.8.4, as built for


async def test_api_version_is_the_servers_prefect_version(client: Any, api_url: str) -> None:
    # api_version() is prefect-client's name for the Prefect version; the api_version=
    # argument (a request header) does not shadow it.
    answered = server_version(api_url)  # a plain GET /admin/version
    assert answered == (expected_server_version() or answered)
    assert await client.api_version() == answered == await client.read_server_version()


def version_answer(api_version: str) -> Callable[[Any], Any]:
    def handler(request: Any) -> Any:
        assert request.url.path == "/api/version"
        return httpx.Response(200, json=api_version)

    return handler


async def test_another_major_api_version_is_refused(kind: str) -> None:
    from prefect_sdk.exceptions import APIVersionMismatchError

    for server in ("1.0.0", "garbage"):
        with pytest.raises(APIVersionMismatchError) as info:
            await call_with(kind, version_answer(server), "raise_for_api_version_mismatch")
        assert isinstance(info.value, RuntimeError)  # what prefect-client raises
        assert info.value.server_api_version == server
        assert info.value.client_api_version == "0.8.4"
        assert "major versions must match" in str(info.value)
        assert "prefect.test" in str(info.value)


async def test_an_older_api_version_only_warns(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="prefect_sdk.client"):
        await call_with(kind, version_answer("0.8.3"), "raise_for_api_version_mismatch")
        assert "older than the 0.8.4" in caplog.text
        caplog.clear()
        await call_with(kind, version_answer("0.9.0"), "raise_for_api_version_mismatch")
        await call_with(kind, version_answer("0.8.4"), "raise_for_api_version_mismatch")
    assert caplog.text == ""


async def test_the_check_runs_once_per_api_url(kind: str) -> None:
    api = f"http://{uuid.uuid4().hex}.test/api"  # a URL no other test checked
    handler, seen = respond(httpx.Response(200, json="0.8.4"))
    for _ in range(3):
        await call_with(
            kind, handler, "raise_for_api_version_mismatch_once", client_options={"api": api}
        )
    assert len(seen) == 1
    refused = f"http://{uuid.uuid4().hex}.test/api"
    handler, seen = respond(httpx.Response(200, json="1.0.0"))
    for _ in range(2):  # a failed check is not remembered
        with pytest.raises(RuntimeError):
            await call_with(
                kind,
                handler,
                "raise_for_api_version_mismatch_once",
                client_options={"api": refused},
            )
    assert len(seen) == 2


async def test_prefect_cloud_is_not_checked(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json="1.0.0"))
    cloud = "https://api.prefect.cloud/api/accounts/a/workspaces/w"
    await call_with(kind, handler, "raise_for_api_version_mismatch", client_options={"api": cloud})
    assert seen == []


async def test_an_unreachable_server_raises_the_usual_error(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_MAX_RETRIES", "0")
    handler, _ = respond(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError):
        await call_with(kind, handler, "raise_for_api_version_mismatch")


# -- collection registry views ----------------------------------------------------------------


async def test_collection_views(client: Any, unique: Unique) -> None:
    metadata = await client.read_worker_metadata()
    assert "process" in metadata["prefect"]  # bundled with the server: answers offline too
    assert "default_base_job_configuration" in metadata["prefect"]["process"]
    assert await client.read_collection_view("aggregate-worker-metadata") == metadata
    with pytest.raises(ObjectNotFound, match="not found in registry"):
        await client.read_collection_view(unique("no-such-view"))
    try:  # fetched from GitHub: a dict online, a 500 offline (no copy bundled)
        blocks = await client.read_collection_view("aggregate-block-metadata")
    except PrefectHTTPStatusError as exc:
        assert exc.status_code == 500
    else:
        assert isinstance(blocks, dict) and blocks


# -- schema validation (/ui/schemas/validate) -------------------------------------------------

SCHEMA = {
    "type": "object",
    "properties": {
        "count": {"type": "integer"},
        "names": {"type": "array", "items": {"type": "string"}},
        "nested": {"type": "object", "properties": {"depth": {"type": "integer"}}},
    },
    "required": ["count"],
}


async def test_validate_schema_values(client: Any) -> None:
    ok = await client.validate_schema_values(SCHEMA, {"count": 3, "names": ["a"]})
    assert isinstance(ok, SchemaValuesValidationResponse)
    assert ok.valid is True and ok.errors == []

    bad = await client.validate_schema_values(
        SCHEMA, {"names": ["a", 1], "nested": {"depth": "deep"}}
    )
    assert bad.valid is False
    by_property = {e.property: e for e in bad.errors}
    assert by_property["count"].errors == ["'count' is a required property"]
    (item,) = by_property["names"].errors
    assert isinstance(item, SchemaValueIndexError) and item.index == 1
    assert "is not of type 'string'" in item.errors[0]
    (depth,) = by_property["nested"].errors
    assert isinstance(depth, SchemaValuePropertyError) and depth.property == "depth"

    # Values in Prefect's wrappers: JSON text is checked as the value it holds, a Jinja
    # template is accepted as it is.
    wrapped = await client.validate_schema_values(
        SCHEMA, {"count": {"__prefect_kind": "json", "value": "3"}}
    )
    assert wrapped.valid is True
    wrong = await client.validate_schema_values(
        SCHEMA, {"count": {"__prefect_kind": "json", "value": '"three"'}}
    )
    assert wrong.valid is False and wrong.errors[0].property == "count"
    template = {"__prefect_kind": "jinja", "template": "{{ flow_run.name }}"}
    assert (await client.validate_schema_values(SCHEMA, {"count": template})).valid is True
    with pytest.raises(ServerValidationError, match="Invalid schema"):
        await client.validate_schema_values({"type": "no-such-type"}, {})


@pytest.mark.parametrize(
    ("op", "args", "match"),
    [
        ("validate_schema_values", ([], {}), "schema must be a dict"),
        ("validate_schema_values", ({}, "x=1"), "values must be a dict"),
        ("validate_schema_values", ({}, {"when": object()}), "JSON"),
        ("read_collection_view", ("",), "view"),
        ("read_collection_view", ("..",), "view"),
        ("update_server_default_result_storage", ("not-an-id",), "default_result_storage"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    kind: str, op: str, args: tuple[Any, ...], match: str
) -> None:
    handler, seen = respond(httpx.Response(500))
    with pytest.raises(ValidationError, match=match):
        await call_with(kind, handler, op, *args)
    assert seen == []


async def test_what_is_sent(kind: str) -> None:
    block_id = uuid.uuid4()
    handler, seen = respond(
        httpx.Response(200, json={"default_result_storage_block_id": str(block_id)})
    )
    stored = await call_with(kind, handler, "update_server_default_result_storage", str(block_id))
    assert stored.default_result_storage_block_id == block_id
    (request,) = seen
    assert (request.method, request.url.path) == ("PUT", "/api/admin/storage")
    assert json.loads(request.content) == {"default_result_storage_block_id": str(block_id)}

    handler, seen = respond(httpx.Response(200, json={"valid": True, "errors": []}))
    await call_with(kind, handler, "validate_schema_values", {"type": "object"}, {"a": 1})
    assert json.loads(seen[0].content) == {"schema": {"type": "object"}, "values": {"a": 1}}

    handler, seen = respond(httpx.Response(200, json={}))
    await call_with(kind, handler, "read_collection_view", "a view:with space")
    assert seen[0].url.raw_path == b"/api/collections/views/a%20view%3Awith%20space"
