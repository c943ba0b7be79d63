"""Helpers around flow runs, with Prefect's signatures (``prefect.flow_runs``).

``client=`` is a ``PrefectClient``; without one a client is made from the environment
(``PREFECT_API_URL``) for the call.  On the blocking client call the method of the same name
(``SyncPrefectClient.wait_for_flow_run``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._params import HasId
    from prefect_sdk.schemas import FlowRun

__all__ = ["wait_for_flow_run"]


async def wait_for_flow_run(
    flow_run_id: UUID | str | HasId,
    timeout: float | None = 10800,
    poll_interval: float | None = None,
    client: PrefectClient | None = None,
    log_states: bool = False,
) -> FlowRun:
    """Wait for a flow run to reach a final state and return it (``FlowRunWaitTimeout`` after
    ``timeout`` seconds).  ``poll_interval`` defaults to 5 seconds; ``log_states=True`` logs
    each state the run is seen in (logger ``prefect_sdk.flow_runs``)."""
    if client is None:
        from prefect_sdk.client import get_client

        async with get_client() as own:
            return await wait_for_flow_run(flow_run_id, timeout, poll_interval, own, log_states)
    return await client.wait_for_flow_run(
        flow_run_id,
        timeout=timeout,
        poll_interval=5 if poll_interval is None else poll_interval,
        log_states=log_states,
    )
