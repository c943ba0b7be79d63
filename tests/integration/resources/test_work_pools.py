"""Operations on work pools against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import (
    ObjectAlreadyExists,
    ObjectNotFound,
)
from prefect_sdk.filters import (
    WorkPoolFilter,
)
from prefect_sdk.schemas import (
    WorkPool,
)

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_work_pools(client: Any, unique: Unique) -> None:
    name = unique("pool")
    pool = await client.create_work_pool(
        name, "process", description="d", is_paused=True, concurrency_limit=3
    )
    assert isinstance(pool, WorkPool)
    assert (pool.name, pool.type, pool.description) == (name, "process", "d")
    assert pool.is_paused is True and pool.concurrency_limit == 3
    with pytest.raises(ObjectAlreadyExists) as info:
        await client.create_work_pool(name, "process")
    assert info.value.status_code == 409
    replaced = await client.create_work_pool(name, "process", concurrency_limit=7, overwrite=True)
    assert replaced.id == pool.id and replaced.concurrency_limit == 7
    assert (await client.read_work_pool(name)).id == pool.id
    found = await client.read_work_pools(work_pool_filter=WorkPoolFilter(name=name))
    assert [p.id for p in found] == [pool.id]
    await client.delete_work_pool(name)
    with pytest.raises(ObjectNotFound):
        await client.read_work_pool(name)
