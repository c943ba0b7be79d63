"""Logs of flow and task runs."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = ["Log", "LogCreate"]


class Log(ResponseModel):
    """One stored log line of a flow run or task run."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    level: int
    message: str
    timestamp: dt.datetime
    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None


class LogCreate(RequestModel):
    """One log line to send with ``create_logs``: the logger ``name``, the numeric ``level``
    (``logging.INFO`` is 20), the ``message``, when it was logged and the run it belongs to.

    ``worker_id`` is accepted for prefect-client compatibility; it is only sent when set (a
    Prefect 3.8.8 server refuses the field).
    """

    name: str
    level: int
    message: str
    timestamp: dt.datetime
    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None
    worker_id: UUID | None = None
