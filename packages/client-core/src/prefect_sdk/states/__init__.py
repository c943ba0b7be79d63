"""Constructors for the states a run can be moved to.

Each returns a :class:`~prefect_sdk.schemas.State` ready to pass to
``set_flow_run_state`` / ``set_task_run_state`` or ``create_flow_run(state=...)``::

    await client.set_flow_run_state(run.id, Completed(message="done"))
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import StateType
    from prefect_sdk.schemas import State

__all__ = [
    "AwaitingConcurrencySlot",
    "AwaitingRetry",
    "Cancelled",
    "Cancelling",
    "Completed",
    "Crashed",
    "Failed",
    "Late",
    "Paused",
    "Pending",
    "Retrying",
    "Running",
    "Scheduled",
    "State",
    "StateType",
    "Suspended",
]


def _aware(value: dt.datetime, argument: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ValidationError(
            f"{argument} must be timezone-aware, e.g. datetime.now(timezone.utc) + timedelta(...)"
        )
    return value


def __getattr__(name: str) -> Any:
    # ``State`` and ``StateType`` load with the models (pydantic) on first use, not on import.
    if name == "State":
        from prefect_sdk.schemas._states import State

        return State
    if name == "StateType":
        from prefect_sdk.schemas._states import StateType

        return StateType
    raise AttributeError(f"module 'prefect_sdk.states' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)


def _state(
    type_: str,
    name: str,
    message: str | None,
    data: Any = None,
    **details: Any,
) -> State:
    """A ``State`` of the ``StateType`` member named ``type_`` (``"SCHEDULED"``)."""
    from prefect_sdk.schemas._states import State, StateDetails, StateType

    return State(
        type=StateType[type_],
        name=name,
        message=message,
        data=data,
        state_details=StateDetails(**{k: v for k, v in details.items() if v is not None}),
    )


def Scheduled(
    scheduled_time: dt.datetime | None = None,
    message: str | None = None,
    name: str = "Scheduled",
) -> State:
    """A run waiting for ``scheduled_time`` (now if omitted)."""
    when = _aware(scheduled_time, "scheduled_time") if scheduled_time else None
    return _state("SCHEDULED", name, message, scheduled_time=when)


def Late(scheduled_time: dt.datetime | None = None, message: str | None = None) -> State:
    """A scheduled run that missed its start time."""
    return Scheduled(scheduled_time, message, name="Late")


def AwaitingRetry(scheduled_time: dt.datetime | None = None, message: str | None = None) -> State:
    """A failed run scheduled to be retried."""
    return Scheduled(scheduled_time, message, name="AwaitingRetry")


def AwaitingConcurrencySlot(
    scheduled_time: dt.datetime | None = None, message: str | None = None
) -> State:
    """A run waiting for a concurrency slot."""
    return Scheduled(scheduled_time, message, name="AwaitingConcurrencySlot")


def Pending(message: str | None = None, name: str = "Pending") -> State:
    """A run about to start."""
    return _state("PENDING", name, message)


def Running(message: str | None = None, name: str = "Running") -> State:
    """A run that is executing."""
    return _state("RUNNING", name, message)


def Retrying(message: str | None = None) -> State:
    """A run executing again after a failure."""
    return Running(message, name="Retrying")


def Completed(message: str | None = None, data: Any = None, name: str = "Completed") -> State:
    """A run that finished successfully."""
    return _state("COMPLETED", name, message, data)


def Failed(message: str | None = None, data: Any = None, name: str = "Failed") -> State:
    """A run that finished with an error in user code."""
    return _state("FAILED", name, message, data)


def Crashed(message: str | None = None, name: str = "Crashed") -> State:
    """A run that stopped because of its infrastructure, not its code."""
    return _state("CRASHED", name, message)


def Cancelling(message: str | None = None, name: str = "Cancelling") -> State:
    """A run asked to stop."""
    return _state("CANCELLING", name, message)


def Cancelled(message: str | None = None, name: str = "Cancelled") -> State:
    """A run that was stopped on request."""
    return _state("CANCELLED", name, message)


def Paused(
    timeout_seconds: int | None = None,
    pause_expiration_time: dt.datetime | None = None,
    reschedule: bool = False,
    pause_key: str | None = None,
    message: str | None = None,
    name: str = "Paused",
) -> State:
    """A run waiting to be resumed, until ``timeout_seconds`` or ``pause_expiration_time``."""
    if timeout_seconds is not None and pause_expiration_time is not None:
        raise ValidationError("pass timeout_seconds or pause_expiration_time, not both")
    if timeout_seconds is not None:
        if timeout_seconds <= 0:
            raise ValidationError("timeout_seconds must be positive")
        pause_expiration_time = dt.datetime.now(dt.timezone.utc) + dt.timedelta(
            seconds=timeout_seconds
        )
    elif pause_expiration_time is not None:
        _aware(pause_expiration_time, "pause_expiration_time")
    return _state(
        "PAUSED",
        name,
        message,
        pause_timeout=pause_expiration_time,
        pause_reschedule=reschedule,
        pause_key=pause_key,
    )


def Suspended(
    timeout_seconds: int | None = None,
    pause_expiration_time: dt.datetime | None = None,
    pause_key: str | None = None,
    message: str | None = None,
) -> State:
    """A paused run whose infrastructure is released; it is rescheduled when resumed."""
    return Paused(
        timeout_seconds,
        pause_expiration_time,
        reschedule=True,
        pause_key=pause_key,
        message=message,
        name="Suspended",
    )
