"""Automations: a trigger (what to watch for) and the actions to take when it fires.

Triggers and actions the SDK has no model for (newer or Cloud-only kinds) are kept as plain
dicts, so every automation the server holds can be read and sent back unchanged.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    Tag,
    field_validator,
    model_validator,
)

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import RequestModel

__all__ = [
    "Action",
    "ActionTypes",
    "Automation",
    "AutomationCore",
    "CallWebhook",
    "CancelFlowRun",
    "ChangeFlowRunState",
    "CompoundTrigger",
    "DeleteFlowRun",
    "DoNothing",
    "EventTrigger",
    "PauseAutomation",
    "PauseDeployment",
    "PauseWorkPool",
    "PauseWorkQueue",
    "Posture",
    "ResumeAutomation",
    "ResumeDeployment",
    "ResumeFlowRun",
    "ResumeWorkPool",
    "ResumeWorkQueue",
    "RunDeployment",
    "SendNotification",
    "SequenceTrigger",
    "SuspendFlowRun",
    "TriggerTypes",
]

LabelValues = dict[str, str | list[str]]
"""Resource labels to match: each label's value, or a list of accepted values (``*`` globs)."""


def _seconds(value: dt.timedelta) -> float:
    return value.total_seconds()


Seconds = Annotated[dt.timedelta, PlainSerializer(_seconds, return_type=float, when_used="json")]
"""A duration, sent as seconds: a Prefect 3.8.8 server fails (500) on an ISO 8601 ``within``
of a Proactive trigger, and takes numbers everywhere."""


class Posture(str, enum.Enum):
    """Whether a trigger fires on events that happen (Reactive) or fail to happen (Proactive)."""

    Reactive = "Reactive"
    Proactive = "Proactive"
    Metric = "Metric"


# -- triggers -----------------------------------------------------------------------------

PROACTIVE_MINIMUM = dt.timedelta(seconds=10)


class EventTrigger(RequestModel):
    """Fires when ``threshold`` events named in ``expect`` (for resources matching ``match``)
    arrive within ``within`` (Reactive), or when they do not (Proactive).

    ``after`` names events that must come first; ``for_each`` labels that split the count per
    resource (e.g. ``{"prefect.resource.id"}``).
    """

    type: Literal["event"] = "event"
    match: LabelValues = Field(default_factory=dict)
    match_related: LabelValues | list[LabelValues] = Field(default_factory=dict)
    after: set[str] = Field(default_factory=set)
    expect: set[str] = Field(default_factory=set)
    for_each: set[str] = Field(default_factory=set)
    posture: Literal[Posture.Reactive, Posture.Proactive] = Posture.Reactive
    threshold: int = 1
    within: Seconds = dt.timedelta(0)

    @field_validator("within")
    @classmethod
    def _not_negative(cls, value: dt.timedelta) -> dt.timedelta:
        if value < dt.timedelta(0):
            raise ValueError("within must not be negative, e.g. timedelta(minutes=5)")
        return value

    @model_validator(mode="after")
    def _proactive_window(self) -> EventTrigger:
        if self.posture == Posture.Proactive and dt.timedelta(0) < self.within < PROACTIVE_MINIMUM:
            raise ValueError(
                "a Proactive trigger needs within >= 10 seconds (or 0, which the server "
                f"takes as 10 seconds), got {self.within}"
            )
        return self


class CompoundTrigger(RequestModel):
    """Fires when ``require`` ("all", "any" or a number) of ``triggers`` fire within ``within``."""

    type: Literal["compound"] = "compound"
    triggers: list[TriggerTypes]
    within: Seconds | None = None
    require: int | Literal["any", "all"]


class SequenceTrigger(RequestModel):
    """Fires when ``triggers`` fire in the order given, within ``within``."""

    type: Literal["sequence"] = "sequence"
    triggers: list[TriggerTypes]
    within: Seconds | None = None


_TRIGGERS: dict[str, type[RequestModel]] = {
    "event": EventTrigger,
    "compound": CompoundTrigger,
    "sequence": SequenceTrigger,
}


def _kind(value: Any, known: dict[str, type[RequestModel]]) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return kind if isinstance(kind, str) and kind in known else "other"


def _trigger_kind(value: Any) -> str:
    return _kind(value, _TRIGGERS)


TriggerTypes = Annotated[
    Annotated[EventTrigger, Tag("event")]
    | Annotated[CompoundTrigger, Tag("compound")]
    | Annotated[SequenceTrigger, Tag("sequence")]
    | Annotated[dict[str, Any], Tag("other")],
    Discriminator(_trigger_kind),
]
"""A trigger: one of the models above by its ``type``, or a dict for kinds without a model."""


# -- actions ------------------------------------------------------------------------------


class Action(RequestModel):
    """Base of the actions an automation takes; ``type`` names the kind."""


class DoNothing(Action):
    """Take no action (an automation that only records that it fired)."""

    type: Literal["do-nothing"] = "do-nothing"


class RunDeployment(Action):
    """Run a deployment: the one named (``source="selected"``) or the event's own ("inferred")."""

    type: Literal["run-deployment"] = "run-deployment"
    source: Literal["selected", "inferred"] = "selected"
    deployment_id: UUID | None = None
    parameters: dict[str, Any] | None = None
    job_variables: dict[str, Any] | None = None
    schedule_after: Seconds = dt.timedelta(0)


class PauseDeployment(Action):
    """Pause a deployment's schedules (``deployment_id``, or the event's with "inferred")."""

    type: Literal["pause-deployment"] = "pause-deployment"
    source: Literal["selected", "inferred"] = "selected"
    deployment_id: UUID | None = None


class ResumeDeployment(Action):
    """Resume a deployment's schedules (``deployment_id``, or the event's with "inferred")."""

    type: Literal["resume-deployment"] = "resume-deployment"
    source: Literal["selected", "inferred"] = "selected"
    deployment_id: UUID | None = None


class CancelFlowRun(Action):
    """Cancel the flow run the triggering event is about."""

    type: Literal["cancel-flow-run"] = "cancel-flow-run"


class DeleteFlowRun(Action):
    """Delete the flow run the triggering event is about."""

    type: Literal["delete-flow-run"] = "delete-flow-run"


class SuspendFlowRun(Action):
    """Suspend the flow run the triggering event is about."""

    type: Literal["suspend-flow-run"] = "suspend-flow-run"


class ResumeFlowRun(Action):
    """Resume the paused or suspended flow run the triggering event is about."""

    type: Literal["resume-flow-run"] = "resume-flow-run"


class ChangeFlowRunState(Action):
    """Move the flow run the triggering event is about to ``state`` (``force`` skips rules)."""

    type: Literal["change-flow-run-state"] = "change-flow-run-state"
    name: str | None = None
    state: StateType
    message: str | None = None
    force: bool = False


class PauseWorkQueue(Action):
    """Pause a work queue (``work_queue_id``, or the event's with "inferred")."""

    type: Literal["pause-work-queue"] = "pause-work-queue"
    source: Literal["selected", "inferred"] = "selected"
    work_queue_id: UUID | None = None


class ResumeWorkQueue(Action):
    """Resume a work queue (``work_queue_id``, or the event's with "inferred")."""

    type: Literal["resume-work-queue"] = "resume-work-queue"
    source: Literal["selected", "inferred"] = "selected"
    work_queue_id: UUID | None = None


class PauseWorkPool(Action):
    """Pause a work pool (``work_pool_id``, or the event's with "inferred")."""

    type: Literal["pause-work-pool"] = "pause-work-pool"
    source: Literal["selected", "inferred"] = "selected"
    work_pool_id: UUID | None = None


class ResumeWorkPool(Action):
    """Resume a work pool (``work_pool_id``, or the event's with "inferred")."""

    type: Literal["resume-work-pool"] = "resume-work-pool"
    source: Literal["selected", "inferred"] = "selected"
    work_pool_id: UUID | None = None


class PauseAutomation(Action):
    """Pause an automation (``automation_id``, or the event's with "inferred")."""

    type: Literal["pause-automation"] = "pause-automation"
    source: Literal["selected", "inferred"] = "selected"
    automation_id: UUID | None = None


class ResumeAutomation(Action):
    """Resume an automation (``automation_id``, or the event's with "inferred")."""

    type: Literal["resume-automation"] = "resume-automation"
    source: Literal["selected", "inferred"] = "selected"
    automation_id: UUID | None = None


class SendNotification(Action):
    """Send ``subject`` and ``body`` (templates) through the notification block
    ``block_document_id``."""

    type: Literal["send-notification"] = "send-notification"
    block_document_id: UUID
    subject: str = "Prefect automated notification"
    body: str


class CallWebhook(Action):
    """Call the webhook block ``block_document_id`` with ``payload`` (a template)."""

    type: Literal["call-webhook"] = "call-webhook"
    block_document_id: UUID
    payload: str = ""


_ACTIONS: dict[str, type[RequestModel]] = {
    model.model_fields["type"].default: model
    for model in (
        DoNothing,
        RunDeployment,
        PauseDeployment,
        ResumeDeployment,
        CancelFlowRun,
        DeleteFlowRun,
        SuspendFlowRun,
        ResumeFlowRun,
        ChangeFlowRunState,
        PauseWorkQueue,
        ResumeWorkQueue,
        PauseWorkPool,
        ResumeWorkPool,
        PauseAutomation,
        ResumeAutomation,
        SendNotification,
        CallWebhook,
    )
}


def _action_kind(value: Any) -> str:
    return _kind(value, _ACTIONS)


ActionTypes = Annotated[
    Annotated[DoNothing, Tag("do-nothing")]
    | Annotated[RunDeployment, Tag("run-deployment")]
    | Annotated[PauseDeployment, Tag("pause-deployment")]
    | Annotated[ResumeDeployment, Tag("resume-deployment")]
    | Annotated[CancelFlowRun, Tag("cancel-flow-run")]
    | Annotated[DeleteFlowRun, Tag("delete-flow-run")]
    | Annotated[SuspendFlowRun, Tag("suspend-flow-run")]
    | Annotated[ResumeFlowRun, Tag("resume-flow-run")]
    | Annotated[ChangeFlowRunState, Tag("change-flow-run-state")]
    | Annotated[PauseWorkQueue, Tag("pause-work-queue")]
    | Annotated[ResumeWorkQueue, Tag("resume-work-queue")]
    | Annotated[PauseWorkPool, Tag("pause-work-pool")]
    | Annotated[ResumeWorkPool, Tag("resume-work-pool")]
    | Annotated[PauseAutomation, Tag("pause-automation")]
    | Annotated[ResumeAutomation, Tag("resume-automation")]
    | Annotated[SendNotification, Tag("send-notification")]
    | Annotated[CallWebhook, Tag("call-webhook")]
    | Annotated[dict[str, Any], Tag("other")],
    Discriminator(_action_kind),
]
"""An action: one of the models above by its ``type``, or a dict for kinds without a model."""


# -- automations --------------------------------------------------------------------------


class AutomationCore(RequestModel):
    """An automation as it is created or replaced: ``trigger`` and the ``actions`` it runs.

    ``actions_on_trigger`` / ``actions_on_resolve`` run when the trigger's condition starts /
    stops holding.  ``owner_resource`` (a resource id such as ``prefect.deployment.<id>``) ties
    the automation to a resource: ``delete_resource_owned_automations`` deletes them together.
    """

    name: str = Field(min_length=1)
    description: str = ""
    enabled: bool = True
    tags: list[str] = Field(default_factory=list)
    trigger: TriggerTypes
    actions: list[ActionTypes]
    actions_on_trigger: list[ActionTypes] = Field(default_factory=list)
    actions_on_resolve: list[ActionTypes] = Field(default_factory=list)
    owner_resource: str | None = None


class Automation(AutomationCore):
    """An automation the server holds: its fields, ``id`` and timestamps.

    Pass it (changed with ``model_copy(update=...)``) to ``update_automation`` to replace the
    stored one.  Fields the server adds that these models do not know are ignored.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="ignore")

    id: UUID
    created: dt.datetime | None = None
    updated: dt.datetime | None = None

    @field_validator("trigger", mode="before")
    @classmethod
    def _known_trigger_fields(cls, value: Any) -> Any:
        return _known_fields(value, _TRIGGERS)

    @field_validator("actions", "actions_on_trigger", "actions_on_resolve", mode="before")
    @classmethod
    def _known_action_fields(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_known_fields(item, _ACTIONS) for item in value]
        return value


def _known_fields(value: Any, known: dict[str, type[RequestModel]]) -> Any:
    """A server trigger/action dict without the fields its model does not know (the server
    adds some, e.g. each trigger's ``id``), so the strict request models parse it."""
    if not isinstance(value, dict):
        return value
    kind = value.get("type")
    model = known.get(kind) if isinstance(kind, str) else None
    if model is None:
        return value
    kept = {key: item for key, item in value.items() if key in model.model_fields}
    if isinstance(kept.get("triggers"), list):
        kept["triggers"] = [_known_fields(item, _TRIGGERS) for item in kept["triggers"]]
    return kept
