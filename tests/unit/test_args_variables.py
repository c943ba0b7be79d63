"""Variable operations: bad arguments fail before any I/O; what is sent and how answers map."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ObjectAlreadyExists, PrefectHTTPStatusError, ValidationError
from prefect_sdk.filters import FlowFilter, VariableFilter
from prefect_sdk.schemas import VariableCreate, VariableUpdate
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio

flavour, anyio_backend, kind = flavour_fixtures()

NEVER = httpx.Response(500, json={"detail": "no request should have been sent"})
VARIABLE_ID = uuid.uuid4()


def variable(name: str = "v", value: Any = 1, tags: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": str(VARIABLE_ID),
        "created": None,
        "updated": None,
        "name": name,
        "value": value,
        "tags": tags or [],
    }


async def walk(kind: str, handler: Any, op: str, *args: Any, **kwargs: Any) -> list[Any]:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
            return list(getattr(sync_client, op)(*args, **kwargs))
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        return [item async for item in getattr(client, op)(*args, **kwargs)]


BAD_CALLS = [
    ("create_variable", ({"name": "Has Caps", "value": 1},), {}, "lowercase letters"),
    ("create_variable", ({"name": "", "value": 1},), {}, "name"),
    ("create_variable", ({"name": "x" * 256, "value": 1},), {}, "255"),
    ("create_variable", ({"name": "a.b", "value": 1},), {}, "lowercase letters"),
    ("create_variable", ({"name": "v"},), {}, "value: Field required"),
    ("create_variable", ({"name": "v", "value": b"raw"},), {}, "got bytes"),
    ("create_variable", ({"name": "v", "value": {1, 2}},), {}, "got set"),
    ("create_variable", ({"name": "v", "value": {"k": object()}},), {}, "JSON value"),
    ("create_variable", ({"name": "v", "value": "x" * 5000},), {}, "at most 5000"),
    ("create_variable", ({"name": "v", "value": 1, "tag": ["t"]},), {}, "tag"),
    ("create_variable", ("v",), {}, "VariableCreate"),
    ("read_variable", ("not-a-uuid",), {}, "variable_id"),
    ("read_variable_by_name", ("",), {}, "name"),
    ("read_variable_by_name", ("..",), {}, "name"),
    ("read_variables", (), {"limit": -1}, "limit"),
    ("read_variables", (), {"offset": "0"}, "offset"),
    ("read_variables", (), {"sort": "VALUE_ASC"}, "VariableSort"),
    ("read_variables", (), {"variable_filter": FlowFilter()}, "VariableFilter"),
    ("count_variables", (FlowFilter(),), {}, "VariableFilter"),
    ("iter_variables", (), {"page_size": 0}, "page_size"),
    ("iter_variables", (), {"page_size": 201}, "page_size"),
    ("iter_variables", ("NOPE",), {}, "VariableSort"),
    ("update_variable", (VariableUpdate(value=1),), {}, "variable.name"),
    ("update_variable", ({"name": "v", "value": b"x"},), {}, "got bytes"),
    ("update_variable", ({"name": "v", "values": 1},), {}, "values"),
    ("update_variable_by_id", ("x", VariableUpdate(value=1)), {}, "variable_id"),
    ("update_variable_by_id", (VARIABLE_ID, {"name": "Bad"}), {}, "lowercase letters"),
    ("delete_variable", (None,), {}, "variable_id"),
    ("delete_variable_by_name", ("",), {}, "name"),
    ("get_variable", ("",), {}, "name"),
    ("set_variable", ("Bad", 1), {}, "lowercase letters"),
    ("set_variable", ("v", object()), {}, "JSON value"),
    ("set_variable", ("v", 1), {"tags": "t"}, "tags"),
]


@pytest.mark.parametrize(("op", "args", "kwargs", "match"), BAD_CALLS)
async def test_bad_arguments_fail_before_any_request(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    handler, seen = respond(NEVER)
    run = walk if op.startswith("iter_") else call_with
    with pytest.raises(ValidationError, match=match):
        await run(kind, handler, op, *args, **kwargs)
    assert seen == []


async def test_create_sends_only_what_was_given(kind: str) -> None:
    handler, seen = respond(httpx.Response(201, json=variable("db_host", "10.0.0.1")))
    created = await call_with(
        kind, handler, "create_variable", VariableCreate(name="db_host", value="10.0.0.1")
    )
    assert created.value == "10.0.0.1"
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/api/variables/")
    assert json.loads(request.content) == {"name": "db_host", "value": "10.0.0.1"}


async def test_a_conflict_is_object_already_exists_and_not_retried(kind: str) -> None:
    handler, seen = respond(httpx.Response(409, json={"detail": "already exists"}))
    with pytest.raises(ObjectAlreadyExists):
        await call_with(kind, handler, "create_variable", {"name": "v", "value": 1})
    assert len(seen) == 1


async def test_reading_a_missing_name_gives_none_other_errors_raise(kind: str) -> None:
    handler, seen = respond(httpx.Response(404, json={"detail": "Variable not found."}))
    assert await call_with(kind, handler, "read_variable_by_name", "my var:x") is None
    assert seen[0].url.raw_path == b"/api/variables/name/my%20var%3Ax"
    assert await call_with(kind, handler, "get_variable", "v", "fallback") == "fallback"
    handler, _ = respond(httpx.Response(500, json={"detail": "boom"}))
    with pytest.raises(PrefectHTTPStatusError) as info:
        await call_with(kind, handler, "read_variable_by_name", "v")
    assert info.value.status_code == 500


async def test_update_addresses_the_variable_by_its_name(kind: str) -> None:
    handler, seen = respond(httpx.Response(204))
    await call_with(kind, handler, "update_variable", VariableUpdate(name="v", value=None))
    (request,) = seen
    assert (request.method, request.url.path) == ("PATCH", "/api/variables/name/v")
    assert json.loads(request.content) == {"name": "v", "value": None}  # null is stored

    handler, seen = respond(httpx.Response(204))
    await call_with(kind, handler, "update_variable_by_id", VARIABLE_ID, {"name": "w"})
    assert seen[0].url.path == f"/api/variables/{VARIABLE_ID}"
    assert json.loads(seen[0].content) == {"name": "w"}


async def test_set_variable_overwrites_only_when_asked(kind: str) -> None:
    conflict = httpx.Response(409, json={"detail": "already exists"})
    handler, seen = respond(conflict)
    with pytest.raises(ObjectAlreadyExists):
        await call_with(kind, handler, "set_variable", "v", [1, 2])
    assert len(seen) == 1

    handler, seen = respond(
        conflict, httpx.Response(204), httpx.Response(200, json=variable("v", [1, 2], ["t"]))
    )
    got = await call_with(kind, handler, "set_variable", "v", (1, 2), True, tags=["t"])
    assert got.value == [1, 2] and got.tags == ["t"]
    assert [(r.method, r.url.path) for r in seen] == [
        ("POST", "/api/variables/"),
        ("PATCH", "/api/variables/name/v"),
        ("GET", "/api/variables/name/v"),
    ]
    assert json.loads(seen[1].content) == {"name": "v", "value": [1, 2], "tags": ["t"]}


async def test_count_and_iterate(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=2))
    assert await call_with(kind, handler, "count_variables", VariableFilter(tags=["a"])) == 2
    assert json.loads(seen[0].content) == {
        "variables": {"tags": {"all_": ["a"], "operator": "and_"}, "operator": "and_"}
    }

    handler, seen = respond(
        httpx.Response(200, json=[variable("a"), variable("b")]),
        httpx.Response(200, json=[variable("c")]),
    )
    names = [v.name for v in await walk(kind, handler, "iter_variables", page_size=2)]
    assert names == ["a", "b", "c"]
    bodies = [json.loads(r.content) for r in seen]
    assert [(b["offset"], b["limit"], b["sort"]) for b in bodies] == [
        (0, 2, "NAME_ASC"),
        (2, 2, "NAME_ASC"),
    ]


async def test_read_variables_takes_prefect_clients_positional_limit(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[variable()]))
    assert len(await call_with(kind, handler, "read_variables", 5)) == 1
    assert json.loads(seen[0].content) == {"offset": 0, "limit": 5}


async def test_the_module_functions_use_the_given_client() -> None:
    import prefect_sdk.variables as variables
    from prefect_sdk.client import PrefectClient

    handler, seen = respond(
        httpx.Response(200, json=variable("v", {"a": 1})),
        httpx.Response(201, json=variable("w", 2)),
    )
    settings = {"transport": httpx.MockTransport(handler)}
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        assert await variables.get_variable("v", client=client) == {"a": 1}
        made = await variables.set_variable("w", 2, client=client)
    assert made.name == "w"
    assert [r.url.path for r in seen] == ["/api/variables/name/v", "/api/variables/"]
