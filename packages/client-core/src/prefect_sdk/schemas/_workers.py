"""Workers: the processes that poll a work pool and run its flow runs."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar
from uuid import UUID

from pydantic import ConfigDict

from prefect_sdk.filters import WorkerStatus
from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = ["Integration", "Worker", "WorkerMetadata"]


class Worker(ResponseModel):
    """A worker of a work pool, as its heartbeats left it."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    work_pool_id: UUID
    last_heartbeat_time: dt.datetime | None = None
    heartbeat_interval_seconds: int | None = None
    status: WorkerStatus = WorkerStatus.OFFLINE


class Integration(RequestModel):
    """A Prefect integration package a worker has installed (name and version)."""

    name: str
    version: str


class WorkerMetadata(RequestModel):
    """What a worker reports about itself with a heartbeat: its integrations, and any other
    keys the caller adds (they are sent as given)."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="allow")

    integrations: list[Integration]
