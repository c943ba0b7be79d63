"""Operations on flows against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import (
    ObjectNotFound,
)
from prefect_sdk.filters import (
    FlowFilter,
    FlowSort,
)
from prefect_sdk.schemas import (
    Flow,
)

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


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
