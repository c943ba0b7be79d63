"""Operations on work pools against the real server, through both clients."""

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
    WorkPoolFilter,
)
from prefect_sdk.schemas import (
    FlowRun,
    WorkerFlowRunResponse,
    WorkPool,
    WorkPoolConcurrencyStatus,
    WorkPoolUpdate,
    WorkQueue,
)
from prefect_sdk.states import Running, Scheduled
from tests._support import run_in_pool, server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_work_pools(client: Any, unique: Unique) -> None:
    name = unique("pool")
    before = await client.count_work_pools()
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

    # Counting: the new pool is one more (other tests may add pools meanwhile, never remove
    # this one), and a filter on its name counts exactly it.
    assert await client.count_work_pools() >= before + 1
    assert await client.count_work_pools(WorkPoolFilter(name=name)) == 1
    assert await client.count_work_pools(work_pool_filter=WorkPoolFilter(name=unique("no"))) == 0

    await client.update_work_pool(name, WorkPoolUpdate(is_paused=False, description="e"))
    updated = await client.read_work_pool(name)
    assert (updated.is_paused, updated.description, updated.concurrency_limit) == (False, "e", 7)

    await client.delete_work_pool(name)
    with pytest.raises(ObjectNotFound):
        await client.read_work_pool(name)
    assert await client.count_work_pools(WorkPoolFilter(name=name)) == 0


async def test_iter_work_pools_walks_every_page(client: Any, unique: Unique) -> None:
    names = sorted(unique("walk") for _ in range(3))
    for name in names:
        await client.create_work_pool(name)
    try:
        by_name = WorkPoolFilter(name=names)
        walked = [p.name async for p in client.iter_work_pools(by_name, page_size=2)]
        assert sorted(walked) == names
        assert [p.name async for p in client.iter_work_pools(WorkPoolFilter(name=["nope"]))] == []
        everything = {p.name async for p in client.iter_work_pools()}
        assert set(names) <= everything
    finally:
        for name in names:
            await client.delete_work_pool(name)


async def wait_until_polled(client: Any, queue_id: Any) -> WorkQueue:
    """The server records a poll in the background, just after answering."""
    with anyio.fail_after(15):
        while True:
            queue = await client.read_work_queue(queue_id)
            if queue.last_polled is not None:
                return queue
            await anyio.sleep(0.05)


async def test_scheduled_runs_of_a_pool_and_its_concurrency(
    client: Any, unique: Unique, api_url: str
) -> None:
    pool_name = unique("sched")
    pool = await client.create_work_pool(pool_name)
    other = await client.create_work_queue(unique("q"), work_pool_name=pool_name)
    flow = await client.create_flow(unique("flow"))
    now = dt.datetime.now(dt.timezone.utc)
    due = await run_in_pool(
        client, api_url, flow, Scheduled(scheduled_time=now - dt.timedelta(minutes=5)), pool_name
    )
    later = await run_in_pool(
        client,
        api_url,
        flow,
        Scheduled(scheduled_time=now + dt.timedelta(hours=5)),
        pool_name,
        other.name,
    )
    default_queue = await client.read_work_queue(pool.default_queue_id)
    assert default_queue.last_polled is None and default_queue.status == "NOT_READY"

    # No bound: the future run comes too; each answer names the pool and queue.
    every = await client.get_scheduled_flow_runs_for_work_pool(pool_name)
    assert all(isinstance(r, WorkerFlowRunResponse) for r in every)
    assert {r.flow_run.id for r in every} == {due.id, later.id}
    assert {(r.flow_run.id, r.work_queue_id) for r in every} == {
        (due.id, pool.default_queue_id),
        (later.id, other.id),
    }
    assert {r.work_pool_id for r in every} == {pool.id}
    assert isinstance(every[0].flow_run, FlowRun)

    # Bounds, limit and queue names narrow it.
    due_now = await client.get_scheduled_flow_runs_for_work_pool(pool_name, scheduled_before=now)
    assert [r.flow_run.id for r in due_now] == [due.id]
    after = await client.get_scheduled_flow_runs_for_work_pool(pool_name, scheduled_after=now)
    assert [r.flow_run.id for r in after] == [later.id]
    assert len(await client.get_scheduled_flow_runs_for_work_pool(pool_name, limit=1)) == 1
    in_other = await client.get_scheduled_flow_runs_for_work_pool(
        pool_name, work_queue_names=[other.name]
    )
    assert [r.flow_run.id for r in in_other] == [later.id]
    with pytest.raises(ObjectNotFound):
        await client.get_scheduled_flow_runs_for_work_pool(pool_name, work_queue_names=["nope"])
    with pytest.raises(ObjectNotFound):
        await client.get_scheduled_flow_runs_for_work_pool(unique("missing"))

    # What the server did: the runs stay Scheduled, and the queues were marked polled.
    for run in (due, later):
        assert (await client.read_flow_run(run.id)).state_type == StateType.SCHEDULED
    polled = await wait_until_polled(client, pool.default_queue_id)
    assert polled.status == "READY"
    assert (await wait_until_polled(client, other.id)).status == "READY"

    # Concurrency: a running run takes a slot of its queue and of the pool.
    if server_older_than(api_url, "3.6.0"):  # the concurrency status came with 3.6
        with pytest.raises(NotSupportedByServer, match="read_work_pool_concurrency_status"):
            await client.read_work_pool_concurrency_status(pool_name)
        return
    status = await client.read_work_pool_concurrency_status(pool_name)
    assert isinstance(status, WorkPoolConcurrencyStatus)
    assert (status.active_slots, status.count, status.page, status.pages) == (0, 2, 1, 1)
    assert {q.queue_id for q in status.queues} == {pool.default_queue_id, other.id}
    await client.set_flow_run_state(later.id, Running(), force=True)
    status = await client.read_work_pool_concurrency_status(pool_name)
    assert status.active_slots == 1
    busy = {q.queue_id: q for q in status.queues}[other.id]
    assert busy.active_slots == 1 and busy.flow_run_count == 1
    assert [r.id for r in busy.flow_runs] == [later.id]
    assert busy.flow_runs[0].state_type == StateType.RUNNING
    # flow_run_limit caps the runs listed, not the count; limit/page page over the queues.
    capped = await client.read_work_pool_concurrency_status(pool_name, flow_run_limit=0)
    assert {q.queue_id: q.flow_runs for q in capped.queues}[other.id] == []
    first = await client.read_work_pool_concurrency_status(pool_name, page=1, limit=1)
    second = await client.read_work_pool_concurrency_status(pool_name, page=2, limit=1)
    assert (first.pages, first.limit, len(first.queues), len(second.queues)) == (2, 1, 1, 1)
    assert {first.queues[0].queue_id, second.queues[0].queue_id} == {
        pool.default_queue_id,
        other.id,
    }
    with pytest.raises(ObjectNotFound):
        await client.read_work_pool_concurrency_status(unique("missing"))

    await client.delete_work_pool(pool_name)
