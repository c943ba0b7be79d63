"""Workers: heartbeats and listings under ``/work_pools/{name}/workers/...``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import SERVER_PAGE_LIMIT, build_filter_body, dump, non_empty
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import WorkerFilter
    from prefect_sdk.schemas import Worker, WorkerMetadata


class WorkerAsyncClient(AsyncAPIClient):
    """Operations on workers."""

    # Recording a heartbeat twice is what a worker does anyway.
    @operation(
        "POST /work_pools/{work_pool_name}/workers/heartbeat",
        retry_safe=True,
        why="a repeated heartbeat only refreshes the worker's last-seen time",
    )
    async def send_worker_heartbeat(
        self,
        work_pool_name: str,
        worker_name: str,
        heartbeat_interval_seconds: float | None = None,
        get_worker_id: bool = False,
        worker_metadata: WorkerMetadata | dict[str, Any] | None = None,
    ) -> UUID | None:
        """Record that the worker ``worker_name`` of a work pool is alive (registering it on
        its first heartbeat); the pool turns ``READY`` while a worker is online.

        ``heartbeat_interval_seconds`` (whole seconds) tells the server how often to expect
        the next one.  With ``get_worker_id=True`` the worker's id is returned: from the
        heartbeat's answer where the server gives it (Prefect Cloud), else (an open-source
        server answers with no body) by reading the pool's workers; ``None`` if it is not
        found.  ``worker_metadata`` is sent along (the open-source server ignores it).
        """
        import httpx

        from prefect_sdk.schemas import WorkerMetadata

        body: dict[str, Any] = {
            "name": non_empty(worker_name, "worker_name"),
            "heartbeat_interval_seconds": _interval(heartbeat_interval_seconds),
        }
        if worker_metadata:
            body["metadata"] = dump(worker_metadata, "worker_metadata", WorkerMetadata)
        if get_worker_id:
            body["return_id"] = True
        response = await self._call(
            "send_worker_heartbeat", httpx.Response, json=body, work_pool_name=work_pool_name
        )
        if not get_worker_id:
            return None
        answered = _worker_id(response.text) if response.status_code == 200 else None
        if answered is not None:
            return answered
        found = None
        # Read to the end (not returning from inside the loop): an async generator left
        # unfinished is only closed by the garbage collector, which trio warns about.
        async for worker in self.iter_workers_for_work_pool(work_pool_name):
            if found is None and worker.name == worker_name:
                found = worker.id
        return found

    @operation("POST /work_pools/{work_pool_name}/workers/filter")
    async def read_workers_for_work_pool(
        self,
        work_pool_name: str,
        worker_filter: WorkerFilter | None = None,
        offset: int | None = None,
        limit: int | None = None,
    ) -> list[Worker]:
        """Read the workers of a work pool matching ``worker_filter``, the most recent
        heartbeat first.

        ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.schemas import Worker

        body = build_filter_body(workers=worker_filter)
        return await self._call_pages(
            "read_workers_for_work_pool",
            list[Worker],
            body,
            limit,
            offset,
            work_pool_name=work_pool_name,
        )

    @operation("POST /work_pools/{work_pool_name}/workers/filter")
    def iter_workers_for_work_pool(
        self,
        work_pool_name: str,
        worker_filter: WorkerFilter | None = None,
        *,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[Worker]:
        """Iterate over every matching worker of a work pool, ``page_size`` per request.

        Memory stays flat however many workers match.
        """
        from prefect_sdk.schemas import Worker

        body = build_filter_body(workers=worker_filter)
        return self._call_iter(
            "iter_workers_for_work_pool",
            list[Worker],
            body,
            page_size,
            work_pool_name=work_pool_name,
        )

    @operation("DELETE /work_pools/{work_pool_name}/workers/{worker_name}")
    async def delete_worker(self, work_pool_name: str, worker_name: str) -> None:
        """Remove a worker from a work pool's list of workers.

        A worker that keeps sending heartbeats registers itself again.  Names holding a
        ``/`` cannot be addressed in a URL path (the server decodes ``%2F`` before routing).
        """
        if isinstance(worker_name, str) and "/" in worker_name:
            raise ValidationError(
                f"worker_name={worker_name!r}: the server cannot address a worker whose name "
                "holds '/' in a URL path, so it cannot be deleted through the API"
            )
        await self._call("delete_worker", work_pool_name=work_pool_name, worker_name=worker_name)


def _interval(value: Any) -> int | None:
    """Heartbeat seconds as the whole number the server takes (``30.0`` is fine)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(
            f"heartbeat_interval_seconds must be a number of seconds or None, got {value!r}"
        )
    if value < 0 or not float(value).is_integer():
        raise ValidationError(
            f"heartbeat_interval_seconds must be whole seconds >= 0 (the server takes an "
            f"int), got {value!r}"
        )
    return int(value)


def _worker_id(text: str) -> UUID | None:
    """The worker id in a heartbeat's answer (plain or as a JSON string), if there is one."""
    try:
        return UUID(text.strip().strip('"'))
    except ValueError:
        return None


__all__ = ["WorkerAsyncClient"]
