"""Block types: ``/block_types/...`` and ``/block_capabilities/``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import SERVER_PAGE_LIMIT, HasId, build_filter_body, dump
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import BlockSchemaFilter, BlockTypeFilter
    from prefect_sdk.schemas import BlockType, BlockTypeCreate, BlockTypeUpdate


class BlockTypeAsyncClient(AsyncAPIClient):
    """Operations on block types."""

    @operation("POST /block_types/", read_back=True)
    async def create_block_type(self, block_type: BlockTypeCreate | dict[str, Any]) -> BlockType:
        """Create a block type (a ``BlockTypeCreate`` or a dict of its fields) and return it.

        ``ObjectAlreadyExists`` if a block type of that name or slug exists.  Names beginning
        with "Prefect" are reserved by the server for its own block types.
        """
        from prefect_sdk.schemas import BlockType, BlockTypeCreate

        body = dump(block_type, "block_type", BlockTypeCreate)
        if body["name"].lower().startswith("prefect"):
            raise ValidationError(
                f"block_type.name={body['name']!r}: names beginning with 'Prefect' are "
                "reserved for the server's own block types; choose another name"
            )
        created: BlockType = await self._call_unique(
            "create_block_type",
            BlockType,
            json=body,
            read=lambda: self.read_block_type_by_slug(body["slug"]),
        )
        if created.slug != body["slug"]:
            # The server answers with the older block type of the same name when only the
            # slug is new; the one just created is the one with the slug asked for.
            return await self.read_block_type_by_slug(body["slug"])
        return created

    @operation("GET /block_types/{block_type_id:id}")
    async def read_block_type(self, block_type_id: UUID | str | HasId) -> BlockType:
        """Read one block type by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import BlockType

        return await self._call("read_block_type", BlockType, block_type_id=block_type_id)

    @operation("GET /block_types/slug/{slug}")
    async def read_block_type_by_slug(self, slug: str) -> BlockType:
        """Read one block type by slug (``"secret"``). Raises ``ObjectNotFound`` if none."""
        from prefect_sdk.schemas import BlockType

        return await self._call("read_block_type_by_slug", BlockType, slug=slug)

    @operation("PATCH /block_types/{block_type_id:id}")
    async def update_block_type(
        self,
        block_type_id: UUID | str | HasId,
        block_type: BlockTypeUpdate | dict[str, Any],
    ) -> None:
        """Change a block type's description, logo, documentation URL or code example.

        Only the fields set in ``block_type`` (a ``BlockTypeUpdate`` or a dict) are changed.
        """
        from prefect_sdk.schemas import BlockTypeUpdate

        body = dump(block_type, "block_type", BlockTypeUpdate)
        if not body:
            raise ValidationError(
                "update_block_type: nothing to change; set description, code_example, "
                "logo_url or documentation_url"
            )
        await self._call("update_block_type", json=body, block_type_id=block_type_id)

    @operation("DELETE /block_types/{block_type_id:id}")
    async def delete_block_type(self, block_type_id: UUID | str | HasId) -> None:
        """Delete a block type, with its schemas and documents.

        The server's own (protected) block types cannot be deleted: it answers 403, raised
        as ``AuthenticationError`` whose ``detail`` says so.
        """
        await self._call("delete_block_type", block_type_id=block_type_id)

    @operation("POST /block_types/filter")
    async def read_block_types(
        self,
        limit: int | None = None,
        offset: int | None = None,
        *,
        block_type_filter: BlockTypeFilter | None = None,
        block_schema_filter: BlockSchemaFilter | None = None,
    ) -> list[BlockType]:
        """Read block types matching the filters, by name (``limit`` above 200 is read in pages).

        ``block_schema_filter`` keeps the types having a matching schema (e.g. a capability).
        """
        from prefect_sdk.schemas import BlockType

        body = build_filter_body(block_types=block_type_filter, block_schemas=block_schema_filter)
        return await self._call_pages("read_block_types", list[BlockType], body, limit, offset)

    @operation("POST /block_types/filter")
    def iter_block_types(
        self,
        *,
        block_type_filter: BlockTypeFilter | None = None,
        block_schema_filter: BlockSchemaFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[BlockType]:
        """Iterate over every matching block type, fetching ``page_size`` at a time."""
        from prefect_sdk.schemas import BlockType

        body = build_filter_body(block_types=block_type_filter, block_schemas=block_schema_filter)
        return self._call_iter("iter_block_types", list[BlockType], body, page_size)

    @operation(
        "POST /block_types/install_system_block_types",
        retry_safe=True,
        why="installing the same system block types again changes nothing",
    )
    async def install_system_block_types(self) -> None:
        """Register the server's own block types and schemas (``secret``, ``json`` ...).

        Types already registered are left as they are, so this is safe to repeat.
        """
        await self._call("install_system_block_types")

    @operation("GET /block_capabilities/")
    async def read_block_capabilities(self) -> list[str]:
        """The capabilities the block schemas on the server declare (``"read-path"`` ...)."""
        return await self._call("read_block_capabilities", list[str])


__all__ = ["BlockTypeAsyncClient"]
