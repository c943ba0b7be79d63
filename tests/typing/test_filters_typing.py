"""Static typing of prefect_sdk.filters: checked by ``mypy --strict`` (and executed by pytest).

Lines marked ``# type: ignore[...]`` must be rejected by mypy; with ``warn_unused_ignores``
(part of --strict) an ignore that is no longer needed fails the check.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from typing_extensions import assert_type

from prefect_sdk.filters import (
    BlockDocumentFilter,
    DeploymentFilter,
    DeploymentFilterPaused,
    FlowFilter,
    FlowFilterName,
    FlowFilterTags,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunSort,
    FlowSort,
    Operator,
    StateType,
    WorkerFilter,
    WorkerStatus,
    filter_body,
)


def test_shorthand_constructors_type_check() -> None:
    flt = FlowFilter(name="x", tags=["a", "b"], id=uuid4())
    assert_type(flt.name, FlowFilterName | None)
    assert_type(flt.tags, FlowFilterTags | None)
    assert_type(flt.operator, Operator)
    FlowFilter(name=["x", "y"], id=[uuid4(), "5c2f6a3e-7f7c-4c47-9a3f-1d2b3c4d5e6f"])
    FlowFilter(name=FlowFilterName(like_="etl"), operator="or_")

    runs = FlowRunFilter(state="COMPLETED", tags="prod")
    FlowRunFilter(state=[StateType.FAILED, "Late"], deployment_id=uuid4())
    assert_type(runs.state, FlowRunFilterState | None)

    deployments = DeploymentFilter(work_pool_name="pool", is_schedule_active=True)
    DeploymentFilter(paused=False, tags=["a"], name="d")
    assert_type(deployments.paused, DeploymentFilterPaused | None)
    assert_type(deployments.work_pool_name, list[str] | None)
    BlockDocumentFilter(is_anonymous=None)
    WorkerFilter(status=[WorkerStatus.ONLINE, "OFFLINE"])

    body = filter_body(flows=flt, deployments=deployments, flow_runs=None)
    assert_type(body, dict[str, Any])
    assert_type(flt.to_wire(), dict[str, Any])


def test_sorts_type_check() -> None:
    assert_type(FlowSort.NAME_ASC, FlowSort)
    assert_type(FlowSort(field="name", direction="asc"), FlowSort)
    assert_type(FlowSort("name", "asc"), FlowSort)
    assert_type(FlowSort("NAME_ASC"), FlowSort)
    assert_type(FlowRunSort.START_TIME_DESC.value, str)
    for member in FlowSort:
        assert_type(member, FlowSort)
    sort: str = FlowSort.NAME_DESC  # a sort is a str
    assert sort == "NAME_DESC"


def test_rejected_by_mypy() -> None:
    with pytest.raises(TypeError):
        FlowFilter(nme="x")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        FlowFilter(name=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        FlowRunFilter(state=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        DeploymentFilter(is_schedule_active="yes")  # type: ignore[arg-type]
