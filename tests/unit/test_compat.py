"""prefect-client 3.8.8 code ports by changing imports: same method names, same parameter names.

``tests/data/prefect_client_3.8.8_methods.json`` lists every public method of prefect-client
3.8.8's ``PrefectClient`` with its parameters (read from the installed package by
introspection: names, kinds and whether each is required).
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.sync import SyncPrefectClient

DATA = Path(__file__).resolve().parents[1] / "data/prefect_client_3.8.8_methods.json"
PREFECT_CLIENT: dict[str, Any] = json.loads(DATA.read_text())

# The run-orchestration half of the API: flows, flow runs, task runs, deployments, work
# pools, work queues, workers and the server's root routes.
RUN_ORCHESTRATION = {
    "api_healthcheck",
    "hello",
    "create_flow",
    "create_flow_from_name",
    "read_flow",
    "read_flow_by_name",
    "read_flows",
    "delete_flow",
    "create_flow_run",
    "read_flow_run",
    "read_flow_runs",
    "update_flow_run",
    "set_flow_run_name",
    "update_flow_run_labels",
    "count_flow_runs",
    "delete_flow_run",
    "set_flow_run_state",
    "read_flow_run_states",
    "read_flow_run_state",
    "resume_flow_run",
    "create_flow_run_input",
    "read_flow_run_input",
    "filter_flow_run_input",
    "delete_flow_run_input",
    "create_task_run",
    "read_task_run",
    "read_task_runs",
    "read_task_run_states",
    "set_task_run_state",
    "set_task_run_name",
    "delete_task_run",
    "create_deployment",
    "read_deployment",
    "read_deployment_by_name",
    "read_deployments",
    "update_deployment",
    "delete_deployment",
    "pause_deployment",
    "resume_deployment",
    "set_deployment_paused_state",
    "create_deployment_schedules",
    "read_deployment_schedules",
    "update_deployment_schedule",
    "delete_deployment_schedule",
    "get_scheduled_flow_runs_for_deployments",
    "create_flow_run_from_deployment",
    "create_work_pool",
    "read_work_pool",
    "read_work_pools",
    "update_work_pool",
    "delete_work_pool",
    "get_scheduled_flow_runs_for_work_pool",
    "read_work_pool_concurrency_status",
    "send_worker_heartbeat",
    "read_workers_for_work_pool",
    "create_work_queue",
    "read_work_queue",
    "read_work_queue_by_name",
    "update_work_queue",
    "delete_work_queue_by_id",
    "read_work_queues",
    "match_work_queues",
    "get_runs_in_work_queue",
    "read_work_queue_status",
    "read_work_queue_concurrency_status",
}


def test_the_scope_names_real_prefect_client_methods() -> None:
    assert set(PREFECT_CLIENT) >= RUN_ORCHESTRATION


def problems_of(cls: type, name: str) -> list[str]:
    ours = getattr(cls, name, None)
    if ours is None:
        return [f"{cls.__name__}.{name} is missing"]
    signature = inspect.signature(ours)
    params = signature.parameters
    takes_kwargs = any(p.kind is p.VAR_KEYWORD for p in params.values())
    found = []
    for theirs in PREFECT_CLIENT[name]["params"]:
        if theirs["kind"] in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            continue
        mine = params.get(theirs["name"])
        if mine is None:
            if not takes_kwargs:
                found.append(f"{name}: no parameter {theirs['name']!r}")
            continue
        if mine.kind is mine.POSITIONAL_ONLY:
            found.append(f"{name}: {theirs['name']!r} cannot be passed by keyword")
        if not theirs["required"] and mine.default is mine.empty:
            found.append(f"{name}: {theirs['name']!r} is optional in prefect-client, required here")
    required_here = {
        n
        for n, p in list(params.items())[1:]
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    theirs_names = {p["name"] for p in PREFECT_CLIENT[name]["params"]}
    for extra in sorted(required_here - theirs_names):
        # A required parameter prefect-client does not have breaks every ported call.
        found.append(f"{name}: requires {extra!r}, which prefect-client does not take")
    return found


@pytest.mark.parametrize("cls", [PrefectClient, SyncPrefectClient])
@pytest.mark.parametrize("name", sorted(RUN_ORCHESTRATION))
def test_method_takes_prefect_clients_parameters(cls: type, name: str) -> None:
    assert problems_of(cls, name) == []


# Every model the in-scope methods of prefect-client take or return (read from their
# annotations), and the request/response models of the same resources users build by hand.
PREFECT_SCHEMA_NAMES = {
    # prefect.client.schemas.objects
    "ConcurrencyOptions",
    "Constant",
    "Deployment",
    "DeploymentSchedule",
    "Flow",
    "FlowRun",
    "FlowRunInput",
    "FlowRunPolicy",
    "FlowRunResult",
    "Parameter",
    "State",
    "StateDetails",
    "StateType",
    "TaskRun",
    "TaskRunPolicy",
    "TaskRunResult",
    "VersionInfo",
    "WorkPool",
    "WorkPoolStorageConfiguration",
    "WorkQueue",
    "WorkQueueHealthPolicy",
    "WorkQueueStatusDetail",
    "Worker",
    "WorkerMetadata",
    # prefect.client.schemas.actions
    "DeploymentCreate",
    "DeploymentFlowRunCreate",
    "DeploymentScheduleCreate",
    "DeploymentScheduleUpdate",
    "DeploymentUpdate",
    "FlowCreate",
    "FlowRunCreate",
    "FlowRunUpdate",
    "FlowUpdate",
    "StateCreate",
    "TaskRunCreate",
    "TaskRunUpdate",
    "WorkPoolCreate",
    "WorkPoolUpdate",
    "WorkQueueCreate",
    "WorkQueueUpdate",
    # prefect.client.schemas.responses
    "DeploymentResponse",
    "HistoryResponse",
    "HistoryResponseState",
    "OrchestrationResult",
    "SetStateStatus",
    "WorkPoolConcurrencyStatus",
    "WorkQueueConcurrencyStatus",
    "WorkerFlowRunResponse",
    # prefect.client.schemas.schedules
    "CronSchedule",
    "IntervalSchedule",
    "RRuleSchedule",
}
PREFECT_FILTER_NAMES = {
    "DeploymentFilter",
    "DeploymentSort",
    "FlowFilter",
    "FlowRunFilter",
    "FlowRunSort",
    "FlowSort",
    "TaskRunFilter",
    "TaskRunSort",
    "WorkPoolFilter",
    "WorkQueueFilter",
    "WorkerFilter",
}


@pytest.mark.parametrize("name", sorted(PREFECT_SCHEMA_NAMES))
def test_model_imports_under_prefect_clients_name(name: str) -> None:
    import prefect_sdk.schemas

    assert name in prefect_sdk.schemas.__all__
    assert getattr(prefect_sdk.schemas, name).__name__ in (name, *_ALIASES.get(name, ()))


# prefect-client splits a few models we keep as one (its DeploymentResponse is the Deployment
# the server returns): the name imports, the class is ours.
_ALIASES = {"DeploymentResponse": ("Deployment",), "StateType": ("StateType",)}


@pytest.mark.parametrize("name", sorted(PREFECT_FILTER_NAMES))
def test_filter_imports_under_prefect_clients_name(name: str) -> None:
    import prefect_sdk.filters

    assert getattr(prefect_sdk.filters, name).__name__ == name
