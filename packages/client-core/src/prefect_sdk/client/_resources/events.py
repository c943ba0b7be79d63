"""Events: ``/events...`` (emit, read, follow pages, count)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import as_uuid, build_filter_body, non_negative
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.client._streams import AsyncStream
    from prefect_sdk.filters import EventFilter
    from prefect_sdk.schemas import (
        Countable,
        Event,
        EventCount,
        EventPage,
        ReceivedEvent,
        RelatedResource,
        Resource,
        TimeUnit,
    )

EVENTS_PAGE_LIMIT = 50
"""The most events the server returns for one ``/events/filter`` request (it answers 422 above)."""

FOLLOWS_WINDOW = dt.timedelta(minutes=5)
"""``follows`` is only recorded for a preceding event this close in time (as Prefect does)."""

STREAM_HORIZON = dt.timedelta(days=3650)
"""How far ahead a live subscription's ``occurred.until`` reaches when the filter sets none
(the server's default, "now", would end the subscription as soon as it starts)."""


class EventAsyncClient(AsyncAPIClient):
    """Operations on events."""

    def subscribe_events(
        self,
        filter: EventFilter | None = None,
        *,
        backfill: bool = False,
        reconnect: bool = True,
    ) -> AsyncStream[ReceivedEvent]:
        """A live stream of the events matching ``filter``, over the server's ``/events/out``
        websocket: ``async with client.subscribe_events(f) as events: async for e in events``.

        ``backfill=True`` first delivers the recent stored events that match (the server looks
        back a limited time, 15 minutes by default).  A dropped connection is reopened
        (``reconnect=False`` raises instead) and asks for the events missed meanwhile; no
        event is delivered twice.  A server without the route raises ``NotSupportedByServer``.
        """
        from prefect_sdk.filters import EventFilter
        from prefect_sdk.schemas import ReceivedEvent

        if filter is not None and not isinstance(filter, EventFilter):
            raise ValidationError(
                f"filter must be a prefect_sdk.filters.EventFilter, got {type(filter).__name__}"
            )
        now = dt.datetime.now(dt.timezone.utc)
        wire = filter.to_wire() if filter is not None else {}
        wire.pop("order", None)  # the stream is always oldest first
        occurred = dict(wire.get("occurred") or {})
        occurred.setdefault("until", (now + STREAM_HORIZON).isoformat())
        if not backfill:
            occurred.setdefault("since", now.isoformat())
        wire["occurred"] = occurred
        # After a reconnect: what happened since the subscription began (or since the filter's
        # own start), de-duplicated against what was delivered already.
        missed = {**wire, "occurred": {**occurred, "since": occurred.get("since", now.isoformat())}}
        return self._call_stream(
            "subscribe_events",
            "/events/out",
            "event",
            ReceivedEvent,
            {"filter": wire, "backfill": bool(backfill)},
            reconnect=bool(reconnect),
            resubscription={"filter": missed, "backfill": True},
        )

    @operation("POST /events", retry_safe=True, why="the server keeps one event per id")
    async def emit_events(self, events: Iterable[Event | dict[str, Any]]) -> list[Event]:
        """Send events (``Event`` models or dicts of their fields); return them as sent.

        Each event's ``id`` is fixed before the first attempt (generated if not given) and the
        server keeps one event per id, so a retried request cannot record an event twice.
        The server stores events shortly after accepting them: a read right after emitting may
        not see them yet.
        """
        from prefect_sdk.schemas import Event

        if isinstance(events, Event | dict | str | bytes) or not isinstance(events, Iterable):
            raise ValidationError(
                "events must be a list (or other iterable) of Event or dicts of its fields, "
                f"got {type(events).__name__}; wrap a single event in a list"
            )
        checked = [_as_event(item, f"events[{i}]") for i, item in enumerate(events)]
        if checked:
            body = [item.model_dump(mode="json") for item in checked]
            await self._call("emit_events", json=body)
        return checked

    @operation("POST /events", retry_safe=True, why="the server keeps one event per id")
    async def emit_event(
        self,
        event: str,
        resource: Mapping[str, str] | Resource,
        occurred: dt.datetime | None = None,
        related: Sequence[Mapping[str, str] | RelatedResource] | None = None,
        payload: dict[str, Any] | None = None,
        id: UUID | str | None = None,
        follows: Event | UUID | str | None = None,
    ) -> Event:
        """Send one event named ``event`` about ``resource`` (labels with a
        ``prefect.resource.id``); return it, with its ``id``.

        ``occurred`` defaults to now (a naive datetime is taken as UTC); ``related`` lists
        other resources, each with a ``prefect.resource.role`` label; ``id`` defaults to a new
        UUID, fixed before sending, so a retry cannot record the event twice.  ``follows`` is
        the event known to come before this one (an ``Event`` or its id); an ``Event`` that
        occurred more than five minutes apart from this one is not linked, as in Prefect.
        """
        fields: dict[str, Any] = {"event": event, "resource": resource}
        for key, value in (("occurred", occurred), ("related", related), ("payload", payload)):
            if value is not None:
                fields[key] = value
        if id is not None:
            fields["id"] = as_uuid(id, "id")
        built = _as_event(fields, "emit_event")
        if follows is not None:
            built = built.model_copy(update={"follows": _follows(follows, built.occurred)})
        await self._call("emit_event", json=[built.model_dump(mode="json")])
        return built

    @operation("POST /events/filter", variants={"next": "GET /events/filter/next"})
    async def read_events(self, filter: EventFilter | None = None, limit: int = 100) -> EventPage:
        """Read the newest events matching ``filter`` (order per ``filter.order``): one page
        of up to ``limit`` events, the ``total`` matching and the ``next_page`` URL.

        The server returns at most 50 events per request; a larger ``limit`` is read by
        following its pages.  ``next_page`` then continues after the events returned when
        ``limit`` is a multiple of 50 and is ``None`` otherwise; ``iter_events`` walks every
        matching event.  Events are stored shortly after they are emitted.
        """
        from prefect_sdk.schemas import EventPage

        if non_negative(limit, "limit") is None:
            raise ValidationError("limit must be a non-negative int, got None")
        body = build_filter_body(filter=filter)
        first = await self._call(
            "read_events", EventPage, json={**body, "limit": min(limit, EVENTS_PAGE_LIMIT)}
        )
        if limit <= EVENTS_PAGE_LIMIT:
            return first
        events = list(first.events)
        page = first
        while len(events) < limit and page.next_page and page.events:
            token = _page_token(page.next_page, "next_page")
            page = await self._call(
                "read_events", EventPage, variant="next", params={"page-token": token}
            )
            events.extend(page.events)
        next_page = page.next_page if len(events) <= limit else None
        return EventPage(events=events[:limit], total=first.total, next_page=next_page)

    @operation("GET /events/filter/next")
    async def read_events_page(self, next_page_url: str) -> EventPage:
        """Read the page of events that ``next_page_url`` (an ``EventPage.next_page``) points to.

        Only the URL's page token is used: the request goes to this client's server, whatever
        host the URL names.  A token the server does not accept is answered with 403.
        """
        from prefect_sdk.schemas import EventPage

        token = _page_token(next_page_url, "next_page_url")
        return await self._call("read_events_page", EventPage, params={"page-token": token})

    @operation("POST /events/filter", variants={"next": "GET /events/filter/next"})
    async def iter_events(
        self, filter: EventFilter | None = None, *, page_size: int = EVENTS_PAGE_LIMIT
    ) -> AsyncIterator[ReceivedEvent]:
        """Iterate over every event matching ``filter``, following the server's next-page
        links, ``page_size`` (at most 50) events per request. Memory stays flat."""
        from prefect_sdk.schemas import EventPage

        if (
            not isinstance(page_size, int)
            or isinstance(page_size, bool)
            or not 0 < page_size <= EVENTS_PAGE_LIMIT
        ):
            raise ValidationError(
                f"page_size must be an int between 1 and {EVENTS_PAGE_LIMIT}, got {page_size!r}"
            )
        body = build_filter_body(filter=filter)
        page = await self._call("iter_events", EventPage, json={**body, "limit": page_size})
        while True:
            for item in page.events:
                yield item
            if not page.next_page or not page.events:
                return
            token = _page_token(page.next_page, "next_page")
            page = await self._call(
                "iter_events", EventPage, variant="next", params={"page-token": token}
            )

    @operation("POST /events/count-by/{countable}", retry_safe=True, why="a read")
    async def count_events_by(
        self,
        countable: Countable | str,
        filter: EventFilter | None = None,
        *,
        time_unit: TimeUnit | str = "day",
        time_interval: float = 1.0,
    ) -> list[EventCount]:
        """Count the events matching ``filter``, grouped by ``countable``: ``"event"`` (name),
        ``"resource"`` (resource id), ``"day"``, or ``"time"`` (buckets of ``time_interval``
        ``time_unit``s, e.g. 1 hour).

        Without a filter the server counts the events of its default time window; the server
        refuses time groupings of more than 1000 buckets (narrow ``filter.occurred``).
        """
        from prefect_sdk.filters import EventFilter
        from prefect_sdk.schemas import Countable, EventCount, TimeUnit

        group = _member(Countable, countable, "countable")
        unit = _member(TimeUnit, time_unit, "time_unit")
        if (
            not isinstance(time_interval, int | float)
            or isinstance(time_interval, bool)
            or not time_interval >= 0.01
        ):
            raise ValidationError(
                f"time_interval must be a number >= 0.01 (of time_unit), got {time_interval!r}"
            )
        body = {
            **build_filter_body(filter=filter if filter is not None else EventFilter()),
            "time_unit": unit,
            "time_interval": float(time_interval),
        }
        return await self._call("count_events_by", list[EventCount], json=body, countable=group)


def _as_event(value: Any, argument: str) -> Event:
    """``value`` (an ``Event`` or a dict of its fields) as an ``Event``, or a ValidationError."""
    from pydantic import ValidationError as PydanticError

    from prefect_sdk.schemas import Event

    if isinstance(value, Event):
        return value
    if not isinstance(value, dict):
        raise ValidationError(
            f"{argument} must be an Event or a dict of its fields, got {type(value).__name__}"
        )
    try:
        return Event.model_validate(value)
    except PydanticError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"]) or "value"
        raise ValidationError(f"{argument}: {where}: {error['msg']}") from None


def _follows(follows: Any, occurred: dt.datetime) -> UUID | None:
    """The id to record as ``follows``: an id as given, an event's id if it is close in time."""
    if isinstance(follows, UUID | str):
        return as_uuid(follows, "follows")
    follows_id = getattr(follows, "id", None)
    follows_at = getattr(follows, "occurred", None)
    if not isinstance(follows_id, UUID) or not isinstance(follows_at, dt.datetime):
        raise ValidationError(f"follows must be an Event (or its id), got {type(follows).__name__}")
    if follows_at.tzinfo is None:
        follows_at = follows_at.replace(tzinfo=dt.timezone.utc)
    return follows_id if abs(occurred - follows_at) < FOLLOWS_WINDOW else None


def _page_token(url: Any, argument: str) -> str:
    """The ``page-token`` query parameter of a next-page URL."""
    from urllib.parse import parse_qs, urlsplit

    tokens = parse_qs(urlsplit(str(url)).query).get("page-token") if url else None
    if not tokens or not tokens[0]:
        raise ValidationError(
            f"{argument} must be the next_page URL of an EventPage (with a page-token), got {url!r}"
        )
    return tokens[0]


def _member(enum_type: Any, value: Any, argument: str) -> str:
    try:
        return str(enum_type(value).value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in enum_type)
        raise ValidationError(f"{argument} must be one of {allowed}, got {value!r}") from None


__all__ = ["EventAsyncClient"]
