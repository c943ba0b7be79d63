"""Operations on block documents against the real server, through both clients.

The server masks the secret fields of a document's schema as ``"********"`` unless the read
asks for them (``include_secrets=True``, the default as in prefect-client); a secret read in
clear never shows in a ``repr()`` or ``str()`` of the document.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from pydantic import SecretStr

from prefect_sdk.exceptions import ObjectAlreadyExists, ObjectNotFound, ValidationError
from prefect_sdk.filters import (
    BlockDocumentFilter,
    BlockDocumentSort,
    BlockSchemaFilter,
    BlockTypeFilter,
)
from prefect_sdk.schemas import (
    BlockDocument,
    BlockDocumentCreate,
    BlockDocumentUpdate,
    BlockSchema,
    BlockType,
)

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]
MASK = "********"


@pytest.fixture
async def credentials(client: Any, unique: Unique) -> AsyncIterator[tuple[BlockType, BlockSchema]]:
    """A block type of our own whose schema marks ``password`` secret; deleted afterwards
    (with its schema and documents)."""
    slug = unique("creds")
    block_type = await client.create_block_type({"name": slug, "slug": slug})
    schema = await client.create_block_schema(
        {
            "block_type_id": block_type.id,
            "fields": {
                "title": slug,
                "type": "object",
                "properties": {
                    "user": {"type": "string"},
                    "password": {"type": "string", "format": "password", "writeOnly": True},
                },
                "secret_fields": ["password"],
                "block_schema_references": {},
            },
        }
    )
    yield block_type, schema
    await client.delete_block_type(block_type)


def assert_hidden(document: BlockDocument, secret: str) -> None:
    assert secret not in repr(document) and secret not in str(document)
    assert str(document.id) in repr(document)  # the rest is shown


async def test_secret_fields_are_masked_unless_asked_for(
    client: Any, unique: Unique, credentials: tuple[BlockType, BlockSchema]
) -> None:
    block_type, schema = credentials
    name, secret = unique("login"), unique("pw")
    created = await client.create_block_document(
        BlockDocumentCreate(
            name=name,
            block_type_id=block_type.id,
            block_schema_id=schema.id,
            data={"user": "u", "password": SecretStr(secret)},  # sent as its value
        )
    )
    assert isinstance(created, BlockDocument)
    assert created.data == {"user": "u", "password": MASK}  # the server masks its answer
    assert (created.name, created.block_type_name, created.is_anonymous) == (
        name,
        block_type.name,
        False,
    )

    clear = await client.read_block_document(created.id)  # include_secrets=True by default
    assert clear.data == {"user": "u", "password": secret}
    assert_hidden(clear, secret)
    masked = await client.read_block_document(str(created.id), include_secrets=False)
    assert masked.data == {"user": "u", "password": MASK}

    by_name = await client.read_block_document_by_name(name, block_type.slug)
    assert by_name.id == created.id and by_name.data["password"] == secret
    assert_hidden(by_name, secret)
    by_name = await client.read_block_document_by_name(
        name=name, block_type_slug=block_type.slug, include_secrets=False
    )
    assert by_name.data["password"] == MASK

    of_type = BlockTypeFilter(slug=[block_type.slug])
    [listed] = await client.read_block_documents(block_type_filter=of_type)
    assert listed.data["password"] == secret
    assert_hidden(listed, secret)
    [listed] = await client.read_block_documents(include_secrets=False, block_type_filter=of_type)
    assert listed.data["password"] == MASK
    [by_type] = await client.read_block_documents_by_type(block_type.slug)
    assert by_type.data["password"] == secret
    [by_type] = await client.read_block_documents_by_type(block_type.slug, include_secrets=False)
    assert by_type.data["password"] == MASK
    [iterated] = [d async for d in client.iter_block_documents(block_type_filter=of_type)]
    assert iterated.data["password"] == secret
    [iterated] = [
        d
        async for d in client.iter_block_documents(include_secrets=False, block_type_filter=of_type)
    ]
    assert iterated.data["password"] == MASK

    # include_secrets=False on create sends pydantic secrets masked: nothing secret is stored.
    withheld = await client.create_block_document(
        {
            "name": unique("withheld"),
            "block_type_id": block_type,
            "block_schema_id": schema,
            "data": {"user": "w", "password": SecretStr(secret)},
        },
        include_secrets=False,
    )
    assert (await client.read_block_document(withheld)).data["password"] == MASK


async def test_the_system_secret_block(client: Any, unique: Unique) -> None:
    block_type = await client.read_block_type_by_slug("secret")
    schema = await client.get_most_recent_block_schema_for_block_type(block_type)
    assert schema is not None and "value" in schema.fields["secret_fields"]
    secret = unique("token")
    document = await client.create_block_document(
        {
            "name": unique("sec"),
            "block_type_id": block_type.id,
            "block_schema_id": schema.id,
            "data": {"value": secret},
        }
    )
    try:
        assert document.data == {"value": MASK}
        read = await client.read_block_document(document.id, include_secrets=True)
        assert read.data == {"value": secret}
        assert_hidden(read, secret)
        masked = await client.read_block_document(document.id, include_secrets=False)
        assert masked.data == {"value": MASK}
    finally:
        await client.delete_block_document(document)


async def test_update_merges_keeps_masked_secrets_and_replaces(
    client: Any, unique: Unique, credentials: tuple[BlockType, BlockSchema]
) -> None:
    block_type, schema = credentials
    document = await client.create_block_document(
        {
            "name": unique("upd"),
            "block_type_id": block_type.id,
            "block_schema_id": schema.id,
            "data": {"user": "u", "password": "old"},
        }
    )
    # Merged into the stored data: the password stays.
    await client.update_block_document(document.id, BlockDocumentUpdate(data={"user": "u2"}))
    assert (await client.read_block_document(document)).data == {"user": "u2", "password": "old"}
    # A secret sent back masked (as a masked read shows it) keeps its stored value.
    masked = await client.read_block_document(document, include_secrets=False)
    await client.update_block_document(document, {"data": {**masked.data, "user": "u3"}})
    assert (await client.read_block_document(document)).data == {"user": "u3", "password": "old"}
    # A pydantic secret is sent as its value.
    await client.update_block_document(document, {"data": {"password": SecretStr("new")}})
    assert (await client.read_block_document(document)).data == {"user": "u3", "password": "new"}
    # merge_existing_data=False replaces the data.
    await client.update_block_document(
        str(document.id), BlockDocumentUpdate(data={"user": "only"}, merge_existing_data=False)
    )
    assert (await client.read_block_document(document)).data == {"user": "only"}

    await client.delete_block_document(document)
    with pytest.raises(ObjectNotFound):
        await client.read_block_document(document.id)
    with pytest.raises(ObjectNotFound):
        await client.update_block_document(document.id, {"data": {"user": "x"}})
    with pytest.raises(ObjectNotFound):
        await client.delete_block_document(document.id)


async def test_filter_count_sort_page_and_anonymous(
    client: Any, unique: Unique, credentials: tuple[BlockType, BlockSchema]
) -> None:
    block_type, schema = credentials
    of_type = BlockTypeFilter(slug=[block_type.slug])
    assert await client.count_block_documents(block_type_filter=of_type) == 0
    names = sorted(unique(f"doc{i}") for i in range(3))
    documents = [
        await client.create_block_document(
            {
                "name": name,
                "block_type_id": block_type.id,
                "block_schema_id": schema.id,
                "data": {"user": name},
            }
        )
        for name in names
    ]
    anonymous = await client.create_block_document(
        {
            "block_type_id": block_type.id,
            "block_schema_id": schema.id,
            "data": {"user": "anon"},
            "is_anonymous": True,
        }
    )
    assert anonymous.is_anonymous and anonymous.name  # the server named it

    with pytest.raises(ObjectAlreadyExists) as conflict:
        await client.create_block_document(
            {"name": names[0], "block_type_id": block_type.id, "block_schema_id": schema.id}
        )
    assert conflict.value.status_code == 409
    # A BlockDocument read back is copied under another name.
    copy_name = unique("zcopy")
    copy = await client.create_block_document(documents[0].model_copy(update={"name": copy_name}))
    assert copy.id != documents[0].id and copy.name == copy_name
    assert (await client.read_block_document(copy)).data == {"user": names[0]}
    await client.delete_block_document(copy.id)

    # Anonymous documents are counted and listed only when asked for.
    assert await client.count_block_documents(block_type_filter=of_type) == 3
    with_anonymous = BlockDocumentFilter(is_anonymous=None)
    assert (
        await client.count_block_documents(
            block_document_filter=with_anonymous, block_type_filter=of_type
        )
        == 4
    )
    assert (
        await client.count_block_documents(
            block_document_filter=BlockDocumentFilter(name=names[:2]),
            block_schema_filter=BlockSchemaFilter(id=[schema.id]),
        )
        == 2
    )
    listed = await client.read_block_documents(block_type_filter=of_type)
    assert [d.name for d in listed] == names  # by name
    desc = await client.read_block_documents(
        sort=BlockDocumentSort.NAME_DESC, block_type_filter=of_type
    )
    assert [d.name for d in desc] == names[::-1]
    page = await client.read_block_documents(offset=1, limit=1, block_type_filter=of_type)
    assert [d.name for d in page] == names[1:2]
    everything = await client.read_block_documents(
        block_document_filter=with_anonymous, block_type_filter=of_type
    )
    assert {d.id for d in everything} == {d.id for d in documents} | {anonymous.id}
    pages = [
        d.name
        async for d in client.iter_block_documents(
            "NAME_ASC", block_type_filter=of_type, page_size=2
        )
    ]
    assert pages == names

    by_type = await client.read_block_documents_by_type(block_type.slug)
    assert [d.name for d in by_type] == names  # the server leaves anonymous ones out
    assert [d.name for d in await client.read_block_documents_by_type(block_type.slug, 1, 1)] == [
        names[1]
    ]
    assert [d.name for d in await client.read_block_documents_by_type(block_type.slug, 2)] == [
        names[2]
    ]
    with pytest.raises(ObjectNotFound):
        await client.read_block_documents_by_type(unique("no-such-type"))
    with pytest.raises(ObjectNotFound):
        await client.read_block_document_by_name(unique("missing"), block_type.slug)

    await client.delete_block_document(documents[0])
    assert await client.count_block_documents(block_type_filter=of_type) == 2
    # Deleting the schema deletes the documents made from it.
    await client.delete_block_schema(schema)
    assert (
        await client.count_block_documents(
            block_document_filter=with_anonymous, block_type_filter=of_type
        )
        == 0
    )


async def test_bad_arguments_never_reach_the_server(client: Any) -> None:
    some_id = uuid.uuid4()
    with pytest.raises(ValidationError, match="name is required"):
        await client.create_block_document({"block_type_id": some_id, "block_schema_id": some_id})
    with pytest.raises(ValidationError, match="block_schema_type"):
        await client.read_block_documents("secret")
