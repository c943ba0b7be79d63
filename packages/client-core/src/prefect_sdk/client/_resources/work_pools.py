"""Work pools: ``/work_pools/...`` (their queues and workers have modules of their own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import build_filter_body, dump
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import WorkPoolFilter
    from prefect_sdk.schemas import WorkPool, WorkPoolCreate, WorkPoolUpdate


class WorkPoolAsyncClient(AsyncAPIClient):
    """Operations on work pools."""

    @operation("POST /work_pools/")
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
            if not name:
                raise ValidationError("name must be a non-empty work pool name")
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
        try:
            return await self._call("create_work_pool", WorkPool, json=body)
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


__all__ = ["WorkPoolAsyncClient"]
