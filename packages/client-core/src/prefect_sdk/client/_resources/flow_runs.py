"""Flow runs: ``/flow_runs/...`` and ``/flow_run_states/...``."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from prefect_sdk.client._io import async_sleep
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    HasName,
    filtered_body,
    looks_like_uuid,
    run_filters,
)
from prefect_sdk.client._resources.flows import FlowAsyncClient
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import (
        DeploymentFilter,
        FlowFilter,
        FlowRunFilter,
        FlowRunSort,
        TaskRunFilter,
        WorkPoolFilter,
        WorkQueueFilter,
    )
    from prefect_sdk.schemas import Flow, FlowRun, OrchestrationResult, State


class FlowRunAsyncClient(FlowAsyncClient):
    """Operations on flow runs (it builds on the flow operations: a run may name its flow)."""

    @operation("POST /flow_runs/", retry_safe=True)  # always sent with an idempotency key
    async def create_flow_run(
        self,
        flow: Flow | HasName | UUID | str,
        name: str | None = None,
        parameters: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        parent_task_run_id: UUID | None = None,
        state: State | None = None,
        *,
        idempotency_key: str | None = None,
        work_pool_name: str | None = None,
        work_queue_name: str | None = None,
        job_variables: dict[str, Any] | None = None,
        labels: dict[str, Any] | None = None,
    ) -> FlowRun:
        """Create a run of ``flow``, in ``state`` (default ``Pending``).

        ``flow`` is a ``Flow`` from ``read_flows``, a flow id (a ``UUID`` or its string form),
        or a flow name / any object with a ``.name`` (the flow is registered first if it does
        not exist).  The request carries an
        idempotency key (``idempotency_key`` or a generated one) that stays the same across
        retries, so a retried create never makes a second run.
        """
        from prefect_sdk.schemas import Flow, FlowRun, FlowRunCreate
        from prefect_sdk.states import Pending

        if isinstance(flow, Flow):
            flow_id = flow.id
        elif isinstance(flow, UUID):
            flow_id = flow
        elif isinstance(flow, str) and looks_like_uuid(flow):
            flow_id = UUID(flow)
        else:
            flow_id = (await self.create_flow(flow)).id
        try:
            body = FlowRunCreate(
                flow_id=flow_id,
                name=name,
                parameters=parameters or {},
                context=context or {},
                tags=tags or [],
                parent_task_run_id=parent_task_run_id,
                state=(state or Pending()).to_wire(),
                idempotency_key=idempotency_key or f"prefect-sdk-{uuid4()}",
                work_pool_name=work_pool_name,
                work_queue_name=work_queue_name,
                job_variables=job_variables,
                labels=labels,
            ).model_dump(mode="json", exclude_none=True)
        except ValueError as exc:
            raise ValidationError(f"create_flow_run: {exc}") from exc
        return await self._call("create_flow_run", FlowRun, json=body)

    @operation("GET /flow_runs/{flow_run_id:id}")
    async def read_flow_run(self, flow_run_id: UUID | str | HasId) -> FlowRun:
        """Read one flow run by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import FlowRun

        return await self._call("read_flow_run", FlowRun, flow_run_id=flow_run_id)

    @operation("POST /flow_runs/filter")
    async def read_flow_runs(
        self,
        limit: int | None = None,
        offset: int | None = None,
        sort: FlowRunSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> list[FlowRun]:
        """Read flow runs matching the filters (``limit`` above 200 is read in pages)."""
        from prefect_sdk.filters import FlowRunSort
        from prefect_sdk.schemas import FlowRun

        body = filtered_body(
            sort,
            FlowRunSort,
            **run_filters(
                flow_filter,
                flow_run_filter,
                task_run_filter,
                deployment_filter,
                work_pool_filter,
                work_queue_filter,
            ),
        )
        return await self._call_pages("read_flow_runs", list[FlowRun], body, limit, offset)

    @operation("POST /flow_runs/filter")
    async def iter_flow_runs(
        self,
        sort: FlowRunSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[FlowRun]:
        """Iterate over every matching flow run, fetching ``page_size`` at a time.

        Sort by a stable key (the default, ``ID_DESC``) when runs may be created meanwhile.
        """
        from prefect_sdk.filters import FlowRunSort
        from prefect_sdk.schemas import FlowRun

        body = filtered_body(
            sort or FlowRunSort.ID_DESC,
            FlowRunSort,
            **run_filters(
                flow_filter,
                flow_run_filter,
                task_run_filter,
                deployment_filter,
                work_pool_filter,
                work_queue_filter,
            ),
        )
        async for run in self._call_iter("iter_flow_runs", list[FlowRun], body, page_size):
            yield run

    @operation("POST /flow_runs/{flow_run_id:id}/set_state")
    async def set_flow_run_state(
        self, flow_run_id: UUID | str | HasId, state: State, force: bool = False
    ) -> OrchestrationResult:
        """Propose ``state`` for a flow run; the orchestrator may accept, reject, abort or ask to
        wait (see ``OrchestrationResult.status``). ``force=True`` skips the orchestration rules.
        """
        return await self._call_set_state(
            "set_flow_run_state", "flow_run_id", flow_run_id, state, force
        )

    async def wait_for_flow_run(
        self,
        flow_run_id: UUID | str | HasId,
        *,
        timeout: float | None = 10800,
        poll_interval: float = 5,
        log_states: bool = False,
    ) -> FlowRun:
        """Wait until the flow run reaches a final state (completed, failed, crashed,
        cancelled) and return it, reading it every ``poll_interval`` seconds.

        Raises ``FlowRunWaitTimeout`` (holding the run as last read) when ``timeout`` seconds
        pass first; ``timeout=None`` waits for as long as it takes.  ``log_states=True`` logs
        each new state seen (logger ``prefect_sdk.flow_runs``, level INFO).
        """
        from prefect_sdk.exceptions import FlowRunWaitTimeout

        if timeout is not None and (not isinstance(timeout, int | float) or timeout < 0):
            raise ValidationError(f"timeout must be seconds >= 0 or None, got {timeout!r}")
        if not isinstance(poll_interval, int | float) or poll_interval <= 0:
            raise ValidationError(f"poll_interval must be seconds > 0, got {poll_interval!r}")
        deadline = None if timeout is None else time.monotonic() + timeout
        seen: str | None = None
        while True:
            run = await self.read_flow_run(flow_run_id)
            if log_states and run.state_name != seen:
                seen = run.state_name
                logging.getLogger("prefect_sdk.flow_runs").info("flow run %s is %s", run.id, seen)
            if run.state is not None and run.state.is_final():
                return run
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise FlowRunWaitTimeout(
                    f"flow run {run.id} ({run.name}) is still {run.state_name or 'unknown'} "
                    f"after {timeout} s; wait longer with timeout=, or None for no limit",
                    flow_run=run,
                )
            await async_sleep(poll_interval if remaining is None else min(poll_interval, remaining))

    @operation("DELETE /flow_runs/{flow_run_id:id}")
    async def delete_flow_run(self, flow_run_id: UUID | str | HasId) -> None:
        """Delete a flow run."""
        await self._call("delete_flow_run", flow_run_id=flow_run_id)


__all__ = ["FlowRunAsyncClient"]
