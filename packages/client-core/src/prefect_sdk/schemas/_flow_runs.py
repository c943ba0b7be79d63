"""Flow runs, their inputs and graphs (run histories are ``HistoryResponse``, with the task
runs' models)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from uuid import UUID

from pydantic import Field, model_validator

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel, ResponseModel
from prefect_sdk.schemas._common import CreatedBy, JSONLabels, Page
from prefect_sdk.schemas._run_inputs import TaskRunResult
from prefect_sdk.schemas._states import OrchestrationResult, State

__all__ = [
    "DependencyResult",
    "FlowRun",
    "FlowRunBulkSetStateResponse",
    "FlowRunCreate",
    "FlowRunInput",
    "FlowRunOrchestrationResult",
    "FlowRunPaginationResponse",
    "FlowRunPolicy",
    "FlowRunResponse",
    "FlowRunUpdate",
    "Graph",
    "GraphArtifact",
    "GraphEdge",
    "GraphNode",
    "GraphState",
    "SimpleFlowRun",
]


class FlowRunPolicy(ResponseModel):
    """How a flow run is retried (and, while paused, which pauses it has seen)."""

    max_retries: int = 0
    retry_delay_seconds: float = 0
    retries: int | None = None
    retry_delay: int | None = None
    pause_keys: list[str] | None = None
    resuming: bool | None = False
    retry_type: str | None = None


class FlowRun(ResponseModel):
    """One run of a flow."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    name: str = ""
    flow_id: UUID
    state_id: UUID | None = None
    deployment_id: UUID | None = None
    deployment_version: str | None = None
    work_queue_id: UUID | None = None
    work_queue_name: str | None = None
    work_pool_id: UUID | None = None
    work_pool_name: str | None = None
    flow_version: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    empirical_policy: FlowRunPolicy = Field(default_factory=FlowRunPolicy)
    tags: list[str] = Field(default_factory=list)
    labels: JSONLabels | None = None
    parent_task_run_id: UUID | None = None
    state_type: StateType | None = None
    state_name: str | None = None
    run_count: int = 0
    expected_start_time: dt.datetime | None = None
    next_scheduled_start_time: dt.datetime | None = None
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    total_run_time: float = 0.0
    estimated_run_time: float = 0.0
    estimated_start_time_delta: float = 0.0
    auto_scheduled: bool = False
    infrastructure_document_id: UUID | None = None
    infrastructure_pid: str | None = None
    created_by: CreatedBy | None = None
    state: State | None = None
    job_variables: dict[str, Any] | None = None


class FlowRunCreate(RequestModel):
    """The body of ``POST /flow_runs/`` (validated before it is sent)."""

    flow_id: UUID
    name: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    parent_task_run_id: UUID | None = None
    state: dict[str, Any] | None = None
    idempotency_key: str | None = None
    work_pool_name: str | None = None
    work_queue_name: str | None = None
    job_variables: dict[str, Any] | None = None
    deployment_id: UUID | None = None
    labels: JSONLabels | None = None


class FlowRunUpdate(RequestModel):
    """The body of ``PATCH /flow_runs/{id}``: only the fields given are changed.

    ``empirical_policy`` replaces the whole retry policy (fields left out take their defaults).
    """

    name: str | None = None
    flow_version: str | None = None
    parameters: dict[str, Any] | None = None
    empirical_policy: FlowRunPolicy | None = None
    tags: list[str] | None = None
    infrastructure_pid: str | None = None
    job_variables: dict[str, Any] | None = None


class FlowRunPaginationResponse(Page[FlowRun]):
    """One page of ``POST /flow_runs/paginate``."""


class FlowRunOrchestrationResult(OrchestrationResult):
    """What the orchestrator did with one run of a bulk state change (``flow_run_id``)."""

    flow_run_id: UUID

    @model_validator(mode="after")
    def _details_from_state(self) -> FlowRunOrchestrationResult:
        # Prefect 3.8.8's bulk answer repeats one run's id in every result's
        # state.state_details.flow_run_id; the result's own flow_run_id is the right one.
        details = self.details
        if self.state is not None:
            state_details = self.state.state_details
            state_details.flow_run_id = self.flow_run_id
            details.task_run_id = details.task_run_id or state_details.task_run_id
            details.transition_id = details.transition_id or state_details.transition_id
        details.flow_run_id = self.flow_run_id
        return self


class FlowRunBulkSetStateResponse(ResponseModel):
    """The answer of ``POST /flow_runs/bulk_set_state``: one result per run it handled."""

    results: list[FlowRunOrchestrationResult] = Field(default_factory=list)


class FlowRunInput(ResponseModel):
    """A value stored under ``key`` for a flow run (e.g. the input a paused run was resumed
    with). ``value`` is the stored text, usually JSON: see :attr:`decoded_value`."""

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    flow_run_id: UUID
    key: str
    value: str
    sender: str | None = None

    @property
    def decoded_value(self) -> Any:
        """``value`` parsed as JSON (``json.JSONDecodeError`` if it is not JSON)."""
        return json.loads(self.value)


class SimpleFlowRun(ResponseModel):
    """A flow run reduced to what a run-history chart needs."""

    id: UUID
    state_type: StateType
    timestamp: dt.datetime
    duration: float = 0.0
    lateness: float = 0.0


class DependencyResult(ResponseModel):
    """One task run of a flow run's graph (``read_flow_run_graph``) and what it consumed."""

    id: UUID
    name: str
    upstream_dependencies: list[TaskRunResult] = Field(default_factory=list)
    state: State | None = None
    expected_start_time: dt.datetime | None = None
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    total_run_time: float | None = None
    estimated_run_time: float | None = None
    untrackable_result: bool = False


class GraphEdge(ResponseModel):
    """A link to another node of a :class:`Graph` (the server's ``Edge``)."""

    id: UUID


class GraphArtifact(ResponseModel):
    """An artifact shown in a :class:`Graph`."""

    id: UUID
    created: dt.datetime | None = None
    key: str | None = None
    type: str | None = None
    is_latest: bool = False
    data: Any = None


class GraphState(ResponseModel):
    """One state the flow run of a :class:`Graph` went through."""

    id: UUID
    timestamp: dt.datetime
    type: StateType
    name: str | None = None


class GraphNode(ResponseModel):
    """A task run or subflow run of a :class:`Graph` (the server's ``Node``)."""

    kind: str
    """``"task-run"`` or ``"flow-run"``."""
    id: UUID
    label: str = ""
    state_type: StateType | None = None
    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    parents: list[GraphEdge] = Field(default_factory=list)
    children: list[GraphEdge] = Field(default_factory=list)
    encapsulating: list[GraphEdge] = Field(default_factory=list)
    artifacts: list[GraphArtifact] = Field(default_factory=list)


class Graph(ResponseModel):
    """A flow run's graph (``read_flow_run_graph_v2``): its nodes, their links and states."""

    start_time: dt.datetime | None = None
    end_time: dt.datetime | None = None
    root_node_ids: list[UUID] = Field(default_factory=list)
    nodes: list[tuple[UUID, GraphNode]] = Field(default_factory=list)
    artifacts: list[GraphArtifact] = Field(default_factory=list)
    states: list[GraphState] = Field(default_factory=list)

    def node(self, node_id: UUID | str) -> GraphNode:
        """The node with id ``node_id`` (``KeyError`` if the graph has none)."""
        wanted = UUID(str(node_id))
        for key, node in self.nodes:
            if key == wanted:
                return node
        raise KeyError(node_id)


FlowRunResponse = FlowRun
"""prefect-client's name for a flow run as the server returns it (the same model here)."""
