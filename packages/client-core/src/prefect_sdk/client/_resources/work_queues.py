"""Work queues: ``/work_queues/...`` and a pool's queues, ``/work_pools/{name}/queues/...``."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from types import EllipsisType
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    build,
    build_filter_body,
    dump,
    path_segment,
)
from prefect_sdk.client._resources.work_pools import page_limit, page_number, timestamp
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import WorkQueueFilter
    from prefect_sdk.schemas import (
        FlowRun,
        QueueFilter,
        WorkQueue,
        WorkQueueConcurrencyStatus,
        WorkQueueStatusDetail,
    )


class WorkQueueAsyncClient(AsyncAPIClient):
    """Operations on work queues."""

    @operation(
        "POST /work_queues/",
        read_back=True,
        variants={"pool": "POST /work_pools/{work_pool_name}/queues"},
    )
    async def create_work_queue(
        self,
        name: str,
        description: str | None = None,
        is_paused: bool | None = None,
        concurrency_limit: int | None = None,
        priority: int | None = None,
        work_pool_name: str | None = None,
    ) -> WorkQueue:
        """Create a work queue in the pool ``work_pool_name`` and return it.

        Without ``work_pool_name`` the server puts the queue in its default pool
        (``default-agent-pool``).  ``priority`` counts from 1 (the highest); left out, the
        server gives the lowest free one, and a priority already taken moves the queues
        from it on down by one.  A queue of that name in that pool: ``ObjectAlreadyExists``;
        an unknown pool: ``ObjectNotFound``.
        """
        from prefect_sdk.schemas import WorkQueue, WorkQueueCreate

        body = build(
            WorkQueueCreate,
            "create_work_queue",
            name=_queue_name(name, "name"),
            description=description,
            is_paused=is_paused,
            concurrency_limit=concurrency_limit,
            priority=priority,
        )
        return await self._call_unique(  # type: ignore[no-any-return]
            "create_work_queue",
            WorkQueue,
            json=body,
            read=lambda: self.read_work_queue_by_name(body["name"], work_pool_name),
            variant=None if work_pool_name is None else "pool",
            work_pool_name=work_pool_name,
        )

    @operation("GET /work_queues/{id:id}")
    async def read_work_queue(self, id: UUID | str | HasId) -> WorkQueue:
        """Read one work queue by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import WorkQueue

        return await self._call("read_work_queue", WorkQueue, id=id)

    @operation(
        "GET /work_queues/name/{work_queue_name}",
        variants={"pool": "GET /work_pools/{work_pool_name}/queues/{work_queue_name}"},
    )
    async def read_work_queue_by_name(
        self, name: str, work_pool_name: str | None = None
    ) -> WorkQueue:
        """Read one work queue by name, in the pool ``work_pool_name``.

        Without ``work_pool_name`` the server looks in its default pool
        (``default-agent-pool``).  Raises ``ObjectNotFound`` if there is none.
        """
        from prefect_sdk.schemas import WorkQueue

        path_segment(name, "name")
        if work_pool_name is None:
            return await self._call("read_work_queue_by_name", WorkQueue, work_queue_name=name)
        return await self._call(
            "read_work_queue_by_name",
            WorkQueue,
            variant="pool",
            work_pool_name=work_pool_name,
            work_queue_name=name,
        )

    @operation("PATCH /work_queues/{id:id}")
    async def update_work_queue(
        self,
        id: UUID | str | HasId,
        *,
        name: str | EllipsisType = ...,
        description: str | EllipsisType | None = ...,
        is_paused: bool | EllipsisType = ...,
        concurrency_limit: int | EllipsisType | None = ...,
        priority: int | EllipsisType | None = ...,
        last_polled: dt.datetime | EllipsisType | None = ...,
        filter: QueueFilter | dict[str, Any] | EllipsisType | None = ...,
    ) -> None:
        """Change the fields of a work queue given as arguments; the others stay as they are.

        An argument left at its default (``...``) is not sent; ``None`` clears a field
        (``concurrency_limit=None``: no limit).  ``filter`` (the
        tags and deployments of an old-style queue) is deprecated by the server.  Giving no
        field at all is a ``ValidationError``.
        """
        body = _queue_update(
            "update_work_queue",
            name=name,
            description=description,
            is_paused=is_paused,
            concurrency_limit=concurrency_limit,
            priority=priority,
            last_polled=last_polled,
            filter=filter,
        )
        await self._call("update_work_queue", json=body, id=id)

    @operation("PATCH /work_pools/{work_pool_name}/queues/{work_queue_name}")
    async def update_work_pool_queue(
        self,
        work_pool_name: str,
        work_queue_name: str,
        *,
        name: str | EllipsisType = ...,
        description: str | EllipsisType | None = ...,
        is_paused: bool | EllipsisType = ...,
        concurrency_limit: int | EllipsisType | None = ...,
        priority: int | EllipsisType | None = ...,
        last_polled: dt.datetime | EllipsisType | None = ...,
        filter: QueueFilter | dict[str, Any] | EllipsisType | None = ...,
    ) -> None:
        """Change the fields given of the queue ``work_queue_name`` of a work pool.

        As ``update_work_queue``, addressing the queue by pool and name (``name=`` renames
        it).
        """
        body = _queue_update(
            "update_work_pool_queue",
            name=name,
            description=description,
            is_paused=is_paused,
            concurrency_limit=concurrency_limit,
            priority=priority,
            last_polled=last_polled,
            filter=filter,
        )
        await self._call(
            "update_work_pool_queue",
            json=body,
            # A rename addresses the queue by its old name: repeated after a lost answer, it
            # would find nothing and report the rename that worked as ObjectNotFound.
            retry_safe="name" not in body,
            work_pool_name=work_pool_name,
            work_queue_name=work_queue_name,
        )

    @operation("DELETE /work_queues/{id:id}")
    async def delete_work_queue_by_id(self, id: UUID | str | HasId) -> None:
        """Delete a work queue by id.

        A pool's default queue cannot be deleted: the server answers 409
        (``ObjectAlreadyExists``, "data integrity conflict").
        """
        await self._call("delete_work_queue_by_id", id=id)

    @operation("DELETE /work_pools/{work_pool_name}/queues/{work_queue_name}")
    async def delete_work_pool_queue(self, work_pool_name: str, work_queue_name: str) -> None:
        """Delete the queue ``work_queue_name`` of a work pool.

        Not for a pool's default queue (which the server refuses, with a 500).
        """
        await self._call(
            "delete_work_pool_queue",
            work_pool_name=work_pool_name,
            work_queue_name=work_queue_name,
        )

    @operation(
        "POST /work_queues/filter",
        variants={"pool": "POST /work_pools/{work_pool_name}/queues/filter"},
    )
    async def read_work_queues(
        self,
        work_pool_name: str | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[WorkQueue]:
        """Read the work queues matching ``work_queue_filter``: of one pool with
        ``work_pool_name``, of every pool without.

        ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.schemas import WorkQueue

        body = build_filter_body(work_queues=work_queue_filter)
        path = _pool_path(work_pool_name)
        return await self._call_pages(
            "read_work_queues", list[WorkQueue], body, limit, offset, **path
        )

    @operation(
        "POST /work_queues/filter",
        variants={"pool": "POST /work_pools/{work_pool_name}/queues/filter"},
    )
    def iter_work_queues(
        self,
        work_pool_name: str | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
        *,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[WorkQueue]:
        """Iterate over every matching work queue (of one pool with ``work_pool_name``),
        ``page_size`` queues per request. Memory stays flat however many queues match."""
        from prefect_sdk.schemas import WorkQueue

        body = build_filter_body(work_queues=work_queue_filter)
        path = _pool_path(work_pool_name)
        return self._call_iter("iter_work_queues", list[WorkQueue], body, page_size, **path)

    async def match_work_queues(
        self, prefixes: list[str], work_pool_name: str | None = None
    ) -> list[WorkQueue]:
        """Every work queue whose name starts with one of ``prefixes`` (of one pool with
        ``work_pool_name``), read page by page.

        An empty list of prefixes constrains nothing: every queue matches, as the server
        reads it.
        """
        from prefect_sdk.filters import WorkQueueFilter, WorkQueueFilterName

        if isinstance(prefixes, str) or not isinstance(prefixes, Sequence):
            raise ValidationError(
                f"prefixes must be a list of name prefixes (e.g. ['prod-']), got {prefixes!r}"
            )
        for i, prefix in enumerate(prefixes):
            if not isinstance(prefix, str):
                raise ValidationError(f"prefixes[{i}] must be a string, got {prefix!r}")
        by_prefix = WorkQueueFilter(name=WorkQueueFilterName(startswith_=list(prefixes)))
        return [
            queue
            async for queue in self.iter_work_queues(
                work_pool_name=work_pool_name, work_queue_filter=by_prefix
            )
        ]

    # The server marks the queue polled: repeating that is harmless.
    @operation(
        "POST /work_queues/{id:id}/get_runs",
        retry_safe=True,
        why="a read (it also marks the queue polled)",
    )
    async def get_runs_in_work_queue(
        self,
        id: UUID | str | HasId,
        limit: int = 10,
        scheduled_before: dt.datetime | None = None,
    ) -> list[FlowRun]:
        """The scheduled flow runs of a work queue, as a worker polling it would get them.

        At most ``limit`` runs (0 to 200) scheduled before ``scheduled_before`` (default:
        now; a naive datetime is read as UTC).  The runs stay ``Scheduled``; the server
        records that the queue was polled shortly after answering.
        """
        from prefect_sdk.schemas import FlowRun

        before = dt.datetime.now(dt.timezone.utc) if scheduled_before is None else scheduled_before
        body = {
            "limit": page_limit(limit, "limit"),
            "scheduled_before": timestamp(before, "scheduled_before"),
        }
        return await self._call("get_runs_in_work_queue", list[FlowRun], json=body, id=id)

    @operation("GET /work_queues/{id:id}/status")
    async def read_work_queue_status(self, id: UUID | str | HasId) -> WorkQueueStatusDetail:
        """A work queue's health: whether it was polled lately and how many runs are late."""
        from prefect_sdk.schemas import WorkQueueStatusDetail

        return await self._call("read_work_queue_status", WorkQueueStatusDetail, id=id)

    @operation("POST /work_queues/{id:id}/concurrency_status", retry_safe=True, why="a read")
    async def read_work_queue_concurrency_status(
        self, id: UUID | str | HasId, page: int = 1, limit: int | None = None
    ) -> WorkQueueConcurrencyStatus:
        """A work queue's concurrency slots in use, with the flow runs holding them one page
        (``page`` from 1, ``limit`` runs per page; server default and cap: 200) at a time."""
        from prefect_sdk.schemas import WorkQueueConcurrencyStatus

        body: dict[str, Any] = {"page": page_number(page)}
        if limit is not None:
            body["limit"] = page_limit(limit, "limit")
        return await self._call(
            "read_work_queue_concurrency_status", WorkQueueConcurrencyStatus, json=body, id=id
        )


def _queue_name(value: Any, argument: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{argument} must be a non-empty work queue name, got {value!r}")
    return value


def _pool_path(work_pool_name: str | None) -> dict[str, Any]:
    """The path arguments of a read that is pool-scoped when a pool is named."""
    if work_pool_name is None:
        return {}
    return {"variant": "pool", "work_pool_name": work_pool_name}


def _queue_update(operation: str, **fields: Any) -> dict[str, Any]:
    """The body of a queue ``PATCH``: the fields given (``...`` means "not given")."""
    from prefect_sdk.schemas import WorkQueueUpdate

    given = {key: value for key, value in fields.items() if value is not ...}
    if not given:
        raise ValidationError(
            f"{operation}: give at least one field to change (name=, description=, "
            "is_paused=, concurrency_limit=, priority=, last_polled=)"
        )
    if "name" in given:
        _queue_name(given["name"], "name")
    if "is_paused" in given and not isinstance(given["is_paused"], bool):
        raise ValidationError(f"is_paused must be True or False, got {given['is_paused']!r}")
    queue_filter = given.get("filter")
    if isinstance(queue_filter, dict) and set(queue_filter) - {"tags", "deployment_ids"}:
        raise ValidationError(
            f"filter: unknown key(s) {sorted(set(queue_filter) - {'tags', 'deployment_ids'})}; "
            "a QueueFilter has tags and deployment_ids"
        )
    if given.get("last_polled") is not None:
        given["last_polled"] = timestamp(given["last_polled"], "last_polled")
    return dump(given, operation, WorkQueueUpdate)


__all__ = ["WorkQueueAsyncClient"]
