"""Calls a user's checker must accept: a user's own narrower containers where ours are read.

Our parameters that only read a container are typed ``Mapping``/``Sequence`` (covariant), so
a user's ``dict[str, str]`` passes for labels, a ``dict[str, list[TaskRunResult]]`` for task
inputs, a ``list[Mapping[str, str]]`` for related resources. (They were ``dict``/``list``
once: both checkers rejected these correct calls.)
"""

from collections.abc import Mapping
from uuid import UUID

from prefect_sdk.client import PrefectClient
from prefect_sdk.schemas import TaskRunResult


async def labels_of_strings(client: PrefectClient, run_id: UUID) -> None:
    labels: dict[str, str] = {"team": "data", "env": "prod"}
    await client.update_flow_run_labels(
        run_id,
        labels,
    )


async def task_inputs_of_results(client: PrefectClient, run_id: UUID, upstream: UUID) -> None:
    inputs: dict[str, list[TaskRunResult]] = {"x": [TaskRunResult(id=upstream)]}
    await client.create_task_run(
        "t",
        run_id,
        "0",
        task_inputs=inputs,
    )


async def related_mappings(client: PrefectClient, related: list[Mapping[str, str]]) -> None:
    resource = {"prefect.resource.id": "my.resource"}
    await client.emit_event(
        "my.event",
        resource,
        related=related,
    )
