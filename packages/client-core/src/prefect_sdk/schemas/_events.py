"""Events: what happened to which resource, as sent to and read back from ``/events``."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import Any, ClassVar
from uuid import UUID, uuid4

from pydantic import ConfigDict, Field, RootModel, field_validator, model_validator

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "Countable",
    "Event",
    "EventCount",
    "EventPage",
    "ReceivedEvent",
    "RelatedResource",
    "Resource",
    "TimeUnit",
]

RESOURCE_ID = "prefect.resource.id"
RESOURCE_NAME = "prefect.resource.name"
RESOURCE_ROLE = "prefect.resource.role"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Resource(RootModel[dict[str, str]]):
    """The object an event is about: string labels, of which ``prefect.resource.id`` is required.

    Build it from a dict (``Resource({"prefect.resource.id": "my.thing.1"})``); read labels with
    ``resource["label"]`` / ``resource.get("label")``, the id and name with ``.id`` / ``.name``.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(defer_build=True)

    @model_validator(mode="after")
    def _has_an_id(self) -> Resource:
        if not self.root.get(RESOURCE_ID):
            raise ValueError(
                f"a resource needs a non-empty {RESOURCE_ID!r} label, e.g. "
                f"{{{RESOURCE_ID!r}: 'my.thing.1'}}; got labels {sorted(self.root)}"
            )
        return self

    @property
    def id(self) -> str:
        """The ``prefect.resource.id`` label."""
        return self.root[RESOURCE_ID]

    @property
    def name(self) -> str | None:
        """The ``prefect.resource.name`` label, if there is one."""
        return self.root.get(RESOURCE_NAME)

    def __getitem__(self, label: str) -> str:
        return self.root[label]

    def __contains__(self, label: object) -> bool:
        return label in self.root

    def get(self, label: str, default: str | None = None) -> str | None:
        """The value of ``label``, or ``default``."""
        return self.root.get(label, default)

    def keys(self) -> Iterator[str]:
        """The label names."""
        return iter(self.root)

    def items(self) -> Iterator[tuple[str, str]]:
        """``(label, value)`` pairs."""
        return iter(self.root.items())


class RelatedResource(Resource):
    """Another resource an event involves, in a role (``prefect.resource.role``, required)."""

    @model_validator(mode="after")
    def _has_a_role(self) -> RelatedResource:
        if not self.root.get(RESOURCE_ROLE):
            raise ValueError(
                f"a related resource needs a non-empty {RESOURCE_ROLE!r} label (e.g. 'flow'); "
                f"got labels {sorted(self.root)}"
            )
        return self

    @property
    def role(self) -> str:
        """The ``prefect.resource.role`` label."""
        return self.root[RESOURCE_ROLE]


class Event(RequestModel):
    """Something that happened to a resource, as a client sends it.

    ``id`` is generated when the event is built and stays with it: the server keeps one event
    per id, so sending the same ``Event`` again (a retry) does not record it twice.
    ``occurred`` defaults to now (a naive datetime is taken as UTC).
    """

    occurred: dt.datetime = Field(default_factory=_utc_now)
    event: str = Field(min_length=1)
    resource: Resource
    related: list[RelatedResource] = Field(default_factory=list)
    payload: dict[str, Any] = Field(default_factory=dict)
    id: UUID = Field(default_factory=uuid4)
    follows: UUID | None = None

    @field_validator("occurred")
    @classmethod
    def _utc_if_naive(cls, value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


class ReceivedEvent(Event):
    """An event as the server stored it: the sent fields plus when it was ``received``."""

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="ignore")

    received: dt.datetime | None = None


class EventPage(ResponseModel):
    """One page of events: ``events``, the ``total`` matching, and the ``next_page`` URL.

    ``next_page`` is ``None`` on the last page; pass it to ``read_events_page`` for the next.
    """

    events: list[ReceivedEvent] = Field(default_factory=list)
    total: int = 0
    next_page: str | None = None


class Countable(str, enum.Enum):
    """What ``count_events_by`` groups events by."""

    day = "day"
    time = "time"
    event = "event"
    resource = "resource"


class TimeUnit(str, enum.Enum):
    """The unit of the time buckets ``count_events_by`` counts in (with ``countable="time"``)."""

    week = "week"
    day = "day"
    hour = "hour"
    minute = "minute"
    second = "second"


class EventCount(ResponseModel):
    """How many events fell in one group (an event name, a resource, a time bucket)."""

    value: str
    label: str
    count: int
    start_time: dt.datetime
    end_time: dt.datetime
