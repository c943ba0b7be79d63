"""What a task run was given: the entries of ``TaskRun.task_inputs``.

A module of their own: a flow run's graph (``DependencyResult``) names task-run results, and
reading flow runs should not build every task-run model.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import Field

from prefect_sdk.schemas._base import ResponseModel

__all__ = [
    "Constant",
    "FlowRunResult",
    "Parameter",
    "RunInput",
    "TaskRunInput",
    "TaskRunResult",
]


class RunInput(ResponseModel):
    """Where one input of a task run came from; ``input_type`` says which kind it is."""

    input_type: str

    def model_post_init(self, context: Any, /) -> None:
        # The kind is the point of the object: count it as set even when it came from the
        # default, so an ``exclude_unset`` dump (how request bodies are built) keeps it.
        self.model_fields_set.add("input_type")


class TaskRunResult(RunInput):
    """The input is the result of another task run (``id``)."""

    input_type: Literal["task_run"] = "task_run"
    id: UUID


class FlowRunResult(RunInput):
    """The input is the result of a flow run (``id``)."""

    input_type: Literal["flow_run"] = "flow_run"
    id: UUID


class Parameter(RunInput):
    """The input is the flow parameter ``name``."""

    input_type: Literal["parameter"] = "parameter"
    name: str


class Constant(RunInput):
    """The input is a constant of Python type ``type`` (its value is not recorded)."""

    input_type: Literal["constant"] = "constant"
    type: str


TaskRunInput = Annotated[
    TaskRunResult | FlowRunResult | Parameter | Constant | dict[str, Any],
    Field(union_mode="left_to_right"),
]
"""One ``task_inputs`` entry: one of the four input models, or a plain dict for an
``input_type`` this SDK does not know yet (a newer server's)."""
