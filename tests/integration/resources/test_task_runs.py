"""Operations on task runs against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.schemas import (
    SetStateStatus,
    StateType,
    TaskRun,
)
from prefect_sdk.states import Completed, Running

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_task_runs(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("tasks"))
    run = await client.create_flow_run(flow)
    await client.set_flow_run_state(run.id, Running())  # tasks only run inside running flows
    task_run = await client.create_task_run("my-task", run.id, "0", tags=["t"])
    assert isinstance(task_run, TaskRun)
    assert task_run.flow_run_id == run.id and task_run.task_key == "my-task"
    # Deduplicated by (flow run, task key, dynamic key): a retried create is harmless.
    again = await client.create_task_run("my-task", run.id, "0")
    assert again.id == task_run.id
    result = await client.set_task_run_state(task_run.id, Running())
    assert result.status == SetStateStatus.ACCEPT
    assert result.details.task_run_id == task_run.id
    await client.set_task_run_state(task_run.id, Completed())
    read = await client.read_task_run(task_run.id)
    assert read.state_type == StateType.COMPLETED
