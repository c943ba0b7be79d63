"""Assemble the JSON body of a ``/.../filter`` or ``/.../count`` request."""

from __future__ import annotations

from typing import Any

from prefect_sdk.filters import _generated as g
from prefect_sdk.filters._base import FilterModel
from prefect_sdk.filters._enums import Operator

__all__ = ["BODY_KEYS", "filter_body"]

BODY_KEYS: dict[str, tuple[type[FilterModel], ...]] = {
    "artifacts": (g.ArtifactFilter, g.ArtifactCollectionFilter),
    "automations": (g.AutomationFilter,),
    "block_documents": (g.BlockDocumentFilter,),
    "block_schemas": (g.BlockSchemaFilter,),
    "block_types": (g.BlockTypeFilter,),
    "deployments": (g.DeploymentFilter,),
    "filter": (g.EventFilter,),
    "flow_runs": (g.FlowRunFilter,),
    "flows": (g.FlowFilter,),
    "logs": (g.LogFilter,),
    "task_runs": (g.TaskRunFilter,),
    "task_worker_filter": (g.TaskWorkerFilter,),
    "variables": (g.VariableFilter,),
    "work_pool_queues": (g.WorkQueueFilter,),
    "work_pools": (g.WorkPoolFilter,),
    "work_queues": (g.WorkQueueFilter,),
    "workers": (g.WorkerFilter,),
}
"""Body keys the server's filter routes take, and the model each one carries."""


def filter_body(**filters: FilterModel | None) -> dict[str, Any]:
    """Return the JSON-ready request body for the given filters.

    Keys are the server's body keys (``flows=``, ``flow_runs=``, ``deployments=``,
    ``work_pools=`` ...); ``None`` values are left out. A ``DeploymentFilter``'s
    ``work_pool_name`` is moved to ``work_pools.name.any_``, since the server
    filters deployments by pool through the separate ``work_pools`` key.
    """
    given: dict[str, FilterModel] = {}
    for key, value in filters.items():
        if value is None:
            continue
        allowed = BODY_KEYS.get(key)
        if allowed is None:
            raise TypeError(
                f"filter_body() got an unknown body key {key!r}; known keys: "
                f"{', '.join(sorted(BODY_KEYS))}"
            )
        if not isinstance(value, allowed):
            names = " or ".join(cls.__name__ for cls in allowed)
            raise TypeError(f"filter_body(): {key}= takes a {names}, got {type(value).__name__}")
        given[key] = value

    deployments = given.get("deployments")
    if isinstance(deployments, g.DeploymentFilter) and deployments.work_pool_name:
        pools = given.get("work_pools")
        pool_names = g.WorkPoolFilterName(any_=list(deployments.work_pool_name))
        if pools is None:
            given["work_pools"] = g.WorkPoolFilter(name=pool_names)
        else:
            assert isinstance(pools, g.WorkPoolFilter)
            if pools.name is not None:
                raise ValueError(
                    "filter_body(): deployments.work_pool_name="
                    f"{deployments.work_pool_name!r} and work_pools.name are both set; "
                    "give the pool names in one place only"
                )
            if pools.operator != Operator.and_:
                # Adding the names to an or_ filter would widen the result, not narrow it.
                raise ValueError(
                    "filter_body(): deployments.work_pool_name cannot be combined with a "
                    "work_pools filter whose operator is or_; put the pool names in that "
                    "filter's name= instead"
                )
            given["work_pools"] = pools.model_copy(update={"name": pool_names})

    return {key: value.to_wire() for key, value in given.items()}
