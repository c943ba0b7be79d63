"""Work queues."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from prefect_sdk.schemas._base import ResponseModel

__all__ = ["WorkQueue"]


class WorkQueue(ResponseModel):
    """A queue inside a work pool."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    description: str | None = None
    is_paused: bool = False
    concurrency_limit: int | None = None
    priority: int = 1
    work_pool_id: UUID | None = None
    last_polled: dt.datetime | None = None
    work_pool_name: str | None = None
    status: str | None = None
