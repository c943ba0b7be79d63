"""Task runs: ``/task_runs/...``, ``/task_run_states/...``, ``/ui/task_runs/...`` and task
workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    HasName,
    HasTaskKey,
    as_id,
    build,
    build_filter_body,
    dump,
    filtered_body,
    non_empty,
    non_negative,
    tag_list,
)
from prefect_sdk.client._resources.flow_runs import history_window
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import (
        DeploymentFilter,
        FlowFilter,
        FlowRunFilter,
        TaskRunFilter,
        TaskRunSort,
        TaskWorkerFilter,
        WorkPoolFilter,
        WorkQueueFilter,
    )
    from prefect_sdk.schemas import (
        CountByState,
        HistoryResponse,
        OrchestrationResult,
        State,
        TaskRun,
        TaskRunCount,
        TaskRunInput,
        TaskRunPaginationResponse,
        TaskRunUpdate,
        TaskWorkerResponse,
        UITaskRun,
    )


class TaskRunAsyncClient(AsyncAPIClient):
    """Operations on task runs, their states and the task workers serving them."""

    @operation(
        "POST /task_runs/",
        why="without a flow run there is nothing to deduplicate on, so a repeat would make a "
        "second task run; with flow_run_id it is retried (the server answers with the run it "
        "has for that flow run, task key and dynamic key)",
    )
    async def create_task_run(
        self,
        task: str | HasTaskKey | HasName,
        flow_run_id: UUID | str | HasId | None,
        dynamic_key: str,
        id: UUID | str | None = None,
        name: str | None = None,
        extra_tags: Iterable[str] | None = None,
        state: State | None = None,
        task_inputs: Mapping[str, Sequence[TaskRunInput]] | None = None,
        *,
        tags: Iterable[str] | None = None,
    ) -> TaskRun:
        """Create a run of ``task`` inside ``flow_run_id``, in ``state`` (default ``Pending``).

        ``task`` is a task key string, or an object with ``.task_key`` / ``.name`` (a Prefect
        task); the run's tags are the object's ``.tags`` plus ``extra_tags`` and ``tags``
        (one list under two names: ``extra_tags`` is prefect-client's).  ``task_inputs``
        maps each argument name to where its value came from (``TaskRunResult``,
        ``FlowRunResult``, ``Parameter``, ``Constant`` or their dicts).

        The server deduplicates task runs by (flow run, task key, dynamic key): creating one
        that exists returns the existing run, so a retried create is harmless.
        """
        from prefect_sdk.schemas import State, TaskRun, TaskRunCreate
        from prefect_sdk.states import Pending

        task_key = task if isinstance(task, str) else getattr(task, "task_key", None)
        task_key = task_key or getattr(task, "name", None)
        if not isinstance(task_key, str) or not task_key:
            raise ValidationError(
                f"task must be a task key string or an object with .task_key/.name, got {task!r}"
            )
        if not isinstance(dynamic_key, str) or not dynamic_key:
            raise ValidationError(
                f"dynamic_key must be a non-empty string, e.g. '0', got {dynamic_key!r}"
            )
        if state is not None and not isinstance(state, State):
            raise ValidationError(
                f"state must be a State (e.g. prefect_sdk.states.Pending()), got {state!r}"
            )
        all_tags = [
            *(tag_list(getattr(task, "tags", None), "task.tags") or []),
            *(tag_list(extra_tags, "extra_tags") or []),
            *(tag_list(tags, "tags") or []),
        ]
        task_name = None if isinstance(task, str) else getattr(task, "name", None)
        body = build(
            TaskRunCreate,
            "create_task_run",
            id=as_id(id, "id") if id is not None else None,
            name=name or (task_name if isinstance(task_name, str) else None) or task_key,
            flow_run_id=as_id(flow_run_id, "flow_run_id") if flow_run_id else None,
            task_key=task_key,
            dynamic_key=dynamic_key,
            tags=list(dict.fromkeys(all_tags)),
            state=(state or Pending()).to_wire(),
            task_inputs=task_inputs or {},
        )
        return await self._call(
            "create_task_run", TaskRun, json=body, retry_safe=flow_run_id is not None
        )

    @operation("GET /task_runs/{task_run_id:id}")
    async def read_task_run(self, task_run_id: UUID | str | HasId) -> TaskRun:
        """Read one task run by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import TaskRun

        return await self._call("read_task_run", TaskRun, task_run_id=task_run_id)

    @operation("POST /task_runs/filter")
    async def read_task_runs(
        self,
        limit: int | None = None,
        offset: int | None = None,
        sort: TaskRunSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> list[TaskRun]:
        """Read task runs matching the filters (``limit`` above 200 is read in pages).

        ``sort`` defaults to the server's, newest id first (``TaskRunSort.ID_DESC``).
        """
        from prefect_sdk.filters import TaskRunSort
        from prefect_sdk.schemas import TaskRun

        body = filtered_body(
            sort,
            TaskRunSort,
            **_filters(flow_filter, flow_run_filter, task_run_filter, deployment_filter),
        )
        return await self._call_pages("read_task_runs", list[TaskRun], body, limit, offset)

    @operation("POST /task_runs/count")
    async def count_task_runs(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> int:
        """Count the task runs matching the filters."""
        body = build_filter_body(
            **_filters(flow_filter, flow_run_filter, task_run_filter, deployment_filter)
        )
        return await self._call("count_task_runs", int, json=body)

    @operation("POST /task_runs/filter")
    def iter_task_runs(
        self,
        sort: TaskRunSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[TaskRun]:
        """Iterate over every matching task run, fetching ``page_size`` at a time.

        Memory stays flat however many runs match.  Sort by a stable key (the default,
        ``ID_DESC``) when runs may be created meanwhile.  The runs are read like
        ``read_task_runs`` (complete ``TaskRun`` objects), not through the server's
        ``/task_runs/paginate``, whose rows leave fields out (see ``paginate_task_runs``).
        """
        from prefect_sdk.filters import TaskRunSort
        from prefect_sdk.schemas import TaskRun

        body = filtered_body(
            sort or TaskRunSort.ID_DESC,
            TaskRunSort,
            **_filters(flow_filter, flow_run_filter, task_run_filter, deployment_filter),
        )
        return self._call_iter("iter_task_runs", list[TaskRun], body, page_size)

    @operation("POST /task_runs/paginate")
    async def paginate_task_runs(
        self,
        page: int = 1,
        limit: int | None = None,
        sort: TaskRunSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> TaskRunPaginationResponse:
        """Read one page (1-based, ``limit`` rows, at most 200) of the matching task runs,
        with the total ``count`` and number of ``pages``.

        The server's rows are ``TaskRunResponse``: a task run without ``dynamic_key``, the
        cache fields, ``labels``, run counts and scheduling times (``state`` is complete).
        A page past the last one is empty.  To walk every run, use ``iter_task_runs``.
        """
        from prefect_sdk.filters import TaskRunSort
        from prefect_sdk.schemas import TaskRunPaginationResponse

        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            raise ValidationError(f"page must be an int >= 1 (pages count from 1), got {page!r}")
        non_negative(limit, "limit")
        if limit is not None and not 0 < limit <= SERVER_PAGE_LIMIT:
            raise ValidationError(
                f"limit must be between 1 and {SERVER_PAGE_LIMIT} (the server's page cap) or "
                f"None, got {limit!r}"
            )
        body: dict[str, Any] = {
            **filtered_body(
                sort,
                TaskRunSort,
                **_filters(flow_filter, flow_run_filter, task_run_filter, deployment_filter),
            ),
            "page": page,
        }
        if limit is not None:
            body["limit"] = limit
        return await self._call("paginate_task_runs", TaskRunPaginationResponse, json=body)

    @operation("POST /task_runs/history")
    async def read_task_run_history(
        self,
        history_start: dt.datetime,
        history_end: dt.datetime,
        history_interval: dt.timedelta | float,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> list[HistoryResponse]:
        """How many matching task runs were in each state, per ``history_interval`` (a
        ``timedelta`` or seconds, at least 1 s) from ``history_start`` to ``history_end``.

        Every interval is listed, empty ones with ``states=[]``.  The server returns at most
        500 intervals, so a span needing more is refused before sending (as is an end not
        after the start).  Naive datetimes are taken as UTC, as the server does.
        """
        from prefect_sdk.schemas import HistoryResponse

        body = {
            **build_filter_body(
                **_filters(flow_filter, flow_run_filter, task_run_filter, deployment_filter)
            ),
            **history_window(history_start, history_end, history_interval),
        }
        return await self._call("read_task_run_history", list[HistoryResponse], json=body)

    @operation("PATCH /task_runs/{task_run_id:id}")
    async def update_task_run(
        self,
        task_run_id: UUID | str | HasId,
        task_run: TaskRunUpdate | dict[str, Any] | None = None,
        *,
        name: str | None = None,
    ) -> None:
        """Change a task run: the fields set in ``task_run`` (a ``TaskRunUpdate`` or a dict of
        its fields), or the keyword ``name``.  Only the task run's name can be changed.
        """
        from prefect_sdk.schemas import TaskRunUpdate

        if name is not None:
            non_empty(name, "name")
        if task_run is None:
            body = build(TaskRunUpdate, "update_task_run", name=name)
        else:
            updates = {"name": name} if name is not None else {}
            body = dump(task_run, "task_run", TaskRunUpdate, **updates)
        body = {k: v for k, v in body.items() if v is not None}
        if not body:
            raise ValidationError(
                "update_task_run: nothing to change; pass name= (or a TaskRunUpdate with a name)"
            )
        await self._call("update_task_run", json=body, task_run_id=task_run_id)

    @operation("PATCH /task_runs/{task_run_id:id}")
    async def set_task_run_name(self, task_run_id: UUID | str | HasId, name: str) -> None:
        """Rename a task run (``update_task_run`` with only ``name``)."""
        body = {"name": non_empty(name, "name")}
        await self._call("set_task_run_name", json=body, task_run_id=task_run_id)

    @operation("DELETE /task_runs/{task_run_id:id}")
    async def delete_task_run(self, task_run_id: UUID | str | HasId) -> None:
        """Delete a task run. Raises ``ObjectNotFound`` if there is none."""
        await self._call("delete_task_run", task_run_id=task_run_id)

    @operation(
        "POST /task_runs/{task_run_id:id}/set_state",
        retry_safe=True,
        why="the proposal carries a transition id, but the server has no rule refusing a "
        "repeat for task runs: once it may have reached the server it is never sent again; the "
        "client reads the run instead, and a state carrying that id is the answer (otherwise "
        "the failure is raised)",
    )
    async def set_task_run_state(
        self, task_run_id: UUID | str | HasId, state: State, force: bool = False
    ) -> OrchestrationResult:
        """Propose ``state`` for a task run; see ``set_flow_run_state``."""

        async def current_state() -> State | None:
            return (await self.read_task_run(task_run_id)).state

        return await self._call_set_state(
            "set_task_run_state", "task_run_id", task_run_id, state, force, current_state
        )

    # -- states ---------------------------------------------------------------------------

    @operation("GET /task_run_states/")
    async def read_task_run_states(self, task_run_id: UUID | str | HasId) -> list[State]:
        """Every state a task run has been in, oldest first (``[]`` for an unknown id)."""
        from prefect_sdk.schemas import State

        params = {"task_run_id": str(as_id(task_run_id, "task_run_id"))}
        return await self._call("read_task_run_states", list[State], params=params)

    @operation("GET /task_run_states/{task_run_state_id:id}")
    async def read_task_run_state(self, task_run_state_id: UUID | str | HasId) -> State:
        """Read one task run state by its id (a ``State.id``). Raises ``ObjectNotFound`` if
        there is none."""
        from prefect_sdk.schemas import State

        return await self._call("read_task_run_state", State, task_run_state_id=task_run_state_id)

    # -- the UI's routes ------------------------------------------------------------------

    @operation("GET /ui/task_runs/{task_run_id:id}")
    async def read_task_run_with_flow_run_name(self, task_run_id: UUID | str | HasId) -> UITaskRun:
        """Read one task run together with its flow run's name (``UITaskRun.flow_run_name``),
        as the UI shows it. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import UITaskRun

        return await self._call(
            "read_task_run_with_flow_run_name", UITaskRun, task_run_id=task_run_id
        )

    @operation("POST /ui/task_runs/count", retry_safe=True)
    async def count_task_runs_by_state(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> CountByState:
        """Count the matching task runs per state type: ``CountByState.COMPLETED``, ...
        (also ``counts["FAILED"]`` / ``counts[StateType.FAILED]``)."""
        from prefect_sdk.schemas import CountByState

        body = build_filter_body(
            **_filters(flow_filter, flow_run_filter, task_run_filter, deployment_filter)
        )
        return await self._call("count_task_runs_by_state", CountByState, json=body)

    @operation("POST /ui/task_runs/dashboard/counts", retry_safe=True, why="a read")
    async def read_task_run_dashboard_counts(
        self,
        task_run_filter: TaskRunFilter,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> list[TaskRunCount]:
        """The UI dashboard's task-run chart: completed and failed task runs in 20 equal time
        buckets, oldest first.

        The window is ``task_run_filter.start_time``: ``after_`` is required, ``before_``
        defaults to now, e.g. ``TaskRunFilter(start_time=TaskRunFilterStartTime(after_=
        datetime.now(timezone.utc) - timedelta(hours=1)))``.
        """
        from prefect_sdk.filters import TaskRunFilter
        from prefect_sdk.schemas import TaskRunCount

        start_time = getattr(task_run_filter, "start_time", None)
        if not isinstance(task_run_filter, TaskRunFilter) or (
            getattr(start_time, "after_", None) is None
        ):
            raise ValidationError(
                "task_run_filter must be a TaskRunFilter with start_time.after_ set (the start "
                "of the dashboard's window), e.g. TaskRunFilter(start_time="
                "TaskRunFilterStartTime(after_=datetime.now(timezone.utc) - timedelta(hours=1)))"
            )
        body = build_filter_body(
            task_runs=task_run_filter,
            flows=flow_filter,
            flow_runs=flow_run_filter,
            deployments=deployment_filter,
            work_pools=work_pool_filter,
            work_queues=work_queue_filter,
        )
        return await self._call("read_task_run_dashboard_counts", list[TaskRunCount], json=body)

    # -- task workers ---------------------------------------------------------------------

    @operation("POST /task_workers/filter")
    async def read_task_workers(
        self, task_worker_filter: TaskWorkerFilter | None = None
    ) -> list[TaskWorkerResponse]:
        """The task workers connected to the server (``[]`` when none is), optionally only
        those serving one of ``task_worker_filter.task_keys``."""
        from prefect_sdk.schemas import TaskWorkerResponse

        body = build_filter_body(task_worker_filter=task_worker_filter)
        return await self._call("read_task_workers", list[TaskWorkerResponse], json=body)


def _filters(
    flow_filter: Any, flow_run_filter: Any, task_run_filter: Any, deployment_filter: Any
) -> dict[str, Any]:
    """The filters the task-run reads take, under the server's body keys."""
    if getattr(deployment_filter, "work_pool_name", None):
        # filter_body() would send it as a work_pools filter, which these routes ignore.
        raise ValidationError(
            "deployment_filter.work_pool_name cannot be used here: the server's task-run "
            "routes take no work pool filter (read that pool's deployments first and pass "
            "their ids: DeploymentFilter(id=DeploymentFilterId(any_=[...])))"
        )
    return {
        "flows": flow_filter,
        "flow_runs": flow_run_filter,
        "task_runs": task_run_filter,
        "deployments": deployment_filter,
    }


__all__ = ["TaskRunAsyncClient"]
