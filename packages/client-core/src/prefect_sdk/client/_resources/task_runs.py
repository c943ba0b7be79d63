"""Task runs: ``/task_runs/...``, ``/task_run_states/...`` and task workers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import HasId, as_id
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.schemas import OrchestrationResult, State, TaskRun


class TaskRunAsyncClient(AsyncAPIClient):
    """Operations on task runs."""

    @operation("POST /task_runs/")
    async def create_task_run(
        self,
        task: Any,
        flow_run_id: UUID | str | HasId | None,
        dynamic_key: str,
        name: str | None = None,
        tags: list[str] | None = None,
        state: State | None = None,
        task_inputs: dict[str, list[dict[str, Any]]] | None = None,
        id: UUID | None = None,
    ) -> TaskRun:
        """Create a run of ``task`` (a task key string, or an object with ``.task_key`` /
        ``.name``) inside ``flow_run_id``, in ``state`` (default ``Pending``).

        The server deduplicates task runs by (flow run, task key, dynamic key), so a retried
        create returns the run the first attempt made.
        """
        from prefect_sdk.schemas import TaskRun
        from prefect_sdk.states import Pending

        task_key = task if isinstance(task, str) else getattr(task, "task_key", None)
        task_key = task_key or getattr(task, "name", None)
        if not isinstance(task_key, str) or not task_key:
            raise ValidationError(
                f"task must be a task key string or an object with .task_key/.name, got {task!r}"
            )
        if not isinstance(dynamic_key, str) or not dynamic_key:
            raise ValidationError("dynamic_key must be a non-empty string, e.g. '0'")
        body: dict[str, Any] = {
            "name": name or getattr(task, "name", None) or task_key,
            "task_key": task_key,
            "dynamic_key": dynamic_key,
            "flow_run_id": str(as_id(flow_run_id, "flow_run_id")) if flow_run_id else None,
            "tags": list(tags or []),
            "state": (state or Pending()).to_wire(),
            "task_inputs": task_inputs or {},
        }
        if id is not None:
            body["id"] = str(as_id(id, "id"))
        return await self._call(
            "create_task_run", TaskRun, json=body, retry_safe=flow_run_id is not None
        )

    @operation("GET /task_runs/{task_run_id:id}")
    async def read_task_run(self, task_run_id: UUID | str | HasId) -> TaskRun:
        """Read one task run by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import TaskRun

        return await self._call("read_task_run", TaskRun, task_run_id=task_run_id)

    @operation("POST /task_runs/{task_run_id:id}/set_state")
    async def set_task_run_state(
        self, task_run_id: UUID | str | HasId, state: State, force: bool = False
    ) -> OrchestrationResult:
        """Propose ``state`` for a task run; see ``set_flow_run_state``."""
        return await self._call_set_state(
            "set_task_run_state", "task_run_id", task_run_id, state, force
        )


__all__ = ["TaskRunAsyncClient"]
