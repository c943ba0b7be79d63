"""Block schemas: ``/block_schemas/...``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import SERVER_PAGE_LIMIT, HasId, as_id, build_filter_body, dump

if TYPE_CHECKING:
    from prefect_sdk.filters import BlockSchemaFilter
    from prefect_sdk.schemas import BlockSchema, BlockSchemaCreate


class BlockSchemaAsyncClient(AsyncAPIClient):
    """Operations on block schemas."""

    # The server answers a schema it has already (same fields, same version) with that schema.
    @operation(
        "POST /block_schemas/",
        retry_safe=True,
        why="the server answers with the schema it has for the same fields and version",
    )
    async def create_block_schema(
        self, block_schema: BlockSchemaCreate | dict[str, Any]
    ) -> BlockSchema:
        """Register a block schema (a ``BlockSchemaCreate`` or a dict of its fields); return it.

        Registering the same fields and version again returns the existing schema, so this is
        safe to repeat.  The server matches on the checksum of ``fields`` and the version
        only: the schema it returns may belong to another block type (check
        ``block_type_id``) when two types have identical fields.
        """
        from prefect_sdk.schemas import BlockSchema, BlockSchemaCreate

        if isinstance(block_schema, dict) and block_schema.get("block_type_id") is not None:
            # A BlockType does for its id, as everywhere else.
            type_id = as_id(block_schema["block_type_id"], "block_schema.block_type_id")
            block_schema = {**block_schema, "block_type_id": type_id}
        body = dump(block_schema, "block_schema", BlockSchemaCreate)
        return await self._call("create_block_schema", BlockSchema, json=body)

    @operation("GET /block_schemas/{block_schema_id:id}")
    async def read_block_schema(self, block_schema_id: UUID | str | HasId) -> BlockSchema:
        """Read one block schema by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import BlockSchema

        return await self._call("read_block_schema", BlockSchema, block_schema_id=block_schema_id)

    @operation("GET /block_schemas/checksum/{checksum}")
    async def read_block_schema_by_checksum(
        self, checksum: str, version: str | None = None
    ) -> BlockSchema:
        """Read a block schema by checksum (``"sha256:..."``), the newest unless ``version``.

        Raises ``ObjectNotFound`` if there is none.
        """
        from prefect_sdk.schemas import BlockSchema

        params = None if version is None else {"version": version}
        return await self._call(
            "read_block_schema_by_checksum", BlockSchema, params=params, checksum=checksum
        )

    @operation("POST /block_schemas/filter")
    async def read_block_schemas(
        self,
        limit: int | None = None,
        offset: int | None = None,
        *,
        block_schema_filter: BlockSchemaFilter | None = None,
    ) -> list[BlockSchema]:
        """Read block schemas matching the filter, newest first (``limit`` above 200 is read
        in pages)."""
        from prefect_sdk.schemas import BlockSchema

        body = build_filter_body(block_schemas=block_schema_filter)
        return await self._call_pages("read_block_schemas", list[BlockSchema], body, limit, offset)

    @operation("POST /block_schemas/filter")
    def iter_block_schemas(
        self,
        *,
        block_schema_filter: BlockSchemaFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[BlockSchema]:
        """Iterate over every matching block schema, fetching ``page_size`` at a time."""
        from prefect_sdk.schemas import BlockSchema

        body = build_filter_body(block_schemas=block_schema_filter)
        return self._call_iter("iter_block_schemas", list[BlockSchema], body, page_size)

    @operation("POST /block_schemas/filter")
    async def get_most_recent_block_schema_for_block_type(
        self, block_type_id: UUID | str | HasId
    ) -> BlockSchema | None:
        """The newest block schema of a block type, or ``None`` if it has none."""
        from prefect_sdk.filters import BlockSchemaFilter
        from prefect_sdk.schemas import BlockSchema

        type_id = as_id(block_type_id, "block_type_id")
        body = build_filter_body(block_schemas=BlockSchemaFilter(block_type_id=[type_id]))
        found = await self._call(
            "get_most_recent_block_schema_for_block_type",
            list[BlockSchema],
            json={**body, "limit": 1},
        )
        return found[0] if found else None

    @operation("DELETE /block_schemas/{block_schema_id:id}")
    async def delete_block_schema(self, block_schema_id: UUID | str | HasId) -> None:
        """Delete a block schema and, with it, every block document made from it."""
        await self._call("delete_block_schema", block_schema_id=block_schema_id)


__all__ = ["BlockSchemaAsyncClient"]
