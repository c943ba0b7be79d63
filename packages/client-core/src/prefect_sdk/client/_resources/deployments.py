"""Deployments: ``/deployments/...``, their schedules and the runs made from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    as_id,
    as_ids,
    build,
    dump,
    filtered_body,
    looks_like_uuid,
    non_negative,
    run_filters,
    tag_list,
)
from prefect_sdk.client._resources.flow_runs import FlowRunAsyncClient
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
    from prefect_sdk.schemas import (
        ConcurrencyOptions,
        Deployment,
        DeploymentFlowRunCreate,
        DeploymentSchedule,
        DeploymentScheduleCreate,
        DeploymentUpdate,
        FlowRun,
        FlowRunCreateResult,
        Schedule,
        State,
        VersionInfo,
        WorkQueue,
    )

BULK_DELETE_LIMIT = 50
"""The most deployments one ``bulk_delete`` request may delete (the server answers 422 above)."""

BULK_CREATE_LIMIT = 100
"""The most runs one bulk create from a deployment may ask for (the server answers 400 above)."""

# Fields of the server's DeploymentUpdate that take no null: ``None`` there means "unchanged".
_NOT_NULLABLE_ON_UPDATE = ("paused", "tags", "schedules")

# prefect-client 3.8.8's create_deployment takes these; the 3.8.8 server has no such field.
_NOT_ON_THIS_SERVER = ("branch", "base", "root")

_ANY_PARAMETERS: dict[str, Any] = {"type": "object", "properties": {}}


class DeploymentAsyncClient(FlowRunAsyncClient):
    """Operations on deployments (and ``run_deployment``, which waits with the flow run
    operations of the composed client)."""

    @operation("POST /deployments/", retry_safe=True, why="the server upserts by flow and name")
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
        schedules: Sequence[DeploymentScheduleCreate | Schedule | tuple[Schedule, bool]]
        | None = None,
        description: str | None = None,
        paused: bool | None = None,
        concurrency_limit: int | None = None,
        concurrency_options: ConcurrencyOptions | dict[str, Any] | None = None,
        version_info: VersionInfo | dict[str, Any] | None = None,
        entrypoint: str | None = None,
        path: str | None = None,
        job_variables: dict[str, Any] | None = None,
        parameter_openapi_schema: dict[str, Any] | None = None,
        enforce_parameter_schema: bool | None = None,
        pull_steps: list[dict[str, Any]] | None = None,
        labels: Mapping[str, bool | int | float | str] | None = None,
        storage_document_id: UUID | str | None = None,
        infrastructure_document_id: UUID | str | None = None,
        global_concurrency_limit_id: UUID | str | None = None,
        branch: str | None = None,
        base: UUID | str | None = None,
        root: UUID | str | None = None,
    ) -> Deployment:
        """Create (or update: the server upserts by flow and name) a deployment.

        ``schedule`` is one ``CronSchedule`` / ``IntervalSchedule`` / ``RRuleSchedule``;
        ``schedules`` a list of schedules, ``(schedule, active)`` pairs or
        ``DeploymentScheduleCreate``.  ``branch``, ``base`` and ``root`` are accepted for
        prefect-client compatibility but must stay ``None``: deployment branches are not
        part of the open-source server's API.
        """
        from prefect_sdk.schemas import Deployment, DeploymentCreate

        fid = as_id(flow_id, "flow_id")
        if not isinstance(name, str) or not name:
            raise ValidationError("name must be a non-empty deployment name")
        unsupported = {"branch": branch, "base": base, "root": root}
        for argument in _NOT_ON_THIS_SERVER:
            if unsupported[argument] is not None:
                raise ValidationError(
                    f"create_deployment: {argument}={unsupported[argument]!r} cannot be sent: "
                    f"the server's DeploymentCreate has no {argument!r} field (deployment "
                    f"branches are not part of the open-source server's API); leave "
                    f"{argument}=None"
                )
        tags = tag_list(tags, "tags")
        if schedule is not None and schedules is not None:
            raise ValidationError("pass schedule= (one) or schedules= (a list), not both")
        given = [schedule] if schedule is not None else schedules
        wire_schedules = _schedule_creates(given or [], "schedules", "create_deployment")
        body = build(
            DeploymentCreate,
            "create_deployment",
            flow_id=fid,
            name=name,
            schedules=[],
            parameters=parameters or {},
            tags=list(tags or []),
            job_variables=job_variables or {},
            version=version,
            version_info=version_info,
            work_pool_name=work_pool_name,
            work_queue_name=work_queue_name,
            description=description,
            paused=paused,
            concurrency_limit=concurrency_limit,
            concurrency_options=concurrency_options,
            entrypoint=entrypoint,
            path=path,
            # Without one, the schema that accepts any parameters (newer servers' default):
            # 3.0 and 3.2 servers store none, and then refuse every run of the deployment
            # while they enforce the schema (409, "parameter schema enforcement is enabled").
            parameter_openapi_schema=(
                _ANY_PARAMETERS if parameter_openapi_schema is None else parameter_openapi_schema
            ),
            enforce_parameter_schema=enforce_parameter_schema,
            pull_steps=pull_steps,
            labels=labels,
            storage_document_id=storage_document_id,
            infrastructure_document_id=infrastructure_document_id,
            global_concurrency_limit_id=global_concurrency_limit_id,
        )
        body["schedules"] = wire_schedules
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

        flow_name, deployment_name = _split_name(name, "name")
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

    @operation("POST /deployments/paginate")
    def iter_deployments(
        self,
        sort: DeploymentSort | str | None = None,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[Deployment]:
        """Iterate over every matching deployment, one server page at a time.

        Each request reads ``page_size`` rows, so memory stays flat however many match.
        """
        from prefect_sdk.filters import DeploymentSort
        from prefect_sdk.schemas import DeploymentPaginationResponse

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
        return self._call_paginate(
            "iter_deployments", DeploymentPaginationResponse, body, page_size
        )

    @operation("POST /deployments/count")
    async def count_deployments(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> int:
        """Count the deployments matching the filters."""
        body = filtered_body(
            None,
            None,
            **run_filters(
                flow_filter,
                flow_run_filter,
                task_run_filter,
                deployment_filter,
                work_pool_filter,
                work_queue_filter,
            ),
        )
        return await self._call("count_deployments", int, json=body)

    @operation("PATCH /deployments/{deployment_id:id}")
    async def update_deployment(
        self,
        deployment_id: UUID | str | HasId,
        deployment: DeploymentUpdate | dict[str, Any],
    ) -> None:
        """Change the fields of a deployment that ``deployment`` sets; the others stay.

        ``deployment`` is a ``DeploymentUpdate`` or a dict of its fields.  ``schedules`` given
        here replace the deployment's schedules (matched by ``slug`` when every schedule has
        one).
        """
        from prefect_sdk.schemas import DeploymentUpdate

        body = dump(deployment, "deployment", DeploymentUpdate)
        for key in _NOT_NULLABLE_ON_UPDATE:
            if key in body and body[key] is None:
                del body[key]
        await self._call("update_deployment", json=body, deployment_id=deployment_id)

    @operation("DELETE /deployments/{deployment_id:id}")
    async def delete_deployment(self, deployment_id: UUID | str | HasId) -> None:
        """Delete a deployment."""
        await self._call("delete_deployment", deployment_id=deployment_id)

    @operation(
        "POST /deployments/bulk_delete",
        retry_safe=True,
        why="a deleted deployment is not matched again",
    )
    async def bulk_delete_deployments(
        self,
        deployment_filter: DeploymentFilter | None = None,
        *,
        limit: int = BULK_DELETE_LIMIT,
    ) -> list[UUID]:
        """Delete the deployments matching ``deployment_filter``; return the ids deleted.

        At most ``limit`` (1 to 50, the server's cap) go per call.  Repeating it is harmless: a
        deployment deleted once is not matched again.
        """
        from prefect_sdk.schemas import BulkDeleteResponse

        if deployment_filter is None:
            raise ValidationError(
                "bulk_delete_deployments needs a deployment_filter (e.g. "
                "DeploymentFilter(tags=['old'])); deleting every deployment by accident is "
                "not offered"
            )
        if non_negative(limit, "limit") == 0 or limit > BULK_DELETE_LIMIT:
            raise ValidationError(
                f"limit must be between 1 and {BULK_DELETE_LIMIT} (the server's cap for one "
                f"bulk delete), got {limit!r}"
            )
        body: dict[str, Any] = {
            **filtered_body(None, None, deployments=deployment_filter),
            "limit": limit,
        }
        result = await self._call("bulk_delete_deployments", BulkDeleteResponse, json=body)
        return result.deleted

    @operation(
        "POST /deployments/{deployment_id:id}/pause_deployment",
        retry_safe=True,
        why="setting the same flag twice changes nothing",
    )
    async def pause_deployment(self, deployment_id: UUID | str | HasId) -> None:
        """Pause a deployment's schedules: no new scheduled runs.

        The server also deletes the runs its scheduler made that have not started yet.
        """
        await self._call("pause_deployment", deployment_id=deployment_id)

    @operation(
        "POST /deployments/{deployment_id:id}/resume_deployment",
        retry_safe=True,
        why="setting the same flag twice changes nothing",
    )
    async def resume_deployment(self, deployment_id: UUID | str | HasId) -> None:
        """Resume a paused deployment's schedules."""
        await self._call("resume_deployment", deployment_id=deployment_id)

    @operation(
        "POST /deployments/{deployment_id:id}/pause_deployment",
        retry_safe=True,
        why="setting the same flag twice changes nothing",
        variants={"resume": "POST /deployments/{deployment_id:id}/resume_deployment"},
    )
    async def set_deployment_paused_state(
        self, deployment_id: UUID | str | HasId, paused: bool
    ) -> None:
        """Pause (``paused=True``) or resume (``paused=False``) a deployment's schedules."""
        if not isinstance(paused, bool):
            raise ValidationError(f"paused must be True or False, got {paused!r}")
        await self._call(
            "set_deployment_paused_state",
            variant=None if paused else "resume",
            deployment_id=deployment_id,
        )

    @operation(
        "POST /deployments/{deployment_id:id}/schedule",
        retry_safe=True,
        why="the server does not schedule the same time twice",
    )
    async def schedule_deployment(
        self,
        deployment_id: UUID | str | HasId,
        *,
        start_time: dt.datetime | None = None,
        end_time: dt.datetime | None = None,
        min_time: dt.timedelta | float | None = None,
        min_runs: int | None = None,
        max_runs: int | None = None,
    ) -> None:
        """Create the scheduled runs of a deployment's active schedules now.

        The server does what its scheduler would (a start time in the past backfills).  Runs
        start on or after ``start_time`` (default now), at most ``max_runs`` of them, none
        after ``end_time``, at least ``min_runs``, and until at least ``start_time +
        min_time`` (a ``timedelta`` or seconds); what is not given takes the server's
        scheduler settings.  Only active schedules make runs; a paused deployment gets them
        too (pausing stops the scheduler, not this).  Repeating it is harmless: a run already
        scheduled for a time is not created again.
        """
        body: dict[str, Any] = {}
        if start_time is not None:
            body["start_time"] = _timestamp(start_time, "start_time")
        if end_time is not None:
            body["end_time"] = _timestamp(end_time, "end_time")
        if (
            start_time is not None
            and end_time is not None
            and body["end_time"] < body["start_time"]
        ):
            raise ValidationError(
                f"end_time ({body['end_time']}) is before start_time ({body['start_time']})"
            )
        if min_time is not None:
            body["min_time"] = _seconds(min_time, "min_time")
        for argument, value in (("min_runs", min_runs), ("max_runs", max_runs)):
            if value is not None:
                body[argument] = non_negative(value, argument)
        await self._call("schedule_deployment", json=body, deployment_id=deployment_id)

    @operation("GET /deployments/{deployment_id:id}/schedules")
    async def read_deployment_schedules(
        self, deployment_id: UUID | str | HasId
    ) -> list[DeploymentSchedule]:
        """Read the schedules of a deployment."""
        from prefect_sdk.schemas import DeploymentSchedule

        return await self._call(
            "read_deployment_schedules", list[DeploymentSchedule], deployment_id=deployment_id
        )

    @operation(
        "POST /deployments/{deployment_id:id}/schedules",
        why="schedules have no unique key: a repeat after a lost answer would add them twice",
    )
    async def create_deployment_schedules(
        self,
        deployment_id: UUID | str | HasId,
        schedules: Sequence[
            tuple[Schedule, bool] | DeploymentScheduleCreate | Schedule | dict[str, Any]
        ],
        max_scheduled_runs: int | None = None,
        parameters: dict[str, Any] | None = None,
        slug: str | None = None,
    ) -> list[DeploymentSchedule]:
        """Add schedules to a deployment; return them as created.

        Each item is a ``(schedule, active)`` pair, a bare schedule (active), or a
        ``DeploymentScheduleCreate``.  ``max_scheduled_runs``, ``parameters`` and ``slug``
        apply to the pairs and bare schedules (``slug`` only when there is one schedule: slugs
        are unique within a deployment).
        """
        from prefect_sdk.schemas import DeploymentSchedule

        body = _schedule_creates(
            schedules,
            "schedules",
            "create_deployment_schedules",
            max_scheduled_runs=max_scheduled_runs,
            parameters=parameters,
            slug=slug,
        )
        return await self._call(
            "create_deployment_schedules",
            list[DeploymentSchedule],
            json=body,
            deployment_id=deployment_id,
        )

    @operation("PATCH /deployments/{deployment_id:id}/schedules/{schedule_id:id}")
    async def update_deployment_schedule(
        self,
        deployment_id: UUID | str | HasId,
        schedule_id: UUID | str | HasId,
        active: bool | None = None,
        schedule: Schedule | None = None,
        max_scheduled_runs: int | None = None,
        parameters: dict[str, Any] | None = None,
        slug: str | None = None,
    ) -> None:
        """Change one schedule of a deployment: the arguments given; the others stay.

        The server then deletes the future runs its scheduler made for the deployment, to be
        made again from the new schedule.
        """
        from prefect_sdk.schemas import DeploymentScheduleUpdate

        body = build(
            DeploymentScheduleUpdate,
            "update_deployment_schedule",
            active=active,
            schedule=schedule,
            max_scheduled_runs=max_scheduled_runs,
            parameters=parameters,
            slug=slug,
        )
        await self._call(
            "update_deployment_schedule",
            json=body,
            deployment_id=deployment_id,
            schedule_id=schedule_id,
        )

    @operation("DELETE /deployments/{deployment_id:id}/schedules/{schedule_id:id}")
    async def delete_deployment_schedule(
        self, deployment_id: UUID | str | HasId, schedule_id: UUID | str | HasId
    ) -> None:
        """Delete one schedule of a deployment."""
        await self._call(
            "delete_deployment_schedule", deployment_id=deployment_id, schedule_id=schedule_id
        )

    @operation(
        "POST /deployments/get_scheduled_flow_runs",
        retry_safe=True,
        why="a read (it also marks the deployments ready)",
    )
    async def get_scheduled_flow_runs_for_deployments(
        self,
        deployment_ids: Sequence[UUID | str | HasId],
        scheduled_before: dt.datetime | None = None,
        limit: int | None = None,
    ) -> list[FlowRun]:
        """Read the ``Scheduled`` runs of the deployments in ``deployment_ids``, soonest first.

        With ``scheduled_before`` (a naive datetime is read as UTC) only those due by then.
        This is how a runner polls for work: the server also marks the deployments ready.
        """
        from prefect_sdk.schemas import FlowRun

        body: dict[str, Any] = {
            "deployment_ids": [str(i) for i in as_ids(deployment_ids, "deployment_ids")]
        }
        if scheduled_before is not None:
            body["scheduled_before"] = _timestamp(scheduled_before, "scheduled_before")
        if limit is not None:
            if non_negative(limit, "limit") == 0 or limit > SERVER_PAGE_LIMIT:
                raise ValidationError(
                    f"limit must be between 1 and {SERVER_PAGE_LIMIT} or None, got {limit!r}"
                )
            body["limit"] = limit
        return await self._call("get_scheduled_flow_runs_for_deployments", list[FlowRun], json=body)

    @operation(
        "POST /deployments/{deployment_id:id}/create_flow_run",
        retry_safe=True,
        why="always sent with an idempotency key",
    )
    async def create_flow_run_from_deployment(
        self,
        deployment_id: UUID | str | HasId,
        *,
        parameters: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        state: State | None = None,
        name: str | None = None,
        tags: Iterable[str] | None = None,
        idempotency_key: str | None = None,
        parent_task_run_id: UUID | str | HasId | None = None,
        work_queue_name: str | None = None,
        job_variables: dict[str, Any] | None = None,
        labels: Mapping[str, bool | int | float | str] | None = None,
    ) -> FlowRun:
        """Create a run of a deployment; return it.

        ``parameters`` are merged over the deployment's, ``tags`` added to its tags; without
        ``state`` the run is ``Scheduled`` for now (a worker picks it up).  The request carries
        an idempotency key (``idempotency_key`` or a generated one) that stays the same across
        retries: the server answers a repeated key with the run it already made.
        """
        from prefect_sdk.schemas import FlowRun

        body = _flow_run_create(
            "create_flow_run_from_deployment",
            parameters=parameters,
            context=context,
            state=state,
            name=name,
            tags=tags,
            idempotency_key=idempotency_key or _new_idempotency_key(),
            parent_task_run_id=parent_task_run_id,
            work_queue_name=work_queue_name,
            job_variables=job_variables,
            labels=labels,
        )
        return await self._call(
            "create_flow_run_from_deployment", FlowRun, json=body, deployment_id=deployment_id
        )

    @operation(
        "POST /deployments/{deployment_id:id}/create_flow_run/bulk",
        retry_safe=True,
        why="every run is sent with an idempotency key",
    )
    async def create_flow_runs_from_deployment(
        self,
        deployment_id: UUID | str | HasId,
        flow_runs: Sequence[DeploymentFlowRunCreate | dict[str, Any]],
    ) -> list[FlowRunCreateResult]:
        """Create up to 100 runs of a deployment in one request; return one result per run.

        The results come in the order asked: ``status`` ``"CREATED"`` with the
        ``flow_run_id``, or ``"FAILED"`` with the server's ``error``.  Each item is a
        ``DeploymentFlowRunCreate`` (or a dict of its fields).  Items without an
        ``idempotency_key`` get a generated one, so a retried request makes no second run.
        """
        from prefect_sdk.schemas import DeploymentFlowRunCreate, FlowRunBulkCreateResponse

        if isinstance(flow_runs, dict) or not isinstance(flow_runs, Sequence):
            raise ValidationError(
                "flow_runs must be a list of DeploymentFlowRunCreate (or dicts of its fields), "
                f"got {flow_runs!r}"
            )
        if len(flow_runs) > BULK_CREATE_LIMIT:
            raise ValidationError(
                f"flow_runs holds {len(flow_runs)} runs; the server creates at most "
                f"{BULK_CREATE_LIMIT} per request, so send them in batches"
            )
        body = []
        for index, item in enumerate(flow_runs):
            wire = dump(item, f"flow_runs[{index}]", DeploymentFlowRunCreate)
            wire = {k: v for k, v in wire.items() if v is not None}
            wire.setdefault("idempotency_key", _new_idempotency_key())
            body.append(wire)
        result = await self._call(
            "create_flow_runs_from_deployment",
            FlowRunBulkCreateResponse,
            json=body,
            deployment_id=deployment_id,
        )
        return result.results

    @operation("GET /deployments/{deployment_id:id}/work_queue_check")
    async def read_deployment_work_queue_check(
        self, deployment_id: UUID | str | HasId
    ) -> list[WorkQueue]:
        """Read the work queues that would pick up the deployment's runs.

        The server marks this route deprecated: work queues no longer filter by deployment.
        """
        from prefect_sdk.schemas import WorkQueue

        return await self._call(
            "read_deployment_work_queue_check", list[WorkQueue], deployment_id=deployment_id
        )

    async def run_deployment(
        self,
        name_or_id: str | UUID | HasId,
        *,
        parameters: dict[str, Any] | None = None,
        scheduled_time: dt.datetime | None = None,
        flow_run_name: str | None = None,
        timeout: float | None = None,
        poll_interval: float | None = 5,
        tags: Iterable[str] | None = None,
        idempotency_key: str | None = None,
        work_queue_name: str | None = None,
        as_subflow: bool | None = True,
        job_variables: dict[str, Any] | None = None,
        labels: Mapping[str, bool | int | float | str] | None = None,
    ) -> FlowRun:
        """Create a run of a deployment and wait for it to finish; return the run.

        ``name_or_id`` is ``"<flow name>/<deployment name>"``, a deployment id or a
        ``Deployment``.  The run is scheduled for ``scheduled_time`` (timezone-aware; default
        now) and a worker must pick it up.  ``timeout=0`` returns the new run at once;
        otherwise the run is read every ``poll_interval`` seconds until it reaches a final
        state, or until ``timeout`` seconds pass (``None``: no limit), and returned as it then
        stands -- a timeout is not an error.  ``as_subflow`` is accepted for Prefect
        compatibility and has no effect: outside a running flow there is no parent to link to.
        """
        from prefect_sdk.exceptions import FlowRunWaitTimeout
        from prefect_sdk.states import Scheduled

        if timeout is not None and (
            not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout < 0
        ):
            raise ValidationError(f"timeout must be seconds >= 0 or None, got {timeout!r}")
        interval = 5 if poll_interval is None else poll_interval
        if not isinstance(interval, int | float) or isinstance(interval, bool) or interval <= 0:
            raise ValidationError(f"poll_interval must be seconds > 0, got {poll_interval!r}")
        if scheduled_time is not None and not isinstance(scheduled_time, dt.datetime):
            raise ValidationError(
                f"scheduled_time must be a datetime (timezone-aware), got {scheduled_time!r}"
            )
        state = Scheduled(scheduled_time or dt.datetime.now(dt.timezone.utc))
        deployment_id = await self._deployment_id(name_or_id)
        run = await self.create_flow_run_from_deployment(
            deployment_id,
            parameters=parameters,
            state=state,
            name=flow_run_name,
            tags=tags,
            idempotency_key=idempotency_key,
            work_queue_name=work_queue_name,
            job_variables=job_variables,
            labels=labels,
        )
        if timeout == 0:
            return run
        try:
            return await self.wait_for_flow_run(run.id, timeout=timeout, poll_interval=interval)
        except FlowRunWaitTimeout as exc:
            last: FlowRun = exc.flow_run if exc.flow_run is not None else run
            return last

    async def _deployment_id(self, name_or_id: Any) -> UUID:
        """The id of the deployment ``name_or_id`` names (reading it by name if need be)."""
        if isinstance(name_or_id, UUID):
            return name_or_id
        if isinstance(name_or_id, str):
            if looks_like_uuid(name_or_id):
                return UUID(name_or_id)
            _split_name(name_or_id, "name_or_id")
            return (await self.read_deployment_by_name(name_or_id)).id
        if isinstance(getattr(name_or_id, "id", None), UUID):
            return as_id(name_or_id, "name_or_id")
        raise ValidationError(
            "name_or_id must be '<flow name>/<deployment name>', a deployment id or a "
            f"Deployment, got {name_or_id!r}"
        )


def _split_name(name: Any, argument: str) -> tuple[str, str]:
    flow_name, sep, deployment_name = name.partition("/") if isinstance(name, str) else ("", "", "")
    if not sep or not flow_name or not deployment_name:
        raise ValidationError(
            f"{argument} must be '<flow name>/<deployment name>', e.g. 'etl/nightly', got {name!r}"
        )
    return flow_name, deployment_name


def _new_idempotency_key() -> str:
    return f"prefect-sdk-{uuid4()}"


def _timestamp(value: Any, argument: str) -> str:
    """A datetime as the ISO 8601 text the server takes; a naive one is taken as UTC."""
    if not isinstance(value, dt.datetime):
        raise ValidationError(
            f"{argument} must be a datetime (e.g. datetime.now(timezone.utc)), got {value!r}"
        )
    when: dt.datetime = value
    if when.tzinfo is None or when.utcoffset() is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).isoformat()


def _seconds(value: Any, argument: str) -> float:
    """A duration (``timedelta`` or seconds) as the seconds the server takes."""
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        raise ValidationError(
            f"{argument} must be a timedelta or seconds, e.g. timedelta(days=1), got {value!r}"
        )
    if seconds < 0:
        raise ValidationError(f"{argument} must not be negative, got {value!r}")
    return seconds


def _schedule_creates(
    items: Any,
    argument: str,
    operation: str,
    *,
    max_scheduled_runs: int | None = None,
    parameters: dict[str, Any] | None = None,
    slug: str | None = None,
) -> list[dict[str, Any]]:
    """Schedules in the forms users pass, as the server's ``DeploymentScheduleCreate`` list."""
    from pydantic import ValidationError as PydanticError

    from prefect_sdk.schemas import (
        CronSchedule,
        DeploymentScheduleCreate,
        IntervalSchedule,
        RRuleSchedule,
    )

    kinds = (CronSchedule, IntervalSchedule, RRuleSchedule)
    if isinstance(items, (str, dict, *kinds)) or not isinstance(items, Sequence):
        raise ValidationError(
            f"{argument} must be a list of schedules, (schedule, active) pairs or "
            f"DeploymentScheduleCreate, got {items!r}"
        )
    built = [not isinstance(item, DeploymentScheduleCreate | dict) for item in items]
    if slug is not None and sum(built) > 1:
        raise ValidationError(
            f"{operation}: slug={slug!r} would name {sum(built)} schedules; slugs are unique "
            "within a deployment, so give each a DeploymentScheduleCreate(slug=...)"
        )
    extras: dict[str, Any] = {
        k: v
        for k, v in (
            ("max_scheduled_runs", max_scheduled_runs),
            ("parameters", parameters),
            ("slug", slug),
        )
        if v is not None
    }
    wire = []
    for index, item in enumerate(items):
        where = f"{argument}[{index}]"
        try:
            if isinstance(item, DeploymentScheduleCreate):
                value = item
            elif isinstance(item, dict):
                value = DeploymentScheduleCreate.model_validate(item)
            elif isinstance(item, tuple):
                if len(item) != 2 or not isinstance(item[1], bool):
                    raise ValidationError(
                        f"{operation}: {where} must be a (schedule, active) pair, got {item!r}"
                    )
                value = DeploymentScheduleCreate(schedule=item[0], active=item[1], **extras)
            elif isinstance(item, kinds):
                value = DeploymentScheduleCreate(schedule=item, **extras)
            else:
                raise ValidationError(
                    f"{operation}: {where} must be a CronSchedule, IntervalSchedule, "
                    f"RRuleSchedule, (schedule, active) pair or DeploymentScheduleCreate, "
                    f"got {item!r}"
                )
        except PydanticError as exc:
            error = exc.errors()[0]
            field = ".".join(str(p) for p in error["loc"]) or "value"
            raise ValidationError(f"{operation}: {where}: {field}: {error['msg']}") from None
        body = value.model_dump(mode="json", exclude_none=True)
        if not body.get("parameters"):
            # No parameter overrides is the server's default; a 3.0 server does not know the
            # field at all.
            body.pop("parameters", None)
        wire.append(body)
    return wire


def _flow_run_create(operation: str, **fields: Any) -> dict[str, Any]:
    """The body of one run created from a deployment (``DeploymentFlowRunCreate``)."""
    from prefect_sdk.schemas import DeploymentFlowRunCreate, State

    state = fields.get("state")
    if state is not None and not isinstance(state, State):
        raise ValidationError(
            f"state must be a State (e.g. prefect_sdk.states.Scheduled(...)), got {state!r}"
        )
    tags = fields.get("tags")
    if tags is not None:
        fields["tags"] = tag_list(tags, "tags")
    if fields.get("parent_task_run_id") is not None:
        fields["parent_task_run_id"] = as_id(fields["parent_task_run_id"], "parent_task_run_id")
    if fields.get("name") is not None and not isinstance(fields["name"], str):
        raise ValidationError(f"name must be a string, got {fields['name']!r}")
    return build(DeploymentFlowRunCreate, operation, **fields)


__all__ = ["DeploymentAsyncClient"]
