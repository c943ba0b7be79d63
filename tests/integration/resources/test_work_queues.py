"""Operations on work queues against the real server, through both clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from prefect_sdk.exceptions import (
    NotSupportedByServer,
    ObjectAlreadyExists,
    ObjectNotFound,
)
from prefect_sdk.filters import (
    StateType,
    WorkQueueFilter,
)
from prefect_sdk.schemas import (
    FlowRun,
    WorkQueue,
    WorkQueueConcurrencyStatus,
    WorkQueueHealthPolicy,
    WorkQueueStatusDetail,
)
from prefect_sdk.states import Running, Scheduled
from tests._support import run_in_pool, server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_queues_of_a_pool(client: Any, unique: Unique) -> None:
    pool = unique("pool")
    await client.create_work_pool(pool)
    prefix = unique("m")
    name = f"{prefix}-a"
    queue = await client.create_work_queue(
        name, description="d", is_paused=True, concurrency_limit=2, priority=3, work_pool_name=pool
    )
    assert isinstance(queue, WorkQueue)
    assert (queue.name, queue.work_pool_name, queue.description) == (name, pool, "d")
    assert (queue.is_paused, queue.concurrency_limit, queue.priority) == (True, 2, 3)
    assert queue.status == "NOT_READY"  # the server sets PAUSED on an update, not on create
    with pytest.raises(ObjectAlreadyExists):
        await client.create_work_queue(name, work_pool_name=pool)
    with pytest.raises(ObjectNotFound):
        await client.create_work_queue(name, work_pool_name=unique("missing"))
    second = await client.create_work_queue(f"{prefix}-b", work_pool_name=pool)
    assert second.priority == 2  # the lowest free one (default: 1, queue: 3)

    assert (await client.read_work_queue(queue.id)).name == name
    assert (await client.read_work_queue(str(queue.id))).id == queue.id
    assert (await client.read_work_queue_by_name(name, work_pool_name=pool)).id == queue.id
    with pytest.raises(ObjectNotFound):
        await client.read_work_queue_by_name(unique("missing"), work_pool_name=pool)

    listed = await client.read_work_queues(work_pool_name=pool)
    assert {q.name for q in listed} == {"default", name, second.name}
    only = await client.read_work_queues(
        work_pool_name=pool, work_queue_filter=WorkQueueFilter(name=name)
    )
    assert [q.id for q in only] == [queue.id]
    assert len(await client.read_work_queues(work_pool_name=pool, limit=1)) == 1
    walked = [q.name async for q in client.iter_work_queues(pool, page_size=1)]
    assert sorted(walked) == sorted(q.name for q in listed)
    with pytest.raises(ObjectNotFound):
        await client.read_work_queues(work_pool_name=unique("missing"))

    matched = await client.match_work_queues([prefix], work_pool_name=pool)
    assert sorted(q.name for q in matched) == [name, second.name]
    assert await client.match_work_queues([unique("zz")], work_pool_name=pool) == []
    across_pools = await client.match_work_queues([f"{prefix}-b", "nothing-"])
    assert [q.id for q in across_pools] == [second.id]

    # Update by id: only the fields given change; None clears the limit.
    await client.update_work_queue(queue.id, description="e", concurrency_limit=None)
    changed = await client.read_work_queue(queue.id)
    assert (changed.description, changed.concurrency_limit) == ("e", None)
    assert (changed.is_paused, changed.priority) == (True, 3)
    await client.update_work_queue(queue, is_paused=False, priority=1)
    changed = await client.read_work_queue(queue.id)
    assert (changed.is_paused, changed.priority, changed.description) == (False, 1, "e")

    # Update by pool and name, renaming it.
    renamed = f"{prefix}-c"
    await client.update_work_pool_queue(pool, name, name=renamed, concurrency_limit=5)
    changed = await client.read_work_queue_by_name(renamed, work_pool_name=pool)
    assert (changed.id, changed.concurrency_limit, changed.description) == (queue.id, 5, "e")
    with pytest.raises(ObjectNotFound):
        await client.read_work_queue_by_name(name, work_pool_name=pool)
    with pytest.raises(ObjectNotFound):
        await client.update_work_pool_queue(pool, name, description="gone")

    # Delete by pool and name, and by id.
    await client.delete_work_pool_queue(pool, renamed)
    with pytest.raises(ObjectNotFound):
        await client.read_work_queue(queue.id)
    with pytest.raises(ObjectNotFound):
        await client.delete_work_pool_queue(pool, renamed)
    await client.delete_work_queue_by_id(second.id)
    with pytest.raises(ObjectNotFound):
        await client.read_work_queue(second.id)
    with pytest.raises(ObjectNotFound):
        await client.delete_work_queue_by_id(second.id)
    assert [q.name for q in await client.read_work_queues(work_pool_name=pool)] == ["default"]
    # A pool's default queue stays: the server answers 409 (a foreign key holds it).
    default_id = (await client.read_work_pool(pool)).default_queue_id
    with pytest.raises(ObjectAlreadyExists):
        await client.delete_work_queue_by_id(default_id)
    assert (await client.read_work_queue(default_id)).name == "default"
    await client.delete_work_pool(pool)


async def test_queue_without_a_pool_goes_to_the_default_pool(client: Any, unique: Unique) -> None:
    name = unique("loose")
    queue = await client.create_work_queue(name)
    assert queue.work_pool_name == "default-agent-pool"
    assert queue.description == "" and queue.is_paused is False
    assert (await client.read_work_queue_by_name(name)).id == queue.id
    assert (
        await client.read_work_queue_by_name(name, work_pool_name="default-agent-pool")
    ).id == queue.id
    with pytest.raises(ObjectAlreadyExists):
        await client.create_work_queue(name)
    found = await client.read_work_queues(work_queue_filter=WorkQueueFilter(name=name))
    assert [q.id for q in found] == [queue.id]
    walked = [
        q.id async for q in client.iter_work_queues(work_queue_filter=WorkQueueFilter(name=name))
    ]
    assert walked == [queue.id]
    with pytest.raises(ObjectNotFound):
        await client.read_work_queue_by_name(unique("missing"))
    await client.delete_work_queue_by_id(queue.id)
    assert await client.read_work_queues(work_queue_filter=WorkQueueFilter(name=name)) == []


async def test_runs_status_and_concurrency_of_a_queue(
    client: Any, unique: Unique, api_url: str
) -> None:
    pool = unique("pool")
    await client.create_work_pool(pool)
    queue = await client.create_work_queue(unique("q"), work_pool_name=pool)
    flow = await client.create_flow(unique("flow"))
    now = dt.datetime.now(dt.timezone.utc)
    due = [
        await run_in_pool(
            client,
            api_url,
            flow,
            Scheduled(scheduled_time=now - dt.timedelta(minutes=m)),
            pool,
            queue.name,
        )
        for m in (1, 2)
    ]
    later = await run_in_pool(
        client,
        api_url,
        flow,
        Scheduled(scheduled_time=now + dt.timedelta(hours=3)),
        pool,
        queue.name,
    )

    status = await client.read_work_queue_status(queue.id)
    assert isinstance(status, WorkQueueStatusDetail)
    assert status.healthy is False and status.last_polled is None
    assert isinstance(status.health_check_policy, WorkQueueHealthPolicy)

    # By default only the runs due by now; scheduled_before reaches further; limit caps.
    runs = await client.get_runs_in_work_queue(queue.id)
    assert all(isinstance(r, FlowRun) for r in runs)
    assert {r.id for r in runs} == {r.id for r in due}
    everything = await client.get_runs_in_work_queue(
        queue, scheduled_before=now + dt.timedelta(hours=4)
    )
    assert {r.id for r in everything} == {*(r.id for r in due), later.id}
    assert len(await client.get_runs_in_work_queue(str(queue.id), limit=1)) == 1
    for run in everything:
        assert (await client.read_flow_run(run.id)).state_type == StateType.SCHEDULED

    # The server records the poll just after answering: the queue turns healthy.
    with anyio.fail_after(15):
        while True:
            status = await client.read_work_queue_status(queue.id)
            if status.healthy:
                break
            await anyio.sleep(0.05)
    assert status.last_polled is not None
    assert (await client.read_work_queue(queue.id)).status == "READY"

    if server_older_than(api_url, "3.6.0"):  # the concurrency status came with 3.6
        with pytest.raises(NotSupportedByServer, match="read_work_queue_concurrency_status"):
            await client.read_work_queue_concurrency_status(queue.id)
        return
    concurrency = await client.read_work_queue_concurrency_status(queue.id)
    assert isinstance(concurrency, WorkQueueConcurrencyStatus)
    assert (concurrency.active_slots, concurrency.count, concurrency.flow_runs) == (0, 0, [])
    for run in due:
        await client.set_flow_run_state(run.id, Running(), force=True)
    concurrency = await client.read_work_queue_concurrency_status(queue.id)
    assert (concurrency.active_slots, concurrency.count, concurrency.pages) == (2, 2, 1)
    assert {r.id for r in concurrency.flow_runs} == {r.id for r in due}
    assert all(r.state_type == StateType.RUNNING for r in concurrency.flow_runs)
    first = await client.read_work_queue_concurrency_status(queue.id, page=1, limit=1)
    second = await client.read_work_queue_concurrency_status(queue.id, page=2, limit=1)
    assert (first.pages, first.limit, first.page, second.page) == (2, 1, 1, 2)
    assert {first.flow_runs[0].id, second.flow_runs[0].id} == {r.id for r in due}

    missing = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ObjectNotFound):
        await client.get_runs_in_work_queue(missing)
    with pytest.raises(ObjectNotFound):
        await client.read_work_queue_status(missing)
    with pytest.raises(ObjectNotFound):
        await client.read_work_queue_concurrency_status(missing)
    await client.delete_work_pool(pool)
