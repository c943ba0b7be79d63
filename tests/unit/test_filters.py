"""prefect_sdk.filters: shorthand, wire form, sorts, filter_body, generator, schema conformance."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pydantic
import pytest

import prefect_sdk.filters as filters
from prefect_sdk.filters import (
    ArtifactCollectionFilter,
    ArtifactFilter,
    ArtifactFilterKey,
    BlockDocumentFilter,
    BlockDocumentFilterIsAnonymous,
    BlockDocumentSort,
    BlockTypeFilter,
    DeploymentFilter,
    DeploymentFilterName,
    DeploymentFilterPaused,
    DeploymentFilterTags,
    DeploymentSort,
    FilterModel,
    FlowFilter,
    FlowFilterId,
    FlowFilterName,
    FlowFilterTags,
    FlowRunFilter,
    FlowRunFilterStartTime,
    FlowRunFilterState,
    FlowRunFilterStateName,
    FlowRunFilterStateType,
    FlowRunFilterTags,
    FlowRunSort,
    FlowSort,
    LogFilter,
    LogSort,
    Operator,
    SortBase,
    StateType,
    TaskRunFilter,
    TaskRunFilterFlowRunId,
    TaskRunFilterState,
    TaskRunFilterStateName,
    TaskRunFilterStateType,
    TaskRunFilterSubFlowRuns,
    WorkerFilter,
    WorkerFilterStatus,
    WorkerStatus,
    WorkPoolFilter,
    WorkPoolFilterName,
    WorkPoolFilterType,
    WorkQueueFilter,
    filter_body,
)
from tools.gen_filters import document

try:
    from tests import _filter_samples as samples
except ImportError:  # tests/ itself is on sys.path (pytest's rootdir conftest insertion)
    import _filter_samples as samples  # type: ignore[import-not-found, no-redef]

ROOT = Path(__file__).resolve().parents[2]
# The 3.8.8 document the filters are generated from, with newer servers' sort orders merged in
# (tools/gen_filters.py offers those too, documented with their first version).
SNAPSHOT: dict[str, Any] = document()[0]
ID1 = UUID("11111111-1111-4111-8111-111111111111")
ID2 = UUID("22222222-2222-4222-8222-222222222222")
WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


# --------------------------------------------------------------------------- spec examples


def test_tags_shorthand_means_all_tags() -> None:
    assert FlowFilter(tags=["production", "etl"]).to_wire() == {
        "operator": "and_",
        "tags": {"operator": "and_", "all_": ["production", "etl"]},
    }


def test_deployment_pool_and_schedule_aliases() -> None:
    deployments = DeploymentFilter(work_pool_name="kubernetes-pool", is_schedule_active=True)
    assert deployments.paused == DeploymentFilterPaused(eq_=False)
    assert deployments.work_pool_name == ["kubernetes-pool"]
    assert deployments.to_wire() == {"operator": "and_", "paused": {"eq_": False}}
    assert filter_body(deployments=deployments) == {
        "deployments": {"operator": "and_", "paused": {"eq_": False}},
        "work_pools": {"operator": "and_", "name": {"any_": ["kubernetes-pool"]}},
    }


def test_is_schedule_active_false_means_paused() -> None:
    assert DeploymentFilter(is_schedule_active=False).paused == DeploymentFilterPaused(eq_=True)
    assert DeploymentFilter.model_validate({"is_schedule_active": True}).paused == (
        DeploymentFilterPaused(eq_=False)
    )


# --------------------------------------------------------------------------- shorthand table


SHORTHAND_CASES: list[tuple[FilterModel, FilterModel]] = [
    (FlowFilter(name="x"), FlowFilter(name=FlowFilterName(any_=["x"]))),
    (FlowFilter(name=["x", "y"]), FlowFilter(name=FlowFilterName(any_=["x", "y"]))),
    (FlowFilter(name=("x",)), FlowFilter(name=FlowFilterName(any_=["x"]))),
    (FlowFilter(id=ID1), FlowFilter(id=FlowFilterId(any_=[ID1]))),
    (FlowFilter(id=str(ID1)), FlowFilter(id=FlowFilterId(any_=[ID1]))),
    (FlowFilter(id=[ID1, str(ID2)]), FlowFilter(id=FlowFilterId(any_=[ID1, ID2]))),
    (FlowFilter(tags="a"), FlowFilter(tags=FlowFilterTags(all_=["a"]))),
    (FlowRunFilter(tags=["a", "b"]), FlowRunFilter(tags=FlowRunFilterTags(all_=["a", "b"]))),
    (DeploymentFilter(tags=["a"]), DeploymentFilter(tags=DeploymentFilterTags(all_=["a"]))),
    (DeploymentFilter(paused=True), DeploymentFilter(paused=DeploymentFilterPaused(eq_=True))),
    (DeploymentFilter(name="d"), DeploymentFilter(name=DeploymentFilterName(any_=["d"]))),
    (
        BlockDocumentFilter(is_anonymous=True),
        BlockDocumentFilter(is_anonymous=BlockDocumentFilterIsAnonymous(eq_=True)),
    ),
    (ArtifactFilter(key=True), ArtifactFilter(key=ArtifactFilterKey(exists_=True))),
    (ArtifactFilter(key="k"), ArtifactFilter(key=ArtifactFilterKey(any_=["k"]))),
    (
        TaskRunFilter(subflow_runs=False),
        TaskRunFilter(subflow_runs=TaskRunFilterSubFlowRuns(exists_=False)),
    ),
    (
        FlowRunFilter(state="COMPLETED"),
        FlowRunFilter(
            state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
        ),
    ),
    (
        FlowRunFilter(state=["completed", StateType.FAILED]),
        FlowRunFilter(
            state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType.COMPLETED, StateType.FAILED])
            )
        ),
    ),
    (
        FlowRunFilter(state="Late"),
        FlowRunFilter(state=FlowRunFilterState(name=FlowRunFilterStateName(any_=["Late"]))),
    ),
    (
        FlowRunFilter(state=["Completed", "Late"]),
        FlowRunFilter(
            state=FlowRunFilterState(name=FlowRunFilterStateName(any_=["Completed", "Late"]))
        ),
    ),
    (
        FlowRunFilter(state=[StateType.CANCELLED, "AwaitingRetry"]),
        FlowRunFilter(
            state=FlowRunFilterState(
                name=FlowRunFilterStateName(any_=["Cancelled", "AwaitingRetry"])
            )
        ),
    ),
    (
        TaskRunFilter(state="running"),
        TaskRunFilter(
            state=TaskRunFilterState(type=TaskRunFilterStateType(any_=[StateType.RUNNING]))
        ),
    ),
    (
        TaskRunFilter(state="Retrying"),
        TaskRunFilter(state=TaskRunFilterState(name=TaskRunFilterStateName(any_=["Retrying"]))),
    ),
    (
        WorkerFilter(status="online"),
        WorkerFilter(status=WorkerFilterStatus(any_=[WorkerStatus.ONLINE])),
    ),
    (
        WorkPoolFilter(type="kubernetes"),
        WorkPoolFilter(type=WorkPoolFilterType(any_=["kubernetes"])),
    ),
    (FlowFilter(name={"b", "a"}), FlowFilter(name=FlowFilterName(any_=["a", "b"]))),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("short", "nested"), SHORTHAND_CASES, ids=lambda m: repr(m)[:60])
def test_shorthand_equals_nested_form(short: FilterModel, nested: FilterModel) -> None:
    assert short == nested
    assert short.to_wire() == nested.to_wire()


def test_shorthand_through_model_validate_and_nesting() -> None:
    assert FlowFilter.model_validate({"name": "x", "tags": "t"}) == FlowFilter(name="x", tags="t")

    class Body(pydantic.BaseModel):
        flows: FlowFilter | None = None

    assert Body.model_validate({"flows": {"name": ["x"]}}).flows == FlowFilter(name="x")


def test_only_given_values_are_set() -> None:
    assert FlowFilter(name="x").model_fields_set == {"name"}
    assert FlowFilter().model_fields_set == set()
    assert FlowRunFilter(operator="or_").operator is Operator.or_


def test_wire_is_json_ready() -> None:
    wire = FlowRunFilter(
        id=[ID1], start_time=FlowRunFilterStartTime(after_=WHEN), state=StateType.FAILED
    ).to_wire()
    assert wire == {
        "operator": "and_",
        "id": {"any_": [str(ID1)]},
        "start_time": {"after_": "2024-01-02T03:04:05Z"},
        "state": {"operator": "and_", "type": {"any_": ["FAILED"]}},
    }
    json.dumps(wire)


# --------------------------------------------------------------------------- wire nulls


def test_false_survives_and_none_is_dropped() -> None:
    assert FlowFilterTags(is_null_=False).to_wire() == {"operator": "and_", "is_null_": False}
    assert FlowFilter(name=None).to_wire() == {"operator": "and_"}


def test_explicit_none_kept_where_server_default_is_not_null() -> None:
    # Left out, the server would bring back its default (is_anonymous.eq_ = false).
    assert BlockDocumentFilter().to_wire() == {"operator": "and_", "is_anonymous": {"eq_": False}}
    assert BlockDocumentFilter(is_anonymous=None).to_wire() == {
        "operator": "and_",
        "is_anonymous": None,
    }
    assert TaskRunFilterFlowRunId().to_wire() == {"operator": "and_", "is_null_": False}
    assert TaskRunFilterFlowRunId(is_null_=None).to_wire() == {"operator": "and_", "is_null_": None}


# --------------------------------------------------------------------------- round trips


def test_nested_form_round_trip() -> None:
    original = FlowRunFilter(
        operator=Operator.or_,
        name=["a"],
        tags=FlowRunFilterTags(any_=["x"], is_null_=False, operator=Operator.or_),
        start_time=FlowRunFilterStartTime(before_=WHEN, is_null_=False),
        state=FlowRunFilterState(
            name=FlowRunFilterStateName(not_any_=["Late"]),
            type=FlowRunFilterStateType(any_=[StateType.RUNNING]),
        ),
    )
    wire = original.to_wire()
    assert FlowRunFilter.model_validate(wire) == original
    assert FlowRunFilter.model_validate(original.model_dump()) == original
    assert FlowRunFilter.model_validate_json(json.dumps(wire)).to_wire() == wire


# --------------------------------------------------------------------------- errors


def _error(cls: type[FilterModel], **kwargs: Any) -> str:
    with pytest.raises((ValueError, TypeError)) as info:
        cls(**kwargs)
    return str(info.value)


def test_unknown_keyword_is_named() -> None:
    assert "nme" in _error(FlowFilter, nme="x")
    with pytest.raises(pydantic.ValidationError, match="nme"):
        FlowFilter.model_validate({"nme": "x"})
    with pytest.raises(pydantic.ValidationError, match="Extra inputs"):
        FlowFilterName.model_validate({"any_": ["x"], "eq_": "x"})


@pytest.mark.parametrize(
    ("cls", "kwargs", "expected"),
    [
        (
            FlowRunFilter,
            {"start_time": WHEN},
            "FlowRunFilter.start_time: a datetime",
        ),
        (
            FlowRunFilter,
            {"start_time": WHEN},
            "pass FlowRunFilterStartTime(after_=..., before_=..., is_null_=...)",
        ),
        (LogFilter, {"level": 20}, "LogFilter.level: a int (20) has no shorthand meaning"),
        (BlockTypeFilter, {"name": "x"}, "pass BlockTypeFilterName(like_=...)"),
        (FlowFilter, {"deployment": True}, "FlowFilter.deployment"),
        (FlowFilter, {"name": 3}, "FlowFilter.name"),
        (FlowFilter, {"name": True}, "FlowFilter.name"),
        (FlowFilter, {"id": WHEN}, "FlowFilter.id"),
        (FlowRunFilter, {"state": [1]}, "FlowRunFilter.state"),
        (DeploymentFilter, {"is_schedule_active": "yes"}, "expected a bool"),
        (
            DeploymentFilter,
            {"is_schedule_active": True, "paused": False},
            "pass either is_schedule_active= or paused=",
        ),
    ],
)
def test_bad_shorthand_messages(
    cls: type[FilterModel], kwargs: dict[str, Any], expected: str
) -> None:
    assert expected in _error(cls, **kwargs)


def test_bad_values_inside_expansion_are_pydantic_errors() -> None:
    with pytest.raises(pydantic.ValidationError, match="uuid"):
        FlowFilter(id="not-a-uuid")
    with pytest.raises(pydantic.ValidationError):
        WorkerFilter(status="sleepy")


# --------------------------------------------------------------------------- sorts


def test_sort_spellings_agree() -> None:
    member = FlowSort.NAME_ASC
    assert FlowSort("name", "asc") is member
    assert FlowSort(field="name", direction="asc") is member
    assert FlowSort("NAME_ASC") is member
    assert FlowSort("name_asc") is member
    assert FlowSort(member) is member
    assert FlowRunSort("start_time", "DESC") is FlowRunSort.START_TIME_DESC
    assert (
        BlockDocumentSort("block_type_and_name", "asc") is BlockDocumentSort.BLOCK_TYPE_AND_NAME_ASC
    )


def test_sort_is_a_plain_string_on_the_wire() -> None:
    member = FlowSort.NAME_ASC
    assert member == "NAME_ASC"
    assert isinstance(member, str) and isinstance(member, SortBase)
    assert json.dumps({"sort": member}) == '{"sort": "NAME_ASC"}'
    assert str(member) == f"{member}" == member.value == member.name == "NAME_ASC"
    assert repr(member) == "FlowSort.NAME_ASC"
    assert (member.field, member.direction) == ("name", "asc")
    assert pickle.loads(pickle.dumps(member)) is member
    assert copy.deepcopy(member) is member


def test_sort_is_enum_like() -> None:
    assert list(FlowSort) == [
        FlowSort.CREATED_DESC,
        FlowSort.UPDATED_DESC,
        FlowSort.NAME_ASC,
        FlowSort.NAME_DESC,
    ]
    assert FlowSort.members() == tuple(FlowSort)
    assert len(LogSort) == 2
    assert "NAME_ASC" in FlowSort and "NOPE" not in FlowSort
    assert FlowSort.fields() == ("created", "updated", "name")


SORTS = sorted(samples.sort_classes().items())


@pytest.mark.parametrize("sort", [cls for _, cls in SORTS], ids=[name for name, _ in SORTS])
def test_every_sort_member_rebuilds_from_field_and_direction(sort: type[SortBase]) -> None:
    for member in sort:
        assert sort(member.field, member.direction) is member
        assert sort(member.value) is member


def test_sort_errors_list_allowed_values() -> None:
    with pytest.raises(
        ValueError, match=r"no CREATED_ASC sort; allowed: CREATED_DESC, UPDATED_DESC"
    ):
        FlowSort("created", "asc")
    with pytest.raises(ValueError, match=r"unknown sort field 'colour'; allowed fields: created"):
        FlowSort("colour", "asc")
    with pytest.raises(ValueError, match="direction must be 'asc' or 'desc'"):
        FlowSort("name", "up")
    with pytest.raises(ValueError, match="'NAME' is not a valid FlowSort; allowed: CREATED_DESC"):
        FlowSort("NAME")


def test_sort_as_pydantic_field() -> None:
    class Body(pydantic.BaseModel):
        sort: DeploymentSort = DeploymentSort.NAME_ASC

    body = Body.model_validate({"sort": "created_desc"})
    assert body.sort is DeploymentSort.CREATED_DESC
    assert body.model_dump() == {"sort": "CREATED_DESC"}
    assert type(body.model_dump()["sort"]) is str
    assert body.model_dump_json() == '{"sort":"CREATED_DESC"}'
    assert Body().model_dump(mode="json") == {"sort": "NAME_ASC"}
    schema = Body.model_json_schema()["properties"]["sort"]
    assert schema["enum"] == ["CREATED_DESC", "UPDATED_DESC", "NAME_ASC", "NAME_DESC"]
    with pytest.raises(pydantic.ValidationError, match="allowed"):
        Body.model_validate({"sort": "NAME_UP"})
    with pytest.raises(pydantic.ValidationError):
        Body.model_validate({"sort": 3})


# --------------------------------------------------------------------------- filter_body


def test_filter_body_omits_none_and_serialises() -> None:
    body = filter_body(flows=FlowFilter(name="f"), flow_runs=None, task_runs=TaskRunFilter())
    assert body == {
        "flows": {"operator": "and_", "name": {"any_": ["f"]}},
        "task_runs": {"operator": "and_"},
    }
    assert filter_body() == {}


def test_filter_body_merges_pool_names_into_work_pools() -> None:
    body = filter_body(
        deployments=DeploymentFilter(work_pool_name=["a", "b"]),
        work_pools=WorkPoolFilter(type="kubernetes"),
    )
    assert body["work_pools"] == {
        "operator": "and_",
        "name": {"any_": ["a", "b"]},
        "type": {"any_": ["kubernetes"]},
    }


def test_filter_body_pool_name_conflict() -> None:
    with pytest.raises(ValueError, match=r"work_pool_name=.*work_pools\.name are both set"):
        filter_body(
            deployments=DeploymentFilter(work_pool_name="a"),
            work_pools=WorkPoolFilter(name=WorkPoolFilterName(any_=["b"])),
        )


def test_filter_body_checks_keys_and_types() -> None:
    with pytest.raises(TypeError, match="unknown body key 'flow'"):
        filter_body(flow=FlowFilter())
    with pytest.raises(TypeError, match="flows= takes a FlowFilter, got FlowRunFilter"):
        filter_body(flows=FlowRunFilter())
    assert filter_body(artifacts=ArtifactCollectionFilter()) == {"artifacts": {"operator": "and_"}}
    assert filter_body(work_pool_queues=WorkQueueFilter(name="q")) == {
        "work_pool_queues": {"operator": "and_", "name": {"any_": ["q"]}}
    }


# --------------------------------------------------------------------------- generator


def test_generated_module_is_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_filters.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_generated_models_match_document_schemas() -> None:
    generated = {*samples.filter_models(), *samples.sort_classes()}
    assert generated == samples.filter_schema_names(SNAPSHOT)
    assert len(generated) >= 100


def test_public_api_exports_everything() -> None:
    public = set(samples.all_generated_names()) | {"FilterModel", "SortBase", "filter_body"}
    assert public <= set(filters.__all__)
    for name in filters.__all__:
        assert getattr(filters, name) is not None


def test_import_defers_model_building() -> None:
    code = (
        "import sys, prefect_sdk.filters as f\n"
        "built = [n for n in f.__all__ if getattr(getattr(f, n), '__pydantic_complete__', False)]\n"
        "assert not built, built\n"
        "assert 'jsonschema' not in sys.modules and 'httpx' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- schema conformance


@pytest.mark.parametrize("name", samples.all_generated_names())
def test_wire_json_matches_snapshot_schema(name: str) -> None:
    assert samples.model_wire_errors(SNAPSHOT, name) == []


def test_schema_check_catches_bad_wire() -> None:
    validator = samples.schema_validator(SNAPSHOT, "FlowFilter")
    assert list(validator.iter_errors({"name": {"any_": "x"}}))
    assert list(validator.iter_errors({"name": {"eq_": ["x"]}}))
    assert list(validator.iter_errors({"id": {"any_": ["not-a-uuid"]}}))
    assert not list(validator.iter_errors(FlowFilter(name="x", id=uuid4()).to_wire()))


@pytest.mark.parametrize("name", sorted(samples.filter_models()))
def test_typed_init_matches_runtime_shorthand(name: str) -> None:
    """A field's typed __init__ parameter accepts plain values exactly when the runtime does."""
    import typing

    from prefect_sdk.filters import _base

    cls = samples.filter_models()[name]
    plans = {
        field: plan
        for field, plan in _base._plans(cls).items()
        if plan.list_op or plan.bool_op or plan.state_enum
    }
    if "__init__" not in vars(cls):
        assert not plans
        return
    hints = typing.get_type_hints(cls.__init__)
    for field, info in cls.model_fields.items():
        if info.exclude or _base._sub_filter(info.annotation) is None:
            continue
        accepted = set(typing.get_args(hints[field])) or {hints[field]}
        declared = set(typing.get_args(info.annotation)) or {info.annotation}
        assert (accepted - declared != set()) == (field in plans), field


def test_work_pool_name_does_not_widen_an_or_filter() -> None:
    from prefect_sdk.filters import DeploymentFilter, Operator, WorkPoolFilter, filter_body

    with pytest.raises(ValueError, match="or_"):
        filter_body(
            deployments=DeploymentFilter(work_pool_name="p"),
            work_pools=WorkPoolFilter(operator=Operator.or_, type="process"),
        )
    body = filter_body(
        deployments=DeploymentFilter(work_pool_name="p"),
        work_pools=WorkPoolFilter(type="process"),
    )
    assert body["work_pools"]["name"] == {"any_": ["p"]}
    assert body["work_pools"]["type"] == {"any_": ["process"]}
