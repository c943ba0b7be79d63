"""Observed states (``GET /observed-states``, Prefect 3.9.1 and newer) against the real
server, through both clients; older servers answer ``NotSupportedByServer``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import NotSupportedByServer, ValidationError
from prefect_sdk.filters import ObservedStateSort
from prefect_sdk.schemas import ObservedState, StateType
from prefect_sdk.states import Running, Scheduled
from tests._support import server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_observed_states_name_the_custom_states_runs_were_in(
    client: Any, unique: Unique, api_url: str
) -> None:
    if server_older_than(api_url, "3.9.1"):
        with pytest.raises(NotSupportedByServer, match=r"read_observed_states.*Prefect 3\."):
            await client.read_observed_states()
        return
    # Two custom state names no other test uses, both starting with the same text.
    prefix = unique("Obs").replace("-", "")
    awaiting, working = f"{prefix}Awaiting", f"{prefix}Busy"
    flow = await client.create_flow(unique("observed-flow"))
    run = await client.create_flow_run(flow, state=Scheduled(name=awaiting))
    before = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=5)
    await client.set_flow_run_state(run.id, Running(name=working))

    # The name prefix, ignoring case; NAME_ASC orders by type, then name.
    found = await client.read_observed_states(prefix.lower(), order_by=ObservedStateSort.NAME_ASC)
    assert all(isinstance(o, ObservedState) for o in found)
    assert [(o.state_type, o.state_name) for o in found] == [
        (StateType.RUNNING, working),
        (StateType.SCHEDULED, awaiting),
    ]
    for observed in found:
        assert before <= observed.first_seen <= observed.last_seen
    # By default the most recently seen first.
    recent = await client.read_observed_states(prefix)
    assert [o.state_name for o in recent] == [working, awaiting]

    # The type prefix matches too; limit caps what comes back.
    running = await client.read_observed_states("runn", order_by="NAME_ASC")
    assert (StateType.RUNNING, working) in [(o.state_type, o.state_name) for o in running]
    assert all(
        o.state_type == StateType.RUNNING or o.state_name.lower().startswith("runn")
        for o in running
    )
    assert len(await client.read_observed_states(limit=1)) == 1


async def test_observed_states_arguments_are_checked_before_any_io(client: Any) -> None:
    for bad in ({"limit": 0}, {"limit": 201}, {"limit": True}, {"order_by": "NEWEST"}):
        with pytest.raises(ValidationError, match=next(iter(bad))):
            await client.read_observed_states(**bad)
    with pytest.raises(ValidationError, match="query"):
        await client.read_observed_states("x" * 101)
