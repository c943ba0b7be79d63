"""Behaviour every operation shares, against the real server, for the async and the sync client.

Each resource's operations are tested in ``resources/test_<resource>.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import (
    ServerValidationError,
    ValidationError,
)
from prefect_sdk.schemas import (
    CronSchedule,
    Flow,
)

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_server_validation_error_names_the_field(client: Any) -> None:
    with pytest.raises(ServerValidationError) as info:
        await client.create_flow("has/slash")
    assert info.value.status_code == 422
    assert isinstance(info.value, ValidationError)
    message = str(info.value)
    assert "create_flow" in message and "POST" in message and "name" in message


async def test_client_side_validation_happens_before_io(client: Any) -> None:
    with pytest.raises(ValidationError, match="flow_run_id"):
        await client.read_flow_run("not-a-uuid")
    with pytest.raises(ValidationError, match="limit"):
        await client.read_flows(limit=-1)
    with pytest.raises(ValidationError, match="schedule"):
        await client.create_deployment(
            uuid.uuid4(),
            "x",
            schedule=CronSchedule(cron="* * * * *"),
            schedules=[CronSchedule(cron="* * * * *")],
        )
    with pytest.raises(ValidationError, match="State"):
        await client.set_flow_run_state(uuid.uuid4(), "COMPLETED")
    with pytest.raises(ValueError, match="allowed"):
        await client.read_flows(sort="SIZE_ASC")


def test_one_bare_async_client_survives_several_event_loops(api_url: str, unique: Unique) -> None:
    # The classic "Event loop is closed" / "bound to a different event loop" trap: a client
    # kept at module level and used from several asyncio.run() calls (and a trio.run()).
    import asyncio

    import trio

    from prefect_sdk.client import PrefectClient

    client = PrefectClient(api=api_url)
    name = unique("loops")

    async def create() -> Flow:
        return await client.create_flow(name)

    async def read() -> Flow:
        return await client.read_flow_by_name(name)

    flow = asyncio.run(create())
    assert asyncio.run(read()).id == flow.id
    assert trio.run(read).id == flow.id
    assert asyncio.run(read()).id == flow.id
    asyncio.run(client.aclose())
