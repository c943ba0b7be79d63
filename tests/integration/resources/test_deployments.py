"""Operations on deployments against the real server, through both clients."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.deployments import run_deployment
from prefect_sdk.exceptions import (
    NotSupportedByServer,
    ObjectNotFound,
    PrefectHTTPStatusError,
    ServerValidationError,
)
from prefect_sdk.filters import (
    DeploymentFilter,
    DeploymentSort,
    FlowFilter,
    FlowRunFilter,
    StateType,
)
from prefect_sdk.schemas import (
    ConcurrencyLimitStrategy,
    ConcurrencyOptions,
    CronSchedule,
    Deployment,
    DeploymentFlowRunCreate,
    DeploymentScheduleCreate,
    DeploymentUpdate,
    FlowRun,
    IntervalSchedule,
    RRuleSchedule,
    VersionInfo,
    WorkQueue,
)
from prefect_sdk.states import Completed, Running, Scheduled
from tests._support import server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]
HOUR = dt.timedelta(hours=1)


async def bulk_create(client: Any, deployment_id: Any, wanted: list[Any]) -> list[Any]:
    """``create_flow_runs_from_deployment``, resending the items the server reports FAILED.

    On a busy SQLite database the server reports an item it could not make as FAILED instead
    of failing the request; sending it again (with its idempotency key, if it has one) makes
    no second run. An item that fails for a reason of its own fails again, and stays FAILED.
    """
    results = list(await client.create_flow_runs_from_deployment(deployment_id, wanted))
    for _ in range(3):
        failed = [i for i, r in enumerate(results) if r.status != "CREATED"]
        if not failed:
            break
        again = await client.create_flow_runs_from_deployment(
            deployment_id, [wanted[i] for i in failed]
        )
        for i, result in zip(failed, again, strict=True):
            results[i] = result
    return results


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
        schedules=[RRuleSchedule(rrule="FREQ=DAILY"), (CronSchedule(cron="*/5 * * * *"), False)],
    )
    assert sorted(s.active for s in many.schedules) == [False, True]

    # Upsert: same flow + name updates in place.
    updated = await client.create_deployment(flow.id, "cron", version="2")
    assert updated.id == cron.id and updated.version == "2"

    assert (await client.read_deployment(cron.id)).name == "cron"
    assert (await client.read_deployment_by_name(f"{flow.name}/cron")).id == cron.id
    with pytest.raises(ObjectNotFound):
        await client.read_deployment(uuid.uuid4())
    with pytest.raises(ObjectNotFound):
        await client.read_deployment_by_name(f"{flow.name}/nope")

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
    await client.set_deployment_paused_state(cron, True)
    assert (await client.read_deployment(cron.id)).paused is True
    await client.set_deployment_paused_state(str(cron.id), False)
    assert (await client.read_deployment(cron.id)).paused is False

    await client.delete_deployment(many.id)
    with pytest.raises(ObjectNotFound):
        await client.read_deployment(many.id)


async def test_create_with_every_option_update_count_iterate_and_bulk_delete(
    client: Any, unique: Unique, api_url: str
) -> None:
    flow = await client.create_flow(unique("options"))
    tag = unique("tag")
    newer = {
        "version_info": VersionInfo(type="git", version="3f2a1c", branch="main"),
        "labels": {"team": "data"},
    }
    unknown = [
        name
        for name, since in (("version_info", "3.4.0"), ("labels", "3.2.0"))
        if server_older_than(api_url, since)
    ]
    if unknown:
        # An older server does not know these fields: the error names them and the version.
        with pytest.raises(ServerValidationError, match=rf"Prefect 3\..*{', '.join(unknown)}"):
            await client.create_deployment(flow, "full", **newer)
        for name in unknown:
            del newer[name]
    full = await client.create_deployment(
        flow,
        "full",
        tags=[tag],
        paused=True,
        concurrency_limit=3,
        concurrency_options=ConcurrencyOptions(
            collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW, grace_period_seconds=120
        ),
        entrypoint="flows.py:main",
        path="/srv/app",
        job_variables={"env": {"A": "1"}},
        parameter_openapi_schema={"type": "object", "properties": {"x": {"type": "integer"}}},
        enforce_parameter_schema=False,
        pull_steps=[{"prefect.deployments.steps.set_working_directory": {"directory": "/"}}],
        branch=None,
        base=None,
        root=None,
        **newer,
    )
    assert full.paused is True and full.concurrency_limit == 3
    # Servers before 3.6 have no grace period in their ConcurrencyOptions: they drop it
    # without a word (the model ignores fields it does not know), and it reads back unset.
    grace = None if server_older_than(api_url, "3.6.0") else 120
    assert full.concurrency_options == ConcurrencyOptions(
        collision_strategy="CANCEL_NEW", grace_period_seconds=grace
    )
    assert full.global_concurrency_limit is not None and full.global_concurrency_limit.limit == 3
    assert (full.entrypoint, full.path, full.job_variables) == (
        "flows.py:main",
        "/srv/app",
        {"env": {"A": "1"}},
    )
    assert full.enforce_parameter_schema is False and full.pull_steps is not None
    if "labels" in newer:
        assert full.labels is not None and full.labels["team"] == "data"

    # update_deployment: a model, then a dict; only what is set changes.
    await client.update_deployment(
        full.id, DeploymentUpdate(description="new", version="7", concurrency_limit=5)
    )
    after = await client.read_deployment(full.id)
    assert (after.description, after.version, after.concurrency_limit) == ("new", "7", 5)
    assert after.paused is True and after.tags == [tag] and after.entrypoint == "flows.py:main"
    await client.update_deployment(
        full,
        {
            "paused": False,
            "parameters": {"x": 2},
            "schedules": [{"schedule": {"cron": "0 1 * * *"}}],
        },
    )
    after = await client.read_deployment(full.id)
    assert after.paused is False and after.parameters == {"x": 2}
    assert [s.schedule for s in after.schedules] == [CronSchedule(cron="0 1 * * *")]
    assert after.description == "new"
    await client.update_deployment(full.id, DeploymentUpdate(description=None))
    assert (await client.read_deployment(full.id)).description is None
    with pytest.raises(ObjectNotFound):
        await client.update_deployment(uuid.uuid4(), DeploymentUpdate(description="x"))

    names = [f"n{i}" for i in range(5)]
    for name in names:
        await client.create_deployment(flow.id, name, tags=[tag])
    tagged = DeploymentFilter(tags=[tag])
    assert await client.count_deployments(deployment_filter=tagged) == 6
    assert await client.count_deployments(flow_filter=FlowFilter(id=flow.id)) == 6
    seen = [
        d.name
        async for d in client.iter_deployments(
            DeploymentSort.NAME_ASC, deployment_filter=tagged, page_size=2
        )
    ]
    assert seen == ["full", *names]

    if server_older_than(api_url, "3.6.0"):
        with pytest.raises(NotSupportedByServer, match="bulk_delete_deployments"):
            await client.bulk_delete_deployments(tagged, limit=50)
        return
    deleted = await client.bulk_delete_deployments(
        DeploymentFilter(tags=[tag], name=names[:3]), limit=50
    )
    assert len(deleted) == 3
    assert await client.read_deployments(deployment_filter=DeploymentFilter(id=deleted)) == []
    assert await client.count_deployments(deployment_filter=tagged) == 3
    # Repeating the delete finds nothing more to delete.
    assert await client.bulk_delete_deployments(DeploymentFilter(name=names[:3]), limit=50) == []
    rest = await client.bulk_delete_deployments(tagged, limit=2)
    assert len(rest) == 2 and await client.count_deployments(deployment_filter=tagged) == 1


async def test_deployment_schedules(client: Any, unique: Unique, api_url: str) -> None:
    # Schedule slugs and per-schedule parameters: not on 3.0 (3.2 has them).
    slugs = not server_older_than(api_url, "3.2.0")
    flow = await client.create_flow(unique("scheduled"))
    deployment = await client.create_deployment(flow, "d")
    assert await client.read_deployment_schedules(deployment.id) == []

    created = await client.create_deployment_schedules(
        deployment.id,
        [
            (IntervalSchedule(interval=HOUR), True),
            (CronSchedule(cron="0 0 * * *"), False),
            DeploymentScheduleCreate(
                schedule=RRuleSchedule(rrule="FREQ=WEEKLY"), slug="weekly" if slugs else None
            ),
        ],
    )
    assert [(type(s.schedule), s.active, s.slug) for s in created] == [
        (IntervalSchedule, True, None),
        (CronSchedule, False, None),
        (RRuleSchedule, True, "weekly" if slugs else None),
    ]
    newer: dict[str, Any] = {"parameters": {"x": 1}, "slug": "morning"}
    if not slugs:
        with pytest.raises(ServerValidationError, match=r"Prefect 3\.0.*: 0\.parameters, 0\.slug"):
            await client.create_deployment_schedules(
                deployment, [CronSchedule(cron="30 6 * * *")], **newer
            )
        newer = {}
    one = await client.create_deployment_schedules(
        deployment, [CronSchedule(cron="30 6 * * *")], max_scheduled_runs=2, **newer
    )
    assert (one[0].max_scheduled_runs, one[0].parameters, one[0].slug) == (
        (2, {"x": 1}, "morning") if slugs else (2, {}, None)
    )
    schedules = await client.read_deployment_schedules(deployment.id)
    assert sorted(s.id for s in schedules) == sorted(s.id for s in [*created, *one])

    interval_id, cron_id = created[0].id, created[1].id
    await client.update_deployment_schedule(
        deployment.id, cron_id, active=True, schedule=CronSchedule(cron="15 0 * * *")
    )
    await client.update_deployment_schedule(deployment.id, one[0], max_scheduled_runs=4)
    by_id = {s.id: s for s in await client.read_deployment_schedules(deployment.id)}
    assert by_id[cron_id].active is True
    assert by_id[cron_id].schedule == CronSchedule(cron="15 0 * * *")
    assert by_id[one[0].id].max_scheduled_runs == 4
    assert by_id[one[0].id].slug == ("morning" if slugs else None)

    for schedule_id in (cron_id, created[2].id, one[0].id):
        await client.delete_deployment_schedule(deployment.id, schedule_id)
    assert [s.id for s in await client.read_deployment_schedules(deployment.id)] == [interval_id]
    with pytest.raises(ObjectNotFound):
        await client.delete_deployment_schedule(deployment.id, cron_id)
    with pytest.raises(ObjectNotFound):
        await client.read_deployment_schedules(uuid.uuid4())


async def test_get_scheduled_flow_runs_for_deployments(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("polled"))
    deployment = await client.create_deployment(flow, "d")
    other = await client.create_deployment(flow, "other")
    now = dt.datetime.now(dt.timezone.utc)
    for hours in (3, 1, 2):
        await client.create_flow_run_from_deployment(
            deployment, state=Scheduled(now + hours * HOUR), name=f"in-{hours}h"
        )
    await client.create_flow_run_from_deployment(deployment, state=Completed(), name="done")
    elsewhere = await client.create_flow_run_from_deployment(
        other, state=Scheduled(now + HOUR), name="other-1h"
    )

    due = await client.get_scheduled_flow_runs_for_deployments([deployment.id])
    assert all(isinstance(r, FlowRun) for r in due)
    assert [r.name for r in due] == ["in-1h", "in-2h", "in-3h"]  # Scheduled only, soonest first
    first_two = await client.get_scheduled_flow_runs_for_deployments([str(deployment.id)], limit=2)
    assert [r.name for r in first_two] == ["in-1h", "in-2h"]
    soon = await client.get_scheduled_flow_runs_for_deployments(
        [deployment, other], scheduled_before=now + 90 * dt.timedelta(minutes=1)
    )
    assert sorted(r.name for r in soon) == ["in-1h", "other-1h"]
    assert elsewhere.id in [r.id for r in soon]
    before = now - HOUR
    assert (
        await client.get_scheduled_flow_runs_for_deployments(
            [deployment.id], scheduled_before=before
        )
        == []
    )


async def test_schedule_deployment(client: Any, unique: Unique) -> None:
    flow = await client.create_flow(unique("backfill"))
    deployment = await client.create_deployment(flow, "d", schedule=IntervalSchedule(interval=HOUR))
    # The scheduler is off in the test server: schedule_deployment makes the runs.
    of_deployment = FlowRunFilter(deployment_id=[deployment.id])
    assert await client.read_flow_runs(flow_run_filter=of_deployment) == []
    try:
        await client.schedule_deployment(deployment.id, max_runs=3)
    except PrefectHTTPStatusError as exc:  # pragma: no cover - depends on the server's build
        if exc.status_code != 503:
            raise
        pytest.fail(
            "the server failed to insert the scheduled runs (503); Prefect 3.8.8's "
            'schedule_runs breaks on SQLAlchemy 2.1 ("Can\'t evaluate bulk DML statement"): '
            "run the test server with sqlalchemy<2.1"
        )
    runs = await client.read_flow_runs(flow_run_filter=of_deployment)
    assert len(runs) == 3 and {r.state_type for r in runs} == {StateType.SCHEDULED}
    assert all(r.auto_scheduled for r in runs)
    await client.schedule_deployment(deployment.id, max_runs=3)  # nothing new: same times
    assert len(await client.read_flow_runs(flow_run_filter=of_deployment)) == 3
    start = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)
    await client.schedule_deployment(
        deployment, start_time=start, end_time=start + 2 * HOUR, min_time=HOUR, min_runs=1
    )
    later = await client.read_flow_runs(flow_run_filter=of_deployment)
    assert len(later) == 5  # two more: the hourly runs between start and start + 2h
    assert (
        len(
            await client.get_scheduled_flow_runs_for_deployments(
                [deployment.id], scheduled_before=start - dt.timedelta(days=1)
            )
        )
        == 3
    )

    # Pausing deletes the runs the schedules made; asked explicitly, the server still
    # schedules a paused deployment.  Only active schedules make runs.
    await client.set_deployment_paused_state(deployment.id, True)
    assert await client.read_flow_runs(flow_run_filter=of_deployment) == []
    await client.schedule_deployment(deployment.id, max_runs=3)
    assert len(await client.read_flow_runs(flow_run_filter=of_deployment)) == 3
    schedule_id = deployment.schedules[0].id
    await client.update_deployment_schedule(deployment.id, schedule_id, active=False)
    assert await client.read_flow_runs(flow_run_filter=of_deployment) == []  # future runs gone
    await client.schedule_deployment(deployment.id, max_runs=3)
    assert await client.read_flow_runs(flow_run_filter=of_deployment) == []


async def test_flow_runs_from_a_deployment(client: Any, unique: Unique, api_url: str) -> None:
    pool = await client.create_work_pool(unique("runpool"), "process")
    flow = await client.create_flow(unique("runs"))
    deployment = await client.create_deployment(
        flow, "d", parameters={"a": 1, "b": 2}, tags=["dep"], work_pool_name=pool.name
    )
    # Flow run labels: not on 3.0 (3.2 has them).
    labels = {} if server_older_than(api_url, "3.2.0") else {"labels": {"l": "1"}}
    run = await client.create_flow_run_from_deployment(
        deployment.id,
        parameters={"b": 3},
        tags=["extra"],
        name=unique("run"),
        context={"k": "v"},
        job_variables={"env": {"X": "1"}},
        work_queue_name="other",
        **labels,
    )
    assert isinstance(run, FlowRun) and run.deployment_id == deployment.id
    assert run.parameters == {"a": 1, "b": 3} and sorted(run.tags) == ["dep", "extra"]
    assert run.state_type == StateType.SCHEDULED and run.work_queue_name == "other"
    assert run.idempotency_key  # a generated key was sent
    read = await client.read_flow_run(run.id)
    assert read.context == {"k": "v"} and read.job_variables == {"env": {"X": "1"}}

    # The same idempotency key gives back the run already made.
    key = unique("key")
    first = await client.create_flow_run_from_deployment(deployment, idempotency_key=key)
    again = await client.create_flow_run_from_deployment(
        deployment, idempotency_key=key, name="ignored"
    )
    assert again.id == first.id and again.name == first.name
    finished = await client.create_flow_run_from_deployment(deployment, state=Completed())
    assert finished.state_type == StateType.COMPLETED

    if labels:
        assert run.labels is not None and run.labels["l"] == "1"
    if server_older_than(api_url, "3.6.0"):
        with pytest.raises(NotSupportedByServer, match="create_flow_runs_from_deployment"):
            await client.create_flow_runs_from_deployment(deployment.id, [{"name": "bulk"}])
    else:
        await _bulk_runs_from_a_deployment(client, unique, flow, deployment, key, first)

    queues = await client.read_deployment_work_queue_check(deployment.id)
    assert all(isinstance(q, WorkQueue) for q in queues)
    # Every queue without a (legacy) tag or deployment filter qualifies: the deployment's own
    # queue among them. Not on PostgreSQL, a bug of this deprecated route: its query tests the
    # queue's legacy filter with JSONB containment, which is NULL (no match) for a queue
    # without one; SQLite's emulation treats it as empty (docs/compatibility.md). The matrix
    # says which database the server uses (its settings mask the URL).
    on_postgres = os.environ.get("PREFECT_SDK_TEST_DATABASE") == "postgres"
    own = ("default", pool.id) in [(q.name, q.work_pool_id) for q in queues]
    assert own is not on_postgres
    with pytest.raises(ObjectNotFound):
        await client.read_deployment_work_queue_check(uuid.uuid4())


async def _bulk_runs_from_a_deployment(
    client: Any, unique: Unique, flow: Any, deployment: Any, key: str, first: Any
) -> None:
    wanted: list[Any] = [
        DeploymentFlowRunCreate(name="bulk-1", parameters={"a": 9}, idempotency_key=unique("b1")),
        {
            "name": "bulk-2",
            "state": Scheduled(dt.datetime.now(dt.timezone.utc) + HOUR),
            "idempotency_key": unique("b2"),
        },
        {"idempotency_key": key},
    ]
    results = await bulk_create(client, deployment.id, wanted)
    assert [r.status for r in results] == ["CREATED", "CREATED", "CREATED"]
    assert all(r.created for r in results) and results[2].flow_run_id == first.id
    made = [await client.read_flow_run(r.flow_run_id) for r in results[:2]]
    assert [(m.name, m.parameters["a"]) for m in made] == [("bulk-1", 9), ("bulk-2", 1)]
    assert await client.create_flow_runs_from_deployment(deployment.id, []) == []
    no_pool = await client.create_deployment(flow, "no-pool")
    failed = await bulk_create(client, no_pool.id, [{"work_queue_name": "x"}, {}])
    assert [r.status for r in failed] == ["FAILED", "CREATED"]
    assert failed[0].flow_run_id is None and "work pool" in (failed[0].error or "")
    with pytest.raises(ObjectNotFound):
        await client.create_flow_runs_from_deployment(uuid.uuid4(), [])
    with pytest.raises(ObjectNotFound):
        await client.create_flow_run_from_deployment(uuid.uuid4())


def _complete_when_created(sync_client: Any, name: str) -> None:
    """Move the flow run called ``name`` to Running, then Completed, once it exists."""
    for _ in range(400):
        found = sync_client.read_flow_runs(flow_run_filter=FlowRunFilter(name=[name]))
        if found:
            sync_client.set_flow_run_state(found[0].id, Running())
            sync_client.set_flow_run_state(found[0].id, Completed())
            return
        time.sleep(0.02)


async def _complete_when_created_async(client: Any, name: str) -> None:
    for _ in range(400):
        found = await client.read_flow_runs(flow_run_filter=FlowRunFilter(name=[name]))
        if found:
            await client.set_flow_run_state(found[0].id, Running())
            await client.set_flow_run_state(found[0].id, Completed())
            return
        await anyio.sleep(0.02)


async def test_run_deployment(client: Any, flavour: str, unique: Unique) -> None:
    flow = await client.create_flow(unique("runme"))
    deployment = await client.create_deployment(flow, "d", parameters={"n": 1})

    # timeout=0: the new run, at once, as created (the scheduler is off: it stays Scheduled).
    later = dt.datetime.now(dt.timezone.utc) + HOUR
    now_run = await client.run_deployment(
        f"{flow.name}/d",
        parameters={"n": 2},
        scheduled_time=later,
        flow_run_name=unique("zero"),
        tags=["rd"],
        timeout=0,
    )
    assert isinstance(now_run, FlowRun) and now_run.deployment_id == deployment.id
    assert now_run.state_type == StateType.SCHEDULED and now_run.parameters == {"n": 2}
    assert now_run.state is not None and now_run.state.state_details.scheduled_time == later
    assert now_run.tags == ["rd"]

    # A short timeout returns the run as it stands (no error).
    stuck = await client.run_deployment(deployment.id, timeout=0.2, poll_interval=0.05)
    assert stuck.deployment_id == deployment.id and stuck.state_type == StateType.SCHEDULED

    # Driven to Completed meanwhile: the run comes back in its final state.
    name = unique("done")
    if flavour == "sync":
        worker = threading.Thread(target=_complete_when_created, args=(client.sync, name))
        worker.start()
        try:
            done = await client.run_deployment(
                deployment, flow_run_name=name, timeout=30, poll_interval=0.05
            )
        finally:
            worker.join()
    else:
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_complete_when_created_async, client, name)
            done = await client.run_deployment(
                str(deployment.id), flow_run_name=name, timeout=30, poll_interval=0.05
            )
    assert done.name == name and done.state_type == StateType.COMPLETED

    with pytest.raises(ObjectNotFound):
        await client.run_deployment(f"{flow.name}/missing", timeout=0)


async def test_run_deployment_module_function(
    flavour: str, api_url: str, unique: Unique, monkeypatch: pytest.MonkeyPatch
) -> None:
    if flavour == "sync":
        pytest.skip("prefect_sdk.deployments.run_deployment is async (as Prefect's is)")
    async with PrefectClient(api=api_url) as client:
        flow = await client.create_flow(unique("run-fn"))
        deployment = await client.create_deployment(flow, "d")
        first = await run_deployment(f"{flow.name}/d", client=client, timeout=0)
        assert first.deployment_id == deployment.id and first.state_type == StateType.SCHEDULED
        name = unique("fn-done")
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_complete_when_created_async, client, name)
            done = await run_deployment(
                deployment.id, client=client, flow_run_name=name, poll_interval=0.05
            )
        assert done.name == name and done.state_type == StateType.COMPLETED
    # Without client=, one is made from the environment for the call.
    monkeypatch.setenv("PREFECT_API_URL", api_url)
    again = await run_deployment(str(deployment.id), timeout=0.1, poll_interval=0.05)
    assert again.deployment_id == deployment.id and again.state_type == StateType.SCHEDULED
