"""Block type, schema and document operations refuse bad arguments before any network I/O,
naming the argument; what they send; and no secret of a block document shows in a repr, a
str or an error message."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from pydantic import SecretBytes, SecretStr

from prefect_sdk.exceptions import AuthenticationError, ValidationError
from prefect_sdk.filters import (
    BlockDocumentFilter,
    BlockDocumentSort,
    BlockSchemaFilter,
    BlockTypeFilter,
    FlowFilter,
)
from prefect_sdk.schemas import (
    BlockDocument,
    BlockDocumentCreate,
    BlockDocumentUpdate,
    BlockSchemaCreate,
    BlockTypeCreate,
    BlockTypeUpdate,
)
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

TYPE_ID = uuid.UUID("3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11")
SCHEMA_ID = uuid.UUID("5dce63dd-3516-4f36-b15d-0fdcec4b527a")
DOC_ID = uuid.UUID("c22eeea5-1a4f-49d4-84ab-5bc91b5c66db")
SECRET = "hunter2-do-not-print"
BLOCK_TYPE = {"id": str(TYPE_ID), "name": "Creds", "slug": "creds"}
SCHEMA = {"id": str(SCHEMA_ID), "checksum": "sha256:ab", "block_type_id": str(TYPE_ID)}
DOCUMENT = {
    "id": str(DOC_ID),
    "name": "login",
    "data": {"user": "u", "password": SECRET},
    "block_schema_id": str(SCHEMA_ID),
    "block_type_id": str(TYPE_ID),
    "block_type_name": "Creds",
    "block_document_references": {"inner": {"block_document": {"data": {"token": SECRET}}}},
}
NEW_DOC: dict[str, Any] = {"name": "login", "block_type_id": TYPE_ID, "block_schema_id": SCHEMA_ID}


def ok(body: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body) if body is not None else httpx.Response(204)


async def refused(kind: str, op: str, *args: Any, match: str, **kwargs: Any) -> ValidationError:
    """``op`` raises a ValidationError matching ``match`` and sends nothing."""
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match=match) as info:
        await call_with(kind, handler, op, *args, **kwargs)
    assert seen == []
    return info.value


async def sent(kind: str, op: str, answer: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Run ``op`` against a server answering ``answer``; return its result and the request."""
    handler, seen = respond(answer)
    result = await call_with(kind, handler, op, *args, **kwargs)
    assert len(seen) == 1
    return result, seen[0]


def body_of(request: Any) -> Any:
    return json.loads(request.content)


def nowhere_in(error: BaseException, secret: str) -> None:
    """``secret`` is in neither the error nor any error it was raised from."""
    seen: BaseException | None = error
    while seen is not None:
        assert secret not in str(seen) and secret not in repr(seen)
        seen = seen.__cause__ or seen.__context__


# -- refused before any I/O -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        # block types
        ("create_block_type", ({"name": "Prefect Thing", "slug": "t"},), {}, "reserved"),
        ("create_block_type", ({"name": "T", "slug": "Not A Slug"},), {}, "block_type: slug"),
        ("create_block_type", ({"name": "a/b", "slug": "ab"},), {}, "block_type: name"),
        ("create_block_type", ({"slug": "ab"},), {}, "block_type: name"),
        ("create_block_type", ({"name": "T", "slug": "t", "typo": 1},), {}, "typo"),
        ("create_block_type", ("creds",), {}, "block_type must be a BlockTypeCreate"),
        ("read_block_type", ("nope",), {}, "block_type_id"),
        ("read_block_type_by_slug", ("",), {}, "slug"),
        ("read_block_type_by_slug", ("..",), {}, "slug"),
        ("update_block_type", ("nope", {"description": "d"}), {}, "block_type_id"),
        ("update_block_type", (TYPE_ID, {}), {}, "nothing to change"),
        ("update_block_type", (TYPE_ID, BlockTypeUpdate()), {}, "nothing to change"),
        ("update_block_type", (TYPE_ID, {"name": "renamed"}), {}, "block_type: name"),
        ("delete_block_type", (None,), {}, "block_type_id"),
        ("read_block_types", (), {"limit": -1}, "limit"),
        ("read_block_types", (), {"offset": -1}, "offset"),
        ("read_block_types", (), {"block_type_filter": FlowFilter()}, "block_types="),
        ("read_block_types", (), {"block_schema_filter": BlockTypeFilter()}, "block_schemas="),
        # block schemas
        ("create_block_schema", ({"fields": {}},), {}, "block_schema: block_type_id"),
        ("create_block_schema", ({"block_type_id": "x"},), {}, "block_schema.block_type_id"),
        ("create_block_schema", ({"block_type_id": TYPE_ID, "x": 1},), {}, "block_schema: x"),
        ("create_block_schema", ([],), {}, "block_schema must be a BlockSchemaCreate"),
        ("read_block_schema", ("nope",), {}, "block_schema_id"),
        ("read_block_schema_by_checksum", ("",), {}, "checksum"),
        ("read_block_schema_by_checksum", ("..",), {}, "checksum"),
        ("read_block_schemas", (), {"limit": -5}, "limit"),
        ("read_block_schemas", (), {"block_schema_filter": FlowFilter()}, "block_schemas="),
        ("get_most_recent_block_schema_for_block_type", ("nope",), {}, "block_type_id"),
        ("delete_block_schema", (42,), {}, "block_schema_id"),
        # block documents
        ("create_block_document", ({**NEW_DOC, "name": None},), {}, "name is required"),
        ("create_block_document", ({**NEW_DOC, "name": "a/b"},), {}, "block_document: name"),
        ("create_block_document", ({**NEW_DOC, "block_type_id": "x"},), {}, "block_type_id"),
        ("create_block_document", ({"name": "n"},), {}, "block_schema_id"),
        ("create_block_document", ("login",), {}, "block_document must be a BlockDocumentCreate"),
        ("create_block_document", (NEW_DOC,), {"include_secrets": "yes"}, "include_secrets"),
        ("read_block_document", ("nope",), {}, "block_document_id"),
        ("read_block_document", (DOC_ID,), {"include_secrets": "false"}, "include_secrets"),
        ("read_block_document_by_name", ("..", "creds"), {}, "name"),
        ("read_block_document_by_name", ("", "creds"), {}, "name"),
        ("read_block_document_by_name", ("login", ""), {}, "block_type_slug"),
        ("read_block_document_by_name", ("login", "creds", 1), {}, "include_secrets"),
        ("read_block_documents", ("secret",), {}, "block_schema_type"),
        ("read_block_documents", (), {"offset": -1}, "offset"),
        ("read_block_documents", (), {"sort": "BOGUS"}, "sort"),
        ("read_block_documents", (), {"include_secrets": None}, "include_secrets"),
        ("read_block_documents", (), {"block_type_filter": BlockDocumentFilter()}, "block_types="),
        ("read_block_documents_by_type", ("",), {}, "block_type_slug"),
        ("read_block_documents_by_type", ("creds",), {"offset": -1}, "offset"),
        ("read_block_documents_by_type", ("creds",), {"limit": -1}, "limit"),
        ("count_block_documents", (), {"block_document_filter": BlockTypeFilter()}, "block_doc"),
        ("update_block_document", ("nope", {"data": {}}), {}, "block_document_id"),
        ("update_block_document", (DOC_ID, {}), {}, "nothing to change"),
        ("update_block_document", (DOC_ID, BlockDocumentUpdate()), {}, "nothing to change"),
        ("update_block_document", (DOC_ID, {"name": "x"}), {}, "unknown field"),
        ("update_block_document", (DOC_ID, {"block_schema_id": "x"}), {}, "block_schema_id"),
        ("delete_block_document", ("nope",), {}, "block_document_id"),
    ],
)
async def test_refused_before_any_io(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


@pytest.mark.parametrize(
    ("op", "kwargs", "match"),
    [
        ("iter_block_types", {"page_size": 0}, "page_size"),
        ("iter_block_types", {"block_type_filter": FlowFilter()}, "block_types="),
        ("iter_block_schemas", {"page_size": 201}, "page_size"),
        ("iter_block_documents", {"page_size": -1}, "page_size"),
        ("iter_block_documents", {"sort": "NOPE"}, "sort"),
        ("iter_block_documents", {"include_secrets": "no"}, "include_secrets"),
    ],
)
async def test_iterators_refuse_before_any_io(
    kind: str, op: str, kwargs: dict[str, Any], match: str
) -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    handler, seen = respond(ok([]))
    settings = {"transport": httpx.MockTransport(handler)}
    with pytest.raises(ValidationError, match=match):
        if kind == "sync":
            with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
                list(getattr(sync_client, op)(**kwargs))
        else:
            async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
                [item async for item in getattr(client, op)(**kwargs)]
    assert seen == []


# -- secrets ----------------------------------------------------------------------------------


def test_a_document_never_shows_its_data_in_repr_or_str() -> None:
    document = BlockDocument.model_validate(DOCUMENT)
    assert document.data["password"] == SECRET  # there for the caller to use
    for text in (repr(document), str(document)):
        assert SECRET not in text and "login" in text and str(DOC_ID) in text
    create = BlockDocumentCreate(**NEW_DOC, data={"password": SECRET})
    update = BlockDocumentUpdate(data={"password": SECRET})
    for model in (create, update):
        assert SECRET not in repr(model) and SECRET not in str(model)


async def test_errors_about_block_data_do_not_quote_it(kind: str) -> None:
    for bad, match in [
        ({**NEW_DOC, "data": SECRET}, "data must be a dict"),
        ({**NEW_DOC, "datta": {"password": SECRET}}, "unknown field.*datta"),
        ({**NEW_DOC, "name": None, "data": {"password": SECRET}}, "name is required"),
    ]:
        error = await refused(kind, "create_block_document", bad, match=match)
        nowhere_in(error, SECRET)
    error = await refused(
        kind, "update_block_document", DOC_ID, {"data": [SECRET]}, match="data must be a dict"
    )
    nowhere_in(error, SECRET)


async def test_pydantic_secrets_in_data_are_sent_as_their_value_or_masked(kind: str) -> None:
    data = {"password": SecretStr(SECRET), "nested": [{"key": SecretBytes(b"bytes")}], "n": 1}
    _, request = await sent(
        kind, "create_block_document", ok(DOCUMENT, 201), {**NEW_DOC, "data": data}
    )
    assert body_of(request) == {
        "name": "login",
        "block_type_id": str(TYPE_ID),
        "block_schema_id": str(SCHEMA_ID),
        "data": {"password": SECRET, "nested": [{"key": "bytes"}], "n": 1},
    }
    model = BlockDocumentCreate(**NEW_DOC, data=data)
    _, request = await sent(
        kind, "create_block_document", ok(DOCUMENT, 201), model, include_secrets=False
    )
    assert body_of(request)["data"] == {
        "password": "********",
        "nested": [{"key": "********"}],
        "n": 1,
    }
    _, request = await sent(
        kind, "update_block_document", ok(), DOC_ID, {"data": {"password": SecretStr(SECRET)}}
    )
    assert body_of(request) == {"data": {"password": SECRET}}


# -- what is sent -----------------------------------------------------------------------------


async def test_reads_send_include_secrets(kind: str) -> None:
    document, request = await sent(kind, "read_block_document", ok(DOCUMENT), str(DOC_ID))
    assert request.url.path == f"/api/block_documents/{DOC_ID}"
    assert request.url.params["include_secrets"] == "true"  # prefect-client's default
    assert isinstance(document, BlockDocument) and document.block_type_name == "Creds"
    _, request = await sent(
        kind, "read_block_document", ok(DOCUMENT), DOC_ID, include_secrets=False
    )
    assert request.url.params["include_secrets"] == "false"

    _, request = await sent(kind, "read_block_document_by_name", ok(DOCUMENT), "a b", "creds")
    assert request.url.raw_path.split(b"?")[0] == (
        b"/api/block_types/slug/creds/block_documents/name/a%20b"
    )

    _, request = await sent(
        kind,
        "read_block_documents",
        ok([DOCUMENT]),
        None,
        5,
        10,
        False,
        block_type_filter=BlockTypeFilter(slug="creds"),
        block_schema_filter=BlockSchemaFilter(block_capabilities=["x"]),
        sort=BlockDocumentSort.NAME_DESC,
    )
    assert body_of(request) == {
        "block_types": {"slug": {"any_": ["creds"]}},
        "block_schemas": {"block_capabilities": {"all_": ["x"]}, "operator": "and_"},
        "sort": "NAME_DESC",
        "include_secrets": False,
        "offset": 5,
        "limit": 10,
    }


async def test_read_block_documents_by_type_slices_what_the_server_returns(kind: str) -> None:
    documents = [{**DOCUMENT, "id": str(uuid.uuid4()), "name": f"d{i}"} for i in range(4)]
    found, request = await sent(
        kind, "read_block_documents_by_type", ok(documents), "creds", 1, 2, False
    )
    assert [d.name for d in found] == ["d1", "d2"]
    # The route takes no limit or offset: only include_secrets is sent.
    assert dict(request.url.params) == {"include_secrets": "false"}
    assert request.url.path == "/api/block_types/slug/creds/block_documents"
    found, _ = await sent(kind, "read_block_documents_by_type", ok(documents), "creds", offset=3)
    assert [d.name for d in found] == ["d3"]


async def test_block_type_and_schema_bodies(kind: str) -> None:
    _, request = await sent(
        kind,
        "create_block_type",
        ok(BLOCK_TYPE, 201),
        BlockTypeCreate(name="Creds", slug="creds", description="d"),
    )
    assert body_of(request) == {"name": "Creds", "slug": "creds", "description": "d"}
    _, request = await sent(
        kind, "update_block_type", ok(), TYPE_ID, BlockTypeUpdate(description=None)
    )
    assert body_of(request) == {"description": None}  # set to None: cleared
    _, request = await sent(
        kind,
        "create_block_schema",
        ok(SCHEMA, 201),
        BlockSchemaCreate(block_type_id=TYPE_ID, fields={"title": "T"}),
    )
    assert body_of(request) == {"block_type_id": str(TYPE_ID), "fields": {"title": "T"}}
    _, request = await sent(kind, "read_block_schema_by_checksum", ok(SCHEMA), "sha256:ab")
    assert request.url.raw_path == b"/api/block_schemas/checksum/sha256%3Aab"
    _, request = await sent(
        kind, "read_block_schema_by_checksum", ok(SCHEMA), "sha256:ab", version="1"
    )
    assert request.url.params["version"] == "1"

    newest, request = await sent(
        kind, "get_most_recent_block_schema_for_block_type", ok([]), str(TYPE_ID)
    )
    assert newest is None
    assert body_of(request) == {
        "block_schemas": {"block_type_id": {"any_": [str(TYPE_ID)]}, "operator": "and_"},
        "limit": 1,
    }
    capabilities, request = await sent(kind, "read_block_capabilities", ok(["a", "b"]))
    assert capabilities == ["a", "b"] and request.url.path == "/api/block_capabilities/"
    assert await sent(kind, "install_system_block_types", ok(None, 200))


async def test_create_block_type_returns_the_type_of_the_slug_asked_for(kind: str) -> None:
    # The server answers with an older type of the same name when the slug is new.
    other = {**BLOCK_TYPE, "id": str(uuid.uuid4()), "slug": "creds-2"}
    handler, seen = respond(ok(BLOCK_TYPE, 201), ok(other))
    created = await call_with(
        kind, handler, "create_block_type", {"name": "Creds", "slug": "creds-2"}
    )
    assert created.slug == "creds-2"
    assert [r.url.path for r in seen] == ["/api/block_types/", "/api/block_types/slug/creds-2"]


async def test_protected_block_type_delete_is_refused_by_the_server(kind: str) -> None:
    handler, _ = respond(ok({"detail": "protected block types cannot be deleted."}, 403))
    with pytest.raises(AuthenticationError) as info:
        await call_with(kind, handler, "delete_block_type", TYPE_ID)
    assert info.value.detail == "protected block types cannot be deleted."
