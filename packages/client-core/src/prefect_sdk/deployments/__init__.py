"""Helpers around deployments, with Prefect's signatures (``prefect.deployments``).

``client=`` is a ``PrefectClient``; without one a client is made from the environment
(``PREFECT_API_URL``) for the call.  On the blocking client call the method of the same name
(``SyncPrefectClient.run_deployment``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._params import HasId
    from prefect_sdk.schemas import FlowRun

__all__ = ["run_deployment"]


async def run_deployment(
    name: str | UUID | HasId,
    client: PrefectClient | None = None,
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
) -> FlowRun:
    """Create a run of the deployment ``name`` (``"<flow name>/<deployment name>"`` or its
    id) and wait for it to reach a final state; return the run.

    ``timeout=0`` returns the new run at once; after ``timeout`` seconds (``None``: no limit)
    the run is returned as it stands, without an error.  ``as_subflow`` has no effect outside
    a running flow.  See ``PrefectClient.run_deployment``.
    """
    if client is None:
        from prefect_sdk.client import get_client

        async with get_client() as own:
            return await run_deployment(
                name,
                own,
                parameters,
                scheduled_time,
                flow_run_name,
                timeout,
                poll_interval,
                tags,
                idempotency_key,
                work_queue_name,
                as_subflow,
                job_variables,
            )
    return await client.run_deployment(
        name,
        parameters=parameters,
        scheduled_time=scheduled_time,
        flow_run_name=flow_run_name,
        timeout=timeout,
        poll_interval=poll_interval,
        tags=tags,
        idempotency_key=idempotency_key,
        work_queue_name=work_queue_name,
        as_subflow=as_subflow,
        job_variables=job_variables,
    )
