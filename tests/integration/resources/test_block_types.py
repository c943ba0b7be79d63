"""Operations on block types and block capabilities against the real server, through both
clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import AuthenticationError, ObjectAlreadyExists, ObjectNotFound
from prefect_sdk.filters import BlockSchemaFilter, BlockTypeFilter
from prefect_sdk.schemas import BlockSchemaCreate, BlockType, BlockTypeCreate, BlockTypeUpdate

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_block_type_create_read_update_delete(client: Any, unique: Unique) -> None:
    slug = unique("bt")
    created = await client.create_block_type(
        BlockTypeCreate(name=slug.upper(), slug=slug, description="first")
    )
    assert isinstance(created, BlockType)
    assert (created.name, created.slug, created.description) == (slug.upper(), slug, "first")
    assert created.is_protected is False
    assert (await client.read_block_type(created.id)).slug == slug
    assert (await client.read_block_type(str(created.id))).id == created.id
    assert (await client.read_block_type_by_slug(slug)).id == created.id

    with pytest.raises(ObjectAlreadyExists) as conflict:
        await client.create_block_type({"name": slug.upper(), "slug": slug})
    assert conflict.value.status_code == 409

    # Only the fields given change.
    await client.update_block_type(
        created, BlockTypeUpdate(code_example="use()", documentation_url="https://x.test/d")
    )
    await client.update_block_type(created.id, {"logo_url": "https://x.test/l.png"})
    updated = await client.read_block_type(created)
    assert updated.description == "first" and updated.code_example == "use()"
    assert (updated.documentation_url, updated.logo_url) == (
        "https://x.test/d",
        "https://x.test/l.png",
    )

    found = await client.read_block_types(block_type_filter=BlockTypeFilter(slug=[slug]))
    assert [t.id for t in found] == [created.id]
    iterated = [
        t.id async for t in client.iter_block_types(block_type_filter=BlockTypeFilter(slug=slug))
    ]
    assert iterated == [created.id]

    await client.delete_block_type(created.id)
    with pytest.raises(ObjectNotFound):
        await client.read_block_type(created.id)
    with pytest.raises(ObjectNotFound):
        await client.read_block_type_by_slug(slug)
    with pytest.raises(ObjectNotFound):
        await client.delete_block_type(created.id)
    with pytest.raises(ObjectNotFound):
        await client.update_block_type(created.id, {"description": "gone"})
    assert await client.read_block_types(block_type_filter=BlockTypeFilter(slug=[slug])) == []


async def test_a_new_slug_for_an_existing_name_returns_the_new_type(
    client: Any, unique: Unique
) -> None:
    # The server creates the second type but answers with the first one of that name; the
    # client returns the type it asked for.
    name, first_slug, second_slug = unique("Same"), unique("first"), unique("second")
    first = await client.create_block_type({"name": name, "slug": first_slug})
    second = await client.create_block_type({"name": name, "slug": second_slug})
    try:
        assert second.slug == second_slug and second.id != first.id
        assert (await client.read_block_type_by_slug(second_slug)).id == second.id
    finally:
        await client.delete_block_type(first)
        await client.delete_block_type(second)


async def test_block_types_by_capability_and_paging(client: Any, unique: Unique) -> None:
    capability = unique("cap")
    types = [
        await client.create_block_type({"name": unique(f"Paged{i}"), "slug": unique(f"pg{i}")})
        for i in range(3)
    ]
    try:
        for block_type in types:
            await client.create_block_schema(
                BlockSchemaCreate(
                    block_type_id=block_type.id,
                    fields={"title": block_type.name},  # the same fields would be one schema
                    capabilities=[capability],
                )
            )
        assert capability in await client.read_block_capabilities()

        by_capability = BlockSchemaFilter(block_capabilities=[capability])
        found = await client.read_block_types(block_schema_filter=by_capability)
        names = sorted(t.name for t in types)
        assert [t.name for t in found] == names  # sorted by name
        page = await client.read_block_types(1, 1, block_schema_filter=by_capability)
        assert [t.name for t in page] == names[1:2]
        pages = [
            t.name
            async for t in client.iter_block_types(block_schema_filter=by_capability, page_size=2)
        ]
        assert pages == names
        everything = await client.read_block_types()
        assert {t.id for t in types} <= {t.id for t in everything}
    finally:
        for block_type in types:
            await client.delete_block_type(block_type)
    assert await client.read_block_types(block_schema_filter=by_capability) == []


async def test_system_block_types_are_protected(client: Any) -> None:
    # The server installed them when it started: installing again is accepted, changes nothing.
    await client.install_system_block_types()
    secret = await client.read_block_type_by_slug("secret")
    assert secret.is_protected is True and secret.name == "Secret"
    assert any(t.slug == "secret" for t in await client.read_block_types(limit=500))

    with pytest.raises(AuthenticationError) as refused:
        await client.delete_block_type(secret.id)
    assert refused.value.status_code == 403
    assert refused.value.detail == "protected block types cannot be deleted."
    assert (await client.read_block_type(secret.id)).is_protected is True

    # The server does not refuse updates of protected types (it answers 204); sending the
    # values it has changes nothing.
    await client.update_block_type(secret, {"description": secret.description})
    assert (await client.read_block_type(secret)).description == secret.description
