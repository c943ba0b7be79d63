"""Work pools: ``/work_pools/...`` (their queues and workers have modules of their own)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    build_filter_body,
    dump,
    non_negative,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import WorkPoolFilter
    from prefect_sdk.schemas import (
        WorkerFlowRunResponse,
        WorkPool,
        WorkPoolConcurrencyStatus,
        WorkPoolCreate,
        WorkPoolUpdate,
    )


class WorkPoolAsyncClient(AsyncAPIClient):
    """Operations on work pools."""

    @operation("POST /work_pools/", read_back=True)
    async def create_work_pool(
        self,
        name: str | WorkPoolCreate | None = None,
        type: str = "process",
        description: str | None = None,
        is_paused: bool = False,
        concurrency_limit: int | None = None,
        base_job_template: dict[str, Any] | None = None,
        *,
        storage_configuration: dict[str, Any] | None = None,
        overwrite: bool = False,
        work_pool: WorkPoolCreate | None = None,
    ) -> WorkPool:
        """Create a work pool and return it.

        Give its fields as arguments, or a ``WorkPoolCreate`` (as ``work_pool=`` or in place
        of ``name``), as prefect-client does. If a pool of that name exists:
        ``ObjectAlreadyExists``, or with ``overwrite=True`` the existing pool is updated to
        these values and returned.
        """
        from prefect_sdk.exceptions import ObjectAlreadyExists
        from prefect_sdk.schemas import WorkPool, WorkPoolCreate, WorkPoolUpdate

        if isinstance(name, WorkPoolCreate):
            if work_pool is not None:
                raise ValidationError("pass the WorkPoolCreate once: as name or as work_pool=")
            work_pool, name = name, None
        if work_pool is not None:
            if name is not None:
                raise ValidationError("pass name= or work_pool=, not both")
            body = dump(work_pool, "work_pool", WorkPoolCreate)
        else:
            if not name or not isinstance(name, str):
                raise ValidationError(f"name must be a non-empty work pool name, got {name!r}")
            if not type:
                raise ValidationError(
                    "type must be a worker type such as 'process' or 'kubernetes'"
                )
            body = dump(
                {
                    "name": name,
                    "type": type,
                    "description": description,
                    "is_paused": bool(is_paused),
                    "concurrency_limit": concurrency_limit,
                    "base_job_template": base_job_template or {},
                    "storage_configuration": storage_configuration,
                },
                "create_work_pool",
                WorkPoolCreate,
            )
        body = {k: v for k, v in body.items() if v is not None}
        if str(body["name"]).lower().startswith("prefect"):
            raise ValidationError(
                f"name={body['name']!r}: work pool names starting with 'prefect' are reserved "
                "by the server; choose another name"
            )
        try:
            return await self._call_unique(  # type: ignore[no-any-return]
                "create_work_pool",
                WorkPool,
                json=body,
                read=lambda: self.read_work_pool(body["name"]),
            )
        except ObjectAlreadyExists:
            if not overwrite:
                raise
        update = {k: v for k, v in body.items() if k in WorkPoolUpdate.model_fields}
        if not update.get("base_job_template"):
            update.pop("base_job_template", None)
        await self.update_work_pool(body["name"], WorkPoolUpdate(**update))
        return await self.read_work_pool(body["name"])

    @operation("GET /work_pools/{work_pool_name}")
    async def read_work_pool(self, work_pool_name: str) -> WorkPool:
        """Read one work pool by name. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import WorkPool

        return await self._call("read_work_pool", WorkPool, work_pool_name=work_pool_name)

    @operation("POST /work_pools/filter")
    async def read_work_pools(
        self,
        limit: int | None = None,
        offset: int | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
    ) -> list[WorkPool]:
        """Read work pools matching ``work_pool_filter``."""
        from prefect_sdk.schemas import WorkPool

        body = build_filter_body(work_pools=work_pool_filter)
        return await self._call_pages("read_work_pools", list[WorkPool], body, limit, offset)

    @operation("POST /work_pools/count")
    async def count_work_pools(self, work_pool_filter: WorkPoolFilter | None = None) -> int:
        """Count the work pools matching ``work_pool_filter`` (all of them without one)."""
        body = build_filter_body(work_pools=work_pool_filter)
        return await self._call("count_work_pools", int, json=body)

    @operation("POST /work_pools/filter")
    def iter_work_pools(
        self,
        work_pool_filter: WorkPoolFilter | None = None,
        *,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[WorkPool]:
        """Iterate over every matching work pool (by name), ``page_size`` pools per request.

        Memory stays flat however many pools match.
        """
        from prefect_sdk.schemas import WorkPool

        body = build_filter_body(work_pools=work_pool_filter)
        return self._call_iter("iter_work_pools", list[WorkPool], body, page_size)

    @operation("PATCH /work_pools/{work_pool_name}")
    async def update_work_pool(
        self, work_pool_name: str, work_pool: WorkPoolUpdate | dict[str, Any]
    ) -> None:
        """Change the fields of a work pool that ``work_pool`` sets (a ``WorkPoolUpdate``)."""
        from prefect_sdk.schemas import WorkPoolUpdate

        body = dump(work_pool, "work_pool", WorkPoolUpdate)
        await self._call("update_work_pool", json=body, work_pool_name=work_pool_name)

    @operation("DELETE /work_pools/{work_pool_name}")
    async def delete_work_pool(self, work_pool_name: str) -> None:
        """Delete a work pool."""
        await self._call("delete_work_pool", work_pool_name=work_pool_name)

    # The server marks the queues it read as polled (ready): repeating that is harmless.
    @operation(
        "POST /work_pools/{work_pool_name}/get_scheduled_flow_runs",
        retry_safe=True,
        why="a read (it also marks the pool's queues polled)",
    )
    async def get_scheduled_flow_runs_for_work_pool(
        self,
        work_pool_name: str,
        work_queue_names: Sequence[str] | None = None,
        scheduled_before: dt.datetime | None = None,
        *,
        scheduled_after: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[WorkerFlowRunResponse]:
        """The scheduled flow runs of a work pool that a worker would pick up.

        Reads the runs in state ``Scheduled`` of the pool's queues (or only of the queues in
        ``work_queue_names``; an unknown name raises ``ObjectNotFound``), scheduled between
        ``scheduled_after`` and ``scheduled_before`` (no bound when ``None``: runs scheduled
        in the future are included), at most ``limit`` of them (the server's cap: 200).
        Naive datetimes are read as UTC.  The runs stay ``Scheduled``; the server records
        that the queues were polled (they turn ``READY``) shortly after answering, as it does
        for a worker.
        """
        from prefect_sdk.schemas import WorkerFlowRunResponse

        body: dict[str, Any] = {}
        if work_queue_names is not None:
            body["work_queue_names"] = names_list(work_queue_names, "work_queue_names")
        if scheduled_before is not None:
            body["scheduled_before"] = timestamp(scheduled_before, "scheduled_before")
        if scheduled_after is not None:
            body["scheduled_after"] = timestamp(scheduled_after, "scheduled_after")
        if limit is not None:
            body["limit"] = page_limit(limit, "limit")
        return await self._call(
            "get_scheduled_flow_runs_for_work_pool",
            list[WorkerFlowRunResponse],
            json=body,
            work_pool_name=work_pool_name,
        )

    @operation(
        "POST /work_pools/{work_pool_name}/concurrency_status", retry_safe=True, why="a read"
    )
    async def read_work_pool_concurrency_status(
        self,
        work_pool_name: str,
        page: int = 1,
        limit: int | None = None,
        flow_run_limit: int = 10,
    ) -> WorkPoolConcurrencyStatus:
        """A work pool's concurrency slots in use, with its queues' slots one page at a time.

        ``page`` (from 1) and ``limit`` (queues per page, server default and cap: 200) page
        over the queues; ``flow_run_limit`` (0 to 200) caps the flow runs listed per queue.
        """
        from prefect_sdk.schemas import WorkPoolConcurrencyStatus

        body: dict[str, Any] = {"page": page_number(page), "flow_run_limit": flow_run_limit}
        if (
            not isinstance(flow_run_limit, int)
            or isinstance(flow_run_limit, bool)
            or not 0 <= flow_run_limit <= SERVER_PAGE_LIMIT
        ):
            raise ValidationError(
                f"flow_run_limit must be an int between 0 and {SERVER_PAGE_LIMIT}, "
                f"got {flow_run_limit!r}"
            )
        if limit is not None:
            body["limit"] = page_limit(limit, "limit")
        return await self._call(
            "read_work_pool_concurrency_status",
            WorkPoolConcurrencyStatus,
            json=body,
            work_pool_name=work_pool_name,
        )


def timestamp(value: Any, argument: str) -> str:
    """A datetime as the ISO 8601 text the server takes; a naive one is taken as UTC."""
    if not isinstance(value, dt.datetime):
        raise ValidationError(
            f"{argument} must be a datetime (e.g. datetime.now(timezone.utc)), got {value!r}"
        )
    when: dt.datetime = value
    if when.tzinfo is None or when.utcoffset() is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.isoformat()


def names_list(values: Any, argument: str) -> list[str]:
    """A list of non-empty names; a lone string is not taken for a list of its letters."""
    if isinstance(values, str) or not isinstance(values, Sequence | set | frozenset):
        raise ValidationError(f"{argument} must be a list of names, got {values!r}")
    names = list(values)
    for i, value in enumerate(names):
        if not isinstance(value, str) or not value:
            raise ValidationError(f"{argument}[{i}] must be a non-empty string, got {value!r}")
    return names


def page_limit(value: Any, argument: str) -> int:
    """A per-request limit: an int from 0 to the server's cap (it answers 422 above)."""
    if non_negative(value, argument) is None or value > SERVER_PAGE_LIMIT:
        raise ValidationError(
            f"{argument} must be an int between 0 and {SERVER_PAGE_LIMIT}, got {value!r}"
        )
    return int(value)


def page_number(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValidationError(f"page must be an int >= 1 (pages count from 1), got {value!r}")
    return value


__all__ = ["WorkPoolAsyncClient"]
