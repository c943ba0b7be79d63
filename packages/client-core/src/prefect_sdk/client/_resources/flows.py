"""Flows: ``/flows/...`` and the UI's per-flow summaries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    HasName,
    as_ids,
    build,
    filtered_body,
    non_negative,
    run_filters,
    tag_list,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import (
        DeploymentFilter,
        FlowFilter,
        FlowRunFilter,
        FlowSort,
        TaskRunFilter,
        WorkPoolFilter,
        WorkQueueFilter,
    )
    from prefect_sdk.schemas import Flow, SimpleNextFlowRun

BULK_LIMIT = 50
"""The most objects one ``bulk_delete`` / ``bulk_set_state`` request handles (422 above)."""


class FlowAsyncClient(AsyncAPIClient):
    """Operations on flows."""

    @operation(
        "POST /flows/", retry_safe=True, why="the server answers with the flow it has of that name"
    )
    async def create_flow(self, flow: HasName | str, tags: list[str] | None = None) -> Flow:
        """Register a flow by name (an object with ``.name`` or the name itself); return it.

        Creating a flow whose name exists returns the existing flow, so this is safe to repeat.
        """
        from prefect_sdk.schemas import Flow, FlowCreate

        name = flow if isinstance(flow, str) else getattr(flow, "name", None)
        if not isinstance(name, str) or not name:
            raise ValidationError(
                f"flow must be a non-empty flow name or an object with a .name, got {flow!r}"
            )
        body = build(FlowCreate, "create_flow", name=name, tags=tag_list(tags, "tags"))
        return await self._call("create_flow", Flow, json=body)

    async def create_flow_from_name(self, flow_name: str) -> UUID:
        """Register a flow by name and return its id (prefect-client's form of ``create_flow``)."""
        return (await self.create_flow(flow_name)).id

    @operation("GET /flows/{flow_id:id}")
    async def read_flow(self, flow_id: UUID | str | HasId) -> Flow:
        """Read one flow by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Flow

        return await self._call("read_flow", Flow, flow_id=flow_id)

    @operation("GET /flows/name/{flow_name}")
    async def read_flow_by_name(self, flow_name: str) -> Flow:
        """Read one flow by name. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Flow

        return await self._call("read_flow_by_name", Flow, flow_name=flow_name)

    @operation("PATCH /flows/{flow_id:id}")
    async def update_flow(self, flow_id: UUID | str | HasId, *, tags: list[str]) -> None:
        """Replace a flow's tags."""
        from prefect_sdk.schemas import FlowUpdate

        body = build(FlowUpdate, "update_flow", tags=tag_list(tags, "tags") or [])
        await self._call("update_flow", json=body, flow_id=flow_id)

    @operation("DELETE /flows/{flow_id:id}")
    async def delete_flow(self, flow_id: UUID | str | HasId) -> None:
        """Delete a flow and, with it, its deployments."""
        await self._call("delete_flow", flow_id=flow_id)

    @operation("POST /flows/filter")
    async def read_flows(
        self,
        limit: int | None = None,
        offset: int | None = None,
        sort: FlowSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> list[Flow]:
        """Read flows matching the filters, sorted by ``sort`` (default: name ascending).

        ``limit`` above the server's page cap (200) is read in several pages.
        ``work_queue_filter`` is accepted for prefect-client compatibility; the server's flow
        routes have no work queue filter, so it must be ``None``.
        """
        from prefect_sdk.filters import FlowSort
        from prefect_sdk.schemas import Flow

        _no_queue_filter(work_queue_filter, "read_flows")
        body = filtered_body(
            sort,
            FlowSort,
            **run_filters(
                flow_filter, flow_run_filter, task_run_filter, deployment_filter, work_pool_filter
            ),
        )
        return await self._call_pages("read_flows", list[Flow], body, limit, offset)

    @operation("POST /flows/count")
    async def count_flows(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
    ) -> int:
        """Count the flows matching the filters."""
        body = filtered_body(
            None,
            None,
            **run_filters(
                flow_filter, flow_run_filter, task_run_filter, deployment_filter, work_pool_filter
            ),
        )
        return await self._call("count_flows", int, json=body)

    @operation("POST /flows/paginate")
    def iter_flows(
        self,
        sort: FlowSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[Flow]:
        """Iterate over every matching flow, one server page (``page_size`` rows) at a time.

        Memory stays flat however many flows match.
        """
        from prefect_sdk.filters import FlowSort
        from prefect_sdk.schemas import FlowPaginationResponse

        body = filtered_body(
            sort,
            FlowSort,
            **run_filters(
                flow_filter, flow_run_filter, task_run_filter, deployment_filter, work_pool_filter
            ),
        )
        return self._call_paginate("iter_flows", FlowPaginationResponse, body, page_size)

    @operation(
        "POST /flows/bulk_delete", retry_safe=True, why="a deleted flow is not matched again"
    )
    async def bulk_delete_flows(
        self, flow_filter: FlowFilter | None = None, *, limit: int = BULK_LIMIT
    ) -> list[UUID]:
        """Delete up to ``limit`` (at most 50) flows matching ``flow_filter``; return the ids
        deleted.

        Deleting a flow deletes its deployments too. Repeating it is harmless: a flow deleted
        once is not matched again. Call it again while it returns ids to delete more than 50.
        """
        from prefect_sdk.schemas import BulkDeleteResponse

        if flow_filter is None:
            raise ValidationError(
                "bulk_delete_flows needs a flow_filter (e.g. FlowFilter(tags=['old'])); "
                "deleting every flow by accident is not offered"
            )
        body: dict[str, Any] = {
            **filtered_body(None, None, flows=flow_filter),
            "limit": bulk_limit(limit),
        }
        result = await self._call("bulk_delete_flows", BulkDeleteResponse, json=body)
        return result.deleted

    @operation("POST /ui/flows/count-deployments", retry_safe=True, why="a read")
    async def count_deployments_by_flow(
        self, flow_ids: Sequence[UUID | str | HasId]
    ) -> dict[UUID, int]:
        """The number of deployments of each flow in ``flow_ids``."""
        body = {"flow_ids": [str(i) for i in as_ids(flow_ids, "flow_ids")]}
        return await self._call("count_deployments_by_flow", dict[UUID, int], json=body)

    @operation("POST /ui/flows/next-runs", retry_safe=True, why="a read")
    async def read_next_flow_runs_by_flow(
        self, flow_ids: Sequence[UUID | str | HasId]
    ) -> dict[UUID, SimpleNextFlowRun | None]:
        """The next scheduled run of each flow in ``flow_ids`` (``None`` for flows with none)."""
        from prefect_sdk.schemas import SimpleNextFlowRun

        body = {"flow_ids": [str(i) for i in as_ids(flow_ids, "flow_ids")]}
        return await self._call(
            "read_next_flow_runs_by_flow", dict[UUID, SimpleNextFlowRun | None], json=body
        )


def bulk_limit(limit: Any) -> int:
    """``limit`` of a bulk route: an int from 1 to :data:`BULK_LIMIT`."""
    if non_negative(limit, "limit") in (0, None) or limit > BULK_LIMIT:
        raise ValidationError(
            f"limit must be an int between 1 and {BULK_LIMIT} (the server's cap for one bulk "
            f"request), got {limit!r}"
        )
    return int(limit)


def _no_queue_filter(work_queue_filter: Any, operation: str) -> None:
    if work_queue_filter is not None:
        raise ValidationError(
            f"{operation}: the server cannot filter flows by work queue; pass "
            "work_queue_filter=None (filter flow runs or deployments by queue instead)"
        )


__all__ = ["BULK_LIMIT", "FlowAsyncClient", "bulk_limit"]
