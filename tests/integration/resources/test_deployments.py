"""Operations on deployments against the real server, through both clients."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import (
    ObjectNotFound,
)
from prefect_sdk.filters import (
    DeploymentFilter,
    DeploymentSort,
    FlowFilter,
)
from prefect_sdk.schemas import (
    CronSchedule,
    Deployment,
    IntervalSchedule,
    RRuleSchedule,
)

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_deployments(client: Any, unique: Unique) -> None:
    pool = await client.create_work_pool(unique("dpool"), "process")
    flow = await client.create_flow(unique("deployed"))
    cron = await client.create_deployment(
        flow.id,
        "cron",
        version="1",
        schedule=CronSchedule(cron="0 9 * * 1-5", timezone="Europe/Paris"),
        parameters={"p": 1},
        tags=["prod"],
        work_pool_name=pool.name,
        work_queue_name="default",
        description="weekday mornings",
    )
    assert isinstance(cron, Deployment)
    assert cron.flow_id == flow.id and cron.work_pool_name == pool.name
    assert cron.schedules[0].schedule == CronSchedule(cron="0 9 * * 1-5", timezone="Europe/Paris")
    assert cron.parameters == {"p": 1} and cron.description == "weekday mornings"
    interval = await client.create_deployment(
        flow, "interval", schedule=IntervalSchedule(interval=dt.timedelta(hours=1))
    )
    schedule = interval.schedules[0].schedule
    assert isinstance(schedule, IntervalSchedule)
    assert schedule.interval == dt.timedelta(hours=1)
    many = await client.create_deployment(
        flow.id,
        "many",
        schedules=[RRuleSchedule(rrule="FREQ=DAILY"), CronSchedule(cron="*/5 * * * *")],
    )
    assert len(many.schedules) == 2

    # Upsert: same flow + name updates in place.
    updated = await client.create_deployment(flow.id, "cron", version="2")
    assert updated.id == cron.id and updated.version == "2"

    assert (await client.read_deployment(cron.id)).name == "cron"
    assert (await client.read_deployment_by_name(f"{flow.name}/cron")).id == cron.id
    with pytest.raises(ObjectNotFound):
        await client.read_deployment(uuid.uuid4())

    in_pool = await client.read_deployments(
        deployment_filter=DeploymentFilter(work_pool_name=pool.name)
    )
    assert [d.id for d in in_pool] == [cron.id]
    of_flow = await client.read_deployments(
        sort=DeploymentSort.NAME_ASC, flow_filter=FlowFilter(id=flow.id)
    )
    assert [d.name for d in of_flow] == ["cron", "interval", "many"]

    await client.pause_deployment(cron.id)
    assert (await client.read_deployment(cron.id)).paused is True
    active = await client.read_deployments(
        flow_filter=FlowFilter(id=flow.id),
        deployment_filter=DeploymentFilter(is_schedule_active=True),
    )
    assert sorted(d.name for d in active) == ["interval", "many"]
    await client.resume_deployment(cron.id)
    assert (await client.read_deployment(cron.id)).paused is False

    await client.delete_deployment(many.id)
    with pytest.raises(ObjectNotFound):
        await client.read_deployment(many.id)
