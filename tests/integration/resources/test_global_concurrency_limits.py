"""Global concurrency limits (v2), their slots and leases, against the real server, through
both clients."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import (
    NotSupportedByServer,
    ObjectAlreadyExists,
    ObjectNotFound,
    PrefectHTTPStatusError,
    ServerValidationError,
)
from prefect_sdk.schemas import (
    ConcurrencyLeaseHolder,
    ConcurrencyLimitWithLeaseResponse,
    GlobalConcurrencyLimitCreate,
    GlobalConcurrencyLimitResponse,
    GlobalConcurrencyLimitUpdate,
    MinimalConcurrencyLimitResponse,
)
from tests._support import server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_global_limit_create_read_update_list_and_delete(client: Any, unique: Unique) -> None:
    name, renamed = unique("gcl"), unique("gcl-renamed")
    limit_id = await client.create_global_concurrency_limit(
        GlobalConcurrencyLimitCreate(name=name, limit=3, slot_decay_per_second=0.5)
    )
    assert isinstance(limit_id, uuid.UUID)
    with pytest.raises(ObjectAlreadyExists):
        await client.create_global_concurrency_limit({"name": name, "limit": 1})
    read = await client.read_global_concurrency_limit_by_name(name)
    assert isinstance(read, GlobalConcurrencyLimitResponse)
    assert (read.id, read.name, read.limit, read.active, read.active_slots) == (
        limit_id,
        name,
        3,
        True,
        0,
    )
    assert read.slot_decay_per_second == 0.5
    assert (await client.read_global_concurrency_limit(limit_id)).name == name

    await client.update_global_concurrency_limit(
        name, GlobalConcurrencyLimitUpdate(name=renamed, limit=4, active=False)
    )
    with pytest.raises(ObjectNotFound):
        await client.read_global_concurrency_limit_by_name(name)
    read = await client.read_global_concurrency_limit(str(limit_id))
    assert (read.name, read.limit, read.active, read.slot_decay_per_second) == (
        renamed,
        4,
        False,
        0.5,
    )

    # Upsert: creates a missing limit, then changes only what differs.
    upserted = unique("gcl-upsert")
    await client.upsert_global_concurrency_limit_by_name(upserted, 2)
    first = await client.read_global_concurrency_limit_by_name(upserted)
    assert (first.limit, first.slot_decay_per_second) == (2, 0.0)
    await client.upsert_global_concurrency_limit_by_name(upserted, 5, slot_decay_per_second=1.5)
    second = await client.read_global_concurrency_limit_by_name(upserted)
    assert (second.id, second.limit, second.slot_decay_per_second) == (first.id, 5, 1.5)
    await client.upsert_global_concurrency_limit_by_name(name=upserted, limit=5)
    assert (await client.read_global_concurrency_limit(first.id)).updated == second.updated

    listed = [item async for item in client.iter_global_concurrency_limits(page_size=2)]
    assert {limit_id, first.id} <= {item.id for item in listed}
    assert len({item.id for item in listed}) == len(listed)  # no row twice across pages
    assert len(await client.read_global_concurrency_limits(limit=1)) == 1
    assert len(await client.read_global_concurrency_limits(limit=len(listed), offset=0)) == len(
        listed
    )

    await client.delete_global_concurrency_limit_by_name(renamed)
    with pytest.raises(ObjectNotFound):
        await client.read_global_concurrency_limit(limit_id)
    with pytest.raises(ObjectNotFound):
        await client.delete_global_concurrency_limit_by_name(renamed)
    await client.delete_global_concurrency_limit(first.id)
    with pytest.raises(ObjectNotFound):
        await client.read_global_concurrency_limit_by_name(upserted)


async def test_slots_and_leases(client: Any, unique: Unique, api_url: str) -> None:
    name = unique("slots")
    await client.create_global_concurrency_limit({"name": name, "limit": 2})

    async def active() -> int:
        limit = await client.read_global_concurrency_limit_by_name(name)
        return int(limit.active_slots)

    # Slots without a lease: taken and given back by count.
    taken = await client.increment_concurrency_slots([name, unique("nolimit")], 2, "concurrency")
    assert [(t.name, t.limit) for t in taken] == [(name, 2)]
    assert isinstance(taken[0], MinimalConcurrencyLimitResponse)
    assert await active() == 2
    with pytest.raises(PrefectHTTPStatusError) as full:
        await client.increment_concurrency_slots([name], 1)
    assert full.value.status_code == 423
    assert float(full.value.response.headers["Retry-After"]) > 0
    given_back = await client.release_concurrency_slots([name], 2, occupancy_seconds=0.5)
    assert [t.name for t in given_back] == [name]
    assert await active() == 0

    # Slots under a lease: renewed, then released by the lease id (leases came with 3.4).
    holder = ConcurrencyLeaseHolder(type="task_run", id=uuid.uuid4())
    if server_older_than(api_url, "3.4.0"):
        for operation, args in (
            ("increment_concurrency_slots_with_lease", ([name], 2)),
            ("renew_concurrency_lease", (uuid.uuid4(), 60)),
            ("release_concurrency_slots_with_lease", (uuid.uuid4(),)),
        ):
            with pytest.raises(NotSupportedByServer, match=rf"{operation}: .*Prefect 3\.[0-3]"):
                await getattr(client, operation)(*args)
        assert await active() == 0
    else:
        await _leases(client, unique, name, holder, active)

    # Rate limiting needs a limit whose slots decay.
    with pytest.raises(ServerValidationError, match="slot decay"):
        await client.increment_concurrency_slots([name], 1, mode="rate_limit")
    await client.update_global_concurrency_limit(name, {"slot_decay_per_second": 100.0})
    await client.increment_concurrency_slots([name], 1, mode="rate_limit")
    await client.delete_global_concurrency_limit_by_name(name)


async def _leases(
    client: Any, unique: Unique, name: str, holder: Any, active: Callable[[], Awaitable[int]]
) -> None:
    lease = await client.increment_concurrency_slots_with_lease(
        [name], 2, "concurrency", lease_duration=60, holder=holder
    )
    assert isinstance(lease, ConcurrencyLimitWithLeaseResponse)
    assert [t.name for t in lease.limits] == [name]
    assert await active() == 2
    with pytest.raises(PrefectHTTPStatusError) as full:
        await client.increment_concurrency_slots_with_lease(
            names=[name], slots=1, mode="concurrency", lease_duration=60
        )
    assert full.value.status_code == 423
    await client.renew_concurrency_lease(lease.lease_id, lease_duration=120)
    assert await active() == 2
    await client.release_concurrency_slots_with_lease(lease)
    assert await active() == 0
    with pytest.raises(ObjectNotFound, match="410"):
        await client.renew_concurrency_lease(str(lease.lease_id), 60)
    await client.release_concurrency_slots_with_lease(lease.lease_id)  # again: nothing to do

    # A lease on names without limits holds nothing.
    empty = await client.increment_concurrency_slots_with_lease([unique("nolimit")], 1)
    assert empty.limits == []
    await client.release_concurrency_slots_with_lease(empty)
