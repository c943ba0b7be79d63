"""Deployments: ``/deployments/...``, their schedules and the runs made from them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import HasId, as_id, filtered_body, run_filters
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import (
        DeploymentFilter,
        DeploymentSort,
        FlowFilter,
        FlowRunFilter,
        TaskRunFilter,
        WorkPoolFilter,
        WorkQueueFilter,
    )
    from prefect_sdk.schemas import Deployment, DeploymentScheduleCreate, Schedule


class DeploymentAsyncClient(AsyncAPIClient):
    """Operations on deployments."""

    @operation("POST /deployments/", retry_safe=True)  # the server upserts by flow and name
    async def create_deployment(
        self,
        flow_id: UUID | str | HasId,
        name: str,
        version: str | None = None,
        schedule: Schedule | None = None,
        parameters: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        work_pool_name: str | None = None,
        work_queue_name: str | None = None,
        *,
        schedules: Sequence[DeploymentScheduleCreate | Schedule] | None = None,
        description: str | None = None,
        paused: bool | None = None,
        concurrency_limit: int | None = None,
        entrypoint: str | None = None,
        path: str | None = None,
        job_variables: dict[str, Any] | None = None,
        parameter_openapi_schema: dict[str, Any] | None = None,
        enforce_parameter_schema: bool | None = None,
        pull_steps: list[dict[str, Any]] | None = None,
        labels: dict[str, Any] | None = None,
    ) -> Deployment:
        """Create (or update: the server upserts by flow and name) a deployment.

        ``schedule`` is one ``CronSchedule`` / ``IntervalSchedule`` / ``RRuleSchedule``;
        ``schedules`` the server's list form (schedules or ``DeploymentScheduleCreate``).
        """
        from prefect_sdk.schemas import Deployment, DeploymentScheduleCreate

        fid = as_id(flow_id, "flow_id")
        if not name:
            raise ValidationError("name must be a non-empty deployment name")
        if schedule is not None and schedules is not None:
            raise ValidationError("pass schedule= (one) or schedules= (a list), not both")
        given = [schedule] if schedule is not None else list(schedules or [])
        try:
            wire_schedules = [
                (
                    s
                    if isinstance(s, DeploymentScheduleCreate)
                    else DeploymentScheduleCreate(schedule=s)
                ).model_dump(mode="json", exclude_none=True)
                for s in given
            ]
        except ValueError as exc:
            raise ValidationError(f"create_deployment: invalid schedule: {exc}") from exc
        if concurrency_limit is not None and concurrency_limit < 0:
            raise ValidationError("concurrency_limit must be >= 0")
        body: dict[str, Any] = {
            "flow_id": str(fid),
            "name": name,
            "schedules": wire_schedules,
            "parameters": parameters or {},
            "tags": list(tags or []),
            "job_variables": job_variables or {},
        }
        optional = {
            "version": version,
            "work_pool_name": work_pool_name,
            "work_queue_name": work_queue_name,
            "description": description,
            "paused": paused,
            "concurrency_limit": concurrency_limit,
            "entrypoint": entrypoint,
            "path": path,
            "parameter_openapi_schema": parameter_openapi_schema,
            "enforce_parameter_schema": enforce_parameter_schema,
            "pull_steps": pull_steps,
            "labels": labels,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return await self._call("create_deployment", Deployment, json=body)

    @operation("GET /deployments/{deployment_id:id}")
    async def read_deployment(self, deployment_id: UUID | str | HasId) -> Deployment:
        """Read one deployment by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Deployment

        return await self._call("read_deployment", Deployment, deployment_id=deployment_id)

    @operation("GET /deployments/name/{flow_name}/{deployment_name}")
    async def read_deployment_by_name(self, name: str) -> Deployment:
        """Read one deployment by ``"<flow name>/<deployment name>"``."""
        from prefect_sdk.schemas import Deployment

        flow_name, sep, deployment_name = (
            name.partition("/") if isinstance(name, str) else ("", "", "")
        )
        if not sep or not flow_name or not deployment_name:
            raise ValidationError(
                f"name must be '<flow name>/<deployment name>', e.g. 'etl/nightly', got {name!r}"
            )
        return await self._call(
            "read_deployment_by_name",
            Deployment,
            flow_name=flow_name,
            deployment_name=deployment_name,
        )

    @operation("POST /deployments/filter")
    async def read_deployments(
        self,
        limit: int | None = None,
        offset: int | None = None,
        sort: DeploymentSort | str | None = None,
        flow_filter: FlowFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        *,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> list[Deployment]:
        """Read deployments matching the filters (``limit`` above 200 is read in pages)."""
        from prefect_sdk.filters import DeploymentSort
        from prefect_sdk.schemas import Deployment

        body = filtered_body(
            sort,
            DeploymentSort,
            **run_filters(
                flow_filter,
                flow_run_filter,
                task_run_filter,
                deployment_filter,
                work_pool_filter,
                work_queue_filter,
            ),
        )
        return await self._call_pages("read_deployments", list[Deployment], body, limit, offset)

    @operation("POST /deployments/{deployment_id:id}/pause_deployment", retry_safe=True)
    async def pause_deployment(self, deployment_id: UUID | str | HasId) -> None:
        """Pause a deployment's schedules (no new scheduled runs)."""
        await self._call("pause_deployment", deployment_id=deployment_id)

    @operation("POST /deployments/{deployment_id:id}/resume_deployment", retry_safe=True)
    async def resume_deployment(self, deployment_id: UUID | str | HasId) -> None:
        """Resume a paused deployment's schedules."""
        await self._call("resume_deployment", deployment_id=deployment_id)

    @operation("DELETE /deployments/{deployment_id:id}")
    async def delete_deployment(self, deployment_id: UUID | str | HasId) -> None:
        """Delete a deployment."""
        await self._call("delete_deployment", deployment_id=deployment_id)


__all__ = ["DeploymentAsyncClient"]
