"""Operations on flows against the real server, through both clients."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import (
    NotSupportedByServer,
    ObjectNotFound,
)
from prefect_sdk.filters import (
    FlowFilter,
    FlowSort,
)
from prefect_sdk.schemas import (
    Flow,
    SimpleNextFlowRun,
    StateType,
)
from prefect_sdk.states import Scheduled
from tests._support import server_older_than, setup_request

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


def _setup_post(api_url: str, path: str, body: Any) -> Any:
    return setup_request(api_url, "POST", path, body)


async def test_flow_create_read_by_id_and_name(client: Any, unique: Unique) -> None:
    name = unique("flow")
    flow = await client.create_flow(name, tags=["a"])
    assert isinstance(flow, Flow) and flow.name == name and flow.tags == ["a"]
    # Creating the same name again returns the same flow (safe to repeat).
    again = await client.create_flow(name)
    assert again.id == flow.id
    assert (await client.read_flow(flow.id)).name == name
    assert (await client.read_flow(str(flow.id))).id == flow.id
    assert (await client.read_flow_by_name(name)).id == flow.id
    with pytest.raises(ObjectNotFound) as info:
        await client.read_flow_by_name(unique("missing"))
    assert info.value.status_code == 404
    assert "read_flow_by_name" in str(info.value) and "not found" in str(info.value).lower()


async def test_read_flows_filters_sorts_and_pages(client: Any, unique: Unique) -> None:
    tag = unique("tag")
    names = sorted(unique(f"pf{i}") for i in range(3))
    for name in names:
        await client.create_flow(name, tags=[tag, "common"])
    await client.create_flow(unique("other"), tags=[tag])  # lacks "common"

    by_tags = await client.read_flows(flow_filter=FlowFilter(tags=[tag, "common"]))
    assert sorted(f.name for f in by_tags) == names

    desc = await client.read_flows(
        sort=FlowSort(field="name", direction="desc"), flow_filter=FlowFilter(name=names)
    )
    assert [f.name for f in desc] == list(reversed(names))
    asc = await client.read_flows(sort=FlowSort.NAME_ASC, flow_filter=FlowFilter(name=names))
    assert [f.name for f in asc] == names

    page = await client.read_flows(
        limit=1, offset=1, sort="NAME_ASC", flow_filter=FlowFilter(name=names)
    )
    assert [f.name for f in page] == names[1:2]


async def test_update_count_iterate_and_bulk_delete_flows(
    client: Any, unique: Unique, api_url: str
) -> None:
    tag = unique("tag")
    names = sorted(unique(f"bulk{i}") for i in range(3))
    flows = [await client.create_flow(name, tags=[tag]) for name in names]
    assert await client.count_flows(flow_filter=FlowFilter(tags=[tag])) == 3

    assert await client.update_flow(flows[0], tags=[tag, "updated"]) is None
    assert (await client.read_flow(flows[0].id)).tags == [tag, "updated"]
    assert await client.count_flows(flow_filter=FlowFilter(tags=[tag, "updated"])) == 1
    with pytest.raises(ObjectNotFound):
        await client.update_flow(uuid.uuid4(), tags=["x"])

    # prefect-client's create_flow_from_name answers the id (of the existing flow here).
    assert await client.create_flow_from_name(names[1]) == flows[1].id

    walked = [f async for f in client.iter_flows(flow_filter=FlowFilter(tags=[tag]), page_size=2)]
    assert all(isinstance(f, Flow) for f in walked)
    assert [f.name for f in walked] == names  # the server's default order: name ascending
    desc = client.iter_flows(FlowSort.NAME_DESC, flow_filter=FlowFilter(tags=[tag]), page_size=1)
    assert [f.name async for f in desc] == list(reversed(names))

    if server_older_than(api_url, "3.6.0"):  # the bulk deletes came with 3.6
        with pytest.raises(NotSupportedByServer, match="bulk_delete_flows"):
            await client.bulk_delete_flows(FlowFilter(tags=[tag]), limit=2)
        assert await client.count_flows(flow_filter=FlowFilter(tags=[tag])) == len(flows)
        return
    deleted = await client.bulk_delete_flows(FlowFilter(tags=[tag]), limit=2)
    assert len(deleted) == 2 and set(deleted) <= {f.id for f in flows}
    assert await client.count_flows(flow_filter=FlowFilter(tags=[tag])) == 1
    rest = await client.bulk_delete_flows(FlowFilter(tags=[tag]))
    assert len(rest) == 1 and {*deleted, *rest} == {f.id for f in flows}
    assert await client.count_flows(flow_filter=FlowFilter(tags=[tag])) == 0
    assert await client.bulk_delete_flows(FlowFilter(tags=[tag])) == []

    one = await client.create_flow(unique("single"))
    await client.delete_flow(one)
    with pytest.raises(ObjectNotFound):
        await client.read_flow(one.id)


async def test_deployment_counts_and_next_runs_by_flow(
    client: Any, unique: Unique, api_url: str
) -> None:
    busy = await client.create_flow(unique("busy"))
    idle = await client.create_flow(unique("idle"))
    for name in ("a", "b"):
        _setup_post(api_url, "/deployments/", {"flow_id": str(busy.id), "name": name})
    counts = await client.count_deployments_by_flow([busy, str(idle.id)])
    assert counts == {busy.id: 2, idle.id: 0}

    soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)
    await client.create_flow_run(busy, state=Scheduled(scheduled_time=soon + dt.timedelta(hours=1)))
    first = await client.create_flow_run(busy, state=Scheduled(scheduled_time=soon))
    nxt = await client.read_next_flow_runs_by_flow([busy.id, idle])
    assert set(nxt) == {busy.id, idle.id} and nxt[idle.id] is None
    run = nxt[busy.id]
    assert isinstance(run, SimpleNextFlowRun)
    assert (run.id, run.flow_id, run.state_type) == (first.id, busy.id, StateType.SCHEDULED)
    assert run.next_scheduled_start_time == soon
