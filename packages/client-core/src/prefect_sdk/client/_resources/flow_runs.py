"""Flow runs: ``/flow_runs/...`` (with their inputs, graphs and log download),
``/flow_run_states/...`` and the UI's per-run summaries (``/ui/flow_runs/...``)."""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

import httpx

from prefect_sdk.client._io import async_sleep
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    HasName,
    as_id,
    as_ids,
    build,
    filtered_body,
    first_error,
    looks_like_uuid,
    non_empty,
    non_negative,
    pending_state_wire,
    plain_create_body,
    run_filters,
    tag_list,
)
from prefect_sdk.client._resources.flows import BULK_LIMIT, FlowAsyncClient, bulk_limit
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
    from prefect_sdk.schemas import (
        DependencyResult,
        Flow,
        FlowRun,
        FlowRunInput,
        FlowRunOrchestrationResult,
        FlowRunPolicy,
        Graph,
        HistoryResponse,
        OrchestrationResult,
        SimpleFlowRun,
        State,
    )


class FlowRunAsyncClient(FlowAsyncClient):
    """Operations on flow runs (it builds on the flow operations: a run may name its flow)."""

    @operation("POST /flow_runs/", retry_safe=True, why="always sent with an idempotency key")
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
        labels: Mapping[str, bool | int | float | str] | None = None,
    ) -> FlowRun:
        """Create a run of ``flow``, in ``state`` (default ``Pending``).

        ``flow`` is a ``Flow`` from ``read_flows``, a flow id (a ``UUID`` or its string form),
        or a flow name / any object with a ``.name`` (the flow is registered first if it does
        not exist).  The request carries an
        idempotency key (``idempotency_key`` or a generated one) that stays the same across
        retries, so a retried create never makes a second run.
        """
        # From the modules, not the packages: ``from <package> import`` costs microseconds a call.
        from prefect_sdk.schemas._flow_runs import FlowRun, FlowRunCreate
        from prefect_sdk.schemas._flows import Flow
        from prefect_sdk.schemas._states import State

        if state is not None and not isinstance(state, State):
            raise ValidationError(
                f"state must be a State (e.g. prefect_sdk.states.Scheduled()), got {state!r}"
            )
        if isinstance(flow, Flow):
            flow_id: UUID | None = flow.id
        elif isinstance(flow, UUID):
            flow_id = flow
        elif isinstance(flow, str) and looks_like_uuid(flow):
            flow_id = UUID(flow)
        else:
            flow_id = None  # registered below, once the rest is known to be valid
        fields: dict[str, Any] = {
            "name": name,
            "parameters": parameters or {},
            "context": context or {},
            "tags": tags or [],
            "parent_task_run_id": parent_task_run_id,
            "state": state.to_wire() if state is not None else pending_state_wire(),
            "idempotency_key": idempotency_key or f"prefect-sdk-{uuid4()}",
            "work_pool_name": work_pool_name,
            "work_queue_name": work_queue_name,
            "job_variables": job_variables,
            "labels": dict(labels) if isinstance(labels, Mapping) else labels,
        }
        body = plain_create_body(fields)
        if body is None:  # something for the model to check or convert
            try:
                run = FlowRunCreate(flow_id=flow_id or uuid4(), **fields)
            except ValueError as exc:  # pydantic's ValidationError: all the model raises
                # ``from None``: pydantic's error quotes the input (parameters may hold secrets).
                raise ValidationError(f"create_flow_run: {first_error(exc)}") from None
            body = run.model_dump(mode="json", exclude_none=True)
        if flow_id is None:
            flow_id = (await self.create_flow(flow)).id  # type: ignore[arg-type]
        body = (
            {**body, "flow_id": str(flow_id)}
            if "flow_id" in body
            else {"flow_id": str(flow_id), **body}
        )
        return await self._call("create_flow_run", FlowRun, json=body)

    @operation("GET /flow_runs/{flow_run_id:id}")
    async def read_flow_run(self, flow_run_id: UUID | str | HasId) -> FlowRun:
        """Read one flow run by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas._flow_runs import FlowRun

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
        from prefect_sdk.schemas._flow_runs import FlowRun

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

    @operation("POST /flow_runs/count")
    async def count_flow_runs(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> int:
        """Count the flow runs matching the filters."""
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
        return await self._call("count_flow_runs", int, json=body)

    @operation("POST /flow_runs/paginate")
    def iter_flow_runs(
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
        """Iterate over every matching flow run, one server page (``page_size`` runs) at a time.

        Memory stays flat however many runs match. Sort by a stable key (the default,
        ``ID_DESC``) when runs may be created meanwhile.
        """
        from prefect_sdk.filters import FlowRunSort
        from prefect_sdk.schemas import FlowRunPaginationResponse

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
        return self._call_paginate("iter_flow_runs", FlowRunPaginationResponse, body, page_size)

    @operation("PATCH /flow_runs/{flow_run_id:id}")
    async def update_flow_run(
        self,
        flow_run_id: UUID | str | HasId,
        flow_version: str | None = None,
        parameters: dict[str, Any] | None = None,
        name: str | None = None,
        tags: Iterable[str] | None = None,
        empirical_policy: FlowRunPolicy | dict[str, Any] | None = None,
        infrastructure_pid: str | None = None,
        job_variables: dict[str, Any] | None = None,
    ) -> None:
        """Change the fields given of a flow run (``None`` leaves a field as it is).

        ``tags`` and ``parameters`` replace the run's; ``empirical_policy`` (a
        ``FlowRunPolicy`` or a dict of its fields) replaces the whole retry policy.
        The server changes ``job_variables`` only for a scheduled run of a deployment (it
        answers 400 otherwise, raised as ``PrefectHTTPStatusError``).
        Returns ``None`` (prefect-client returns the ``httpx.Response``); errors raise.
        """
        from prefect_sdk.schemas import FlowRunUpdate

        if name is not None:
            non_empty(name, "name")
        body = build(
            FlowRunUpdate,
            "update_flow_run",
            flow_version=flow_version,
            parameters=parameters,
            name=name,
            tags=tag_list(tags, "tags"),
            empirical_policy=_policy(empirical_policy),
            infrastructure_pid=infrastructure_pid,
            job_variables=job_variables,
        )
        await self._call("update_flow_run", json=body, flow_run_id=flow_run_id)

    @operation("PATCH /flow_runs/{flow_run_id:id}")
    async def set_flow_run_name(self, flow_run_id: UUID | str | HasId, name: str) -> None:
        """Rename a flow run. Returns ``None`` (prefect-client returns the ``httpx.Response``)."""
        body = {"name": non_empty(name, "name")}
        await self._call("set_flow_run_name", json=body, flow_run_id=flow_run_id)

    @operation("PATCH /flow_runs/{flow_run_id:id}/labels")
    async def update_flow_run_labels(
        self, flow_run_id: UUID | str | HasId, labels: Mapping[str, bool | int | float | str]
    ) -> None:
        """Add ``labels`` to a flow run's labels (a key given replaces its value; the others
        stay). Values must be strings, numbers or booleans."""
        await self._call("update_flow_run_labels", json=_labels(labels), flow_run_id=flow_run_id)

    # Retry-safe: the proposal carries a transition id, and the server refuses to make the same
    # transition twice (its PreventDuplicateTransitions rule), answering with the current state.
    @operation(
        "POST /flow_runs/{flow_run_id:id}/set_state",
        retry_safe=True,
        why="the proposal carries a transition id; the server refuses to make it twice",
    )
    async def set_flow_run_state(
        self, flow_run_id: UUID | str | HasId, state: State, force: bool = False
    ) -> OrchestrationResult:
        """Propose ``state`` for a flow run; the orchestrator may accept, reject, abort or ask to
        wait (see ``OrchestrationResult.status``). ``force=True`` skips the orchestration rules.
        """
        return await self._call_set_state(
            "set_flow_run_state", "flow_run_id", flow_run_id, state, force
        )

    @operation(
        "POST /flow_runs/bulk_set_state",
        why="the proposal carries one transition id, which each run refuses to make twice; "
        "retried only for a filter by run ids without force (a repeat of another filter may "
        "match other runs than the first attempt did)",
    )
    async def bulk_set_flow_run_state(
        self,
        flow_run_filter: FlowRunFilter,
        state: State,
        force: bool = False,
        *,
        limit: int = BULK_LIMIT,
    ) -> list[FlowRunOrchestrationResult]:
        """Propose ``state`` for up to ``limit`` (at most 50) flow runs matching
        ``flow_run_filter``; return the orchestrator's answer for each run.

        Each run is orchestrated on its own, as ``set_flow_run_state`` would: some may be
        accepted and others rejected or aborted (see each result's ``status``).
        ``force=True`` skips the orchestration rules. The proposal carries one transition id
        (as ``set_flow_run_state``'s does); it is retried after a lost answer only when the
        filter selects runs by id alone and ``force`` is off: each run then refuses to make the
        transition twice, and such a refusal is returned as the acceptance it was. A repeat of
        any other filter could match runs the first attempt did not, so it is not retried
        once the request may have reached the server.
        """
        from prefect_sdk.schemas import FlowRunBulkSetStateResponse, State

        if flow_run_filter is None:
            raise ValidationError(
                "bulk_set_flow_run_state needs a flow_run_filter (e.g. FlowRunFilter(id=[...])); "
                "changing the state of any run the server picks is not offered"
            )
        if not isinstance(state, State):
            raise ValidationError(
                f"state must be a State (e.g. prefect_sdk.states.Cancelled()), got {state!r}"
            )
        transition_id = uuid4()
        wire = state.to_wire()
        wire["state_details"]["transition_id"] = str(transition_id)
        body: dict[str, Any] = {
            **filtered_body(None, None, flow_runs=flow_run_filter),
            "state": wire,
            "force": bool(force),
            "limit": bulk_limit(limit),
        }
        selected = body.get("flow_runs") or {}
        by_ids = bool(selected.get("id")) and set(selected) <= {"id", "operator"}
        result = await self._call(
            "bulk_set_flow_run_state",
            FlowRunBulkSetStateResponse,
            json=body,
            retry_safe=by_ids and not force,
        )
        return [r.as_accepted_repeat(transition_id, state.type) for r in result.results]

    @operation("GET /flow_run_states/")
    async def read_flow_run_states(self, flow_run_id: UUID | str | HasId) -> list[State]:
        """Every state a flow run has been in, oldest first (``[]`` for an unknown run)."""
        from prefect_sdk.schemas import State

        params = {"flow_run_id": str(as_id(flow_run_id, "flow_run_id"))}
        return await self._call("read_flow_run_states", list[State], params=params)

    @operation("GET /flow_run_states/{flow_run_state_id:id}")
    async def read_flow_run_state(self, flow_run_state_id: UUID | str | HasId) -> State:
        """Read one flow run state by its id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import State

        return await self._call("read_flow_run_state", State, flow_run_state_id=flow_run_state_id)

    # Not retry-safe: a repeat of a resume that worked answers ABORT ("not paused"), which would
    # report a success as a failure.
    @operation(
        "POST /flow_runs/{flow_run_id:id}/resume",
        why="a repeat of a resume that worked is answered 'not paused'",
    )
    async def resume_flow_run(
        self, flow_run_id: UUID | str | HasId, run_input: dict[str, Any] | None = None
    ) -> OrchestrationResult:
        """Resume a paused flow run, with ``run_input`` when the pause waits for input.

        The answer says what happened: ``ACCEPT`` (the run is running again), ``ABORT`` when
        the run is not paused, ``REJECT`` when the input is missing or does not fit the
        schema the pause asked for (``details.reason`` says why). Raises ``ObjectNotFound``
        for an unknown run. Safe to repeat: once resumed, a run is no longer paused, so a
        repeat is aborted and changes nothing.
        """
        from prefect_sdk.exceptions import ObjectNotFound, PrefectHTTPStatusError
        from prefect_sdk.schemas import OrchestrationResult

        if run_input is not None and not isinstance(run_input, dict):
            raise ValidationError(f"run_input must be a dict or None, got {run_input!r}")
        try:
            return await self._call(
                "resume_flow_run",
                OrchestrationResult,
                json={"run_input": run_input},
                flow_run_id=flow_run_id,
            )
        except PrefectHTTPStatusError as exc:
            if exc.status_code != 500:
                raise
            # The server answers 500 for a run that does not exist: find out whether it does.
            try:
                await self.read_flow_run(flow_run_id)
            except ObjectNotFound as missing:
                raise ObjectNotFound(
                    f"resume_flow_run: flow run {as_id(flow_run_id, 'flow_run_id')} not found",
                    missing.response,
                ) from exc
            raise

    @operation("POST /flow_runs/{flow_run_id:id}/input", read_back=True)
    async def create_flow_run_input(
        self, flow_run_id: UUID | str | HasId, key: str, value: str, sender: str | None = None
    ) -> None:
        """Store ``value`` (text, usually JSON) under ``key`` for a flow run.

        ``key`` may hold lowercase letters, digits and dashes only. Raises
        ``ObjectAlreadyExists`` when the key is taken (inputs are written once: delete the
        old one first) and ``ObjectNotFound`` for an unknown run.
        """
        if not isinstance(value, str):
            raise ValidationError(
                f"value must be a str (e.g. json.dumps(...)), got {type(value).__name__}"
            )
        if sender is not None and not isinstance(sender, str):
            raise ValidationError(f"sender must be a str or None, got {sender!r}")
        input_key = _input_key(key)
        body = {"key": input_key, "value": value, "sender": sender}

        async def same_input() -> bool | None:
            stored = await self.read_flow_run_input(flow_run_id, input_key)
            return True if stored == value else None

        await self._call_unique(
            "create_flow_run_input", None, json=body, read=same_input, flow_run_id=flow_run_id
        )

    @operation("GET /flow_runs/{flow_run_id:id}/input/{key}")
    async def read_flow_run_input(self, flow_run_id: UUID | str | HasId, key: str) -> str:
        """The text stored under ``key`` for a flow run. Raises ``ObjectNotFound`` if none."""
        response = await self._call(
            "read_flow_run_input", httpx.Response, flow_run_id=flow_run_id, key=key
        )
        return response.text

    @operation("POST /flow_runs/{flow_run_id:id}/input/filter")
    async def filter_flow_run_input(
        self,
        flow_run_id: UUID | str | HasId,
        key_prefix: str,
        limit: int = 1,
        exclude_keys: Iterable[str] = (),
    ) -> list[FlowRunInput]:
        """Up to ``limit`` inputs of a flow run whose key starts with ``key_prefix`` (``""``
        for any), leaving out ``exclude_keys``. ``limit`` defaults to 1, as on the server."""
        from prefect_sdk.schemas import FlowRunInput

        if not isinstance(key_prefix, str):
            raise ValidationError(f"key_prefix must be a str, got {key_prefix!r}")
        if non_negative(limit, "limit") in (0, None):
            raise ValidationError(f"limit must be an int >= 1, got {limit!r}")
        if isinstance(exclude_keys, str) or not all(isinstance(k, str) for k in exclude_keys):
            raise ValidationError(
                f"exclude_keys must be a collection of key strings, got {exclude_keys!r}"
            )
        body = {"prefix": key_prefix, "limit": limit, "exclude_keys": sorted(set(exclude_keys))}
        return await self._call(
            "filter_flow_run_input", list[FlowRunInput], json=body, flow_run_id=flow_run_id
        )

    @operation("DELETE /flow_runs/{flow_run_id:id}/input/{key}")
    async def delete_flow_run_input(self, flow_run_id: UUID | str | HasId, key: str) -> None:
        """Delete the input stored under ``key``. Raises ``ObjectNotFound`` if there is none."""
        await self._call("delete_flow_run_input", flow_run_id=flow_run_id, key=key)

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

    @operation(
        "POST /flow_runs/bulk_delete", retry_safe=True, why="a deleted run is not matched again"
    )
    async def bulk_delete_flow_runs(
        self, flow_run_filter: FlowRunFilter | None = None, *, limit: int = BULK_LIMIT
    ) -> list[UUID]:
        """Delete up to ``limit`` (at most 50) flow runs matching ``flow_run_filter``; return
        the ids deleted.

        Repeating it is harmless: a run deleted once is not matched again. Call it again while
        it returns ids to delete more than 50.
        """
        from prefect_sdk.schemas import BulkDeleteResponse

        if flow_run_filter is None:
            raise ValidationError(
                "bulk_delete_flow_runs needs a flow_run_filter (e.g. FlowRunFilter(tags=['old'])); "
                "deleting every flow run by accident is not offered"
            )
        body: dict[str, Any] = {
            **filtered_body(None, None, flow_runs=flow_run_filter),
            "limit": bulk_limit(limit),
        }
        result = await self._call("bulk_delete_flow_runs", BulkDeleteResponse, json=body)
        return result.deleted

    @operation("POST /flow_runs/history")
    async def read_flow_run_history(
        self,
        history_start: dt.datetime,
        history_end: dt.datetime,
        history_interval: dt.timedelta | float,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> list[HistoryResponse]:
        """How many matching runs were in each state, interval by interval, from
        ``history_start`` to ``history_end``.

        ``history_interval`` is a ``timedelta`` or seconds (at least 1 second); the server
        returns at most 500 intervals, so a span needing more is refused before sending.
        Naive datetimes are taken as UTC, as the server does.
        """
        from prefect_sdk.schemas import HistoryResponse

        body = {
            **filtered_body(
                None,
                None,
                flows=flow_filter,
                flow_runs=flow_run_filter,
                task_runs=task_run_filter,
                deployments=deployment_filter,
                work_pools=work_pool_filter,
                work_queues=work_queue_filter,
            ),
            **history_window(history_start, history_end, history_interval),
        }
        return await self._call("read_flow_run_history", list[HistoryResponse], json=body)

    @operation("POST /flow_runs/lateness", retry_safe=True, why="a read")
    async def read_flow_run_lateness(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
        work_queue_filter: WorkQueueFilter | None = None,
    ) -> float | None:
        """The average lateness, in seconds, of the matching flow runs (how long after their
        expected start they started, or have been waiting); ``None`` when no run matches."""
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
        return await self._call("read_flow_run_lateness", float | None, json=body)  # type: ignore[arg-type]

    @operation("GET /flow_runs/{flow_run_id:id}/graph")
    async def read_flow_run_graph(self, flow_run_id: UUID | str | HasId) -> list[DependencyResult]:
        """The task runs of a flow run, each with the task runs it consumed results of."""
        from prefect_sdk.schemas import DependencyResult

        return await self._call(
            "read_flow_run_graph", list[DependencyResult], flow_run_id=flow_run_id
        )

    @operation("GET /flow_runs/{flow_run_id:id}/graph-v2")
    async def read_flow_run_graph_v2(
        self, flow_run_id: UUID | str | HasId, since: dt.datetime | None = None
    ) -> Graph:
        """A flow run's graph as the UI draws it: task and subflow run nodes, their links,
        artifacts and the run's states; ``since`` leaves out nodes that ended before it (a
        naive datetime is taken as UTC)."""
        from prefect_sdk.schemas import Graph

        params = None
        if since is not None:
            if not isinstance(since, dt.datetime):
                raise ValidationError(f"since must be a datetime or None, got {since!r}")
            params = {"since": _utc(since).isoformat()}  # the server fails (500) on naive ones
        return await self._call(
            "read_flow_run_graph_v2", Graph, params=params, flow_run_id=flow_run_id
        )

    @operation("GET /flow_runs/{flow_run_id:id}/logs/download")
    async def download_flow_run_logs(self, flow_run_id: UUID | str | HasId) -> str:
        """A flow run's logs as CSV text (header ``timestamp,level,flow_run_id,task_run_id,
        message``, one row per log, oldest first). Raises ``ObjectNotFound`` for an unknown run.
        """
        response = await self._call(
            "download_flow_run_logs", httpx.Response, flow_run_id=flow_run_id
        )
        return response.text

    @operation("POST /ui/flow_runs/history")
    async def read_flow_run_summaries(
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
    ) -> list[SimpleFlowRun]:
        """A short summary of each matching flow run: its state type, when it started (or is
        expected to), how long it ran and how late it was (the UI's run-history chart).

        Sorted by ``sort`` (default: expected start time, newest first). ``limit=None``
        reads the server's default of 1000 runs; ``limit`` above 200 is read in pages.
        """
        from prefect_sdk.filters import FlowRunSort
        from prefect_sdk.schemas import SimpleFlowRun

        body = filtered_body(
            sort,
            FlowRunSort,
            **run_filters(
                flow_filter, flow_run_filter, task_run_filter, deployment_filter, work_pool_filter
            ),
        )
        return await self._call_pages(
            "read_flow_run_summaries", list[SimpleFlowRun], body, limit, offset
        )

    @operation("POST /ui/flow_runs/count-task-runs", retry_safe=True, why="a read")
    async def count_task_runs_by_flow_run(
        self, flow_run_ids: Sequence[UUID | str | HasId]
    ) -> dict[UUID, int]:
        """The number of task runs of each flow run in ``flow_run_ids`` (0 for unknown ids)."""
        body = {"flow_run_ids": [str(i) for i in as_ids(flow_run_ids, "flow_run_ids")]}
        return await self._call("count_task_runs_by_flow_run", dict[UUID, int], json=body)


_INPUT_KEY = re.compile(r"^[a-z0-9-]+$")
_HISTORY_MAX_INTERVALS = 500


def _input_key(key: Any) -> str:
    if not isinstance(key, str) or not _INPUT_KEY.match(key):
        raise ValidationError(
            f"key must be lowercase letters, digits and dashes (e.g. 'approval-1'), got {key!r}"
        )
    return key


def _policy(policy: Any) -> Any:
    """A dict of ``FlowRunPolicy`` fields must only name fields the policy has."""
    if isinstance(policy, dict):
        from prefect_sdk.schemas import FlowRunPolicy

        unknown = sorted(set(policy) - set(FlowRunPolicy.model_fields))
        if unknown:
            raise ValidationError(
                f"empirical_policy: unknown field(s) {', '.join(unknown)}; FlowRunPolicy has "
                f"{', '.join(FlowRunPolicy.model_fields)}"
            )
    return policy


def _labels(labels: Any) -> dict[str, Any]:
    # The server stores any JSON, but a run with a nested label value can no longer be read.
    if not isinstance(labels, dict):
        raise ValidationError(f"labels must be a dict, got {type(labels).__name__}")
    for key, value in labels.items():
        if not isinstance(key, str) or not key:
            raise ValidationError(f"labels: every key must be a non-empty string, got {key!r}")
        if not isinstance(value, bool | int | float | str):
            raise ValidationError(
                f"labels[{key!r}] must be a string, number or boolean, got {value!r}"
            )
    return dict(labels)


def history_window(start: Any, end: Any, interval: Any) -> dict[str, Any]:
    """The ``history_start``/``history_end``/``history_interval_seconds`` of a history body."""
    for value, argument in ((start, "history_start"), (end, "history_end")):
        if not isinstance(value, dt.datetime):
            raise ValidationError(f"{argument} must be a datetime, got {value!r}")
    if isinstance(interval, dt.timedelta):
        seconds = interval.total_seconds()
    elif isinstance(interval, int | float) and not isinstance(interval, bool):
        seconds = float(interval)
    else:
        raise ValidationError(f"history_interval must be a timedelta or seconds, got {interval!r}")
    if seconds < 1:
        raise ValidationError(f"history_interval must be at least 1 second, got {seconds} s")
    start_utc, end_utc = _utc(start), _utc(end)
    if end_utc <= start_utc:
        raise ValidationError(
            f"history_end ({end.isoformat()}) must be after history_start ({start.isoformat()})"
        )
    intervals = math.ceil((end_utc - start_utc).total_seconds() / seconds)
    if intervals > _HISTORY_MAX_INTERVALS:
        raise ValidationError(
            f"that history needs {intervals} intervals; the server returns at most "
            f"{_HISTORY_MAX_INTERVALS}: use a longer history_interval or a shorter span"
        )
    return {
        "history_start": start_utc.isoformat(),
        "history_end": end_utc.isoformat(),
        "history_interval_seconds": seconds,
    }


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


__all__ = ["FlowRunAsyncClient", "history_window"]
