"""Concurrency limits: by tag (v1), global (v2), and the slots and leases taken on them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "ConcurrencyLeaseHolder",
    "ConcurrencyLimit",
    "ConcurrencyLimitCreate",
    "ConcurrencyLimitV2Create",
    "ConcurrencyLimitV2Update",
    "ConcurrencyLimitWithLeaseResponse",
    "GlobalConcurrencyLimit",
    "GlobalConcurrencyLimitCreate",
    "GlobalConcurrencyLimitResponse",
    "GlobalConcurrencyLimitUpdate",
    "MinimalConcurrencyLimitResponse",
]

# A global limit's name goes into URL paths: the server refuses these characters in it.
LimitName = Annotated[str, Field(min_length=1, pattern=r"^[^/%&><]+$")]
NonNegativeInt = Annotated[int, Field(ge=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]


# -- v1: limits on task-run tags ------------------------------------------------------------


class ConcurrencyLimit(ResponseModel):
    """A concurrency limit on a tag: at most ``concurrency_limit`` task runs with the tag run
    at once; ``active_slots`` holds the ids of the task runs holding a slot."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    tag: str
    concurrency_limit: int
    active_slots: list[UUID] = Field(default_factory=list)


class ConcurrencyLimitCreate(RequestModel):
    """The body of ``POST /concurrency_limits/`` (it replaces the limit of an existing tag)."""

    tag: Annotated[str, Field(min_length=1)]
    concurrency_limit: NonNegativeInt


# -- v2: global limits -------------------------------------------------------------------


class GlobalConcurrencyLimit(ResponseModel):
    """A global concurrency limit as the server stores it (what creating one returns).

    ``slot_decay_per_second`` > 0 makes it usable as a rate limit: occupied slots free
    themselves at that rate.
    """

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    limit: int
    active: bool = True
    active_slots: int = 0
    slot_decay_per_second: float = 0.0
    denied_slots: int = 0
    avg_slot_occupancy_seconds: float | None = None


class GlobalConcurrencyLimitResponse(ResponseModel):
    """A global concurrency limit as the reads return it (``active_slots`` as of the read,
    decay applied)."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str
    limit: int
    active: bool = True
    active_slots: int
    slot_decay_per_second: float = 0.0


class GlobalConcurrencyLimitCreate(RequestModel):
    """The body of ``POST /v2/concurrency_limits/``.

    ``active=False`` creates a limit that does not limit (slots are granted and not counted).
    """

    name: LimitName
    limit: NonNegativeInt
    active: bool | None = True
    active_slots: NonNegativeInt | None = 0
    denied_slots: NonNegativeInt | None = 0
    slot_decay_per_second: NonNegativeFloat | None = 0.0


class GlobalConcurrencyLimitUpdate(RequestModel):
    """The body of ``PATCH /v2/concurrency_limits/{id_or_name}``: only the fields given change."""

    name: LimitName | None = None
    limit: NonNegativeInt | None = None
    active: bool | None = None
    active_slots: NonNegativeInt | None = None
    denied_slots: NonNegativeInt | None = None
    slot_decay_per_second: NonNegativeFloat | None = None


# -- slots and leases ----------------------------------------------------------------------


class MinimalConcurrencyLimitResponse(ResponseModel):
    """A limit a slot operation took or released slots on."""

    id: UUID
    name: str
    limit: int


class ConcurrencyLimitWithLeaseResponse(ResponseModel):
    """Slots taken under a lease: ``lease_id`` renews or releases them; ``limits`` are the
    limits that exist among the names asked for (names without a limit are not limited)."""

    lease_id: UUID
    limits: list[MinimalConcurrencyLimitResponse] = Field(default_factory=list)


class ConcurrencyLeaseHolder(RequestModel):
    """Who holds a lease: a flow run, a task run or a deployment, recorded with the lease."""

    type: Literal["flow_run", "task_run", "deployment"]
    id: UUID


# prefect-client's other names for the same request bodies.
ConcurrencyLimitV2Create = GlobalConcurrencyLimitCreate
ConcurrencyLimitV2Update = GlobalConcurrencyLimitUpdate
