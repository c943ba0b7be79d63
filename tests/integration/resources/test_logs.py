"""Logs against the real server, through both clients: create, filter, sort, page, iterate."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import (
    LogFilter,
    LogFilterLevel,
    LogFilterTimestamp,
    LogSort,
)
from prefect_sdk.schemas import Log, LogCreate

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_logs_of_a_run_filtered_sorted_and_paged(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("logging-flow"))
    run = await client.create_flow_run(flow)
    task_run = await client.create_task_run("logging-task", run.id, "0")
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    lines: list[LogCreate | dict[str, Any]] = [
        LogCreate(
            name="prefect.flow_runs",
            level=logging.ERROR if i % 2 else logging.INFO,
            message=f"line {i}",
            timestamp=start + dt.timedelta(seconds=i),
            flow_run_id=run.id,
        )
        for i in range(5)
    ]
    lines.append(
        {
            "name": "prefect.task_runs",
            "level": logging.DEBUG,
            "message": "line 5",
            "timestamp": (start + dt.timedelta(seconds=5)).isoformat(),
            "flow_run_id": str(run.id),
            "task_run_id": str(task_run.id),
        }
    )
    assert await client.create_logs(line for line in lines) is None

    of_run = LogFilter(flow_run_id=[run.id])
    logs = await client.read_logs(of_run)
    assert all(isinstance(log, Log) and log.flow_run_id == run.id for log in logs)
    assert [log.message for log in logs] == [f"line {i}" for i in range(6)]
    assert [log.timestamp for log in logs] == [start + dt.timedelta(seconds=i) for i in range(6)]
    assert logs[5].task_run_id == task_run.id and logs[5].level == logging.DEBUG

    newest_first = await client.read_logs(of_run, sort=LogSort.TIMESTAMP_DESC)
    assert [log.id for log in newest_first] == [log.id for log in reversed(logs)]
    page = await client.read_logs(of_run, limit=2, offset=1, sort="TIMESTAMP_ASC")
    assert [log.id for log in page] == [log.id for log in logs[1:3]]

    errors = await client.read_logs(
        LogFilter(flow_run_id=[run.id], level=LogFilterLevel(ge_=logging.ERROR))
    )
    assert [log.message for log in errors] == ["line 1", "line 3"]
    # (LogFilter(text=...) is not tested: a Prefect 3.8.8 server on SQLite answers it with 500.)
    of_task = await client.read_logs(LogFilter(task_run_id=[task_run.id]))
    assert [log.message for log in of_task] == ["line 5"]
    later = await client.read_logs(
        LogFilter(
            flow_run_id=[run.id],
            timestamp=LogFilterTimestamp(after_=start + dt.timedelta(seconds=4)),
        )
    )
    assert [log.message for log in later] == ["line 4", "line 5"]

    walked = [log async for log in client.iter_logs(of_run, page_size=4)]
    assert [log.id for log in walked] == [log.id for log in logs]
    backwards = [log async for log in client.iter_logs(of_run, LogSort.TIMESTAMP_DESC, page_size=5)]
    assert [log.id for log in backwards] == [log.id for log in reversed(logs)]

    # A bad line is refused before anything is sent: the run still has its six lines.
    with pytest.raises(ValidationError, match=r"logs\[1\]\.level"):
        await client.create_logs([lines[0], {**lines[5], "level": "loud"}])
    assert len(await client.read_logs(of_run)) == 6
