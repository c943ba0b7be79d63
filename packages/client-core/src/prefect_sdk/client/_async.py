"""The async Prefect client: every operation is defined here, once.

``tools/unasync.py`` rewrites this module into ``prefect_sdk.sync._client`` (the blocking
client); a test fails when that file is stale.  So: no ``await`` in docstrings, and the I/O
primitives used here are the ones the rewrite knows (``httpx.AsyncClient``, ``async_sleep``).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, overload
from uuid import UUID, uuid4

import httpx

from prefect_sdk.client._base import (
    SERVER_PAGE_LIMIT,
    BaseClient,
    as_uuid,
    build_filter_body,
    check_limit,
    page_sizes,
    segment,
)
from prefect_sdk.client._io import async_loop_token, async_sleep
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import (
        DeploymentFilter,
        DeploymentSort,
        FlowFilter,
        FlowRunFilter,
        FlowRunSort,
        FlowSort,
        TaskRunFilter,
        WorkPoolFilter,
        WorkQueueFilter,
    )
    from prefect_sdk.schemas import (
        Deployment,
        DeploymentScheduleCreate,
        Flow,
        FlowRun,
        OrchestrationResult,
        Schedule,
        State,
        TaskRun,
        WorkPool,
    )
    from prefect_sdk.settings import Settings

T = TypeVar("T")
_Self = TypeVar("_Self", bound="AsyncAPIClient")


class HasName(Protocol):
    """Anything with a ``name``: a ``prefect.Flow``, a dataclass, our own ``Flow``."""

    @property
    def name(self) -> str: ...


def _sort_value(sort: Any, sort_type: Any, argument: str) -> str | None:
    if sort is None:
        return None
    try:
        value = sort if isinstance(sort, sort_type) else sort_type(str(sort))
    except ValueError as exc:
        raise ValidationError(f"{argument}: {exc}") from exc
    return str(value)


def _looks_like_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


class AsyncAPIClient(BaseClient):
    """The async request path and lifecycle, shared by every async client of the SDK."""

    _kind = "async"

    def __init__(
        self,
        api: str | None = None,
        api_key: str | None = None,
        api_version: str | None = None,
        httpx_settings: dict[str, Any] | None = None,
        *,
        plugins: Sequence[object] = (),
        blocked_plugins: Sequence[str] = (),
        settings: Settings | None = None,
    ) -> None:
        super().__init__(
            api,
            api_key,
            api_version,
            httpx_settings,
            plugins=plugins,
            blocked_plugins=blocked_plugins,
            settings=settings,
        )
        self._http: httpx.AsyncClient | None = None
        self._http_loop: object | None = None
        self._open_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def _ensure_http(self) -> httpx.AsyncClient:
        self._check_open()
        loop = async_loop_token()
        with self._open_lock:
            if self._http is not None and loop is not None and loop is not self._http_loop:
                # The pool's connections belong to another (most likely finished) event loop,
                # e.g. a second asyncio.run(): start a fresh pool for this one.
                self._http = None
            if self._http is None:
                self._http = httpx.AsyncClient(**self._client_kwargs())
                self._http_loop = loop
            return self._http

    async def __aenter__(self: _Self) -> _Self:
        self._ensure_http()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        self._closed = True
        http, self._http = self._http, None
        loop = async_loop_token()
        if http is not None and (loop is None or self._http_loop in (None, loop)):
            await http.aclose()
        # Otherwise the pool belongs to an earlier event loop; its connections ended with it.

    # -- the request path ------------------------------------------------------------------

    @overload
    async def _request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        into: type[T],
        json: Any = None,
        params: dict[str, Any] | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
    ) -> T: ...

    @overload
    async def _request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        into: None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
    ) -> None: ...

    async def _request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        into: Any = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
    ) -> Any:
        http = self._ensure_http()
        call = self._new_call(operation, method, path, retry_safe, retries)
        request = http.build_request(method, path, json=json, params=params)
        started = self._started(call, request)
        response: httpx.Response | None = None
        try:
            while True:
                self._before_attempt(call, request)
                try:
                    response = await http.send(request)
                except httpx.TransportError as exc:
                    delay = self._retry_delay(call, None, exc)
                    if delay is None:
                        raise self._transport_error(call, request, exc) from exc
                    await async_sleep(delay)
                    continue
                delay = self._after_attempt(call, response)
                if delay is None:
                    break
                await async_sleep(delay)
            result = self._result(call, response, into)
        except BaseException as exc:
            self._finished(call, started, response, exc)
            raise
        self._finished(call, started, response, None)
        return result

    async def _read_pages(
        self,
        operation: str,
        path: str,
        body: dict[str, Any],
        into: type[list[T]],
        limit: int | None,
        offset: int | None,
    ) -> list[T]:
        """A filtered read, split into server-sized pages when ``limit`` exceeds the cap."""
        check_limit(limit, offset)
        items: list[T] = []
        for page_offset, page_limit in page_sizes(limit, offset):
            page_body = {**body, "offset": page_offset}
            if page_limit is not None:
                page_body["limit"] = page_limit
            page = await self._request(operation, "POST", path, json=page_body, into=into)
            items.extend(page)
            if page_limit is None or len(page) < page_limit:
                break
        return items

    async def _iterate(
        self, operation: str, path: str, body: dict[str, Any], into: type[list[T]], page_size: int
    ) -> AsyncIterator[T]:
        if not 0 < page_size <= SERVER_PAGE_LIMIT:
            raise ValidationError(f"page_size must be between 1 and {SERVER_PAGE_LIMIT}")
        offset = 0
        while True:
            page = await self._request(
                operation,
                "POST",
                path,
                json={**body, "offset": offset, "limit": page_size},
                into=into,
            )
            for item in page:
                yield item
            if len(page) < page_size:
                return
            offset += page_size


class PrefectClient(AsyncAPIClient):
    """Asynchronous client for the Prefect API.

    Use it as a context manager, or bare (it opens on first use; call ``aclose()`` when done)::

        async with PrefectClient() as client:
            flows = await client.read_flows(limit=10)

    ``api`` defaults to ``PREFECT_API_URL``, ``api_key`` to ``PREFECT_API_KEY`` (environment,
    then the active profile).  ``httpx_settings`` is passed to ``httpx.AsyncClient`` (a
    ``limits`` dict is turned into ``httpx.Limits``).  ``plugins`` are registered for this
    client in addition to the built-in and installed ones; ``blocked_plugins`` names plugins to
    leave out.  ``settings`` (a ``prefect_sdk.settings.Settings``) replaces reading the
    environment and profile; ``api`` and ``api_key`` still override it.

    One client may be shared: by the tasks of one event loop (async), or by many threads
    (sync; the underlying ``httpx.Client`` connection pool is thread-safe).
    """

    # -- server ----------------------------------------------------------------------------

    async def api_healthcheck(self) -> Exception | None:
        """Check that the server answers ``/health``: ``None`` if it does, else the error.

        It answers at once: a health check is never retried.
        """
        try:
            await self._request("api_healthcheck", "GET", "/health", into=bool, retries=False)
        except Exception as exc:
            return exc
        return None

    async def hello(self) -> httpx.Response:
        """Call the server's ``/hello`` route and return the raw response."""
        return await self._request("hello", "GET", "/hello", into=httpx.Response)

    async def read_server_version(self) -> str:
        """The Prefect version of the server (``/admin/version``), e.g. ``"3.8.8"``."""
        return await self._request("read_server_version", "GET", "/admin/version", into=str)

    # -- flows -----------------------------------------------------------------------------

    async def create_flow(self, flow: HasName | str, tags: list[str] | None = None) -> Flow:
        """Register a flow by name (an object with ``.name`` or the name itself).

        Creating a flow whose name exists returns the existing flow, so this is safe to repeat.
        """
        from prefect_sdk.schemas import Flow

        name = flow if isinstance(flow, str) else getattr(flow, "name", None)
        if not isinstance(name, str) or not name:
            raise ValidationError(
                f"flow must be a non-empty flow name or an object with a .name, got {flow!r}"
            )
        body: dict[str, Any] = {"name": name}
        if tags:
            body["tags"] = list(tags)
        return await self._request(
            "create_flow", "POST", "/flows/", json=body, into=Flow, retry_safe=True
        )

    async def read_flow(self, flow_id: UUID | str) -> Flow:
        """Read one flow by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Flow

        fid = as_uuid(flow_id, "flow_id")
        return await self._request("read_flow", "GET", f"/flows/{fid}", into=Flow)

    async def read_flow_by_name(self, flow_name: str) -> Flow:
        """Read one flow by name. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Flow

        if not flow_name:
            raise ValidationError("flow_name must be a non-empty string")
        return await self._request(
            "read_flow_by_name", "GET", f"/flows/name/{segment(flow_name)}", into=Flow
        )

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
    ) -> list[Flow]:
        """Read flows matching the filters, sorted by ``sort`` (default: name ascending).

        ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.filters import FlowSort
        from prefect_sdk.schemas import Flow

        body = self._filtered_body(
            sort,
            FlowSort,
            flows=flow_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            deployments=deployment_filter,
            work_pools=work_pool_filter,
        )
        return await self._read_pages(
            "read_flows", "/flows/filter", body, list[Flow], limit, offset
        )

    async def delete_flow(self, flow_id: UUID | str) -> None:
        """Delete a flow and, with it, its deployments."""
        fid = as_uuid(flow_id, "flow_id")
        await self._request("delete_flow", "DELETE", f"/flows/{fid}")

    # -- flow runs -------------------------------------------------------------------------

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
        elif isinstance(flow, str) and _looks_like_uuid(flow):
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
        return await self._request(
            "create_flow_run", "POST", "/flow_runs/", json=body, into=FlowRun, retry_safe=True
        )

    async def read_flow_run(self, flow_run_id: UUID | str) -> FlowRun:
        """Read one flow run by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import FlowRun

        rid = as_uuid(flow_run_id, "flow_run_id")
        return await self._request("read_flow_run", "GET", f"/flow_runs/{rid}", into=FlowRun)

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

        body = self._filtered_body(
            sort,
            FlowRunSort,
            flows=flow_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            deployments=deployment_filter,
            work_pools=work_pool_filter,
            work_pool_queues=work_queue_filter,
        )
        return await self._read_pages(
            "read_flow_runs", "/flow_runs/filter", body, list[FlowRun], limit, offset
        )

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

        body = self._filtered_body(
            sort or FlowRunSort.ID_DESC,
            FlowRunSort,
            flows=flow_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            deployments=deployment_filter,
            work_pools=work_pool_filter,
            work_pool_queues=work_queue_filter,
        )
        async for run in self._iterate(
            "iter_flow_runs", "/flow_runs/filter", body, list[FlowRun], page_size
        ):
            yield run

    def _filtered_body(self, sort: Any, sort_type: Any, **filters: Any) -> dict[str, Any]:
        """The body of a filtered read: the filters under the server's keys, and the sort."""
        body = build_filter_body(**filters)
        sort_value = _sort_value(sort, sort_type, "sort")
        if sort_value:
            body["sort"] = sort_value
        return body

    async def set_flow_run_state(
        self, flow_run_id: UUID | str, state: State, force: bool = False
    ) -> OrchestrationResult:
        """Propose ``state`` for a flow run; the orchestrator may accept, reject, abort or ask to
        wait (see ``OrchestrationResult.status``). ``force=True`` skips the orchestration rules.
        """
        return await self._set_state("set_flow_run_state", "flow_runs", flow_run_id, state, force)

    async def _set_state(
        self, operation: str, collection: str, run_id: UUID | str, state: State, force: bool
    ) -> OrchestrationResult:
        from prefect_sdk.schemas import OrchestrationResult, State

        rid = as_uuid(run_id, f"{collection[:-1]}_id")
        if not isinstance(state, State):
            raise ValidationError(
                f"state must be a State (e.g. prefect_sdk.states.Completed()), got {state!r}"
            )
        return await self._request(
            operation,
            "POST",
            f"/{collection}/{rid}/set_state",
            json={"state": state.to_wire(), "force": bool(force)},
            into=OrchestrationResult,
        )

    async def delete_flow_run(self, flow_run_id: UUID | str) -> None:
        """Delete a flow run."""
        rid = as_uuid(flow_run_id, "flow_run_id")
        await self._request("delete_flow_run", "DELETE", f"/flow_runs/{rid}")

    # -- task runs -------------------------------------------------------------------------

    async def create_task_run(
        self,
        task: Any,
        flow_run_id: UUID | str | None,
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
            "flow_run_id": str(as_uuid(flow_run_id, "flow_run_id")) if flow_run_id else None,
            "tags": list(tags or []),
            "state": (state or Pending()).to_wire(),
            "task_inputs": task_inputs or {},
        }
        if id is not None:
            body["id"] = str(as_uuid(id, "id"))
        return await self._request(
            "create_task_run",
            "POST",
            "/task_runs/",
            json=body,
            into=TaskRun,
            retry_safe=flow_run_id is not None,
        )

    async def read_task_run(self, task_run_id: UUID | str) -> TaskRun:
        """Read one task run by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import TaskRun

        rid = as_uuid(task_run_id, "task_run_id")
        return await self._request("read_task_run", "GET", f"/task_runs/{rid}", into=TaskRun)

    async def set_task_run_state(
        self, task_run_id: UUID | str, state: State, force: bool = False
    ) -> OrchestrationResult:
        """Propose ``state`` for a task run; see ``set_flow_run_state``."""
        return await self._set_state("set_task_run_state", "task_runs", task_run_id, state, force)

    # -- deployments -----------------------------------------------------------------------

    async def create_deployment(
        self,
        flow_id: UUID | str | Flow,
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
        from prefect_sdk.schemas import Deployment, DeploymentScheduleCreate, Flow

        fid = flow_id.id if isinstance(flow_id, Flow) else as_uuid(flow_id, "flow_id")
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
        return await self._request(
            "create_deployment",
            "POST",
            "/deployments/",
            json=body,
            into=Deployment,
            retry_safe=True,
        )

    async def read_deployment(self, deployment_id: UUID | str) -> Deployment:
        """Read one deployment by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Deployment

        did = as_uuid(deployment_id, "deployment_id")
        return await self._request("read_deployment", "GET", f"/deployments/{did}", into=Deployment)

    async def read_deployment_by_name(self, name: str) -> Deployment:
        """Read one deployment by ``"<flow name>/<deployment name>"``."""
        from prefect_sdk.schemas import Deployment

        flow_name, sep, deployment_name = name.partition("/")
        if not sep or not flow_name or not deployment_name:
            raise ValidationError(
                f"name must be '<flow name>/<deployment name>', e.g. 'etl/nightly', got {name!r}"
            )
        return await self._request(
            "read_deployment_by_name",
            "GET",
            f"/deployments/name/{segment(flow_name)}/{segment(deployment_name)}",
            into=Deployment,
        )

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

        body = self._filtered_body(
            sort,
            DeploymentSort,
            flows=flow_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            deployments=deployment_filter,
            work_pools=work_pool_filter,
            work_pool_queues=work_queue_filter,
        )
        return await self._read_pages(
            "read_deployments", "/deployments/filter", body, list[Deployment], limit, offset
        )

    async def pause_deployment(self, deployment_id: UUID | str) -> None:
        """Pause a deployment's schedules (no new scheduled runs)."""
        did = as_uuid(deployment_id, "deployment_id")
        await self._request(
            "pause_deployment", "POST", f"/deployments/{did}/pause_deployment", retry_safe=True
        )

    async def resume_deployment(self, deployment_id: UUID | str) -> None:
        """Resume a paused deployment's schedules."""
        did = as_uuid(deployment_id, "deployment_id")
        await self._request(
            "resume_deployment", "POST", f"/deployments/{did}/resume_deployment", retry_safe=True
        )

    async def delete_deployment(self, deployment_id: UUID | str) -> None:
        """Delete a deployment."""
        did = as_uuid(deployment_id, "deployment_id")
        await self._request("delete_deployment", "DELETE", f"/deployments/{did}")

    # -- work pools ------------------------------------------------------------------------

    async def create_work_pool(
        self,
        name: str,
        type: str = "process",
        description: str | None = None,
        is_paused: bool = False,
        concurrency_limit: int | None = None,
        base_job_template: dict[str, Any] | None = None,
        *,
        storage_configuration: dict[str, Any] | None = None,
        overwrite: bool = False,
    ) -> WorkPool:
        """Create a work pool. If it exists: ``ObjectAlreadyExists``, or with
        ``overwrite=True`` the existing pool is updated to these values and returned."""
        from prefect_sdk.exceptions import ObjectAlreadyExists
        from prefect_sdk.schemas import WorkPool

        if not name:
            raise ValidationError("name must be a non-empty work pool name")
        if not type:
            raise ValidationError("type must be a worker type such as 'process' or 'kubernetes'")
        if concurrency_limit is not None and concurrency_limit < 0:
            raise ValidationError("concurrency_limit must be >= 0")
        body: dict[str, Any] = {
            "name": name,
            "type": type,
            "is_paused": bool(is_paused),
            "base_job_template": base_job_template or {},
        }
        if description is not None:
            body["description"] = description
        if concurrency_limit is not None:
            body["concurrency_limit"] = concurrency_limit
        if storage_configuration is not None:
            body["storage_configuration"] = storage_configuration
        try:
            return await self._request(
                "create_work_pool", "POST", "/work_pools/", json=body, into=WorkPool
            )
        except ObjectAlreadyExists:
            if not overwrite:
                raise
        update = {k: v for k, v in body.items() if k not in ("name", "type")}
        if not base_job_template:
            update.pop("base_job_template")
        await self._request(
            "update_work_pool", "PATCH", f"/work_pools/{segment(name)}", json=update
        )
        return await self.read_work_pool(name)

    async def read_work_pool(self, work_pool_name: str) -> WorkPool:
        """Read one work pool by name. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import WorkPool

        if not work_pool_name:
            raise ValidationError("work_pool_name must be a non-empty string")
        return await self._request(
            "read_work_pool", "GET", f"/work_pools/{segment(work_pool_name)}", into=WorkPool
        )

    async def read_work_pools(
        self,
        limit: int | None = None,
        offset: int | None = None,
        work_pool_filter: WorkPoolFilter | None = None,
    ) -> list[WorkPool]:
        """Read work pools matching ``work_pool_filter``."""
        from prefect_sdk.schemas import WorkPool

        body = build_filter_body(work_pools=work_pool_filter)
        return await self._read_pages(
            "read_work_pools", "/work_pools/filter", body, list[WorkPool], limit, offset
        )

    async def delete_work_pool(self, work_pool_name: str) -> None:
        """Delete a work pool."""
        if not work_pool_name:
            raise ValidationError("work_pool_name must be a non-empty string")
        await self._request("delete_work_pool", "DELETE", f"/work_pools/{segment(work_pool_name)}")


__all__ = ["AsyncAPIClient", "HasName", "PrefectClient"]
