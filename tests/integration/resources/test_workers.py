"""Worker heartbeats, listings and deletion against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import ObjectNotFound
from prefect_sdk.filters import WorkerFilter, WorkerStatus
from prefect_sdk.schemas import Integration, Worker, WorkerMetadata

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_worker_heartbeats_list_and_delete(client: Any, unique: Unique) -> None:
    pool = unique("pool")
    await client.create_work_pool(pool)
    assert (await client.read_work_pool(pool)).status == "NOT_READY"
    assert await client.read_workers_for_work_pool(pool) == []

    # A heartbeat registers the worker, and the pool is ready while it is online.
    assert await client.send_worker_heartbeat(pool, "w-1", heartbeat_interval_seconds=30) is None
    assert (await client.read_work_pool(pool)).status == "READY"
    metadata = WorkerMetadata(integrations=[Integration(name="prefect-x", version="1.0")])
    worker_id = await client.send_worker_heartbeat(
        pool, "w-2", 15.0, get_worker_id=True, worker_metadata=metadata
    )

    workers = await client.read_workers_for_work_pool(pool)
    assert all(isinstance(w, Worker) for w in workers)
    by_name = {w.name: w for w in workers}
    assert set(by_name) == {"w-1", "w-2"}
    assert by_name["w-2"].id == worker_id  # the open-source server's answer has no id: looked up
    assert (
        by_name["w-1"].heartbeat_interval_seconds,
        by_name["w-2"].heartbeat_interval_seconds,
    ) == (
        30,
        15,
    )
    assert by_name["w-1"].status == WorkerStatus.ONLINE and by_name["w-1"].status == "ONLINE"
    assert by_name["w-1"].last_heartbeat_time is not None
    assert [w.name for w in workers] == ["w-2", "w-1"]  # latest heartbeat first

    # A second heartbeat updates the same worker.
    again = await client.send_worker_heartbeat(pool, "w-1", get_worker_id=True)
    assert again == by_name["w-1"].id
    refreshed = await client.read_workers_for_work_pool(pool, limit=1)
    assert [w.name for w in refreshed] == ["w-1"]
    assert refreshed[0].last_heartbeat_time > by_name["w-1"].last_heartbeat_time
    assert [w.name for w in await client.read_workers_for_work_pool(pool, offset=1)] == ["w-2"]

    online = await client.read_workers_for_work_pool(pool, WorkerFilter(status="ONLINE"))
    assert len(online) == 2
    assert await client.read_workers_for_work_pool(pool, WorkerFilter(status="OFFLINE")) == []
    walked = [w.name async for w in client.iter_workers_for_work_pool(pool, page_size=1)]
    assert walked == ["w-1", "w-2"]

    await client.delete_worker(pool, "w-1")
    assert [w.name for w in await client.read_workers_for_work_pool(pool)] == ["w-2"]
    with pytest.raises(ObjectNotFound):
        await client.delete_worker(pool, "w-1")

    missing = unique("missing")
    with pytest.raises(ObjectNotFound):
        await client.send_worker_heartbeat(missing, "w")
    with pytest.raises(ObjectNotFound):
        await client.read_workers_for_work_pool(missing)
    with pytest.raises(ObjectNotFound):
        await client.delete_worker(missing, "w-2")
    await client.delete_work_pool(pool)
