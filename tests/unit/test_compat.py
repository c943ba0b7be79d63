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

# prefect-client methods that cannot apply here (docs/coverage.md says why, from
# tools/coverage.py): Prefect Cloud's SLA and deployment-branch routes, and its untyped
# escape hatch ``request``.
NOT_APPLICABLE = {"apply_slas_for_deployment", "create_deployment_branch", "request"}
IN_SCOPE = sorted(set(PREFECT_CLIENT) - NOT_APPLICABLE)


def test_what_does_not_apply_is_explained_in_the_coverage_table() -> None:
    from tools.coverage import PREFECT_CLIENT_REASONS

    assert set(PREFECT_CLIENT_REASONS) == NOT_APPLICABLE
    assert len(IN_SCOPE) == 132  # of prefect-client 3.8.8's 135 public methods


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
@pytest.mark.parametrize("name", IN_SCOPE)
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
    "DeploymentStatus",
    "FlowRunResponse",
    "RunType",
    "WorkPoolStatus",
    "WorkQueueStatus",
    "WorkerStatus",
    # the rest of the API
    "Artifact",
    "ArtifactCollection",
    "ArtifactCreate",
    "ArtifactUpdate",
    "BlockDocument",
    "BlockDocumentCreate",
    "BlockDocumentUpdate",
    "BlockSchema",
    "BlockSchemaCreate",
    "BlockType",
    "BlockTypeCreate",
    "BlockTypeUpdate",
    "ConcurrencyLimit",
    "ConcurrencyLimitCreate",
    "ConcurrencyLimitV2Create",
    "ConcurrencyLimitV2Update",
    "GlobalConcurrencyLimit",
    "GlobalConcurrencyLimitCreate",
    "GlobalConcurrencyLimitUpdate",
    "GlobalConcurrencyLimitResponse",
    "Log",
    "LogCreate",
    "SavedSearch",
    "SavedSearchCreate",
    "ServerDefaultResultStorage",
    "Variable",
    "VariableCreate",
    "VariableUpdate",
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
_ALIASES = {
    "DeploymentResponse": ("Deployment",),
    "FlowRunResponse": ("FlowRun",),
    "ConcurrencyLimitV2Create": ("GlobalConcurrencyLimitCreate",),
    "ConcurrencyLimitV2Update": ("GlobalConcurrencyLimitUpdate",),
}


@pytest.mark.parametrize("name", sorted(PREFECT_FILTER_NAMES))
def test_filter_imports_under_prefect_clients_name(name: str) -> None:
    import prefect_sdk.filters

    assert getattr(prefect_sdk.filters, name).__name__ == name
