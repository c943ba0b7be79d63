"""Deployment operations refuse bad arguments before any network I/O, naming the argument,
and send what the server's schemas take."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import DeploymentFilter
from prefect_sdk.schemas import (
    ConcurrencyOptions,
    CronSchedule,
    Deployment,
    DeploymentFlowRunCreate,
    DeploymentScheduleCreate,
    DeploymentUpdate,
    FlowRun,
    IntervalSchedule,
    VersionInfo,
)
from prefect_sdk.states import Completed, Scheduled
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

DEP_ID = uuid.UUID("3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11")
FLOW_ID = uuid.UUID("7d1c3a52-0b7e-4c55-9f0e-2a4c8b1d9e01")
RUN_ID = uuid.UUID("c0b2e6e6-42c6-4bb5-b2c7-d78379b00a0f")
SCHEDULE_ID = uuid.UUID("a49ec29f-2842-43eb-b873-1656c1c0541e")
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
DEPLOYMENT = {"id": str(DEP_ID), "name": "d", "flow_id": str(FLOW_ID)}
RUN = {"id": str(RUN_ID), "flow_id": str(FLOW_ID), "name": "r", "deployment_id": str(DEP_ID)}


def ok(body: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body) if body is not None else httpx.Response(204)


def run_in(state_type: str) -> dict[str, Any]:
    return {**RUN, "state_type": state_type, "state": {"type": state_type, "name": state_type}}


@pytest.fixture(autouse=True)
def no_csrf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    async def async_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr("prefect_sdk.client._async.async_sleep", async_sleep)
    monkeypatch.setattr("prefect_sdk.sync._api_client.sync_sleep", lambda seconds: None)


async def refused(kind: str, op: str, *args: Any, match: str, **kwargs: Any) -> None:
    """``op`` raises a ValidationError matching ``match`` and sends nothing."""
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match=match):
        await call_with(kind, handler, op, *args, **kwargs)
    assert seen == []


async def sent(kind: str, op: str, answer: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Run ``op`` against a server answering ``answer``; return its result and the request."""
    handler, seen = respond(answer)
    result = await call_with(kind, handler, op, *args, **kwargs)
    assert len(seen) == 1
    return result, seen[0]


async def consume(kind: str, handler: Any, op: str, *args: Any, **kwargs: Any) -> list[Any]:
    """Every item of the iterating operation ``op`` on a client whose transport is ``handler``."""
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as client:
            return list(getattr(client, op)(*args, **kwargs))
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as aclient:
        return [item async for item in getattr(aclient, op)(*args, **kwargs)]


def body_of(request: Any) -> Any:
    return json.loads(request.content)


def path_of(request: Any) -> str:
    return str(request.url.raw_path.decode()).removeprefix("/api")


# -- create_deployment ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("nope", "d"), {}, "flow_id"),
        ((FLOW_ID, ""), {}, "name must be a non-empty"),
        ((FLOW_ID, None), {}, "name must be a non-empty"),
        (
            (FLOW_ID, "d"),
            {"schedule": CronSchedule(cron="* * * * *"), "schedules": []},
            "not both",
        ),
        ((FLOW_ID, "d"), {"schedules": CronSchedule(cron="* * * * *")}, "must be a list"),
        ((FLOW_ID, "d"), {"schedules": [3]}, r"schedules\[0\] must be a CronSchedule"),
        (
            (FLOW_ID, "d"),
            {"schedules": [(CronSchedule(cron="* * * * *"), "yes")]},
            r"schedules\[0\] must be a \(schedule, active\) pair",
        ),
        ((FLOW_ID, "d"), {"schedules": [{"schedule": {"cron": "x"}}]}, r"schedules\[0\]"),
        ((FLOW_ID, "d"), {"tags": "prod"}, "tags must be a list"),
        ((FLOW_ID, "d"), {"tags": [1]}, "tags"),
        ((FLOW_ID, "d"), {"concurrency_limit": 0}, "concurrency_limit"),
        ((FLOW_ID, "d"), {"concurrency_limit": -1}, "concurrency_limit"),
        (
            (FLOW_ID, "d"),
            {"concurrency_options": {"collision_strategy": "ENQUEUE", "grace_period_seconds": 5}},
            "grace_period_seconds",
        ),
        ((FLOW_ID, "d"), {"concurrency_options": {"collision_strategy": "X"}}, "collision"),
        ((FLOW_ID, "d"), {"version_info": {"type": "git"}}, "version_info.version"),
        ((FLOW_ID, "d"), {"storage_document_id": "x"}, "storage_document_id"),
        ((FLOW_ID, "d"), {"infrastructure_document_id": "x"}, "infrastructure_document_id"),
        ((FLOW_ID, "d"), {"branch": "feature"}, "branch='feature' cannot be sent"),
        ((FLOW_ID, "d"), {"base": uuid.uuid4()}, "base=.* not part of the open-source server"),
        ((FLOW_ID, "d"), {"root": uuid.uuid4()}, "root="),
    ],
)
async def test_create_deployment_refuses(
    kind: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, "create_deployment", *args, match=match, **kwargs)


async def test_create_deployment_sends_the_server_fields(kind: str) -> None:
    storage = uuid.uuid4()
    result, request = await sent(
        kind,
        "create_deployment",
        ok(DEPLOYMENT, 201),
        FLOW_ID,
        "d",
        "1",
        schedules=[(IntervalSchedule(interval=dt.timedelta(minutes=5)), False)],
        version_info=VersionInfo(type="git", version="abc", url="https://x"),
        concurrency_options=ConcurrencyOptions(collision_strategy="CANCEL_NEW"),
        storage_document_id=str(storage),
        branch=None,
    )
    assert isinstance(result, Deployment) and result.id == DEP_ID
    body = body_of(request)
    assert body == {
        "flow_id": str(FLOW_ID),
        "name": "d",
        "version": "1",
        # No parameter overrides: left out (a 3.0 server does not know the field).
        "schedules": [{"schedule": {"interval": "PT5M"}, "active": False}],
        "parameters": {},
        "tags": [],
        "job_variables": {},
        # No schema given: the one that accepts any parameters (3.0 and 3.2 servers store
        # none otherwise, and then refuse every run of the deployment).
        "parameter_openapi_schema": {"type": "object", "properties": {}},
        "version_info": {"type": "git", "version": "abc", "url": "https://x"},
        "concurrency_options": {"collision_strategy": "CANCEL_NEW"},
        "storage_document_id": str(storage),
    }


# -- update, pause, delete, count, iterate ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((DEP_ID, ["description"]), "deployment must be a DeploymentUpdate"),
        ((DEP_ID, {"descriptoin": "typo"}), "descriptoin"),
        ((DEP_ID, {"concurrency_limit": 0}), "concurrency_limit"),
        ((DEP_ID, {"schedules": [{"max_scheduled_runs": 0}]}), "max_scheduled_runs"),
        (("nope", DeploymentUpdate(description="x")), "deployment_id"),
    ],
)
async def test_update_deployment_refuses(kind: str, args: tuple[Any, ...], match: str) -> None:
    await refused(kind, "update_deployment", *args, match=match)


async def test_update_deployment_sends_only_what_is_set(kind: str) -> None:
    _, request = await sent(
        kind,
        "update_deployment",
        ok(),
        DEP_ID,
        DeploymentUpdate(description=None, tags=None, paused=None, version="2"),
    )
    assert request.method == "PATCH" and path_of(request) == f"/deployments/{DEP_ID}"
    # description=None clears it; tags and paused take no null (None means "unchanged").
    assert body_of(request) == {"description": None, "version": "2"}
    _, request = await sent(kind, "update_deployment", ok(), DEP_ID, {"paused": True})
    assert body_of(request) == {"paused": True}


async def test_set_deployment_paused_state(kind: str) -> None:
    await refused(kind, "set_deployment_paused_state", DEP_ID, "yes", match="paused must be")
    await refused(kind, "set_deployment_paused_state", "x", True, match="deployment_id")
    _, request = await sent(kind, "set_deployment_paused_state", ok(), DEP_ID, True)
    assert path_of(request) == f"/deployments/{DEP_ID}/pause_deployment"
    _, request = await sent(kind, "set_deployment_paused_state", ok(), DEP_ID, paused=False)
    assert path_of(request) == f"/deployments/{DEP_ID}/resume_deployment"


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("count_deployments", (), {"deployment_filter": "x"}, "deployments"),
        ("iter_deployments", (), {"page_size": 0}, "page_size"),
        ("iter_deployments", (), {"page_size": 201}, "page_size"),
        ("iter_deployments", ("NOT_A_SORT",), {}, "sort"),
        ("bulk_delete_deployments", (), {}, "needs a deployment_filter"),
        ("bulk_delete_deployments", (DeploymentFilter(),), {"limit": 0}, "between 1 and 50"),
        ("bulk_delete_deployments", (DeploymentFilter(),), {"limit": 51}, "between 1 and 50"),
        ("delete_deployment", ("x",), {}, "deployment_id"),
        ("read_deployment_by_name", ("no-slash",), {}, "<flow name>/<deployment name>"),
        ("read_deployment_by_name", ("flow/",), {}, "<flow name>/<deployment name>"),
        ("read_deployment_work_queue_check", ("x",), {}, "deployment_id"),
    ],
)
async def test_reads_and_deletes_refuse(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    if op == "iter_deployments":
        handler, seen = respond(ok({}))
        with pytest.raises(ValidationError, match=match):
            await consume(kind, handler, op, *args, **kwargs)
        assert seen == []
        return
    await refused(kind, op, *args, match=match, **kwargs)


async def test_count_and_bulk_delete_bodies(kind: str) -> None:
    count, request = await sent(
        kind, "count_deployments", ok(4), deployment_filter=DeploymentFilter(tags=["a"])
    )
    assert count == 4 and body_of(request)["deployments"]["tags"]["all_"] == ["a"]
    deleted, request = await sent(
        kind,
        "bulk_delete_deployments",
        ok({"deleted": [str(DEP_ID)]}),
        DeploymentFilter(name="d"),
        limit=10,
    )
    assert deleted == [DEP_ID] and body_of(request)["limit"] == 10


# -- schedules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((DEP_ID, CronSchedule(cron="* * * * *")), {}, "schedules must be a list"),
        ((DEP_ID, "0 * * * *"), {}, "schedules must be a list"),
        ((DEP_ID, [None]), {}, r"schedules\[0\] must be"),
        ((DEP_ID, [(CronSchedule(cron="* * * * *"),)]), {}, r"\(schedule, active\) pair"),
        (
            (DEP_ID, [CronSchedule(cron="* * * * *"), CronSchedule(cron="0 * * * *")]),
            {"slug": "one"},
            "slugs are unique",
        ),
        ((DEP_ID, [CronSchedule(cron="* * * * *")]), {"max_scheduled_runs": 0}, "max_sched"),
        (("x", [CronSchedule(cron="* * * * *")]), {}, "deployment_id"),
    ],
)
async def test_create_deployment_schedules_refuses(
    kind: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, "create_deployment_schedules", *args, match=match, **kwargs)


async def test_create_deployment_schedules_takes_every_form(kind: str) -> None:
    created = [{"id": str(SCHEDULE_ID), "schedule": {"cron": "* * * * *"}}]
    result, request = await sent(
        kind,
        "create_deployment_schedules",
        ok(created, 201),
        DEP_ID,
        [
            (CronSchedule(cron="* * * * *"), False),
            DeploymentScheduleCreate(schedule=CronSchedule(cron="0 * * * *"), slug="hourly"),
            {"schedule": {"rrule": "FREQ=DAILY"}, "active": False},
        ],
        parameters={"x": 1},
    )
    assert result[0].id == SCHEDULE_ID and result[0].schedule == CronSchedule(cron="* * * * *")
    assert body_of(request) == [
        {
            "schedule": {"cron": "* * * * *", "day_or": True},
            "active": False,
            "parameters": {"x": 1},
        },
        {"schedule": {"cron": "0 * * * *", "day_or": True}, "active": True, "slug": "hourly"},
        {"schedule": {"rrule": "FREQ=DAILY", "timezone": "UTC"}, "active": False},
    ]


async def test_update_and_delete_deployment_schedule(kind: str) -> None:
    await refused(kind, "update_deployment_schedule", DEP_ID, "x", match="schedule_id")
    await refused(
        kind, "update_deployment_schedule", DEP_ID, SCHEDULE_ID, max_scheduled_runs=0, match="max"
    )
    await refused(
        kind, "update_deployment_schedule", DEP_ID, SCHEDULE_ID, schedule="x", match="schedule"
    )
    await refused(kind, "delete_deployment_schedule", DEP_ID, None, match="schedule_id")
    _, request = await sent(
        kind, "update_deployment_schedule", ok(), DEP_ID, SCHEDULE_ID, active=False
    )
    assert request.method == "PATCH"
    assert path_of(request) == f"/deployments/{DEP_ID}/schedules/{SCHEDULE_ID}"
    assert body_of(request) == {"active": False}


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"start_time": "2026-01-01"}, "start_time must be a datetime"),
        ({"start_time": NOW, "end_time": NOW - dt.timedelta(hours=1)}, "end_time .* is before"),
        ({"min_time": "1h"}, "min_time must be a timedelta"),
        ({"min_time": dt.timedelta(seconds=-1)}, "min_time must not be negative"),
        ({"min_runs": -1}, "min_runs"),
        ({"max_runs": 1.5}, "max_runs"),
    ],
)
async def test_schedule_deployment_refuses(kind: str, kwargs: dict[str, Any], match: str) -> None:
    await refused(kind, "schedule_deployment", DEP_ID, match=match, **kwargs)


async def test_schedule_deployment_body(kind: str) -> None:
    naive = dt.datetime(2026, 1, 1, 12, 0)
    _, request = await sent(
        kind,
        "schedule_deployment",
        ok(None, 200),
        DEP_ID,
        start_time=naive,
        min_time=dt.timedelta(hours=2),
        max_runs=3,
    )
    assert path_of(request) == f"/deployments/{DEP_ID}/schedule"
    assert body_of(request) == {
        "start_time": "2026-01-01T12:00:00+00:00",
        "min_time": 7200.0,
        "max_runs": 3,
    }


# -- runs from a deployment --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((DEP_ID,), {}, "deployment_ids must be a list"),
        ((str(DEP_ID),), {}, "deployment_ids must be a list"),
        (([DEP_ID, "x"],), {}, r"deployment_ids\[1\]"),
        (([DEP_ID],), {"limit": 0}, "limit must be between 1 and 200"),
        (([DEP_ID],), {"limit": 201}, "limit must be between 1 and 200"),
        (([DEP_ID],), {"scheduled_before": "now"}, "scheduled_before must be a datetime"),
    ],
)
async def test_get_scheduled_flow_runs_refuses(
    kind: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, "get_scheduled_flow_runs_for_deployments", *args, match=match, **kwargs)


async def test_get_scheduled_flow_runs_body(kind: str) -> None:
    runs, request = await sent(
        kind,
        "get_scheduled_flow_runs_for_deployments",
        ok([RUN]),
        [DEP_ID, str(FLOW_ID)],
        scheduled_before=NOW,
        limit=5,
    )
    assert [r.id for r in runs] == [RUN_ID] and isinstance(runs[0], FlowRun)
    assert body_of(request) == {
        "deployment_ids": [str(DEP_ID), str(FLOW_ID)],
        "scheduled_before": "2026-01-01T00:00:00+00:00",
        "limit": 5,
    }


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"state": "SCHEDULED"}, "state must be a State"),
        ({"tags": "one-string"}, "tags must be a list"),
        ({"parent_task_run_id": "x"}, "parent_task_run_id"),
        ({"name": 3}, "name must be a string"),
        ({"labels": {"k": [1]}}, "labels"),
        ({"parameters": ["x"]}, "parameters"),
    ],
)
async def test_create_flow_run_from_deployment_refuses(
    kind: str, kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, "create_flow_run_from_deployment", DEP_ID, match=match, **kwargs)


async def test_create_flow_run_from_deployment_keeps_one_key_across_retries(
    kind: str, no_sleep: None
) -> None:
    handler, seen = respond(
        httpx.ReadTimeout("lost answer"), httpx.Response(503), httpx.Response(201, json=RUN)
    )
    run = await call_with(
        kind,
        handler,
        "create_flow_run_from_deployment",
        DEP_ID,
        parameters={"a": 1},
        state=Scheduled(NOW),
        tags=("t",),
    )
    assert run.id == RUN_ID and len(seen) == 3
    bodies = [body_of(r) for r in seen]
    assert len({b["idempotency_key"] for b in bodies}) == 1
    assert bodies[0]["idempotency_key"].startswith("prefect-sdk-")
    assert bodies[0]["state"]["type"] == "SCHEDULED" and bodies[0]["tags"] == ["t"]
    assert "name" not in bodies[0]  # the server's name takes no null
    _, request = await sent(
        kind, "create_flow_run_from_deployment", ok(RUN), DEP_ID, idempotency_key="mine"
    )
    assert body_of(request)["idempotency_key"] == "mine"


@pytest.mark.parametrize(
    ("flow_runs", "match"),
    [
        ({"name": "x"}, "flow_runs must be a list"),
        (DeploymentFlowRunCreate(), "flow_runs must be a list"),
        ([{"nmae": "typo"}], r"flow_runs\[0\].*nmae"),
        ([{}, {"state": "COMPLETED"}], r"flow_runs\[1\]"),
        ([{}] * 101, "at most 100 per request"),
    ],
)
async def test_create_flow_runs_from_deployment_refuses(
    kind: str, flow_runs: Any, match: str
) -> None:
    await refused(kind, "create_flow_runs_from_deployment", DEP_ID, flow_runs, match=match)


async def test_create_flow_runs_from_deployment_body(kind: str) -> None:
    answer = {
        "results": [
            {"status": "CREATED", "flow_run_id": str(RUN_ID)},
            {"status": "FAILED", "error": "no pool"},
        ]
    }
    results, request = await sent(
        kind,
        "create_flow_runs_from_deployment",
        ok(answer),
        DEP_ID,
        [DeploymentFlowRunCreate(name="a", state=Completed()), {"idempotency_key": "k"}],
    )
    assert [(r.created, r.flow_run_id, r.error) for r in results] == [
        (True, RUN_ID, None),
        (False, None, "no pool"),
    ]
    first, second = body_of(request)
    assert first["name"] == "a" and first["state"]["type"] == "COMPLETED"
    assert first["idempotency_key"].startswith("prefect-sdk-")
    assert second == {"idempotency_key": "k"}


# -- run_deployment ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs", "match"),
    [
        ("no-slash", {}, "name_or_id must be '<flow name>/<deployment name>'"),
        (42, {}, "name_or_id must be"),
        (DEP_ID, {"timeout": -1}, "timeout must be"),
        (DEP_ID, {"timeout": "soon"}, "timeout must be"),
        (DEP_ID, {"poll_interval": 0}, "poll_interval must be"),
        (DEP_ID, {"scheduled_time": dt.datetime(2026, 1, 1)}, "timezone-aware"),
        (DEP_ID, {"scheduled_time": "tomorrow"}, "scheduled_time must be a datetime"),
        (DEP_ID, {"tags": "one"}, "tags must be a list"),
    ],
)
async def test_run_deployment_refuses(
    kind: str, name: Any, kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, "run_deployment", name, match=match, **kwargs)


async def test_run_deployment_timeout_zero_returns_the_new_run(kind: str) -> None:
    handler, seen = respond(ok(DEPLOYMENT), ok(run_in("SCHEDULED"), 201))
    run = await call_with(
        kind, handler, "run_deployment", "my flow/d", timeout=0, as_subflow=False, tags=["a"]
    )
    assert run.id == RUN_ID and len(seen) == 2
    assert path_of(seen[0]) == "/deployments/name/my%20flow/d"
    assert path_of(seen[1]) == f"/deployments/{DEP_ID}/create_flow_run"
    body = body_of(seen[1])
    assert body["state"]["type"] == "SCHEDULED" and body["state"]["state_details"]["scheduled_time"]
    assert body["tags"] == ["a"] and body["idempotency_key"]


async def test_run_deployment_waits_for_a_final_state(kind: str) -> None:
    handler, seen = respond(
        ok(run_in("SCHEDULED"), 201), ok(run_in("RUNNING")), ok(run_in("COMPLETED"))
    )
    run = await call_with(
        kind, handler, "run_deployment", Deployment.model_validate(DEPLOYMENT), poll_interval=0.01
    )
    assert run.state_type == "COMPLETED" and len(seen) == 3
    assert [r.method for r in seen] == ["POST", "GET", "GET"]


async def test_run_deployment_returns_the_run_as_it_stands_after_the_timeout(kind: str) -> None:
    handler, seen = respond(ok(run_in("SCHEDULED"), 201), ok(run_in("PENDING")))
    run = await call_with(
        kind, handler, "run_deployment", str(DEP_ID), timeout=0.05, poll_interval=0.01
    )
    assert run.state_type == "PENDING" and len(seen) >= 2


# Prefect's prefect.deployments.run_deployment (3.8.8), by introspection: its parameter names.
PREFECT_RUN_DEPLOYMENT = [
    "name",
    "client",
    "parameters",
    "scheduled_time",
    "flow_run_name",
    "timeout",
    "poll_interval",
    "tags",
    "idempotency_key",
    "work_queue_name",
    "as_subflow",
    "job_variables",
]


def test_run_deployment_takes_prefects_parameters() -> None:
    import inspect

    from prefect_sdk.client import PrefectClient
    from prefect_sdk.deployments import run_deployment
    from prefect_sdk.sync import SyncPrefectClient

    assert list(inspect.signature(run_deployment).parameters) == PREFECT_RUN_DEPLOYMENT
    for cls in (PrefectClient, SyncPrefectClient):
        method = inspect.signature(cls.run_deployment).parameters
        assert set(PREFECT_RUN_DEPLOYMENT) - {"name", "client"} <= set(method)
        assert method["timeout"].default is None and method["poll_interval"].default == 5
