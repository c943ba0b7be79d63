"""Blocks: block types, block schemas and block documents.

A block document's ``data`` may hold secrets (the fields its schema lists in
``secret_fields``), so it is left out of every ``repr()`` and ``str()`` of the models here:
a document read with ``include_secrets=True`` can be logged or printed without leaking them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "BlockDocument",
    "BlockDocumentCreate",
    "BlockDocumentReference",
    "BlockDocumentReferenceCreate",
    "BlockDocumentUpdate",
    "BlockSchema",
    "BlockSchemaCreate",
    "BlockSchemaReference",
    "BlockType",
    "BlockTypeCreate",
    "BlockTypeUpdate",
]

NAME_PATTERN = r"^[^/%&><]+$"
"""What the server accepts as a block type or block document name (no ``/ % & > <``)."""

SLUG_PATTERN = r"^[a-z0-9-]+$"
"""What the server accepts as a block type slug: lowercase letters, digits and dashes."""

BlockName = Annotated[str, Field(pattern=NAME_PATTERN)]
BlockTypeSlug = Annotated[str, Field(pattern=SLUG_PATTERN)]


class BlockType(ResponseModel):
    """A kind of block (``Secret``, ``S3 Bucket``, your own ...), addressed by its ``slug``.

    ``is_protected`` marks the server's system block types, which cannot be deleted.
    """

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    slug: str
    logo_url: str | None = None
    documentation_url: str | None = None
    description: str | None = None
    code_example: str | None = None
    is_protected: bool = False


class BlockTypeCreate(RequestModel):
    """The body of ``POST /block_types/``."""

    name: BlockName
    slug: BlockTypeSlug
    logo_url: str | None = None
    documentation_url: str | None = None
    description: str | None = None
    code_example: str | None = None


class BlockTypeUpdate(RequestModel):
    """The body of ``PATCH /block_types/{id}``: only the fields given are changed."""

    logo_url: str | None = None
    documentation_url: str | None = None
    description: str | None = None
    code_example: str | None = None


class BlockSchema(ResponseModel):
    """One version of a block type's fields: a JSON schema, identified by its ``checksum``.

    ``fields["secret_fields"]`` names the fields the server masks in documents of this schema.
    """

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    checksum: str
    fields: dict[str, Any] = Field(default_factory=dict)
    block_type_id: UUID | None = None
    block_type: BlockType | None = None
    capabilities: list[str] = Field(default_factory=list)
    version: str = "non-versioned"


class BlockSchemaCreate(RequestModel):
    """The body of ``POST /block_schemas/``.

    ``fields`` is the JSON schema of the block's data; list the names of secret fields in its
    ``secret_fields`` for the server to mask their values.
    """

    fields: dict[str, Any] = Field(default_factory=dict)
    block_type_id: UUID
    capabilities: list[str] = Field(default_factory=list)
    version: str = "non-versioned"


class BlockSchemaReference(ResponseModel):
    """A block schema nested in another (a field whose type is a block)."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    parent_block_schema_id: UUID
    parent_block_schema: BlockSchema | None = None
    reference_block_schema_id: UUID
    reference_block_schema: BlockSchema | None = None
    name: str


class BlockDocument(ResponseModel):
    """A saved block: ``data`` filled in against a block schema of a block type.

    Secret fields of ``data`` hold ``"********"`` unless the document was read with
    ``include_secrets=True``.  ``data`` (and the nested ``block_document_references``) never
    appear in ``repr()`` or ``str()``, so a document can be logged without its secrets.
    """

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, repr=False)
    block_schema_id: UUID
    block_schema: BlockSchema | None = None
    block_type_id: UUID
    block_type_name: str | None = None
    block_type: BlockType | None = None
    block_document_references: dict[str, dict[str, Any]] = Field(default_factory=dict, repr=False)
    is_anonymous: bool = False


class BlockDocumentCreate(RequestModel):
    """The body of ``POST /block_documents/``.

    A ``name`` is required unless ``is_anonymous`` (the server then makes one up).  ``data`` is
    left out of ``repr()`` and ``str()``: it may hold secrets.
    """

    name: BlockName | None = None
    data: dict[str, Any] = Field(default_factory=dict, repr=False)
    block_schema_id: UUID
    block_type_id: UUID
    is_anonymous: bool = False


class BlockDocumentUpdate(RequestModel):
    """The body of ``PATCH /block_documents/{id}``.

    ``data`` is merged into the stored data unless ``merge_existing_data=False`` (then it
    replaces it).  A secret field sent as ``"********"`` keeps its stored value.  ``data`` is
    left out of ``repr()`` and ``str()``.
    """

    block_schema_id: UUID | None = None
    data: dict[str, Any] = Field(default_factory=dict, repr=False)
    merge_existing_data: bool = True


class BlockDocumentReference(ResponseModel):
    """A block document nested in another under ``name``."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    parent_block_document_id: UUID
    parent_block_document: BlockDocument | None = None
    reference_block_document_id: UUID
    reference_block_document: BlockDocument | None = None
    name: str


class BlockDocumentReferenceCreate(RequestModel):
    """A block document nested in another under ``name`` (as prefect-client names it)."""

    id: UUID | None = None
    parent_block_document_id: UUID
    reference_block_document_id: UUID
    name: str
