"""States, and the orchestrator's answer when one is proposed."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, Literal, TypeVar
from uuid import UUID

from pydantic import Field, model_validator

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "OrchestrationDetails",
    "OrchestrationResult",
    "SetStateStatus",
    "State",
    "StateCreate",
    "StateDetails",
    "StateType",
]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class StateDetails(ResponseModel):
    """Extra facts attached to a state (which run, when it is scheduled, pause keys ...)."""

    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None
    child_flow_run_id: UUID | None = None
    scheduled_time: dt.datetime | None = None
    cache_key: str | None = None
    cache_expiration: dt.datetime | None = None
    deferred: bool | None = False
    untrackable_result: bool = False
    pause_timeout: dt.datetime | None = None
    pause_reschedule: bool = False
    pause_key: str | None = None
    run_input_keyset: dict[str, str] | None = None
    refresh_cache: bool | None = None
    retriable: bool | None = None
    transition_id: UUID | None = None
    task_parameters_id: UUID | None = None
    traceparent: str | None = None


class State(ResponseModel):
    """A run's state. Build new ones with the helpers in :mod:`prefect_sdk.states`."""

    id: UUID | None = None
    type: StateType
    name: str | None = None
    timestamp: dt.datetime = Field(default_factory=_now)
    message: str | None = None
    data: Any = None
    state_details: StateDetails = Field(default_factory=StateDetails)

    def is_scheduled(self) -> bool:
        return self.type == StateType.SCHEDULED

    def is_pending(self) -> bool:
        return self.type == StateType.PENDING

    def is_running(self) -> bool:
        return self.type == StateType.RUNNING

    def is_completed(self) -> bool:
        return self.type == StateType.COMPLETED

    def is_failed(self) -> bool:
        return self.type == StateType.FAILED

    def is_crashed(self) -> bool:
        return self.type == StateType.CRASHED

    def is_cancelled(self) -> bool:
        return self.type == StateType.CANCELLED

    def is_cancelling(self) -> bool:
        return self.type == StateType.CANCELLING

    def is_paused(self) -> bool:
        return self.type == StateType.PAUSED

    def is_final(self) -> bool:
        """Completed, failed, crashed or cancelled: the run will not move on by itself."""
        return self.type in (
            StateType.COMPLETED,
            StateType.FAILED,
            StateType.CRASHED,
            StateType.CANCELLED,
        )

    def to_wire(self) -> dict[str, Any]:
        """The body the server expects when this state is proposed (``StateCreate``)."""
        return {
            "type": self.type.value,
            "name": self.name,
            "message": self.message,
            "data": self.data,
            "state_details": self.state_details.model_dump(mode="json", exclude_none=True),
        }

    def __repr__(self) -> str:
        message = f", message={self.message!r}" if self.message else ""
        return f"{self.name or self.type.value.title()}(type={self.type.value}{message})"


class StateCreate(RequestModel):
    """A state as it is proposed to the server (what ``State.to_wire()`` sends)."""

    type: StateType
    name: str | None = None
    message: str | None = None
    data: Any = None
    state_details: StateDetails = Field(default_factory=StateDetails)


class SetStateStatus(str, enum.Enum):
    """What the orchestrator did with a proposed state."""

    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    ABORT = "ABORT"
    WAIT = "WAIT"


class OrchestrationDetails(ResponseModel):
    """Why the orchestrator decided as it did.

    ``reason`` explains a reject/abort/wait; ``delay_seconds`` says how long to wait before
    proposing again (``WAIT`` only).  ``flow_run_id``, ``task_run_id`` and ``transition_id`` are
    taken from the resulting state's details.
    """

    type: Literal["accept_details", "reject_details", "abort_details", "wait_details"]
    reason: str | None = None
    delay_seconds: int | None = None
    flow_run_id: UUID | None = None
    task_run_id: UUID | None = None
    transition_id: UUID | None = None


_R = TypeVar("_R", bound="OrchestrationResult")


class OrchestrationResult(ResponseModel):
    """The answer to a proposed state change."""

    state: State | None = None
    status: SetStateStatus
    details: OrchestrationDetails

    @classmethod
    def accepted(cls, state: State, transition_id: UUID) -> OrchestrationResult:
        """The acceptance of the proposal ``transition_id`` that made ``state`` (the answer a
        retried state change returns when the run is found already in it)."""
        details = state.state_details
        return cls(
            state=state,
            status=SetStateStatus.ACCEPT,
            details=OrchestrationDetails(
                type="accept_details",
                flow_run_id=details.flow_run_id,
                task_run_id=details.task_run_id,
                transition_id=transition_id,
            ),
        )

    def as_accepted_repeat(self: _R, transition_id: UUID, proposed: StateType) -> _R:
        """This answer, or -- when it refuses a transition whose ``transition_id`` the run's
        current state (of the ``proposed`` type) already carries -- the acceptance of that
        earlier, identical proposal (a retry of a request whose first answer was lost)."""
        state = self.state
        if (
            self.status is SetStateStatus.REJECT
            and state is not None
            and state.type == proposed
            and state.state_details.transition_id == transition_id
        ):
            return self.model_copy(
                update={
                    "status": SetStateStatus.ACCEPT,
                    "details": OrchestrationDetails(
                        type="accept_details",
                        flow_run_id=self.details.flow_run_id,
                        task_run_id=self.details.task_run_id,
                        transition_id=transition_id,
                    ),
                }
            )
        return self

    @model_validator(mode="after")
    def _details_from_state(self) -> OrchestrationResult:
        if self.state is not None:
            sd = self.state.state_details
            d = self.details
            _assign(d, "flow_run_id", d.flow_run_id or sd.flow_run_id)
            _assign(d, "task_run_id", d.task_run_id or sd.task_run_id)
            _assign(d, "transition_id", d.transition_id or sd.transition_id)
        return self


def _assign(model: ResponseModel, name: str, value: Any) -> None:
    """``model.<name> = value`` for a plain field, as pydantic's ``__setattr__`` does it (the
    value in ``__dict__``, the name among the fields set), at a fraction of its cost: every
    state change answered runs this three times."""
    model.__dict__[name] = value
    model.__pydantic_fields_set__.add(name)
