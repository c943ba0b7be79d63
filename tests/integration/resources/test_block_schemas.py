"""Operations on block schemas against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import ObjectNotFound
from prefect_sdk.filters import BlockSchemaFilter
from prefect_sdk.schemas import BlockSchema, BlockSchemaCreate

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


def fields_of(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "type": "object",
        "properties": {
            "user": {"type": "string"},
            "password": {"type": "string", "format": "password", "writeOnly": True},
        },
        "required": ["user"],
        "secret_fields": ["password"],
        "block_schema_references": {},
    }


async def test_block_schema_versions_checksums_and_delete(client: Any, unique: Unique) -> None:
    slug, capability = unique("bs"), unique("cap")
    block_type = await client.create_block_type({"name": slug, "slug": slug})
    try:
        assert await client.get_most_recent_block_schema_for_block_type(block_type) is None

        v1 = await client.create_block_schema(
            BlockSchemaCreate(
                block_type_id=block_type.id,
                fields=fields_of(slug),
                capabilities=[capability],
                version="1",
            )
        )
        assert isinstance(v1, BlockSchema)
        assert (v1.block_type_id, v1.version, v1.capabilities) == (block_type.id, "1", [capability])
        assert v1.fields["secret_fields"] == ["password"] and v1.checksum.startswith("sha256:")
        assert v1.block_type is not None and v1.block_type.slug == slug
        # The same fields and version again: the server answers with the schema it has.
        again = await client.create_block_schema(
            {"block_type_id": block_type, "fields": fields_of(slug), "version": "1"}
        )
        assert again.id == v1.id
        v2 = await client.create_block_schema(
            {"block_type_id": str(block_type.id), "fields": fields_of(slug), "version": "2"}
        )
        assert v2.id != v1.id and v2.checksum == v1.checksum

        assert (await client.read_block_schema(v1.id)).version == "1"
        assert (await client.read_block_schema(str(v2.id))).version == "2"
        # By checksum (it holds a ':'): the newest, or the version asked for.
        assert (await client.read_block_schema_by_checksum(v1.checksum)).id == v2.id
        assert (await client.read_block_schema_by_checksum(v1.checksum, version="1")).id == v1.id
        with pytest.raises(ObjectNotFound):
            await client.read_block_schema_by_checksum(v1.checksum, version="nope")
        with pytest.raises(ObjectNotFound):
            await client.read_block_schema_by_checksum("sha256:" + "0" * 64)

        newest = await client.get_most_recent_block_schema_for_block_type(block_type.id)
        assert newest is not None and newest.id == v2.id

        of_type = BlockSchemaFilter(block_type_id=[block_type.id])
        listed = await client.read_block_schemas(block_schema_filter=of_type)
        assert [s.id for s in listed] == [v2.id, v1.id]  # newest first
        assert [
            s.id for s in await client.read_block_schemas(1, 1, block_schema_filter=of_type)
        ] == [v1.id]
        iterated = [s.id async for s in client.iter_block_schemas(block_schema_filter=of_type)]
        assert iterated == [v2.id, v1.id]
        by_capability = BlockSchemaFilter(block_capabilities=[capability])
        assert [
            s.id for s in await client.read_block_schemas(block_schema_filter=by_capability)
        ] == [v1.id]
        assert {v1.id, v2.id} <= {s.id for s in await client.read_block_schemas(limit=1000)}

        await client.delete_block_schema(v2)
        with pytest.raises(ObjectNotFound):
            await client.read_block_schema(v2.id)
        with pytest.raises(ObjectNotFound):
            await client.delete_block_schema(v2.id)
        newest = await client.get_most_recent_block_schema_for_block_type(block_type.id)
        assert newest is not None and newest.id == v1.id
        assert (await client.read_block_schema_by_checksum(v1.checksum)).id == v1.id
    finally:
        await client.delete_block_type(block_type)
    # Deleting the block type deleted its schemas.
    with pytest.raises(ObjectNotFound):
        await client.read_block_schema(v1.id)


async def test_create_block_schema_for_a_missing_block_type(client: Any) -> None:
    import uuid

    with pytest.raises(ObjectNotFound) as info:
        await client.create_block_schema({"block_type_id": uuid.uuid4(), "fields": {}})
    assert "not found" in str(info.value)
