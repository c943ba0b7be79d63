"""Schedules a deployment can run on: cron, interval and RFC 5545 rrule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field, field_validator

from prefect_sdk.schemas._base import RequestModel

__all__ = [
    "CronSchedule",
    "DeploymentScheduleCreate",
    "DeploymentScheduleUpdate",
    "IntervalSchedule",
    "RRuleSchedule",
    "Schedule",
]


class CronSchedule(RequestModel):
    """Runs at the times a cron expression names, e.g. ``CronSchedule(cron="0 9 * * 1-5")``."""

    cron: str
    timezone: str | None = None
    day_or: bool = True

    @field_validator("cron")
    @classmethod
    def _five_or_six_fields(cls, value: str) -> str:
        if not 5 <= len(value.split()) <= 6:
            raise ValueError(
                f"cron={value!r} must have 5 fields (minute hour day month weekday), "
                "e.g. '0 9 * * 1-5'"
            )
        return value


class IntervalSchedule(RequestModel):
    """Runs every ``interval`` (a ``timedelta`` or seconds), counted from ``anchor_date``.

    Sent as an ISO 8601 duration (``"PT1H"``), the form the server's request schema names.
    """

    interval: dt.timedelta
    anchor_date: dt.datetime | None = None
    timezone: str | None = None

    @field_validator("interval")
    @classmethod
    def _positive(cls, value: dt.timedelta) -> dt.timedelta:
        if value <= dt.timedelta(0):
            raise ValueError("interval must be positive, e.g. timedelta(hours=1)")
        return value


class RRuleSchedule(RequestModel):
    """Runs on an RFC 5545 recurrence rule, e.g. ``RRuleSchedule(rrule="FREQ=DAILY")``."""

    rrule: str
    timezone: str | None = "UTC"


Schedule = CronSchedule | IntervalSchedule | RRuleSchedule


class DeploymentScheduleCreate(RequestModel):
    """One schedule of a deployment, as sent when creating it.

    ``slug`` names the schedule within its deployment (unique there); ``replaces`` names the
    slug of a schedule this one takes the place of when a deployment is updated.
    """

    schedule: Schedule
    active: bool = True
    max_scheduled_runs: int | None = Field(default=None, gt=0)
    parameters: dict[str, Any] = Field(default_factory=dict)
    slug: str | None = None
    replaces: str | None = None


class DeploymentScheduleUpdate(RequestModel):
    """Changes to one schedule of a deployment: only the fields given are sent."""

    schedule: Schedule | None = None
    active: bool | None = None
    max_scheduled_runs: int | None = Field(default=None, gt=0)
    parameters: dict[str, Any] | None = None
    slug: str | None = None
    replaces: str | None = None
