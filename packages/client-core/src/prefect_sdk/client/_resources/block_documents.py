"""Block documents: ``/block_documents/...`` and by block type slug.

A document's ``data`` may hold secrets: the server masks the secret fields of a document's
schema as ``"********"`` unless a read passes ``include_secrets=True`` (the default, as in
prefect-client).  No error raised here quotes a value of ``data``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    as_id,
    check_limit,
    dump,
    filtered_body,
    path_segment,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import (
        BlockDocumentFilter,
        BlockDocumentSort,
        BlockSchemaFilter,
        BlockTypeFilter,
    )
    from prefect_sdk.schemas import BlockDocument, BlockDocumentCreate, BlockDocumentUpdate

MASK = "********"
"""What the server shows in place of a secret value."""


class BlockDocumentAsyncClient(AsyncAPIClient):
    """Operations on block documents."""

    @operation(
        "POST /block_documents/",
        read_back=True,
        why="an anonymous document without a name is retried only if never sent: the server "
        "names it, so a repeat would make a second one",
    )
    async def create_block_document(
        self,
        block_document: BlockDocument | BlockDocumentCreate | dict[str, Any],
        include_secrets: bool = True,
    ) -> BlockDocument:
        """Save a block document (a ``BlockDocumentCreate``, a dict of its fields, or a
        ``BlockDocument`` to copy) and return it, its secret fields masked.

        Values of ``data`` that are pydantic secrets (``SecretStr``, ``SecretBytes``) are sent
        as their real value, or as ``"********"`` with ``include_secrets=False``.
        A ``BlockDocument`` read with ``include_secrets=False`` holds masks, not secrets: a
        copy of it stores the masks.  ``ObjectAlreadyExists`` if the block type has a
        document of that name.
        """
        from prefect_sdk.schemas import BlockDocument, BlockDocumentCreate

        secrets = _flag(include_secrets, "include_secrets")
        fields = _fields_of(block_document, "block_document", BlockDocumentCreate, BlockDocument)
        updates = {}
        if "data" in fields:
            updates["data"] = _reveal(fields["data"], "block_document.data", secrets)
        if not fields.get("is_anonymous") and not fields.get("name"):
            raise ValidationError(
                "block_document.name is required (a name for the document), unless "
                "is_anonymous=True"
            )
        body = dump(fields, "block_document", BlockDocumentCreate, **updates)
        if not body.get("name"):
            # The server names an anonymous document itself: nothing to find it by again.
            return await self._call(
                "create_block_document", BlockDocument, json=body, retry_safe=False
            )
        return await self._call_unique(  # type: ignore[no-any-return]
            "create_block_document",
            BlockDocument,
            json=body,
            read=lambda: self._block_document_named(body, secrets),
        )

    async def _block_document_named(
        self, body: dict[str, Any], include_secrets: bool
    ) -> BlockDocument | None:
        """The block document of ``body``'s block type and name, if there is one."""
        from prefect_sdk.filters import BlockDocumentFilter

        found = await self.read_block_documents(
            block_document_filter=BlockDocumentFilter(
                name=body["name"], block_type_id=body["block_type_id"]
            ),
            include_secrets=include_secrets,
            limit=1,
        )
        return found[0] if found else None

    @operation("GET /block_documents/{block_document_id:id}")
    async def read_block_document(
        self, block_document_id: UUID | str | HasId, include_secrets: bool = True
    ) -> BlockDocument:
        """Read one block document by id; ``include_secrets=False`` has its secret fields
        masked. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import BlockDocument

        params = {"include_secrets": _flag(include_secrets, "include_secrets")}
        return await self._call(
            "read_block_document", BlockDocument, params=params, block_document_id=block_document_id
        )

    @operation("GET /block_types/slug/{block_type_slug}/block_documents/name/{block_document_name}")
    async def read_block_document_by_name(
        self, name: str, block_type_slug: str, include_secrets: bool = True
    ) -> BlockDocument:
        """Read the block document ``name`` of the block type ``block_type_slug``.

        ``include_secrets=False`` has its secret fields masked.  Raises ``ObjectNotFound`` if
        there is none.
        """
        from prefect_sdk.schemas import BlockDocument

        path_segment(name, "name")  # checked under the caller's name for it
        params = {"include_secrets": _flag(include_secrets, "include_secrets")}
        return await self._call(
            "read_block_document_by_name",
            BlockDocument,
            params=params,
            block_type_slug=block_type_slug,
            block_document_name=name,
        )

    @operation("POST /block_documents/filter")
    async def read_block_documents(
        self,
        block_schema_type: str | None = None,
        offset: int | None = None,
        limit: int | None = None,
        include_secrets: bool = True,
        *,
        block_document_filter: BlockDocumentFilter | None = None,
        block_schema_filter: BlockSchemaFilter | None = None,
        block_type_filter: BlockTypeFilter | None = None,
        sort: BlockDocumentSort | str | None = None,
    ) -> list[BlockDocument]:
        """Read block documents matching the filters, by name unless ``sort`` says otherwise
        (``limit`` above 200 is read in pages).

        Anonymous documents are left out unless ``block_document_filter`` says otherwise
        (``BlockDocumentFilter(is_anonymous=None)``).  ``include_secrets=False`` has the
        secret fields masked.  ``block_schema_type`` is prefect-client's parameter, which the
        server does not know: give a block type or schema filter instead.
        """
        from prefect_sdk.filters import BlockDocumentSort
        from prefect_sdk.schemas import BlockDocument

        _no_schema_type(block_schema_type)
        body = filtered_body(
            sort,
            BlockDocumentSort,
            block_documents=block_document_filter,
            block_schemas=block_schema_filter,
            block_types=block_type_filter,
        )
        body["include_secrets"] = _flag(include_secrets, "include_secrets")
        return await self._call_pages(
            "read_block_documents", list[BlockDocument], body, limit, offset
        )

    @operation("POST /block_documents/filter")
    def iter_block_documents(
        self,
        sort: BlockDocumentSort | str | None = None,
        include_secrets: bool = True,
        *,
        block_document_filter: BlockDocumentFilter | None = None,
        block_schema_filter: BlockSchemaFilter | None = None,
        block_type_filter: BlockTypeFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[BlockDocument]:
        """Iterate over every matching block document, fetching ``page_size`` at a time.

        Sorted by block type and name unless ``sort`` says otherwise (a unique order, so no
        document is skipped or seen twice between pages).
        """
        from prefect_sdk.filters import BlockDocumentSort
        from prefect_sdk.schemas import BlockDocument

        body = filtered_body(
            sort or BlockDocumentSort.BLOCK_TYPE_AND_NAME_ASC,
            BlockDocumentSort,
            block_documents=block_document_filter,
            block_schemas=block_schema_filter,
            block_types=block_type_filter,
        )
        body["include_secrets"] = _flag(include_secrets, "include_secrets")
        return self._call_iter("iter_block_documents", list[BlockDocument], body, page_size)

    @operation("POST /block_documents/count")
    async def count_block_documents(
        self,
        *,
        block_document_filter: BlockDocumentFilter | None = None,
        block_schema_filter: BlockSchemaFilter | None = None,
        block_type_filter: BlockTypeFilter | None = None,
    ) -> int:
        """Count the block documents matching the filters (anonymous ones only if
        ``block_document_filter`` asks for them)."""
        body = filtered_body(
            None,
            None,
            block_documents=block_document_filter,
            block_schemas=block_schema_filter,
            block_types=block_type_filter,
        )
        return await self._call("count_block_documents", int, json=body)

    @operation("GET /block_types/slug/{block_type_slug}/block_documents")
    async def read_block_documents_by_type(
        self,
        block_type_slug: str,
        offset: int | None = None,
        limit: int | None = None,
        include_secrets: bool = True,
    ) -> list[BlockDocument]:
        """Read the block documents of the block type ``block_type_slug``, by name.

        The server answers with all of them (it takes no limit on this route);
        ``offset`` and ``limit`` are applied to that list.  Raises ``ObjectNotFound`` if the
        block type does not exist.
        """
        from prefect_sdk.schemas import BlockDocument

        check_limit(limit, offset)
        params = {"include_secrets": _flag(include_secrets, "include_secrets")}
        documents = await self._call(
            "read_block_documents_by_type",
            list[BlockDocument],
            params=params,
            block_type_slug=block_type_slug,
        )
        start = offset or 0
        return documents[start:] if limit is None else documents[start : start + limit]

    @operation("PATCH /block_documents/{block_document_id:id}")
    async def update_block_document(
        self,
        block_document_id: UUID | str | HasId,
        block_document: BlockDocumentUpdate | dict[str, Any],
    ) -> None:
        """Change a block document's data (a ``BlockDocumentUpdate`` or a dict of its fields).

        ``data`` is merged into the stored data unless ``merge_existing_data=False``; a secret
        field sent as ``"********"`` keeps its stored value, and pydantic secrets
        (``SecretStr``) in ``data`` are sent as their real value.
        """
        from prefect_sdk.schemas import BlockDocumentUpdate

        fields = _fields_of(block_document, "block_document", BlockDocumentUpdate)
        updates = {}
        if "data" in fields:
            updates["data"] = _reveal(fields["data"], "block_document.data", True)
        body = dump(fields, "block_document", BlockDocumentUpdate, **updates)
        if not body:
            raise ValidationError(
                "update_block_document: nothing to change; set data (and merge_existing_data, "
                "block_schema_id)"
            )
        await self._call("update_block_document", json=body, block_document_id=block_document_id)

    @operation("DELETE /block_documents/{block_document_id:id}")
    async def delete_block_document(self, block_document_id: UUID | str | HasId) -> None:
        """Delete a block document."""
        await self._call("delete_block_document", block_document_id=block_document_id)


def _flag(value: Any, argument: str) -> bool:
    """A real bool: ``include_secrets="no"`` must not read as true and reveal secrets."""
    if not isinstance(value, bool):
        raise ValidationError(f"{argument} must be True or False, got {type(value).__name__}")
    return value


def _fields_of(value: Any, argument: str, model: Any, *also: Any) -> dict[str, Any]:
    """The fields of a request model, of a dict of them, or of a response model to copy.

    Checked here, and not left to pydantic, so no error (nor its cause) quotes ``data``.
    """
    known = model.model_fields
    if isinstance(value, model):
        return {name: getattr(value, name) for name in value.model_fields_set}
    if isinstance(value, also):
        return {name: getattr(value, name) for name in known if name in type(value).model_fields}
    if not isinstance(value, dict):
        raise ValidationError(
            f"{argument} must be a {model.__name__} (or a dict of its fields), "
            f"got {type(value).__name__}"
        )
    unknown = sorted(str(key) for key in value if key not in known)
    if unknown:
        raise ValidationError(
            f"{argument}: unknown field(s) {', '.join(unknown)}; "
            f"{model.__name__} has {', '.join(known)}"
        )
    fields = dict(value)
    for key in ("block_schema_id", "block_type_id"):
        if fields.get(key) is not None:  # a BlockSchema / BlockType does for its id
            fields[key] = as_id(fields[key], f"{argument}.{key}")
    return fields


def _reveal(data: Any, argument: str, include_secrets: bool) -> dict[str, Any]:
    """``data`` with pydantic secrets replaced by their value (or the mask)."""
    if not isinstance(data, dict):
        raise ValidationError(
            f"{argument} must be a dict of the block's field values, got {type(data).__name__}"
        )
    result: dict[str, Any] = _reveal_value(data, include_secrets)
    return result


def _reveal_value(value: Any, include_secrets: bool) -> Any:
    if isinstance(value, dict):
        return {key: _reveal_value(item, include_secrets) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_reveal_value(item, include_secrets) for item in value]
    reveal = getattr(value, "get_secret_value", None)
    if reveal is None or not callable(reveal):
        return value
    if not include_secrets:
        return MASK
    secret = reveal()
    return secret.decode() if isinstance(secret, bytes) else _reveal_value(secret, True)


def _no_schema_type(block_schema_type: str | None) -> None:
    if block_schema_type is not None:
        raise ValidationError(
            "block_schema_type is not a filter the server knows (prefect-client sends it and "
            "the server ignores it); filter with block_type_filter=BlockTypeFilter(slug=[...]) "
            "or block_schema_filter=BlockSchemaFilter(block_capabilities=[...]) instead"
        )


__all__ = ["BlockDocumentAsyncClient"]
