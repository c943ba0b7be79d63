"""Tag concurrency limits (v1) against the real server, through both clients."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import ObjectNotFound, PrefectHTTPStatusError
from prefect_sdk.schemas import ConcurrencyLimit, MinimalConcurrencyLimitResponse

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_tag_limit_create_read_list_and_delete(client: Any, unique: Unique) -> None:
    tag, other = unique("tag"), unique("tag")
    limit_id = await client.create_concurrency_limit(tag, 2)
    assert isinstance(limit_id, uuid.UUID)
    # Creating a limit on the same tag replaces its value (same limit).
    assert await client.create_concurrency_limit(tag=tag, concurrency_limit=5) == limit_id
    read = await client.read_concurrency_limit(limit_id)
    assert isinstance(read, ConcurrencyLimit)
    assert (read.tag, read.concurrency_limit, read.active_slots) == (tag, 5, [])
    assert (await client.read_concurrency_limit_by_tag(tag)).id == limit_id
    other_id = await client.create_concurrency_limit(other, 1)

    listed = [item async for item in client.iter_concurrency_limits(page_size=2)]
    assert {limit_id, other_id} <= {item.id for item in listed}
    assert len({item.id for item in listed}) == len(listed)  # no row twice across pages
    page = await client.read_concurrency_limits(limit=1, offset=0)
    assert len(page) == 1 and isinstance(page[0], ConcurrencyLimit)
    assert len(await client.read_concurrency_limits(limit=len(listed))) == len(listed)

    await client.delete_concurrency_limit_by_tag(tag)
    with pytest.raises(ObjectNotFound):
        await client.read_concurrency_limit_by_tag(tag)
    with pytest.raises(ObjectNotFound):
        await client.read_concurrency_limit(limit_id)
    await client.delete_concurrency_limit(other_id)
    with pytest.raises(ObjectNotFound):
        await client.read_concurrency_limit(other_id)
    with pytest.raises(ObjectNotFound):
        await client.delete_concurrency_limit_by_tag(tag)


async def test_tag_limit_slots_increment_decrement_and_reset(client: Any, unique: Unique) -> None:
    tag = unique("slots")
    limit_id = await client.create_concurrency_limit(tag, 2)
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    taken = await client.increment_v1_concurrency_slots([tag, unique("nolimit")], first)
    assert [(t.id, t.name, t.limit) for t in taken] == [(limit_id, tag, 2)]
    assert all(isinstance(t, MinimalConcurrencyLimitResponse) for t in taken)
    await client.increment_v1_concurrency_slots(names=[tag], task_run_id=str(second))
    read = await client.read_concurrency_limit(limit_id)
    assert sorted(read.active_slots) == sorted([first, second])
    with pytest.raises(PrefectHTTPStatusError) as full:
        await client.increment_v1_concurrency_slots([tag], third)
    assert full.value.status_code == 423

    given_back = await client.decrement_v1_concurrency_slots([tag], first, occupancy_seconds=1.5)
    assert [t.id for t in given_back] == [limit_id]
    assert (await client.read_concurrency_limit(limit_id)).active_slots == [second]

    await client.reset_concurrency_limit_by_tag(tag, slot_override=[first, str(third)])
    assert sorted((await client.read_concurrency_limit(limit_id)).active_slots) == sorted(
        [first, third]
    )
    await client.reset_concurrency_limit_by_tag(tag)
    assert (await client.read_concurrency_limit(limit_id)).active_slots == []
    with pytest.raises(ObjectNotFound):
        await client.reset_concurrency_limit_by_tag(unique("missing"))
    await client.delete_concurrency_limit(limit_id)
