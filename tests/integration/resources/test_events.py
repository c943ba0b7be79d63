"""Events against the real server, through both clients: emit, read, follow pages, count.

The server stores events shortly after accepting them (its event persister), so reads poll
until what was emitted is visible.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import (
    EventFilter,
    EventIDFilter,
    EventNameFilter,
    EventOccurredFilter,
    EventRelatedFilter,
    EventResourceFilter,
)
from prefect_sdk.schemas import Countable, Event, EventPage, ReceivedEvent

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def settled(client: Any, event_filter: EventFilter, total: int) -> EventPage:
    """The first page of ``event_filter`` once ``total`` events match (the server stores
    events shortly after accepting them)."""
    deadline = time.monotonic() + 30
    while True:
        page: EventPage = await client.read_events(event_filter, limit=1)
        if page.total >= total or time.monotonic() > deadline:
            assert page.total == total, f"{page.total} events stored, {total} expected"
            return page
        await anyio.sleep(0.1)


def named(name: str, **more: Any) -> EventFilter:
    return EventFilter(event=EventNameFilter(name=[name]), **more)


async def test_emit_read_page_iterate_and_count(
    client: Any, flavour: str, unique: Unique, api_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Everything is emitted first and waited for once: the server stores events in batches,
    # a few seconds apart.
    name = unique("sdk.test.emitted")
    resources = [f"{name}.res.{i}" for i in range(2)]
    started = dt.datetime.now(dt.timezone.utc)
    sent = await client.emit_events(
        [
            {
                "event": name,
                "resource": {"prefect.resource.id": resources[i % 2]},
                "payload": {"i": i},
            }
            for i in range(60)
        ]
    )
    assert len({e.id for e in sent}) == 60
    # Sending events again (as a retry would) does not store them twice: resend five, with a
    # new one last; once the new one is stored, 61 events are, not 66.
    last = Event(event=name, resource={"prefect.resource.id": resources[0]})
    await client.emit_events([*sent[:5], last])
    every_id = {e.id for e in sent} | {last.id}

    # Single events, with related resources, a payload and the event they follow.
    single = unique("sdk.test.single")
    flow_id = f"prefect.flow.{unique('f')}"
    first = await client.emit_event(single, {"prefect.resource.id": f"{single}.a"})
    second = await client.emit_event(
        single,
        {"prefect.resource.id": f"{single}.b", "prefect.resource.name": "B"},
        related=[{"prefect.resource.id": flow_id, "prefect.resource.role": "flow"}],
        payload={"answer": 42, "nested": {"ok": True}},
        follows=first,
    )
    assert isinstance(second, Event) and second.follows == first.id
    singles = [first.id, second.id]
    # prefect_sdk.events.emit_event is Prefect's blocking function.
    from prefect_sdk.events import emit_event

    if flavour == "sync":
        by_function = emit_event(single, {"prefect.resource.id": f"{single}.c"}, client=client.sync)
        monkeypatch.setenv("PREFECT_API_URL", api_url)  # without client=: from the environment
        from_env = emit_event(single, {"prefect.resource.id": f"{single}.d"})
        singles += [by_function.id, from_env.id]
    else:
        with pytest.raises(ValidationError, match=r"await client\.emit_event"):
            emit_event(single, {"prefect.resource.id": f"{single}.c"}, client=client)

    await settled(client, EventFilter(id=EventIDFilter(id=[last.id])), 1)
    await settled(client, named(name), 61)
    await settled(client, named(single), len(singles))

    [event] = (await client.read_events(EventFilter(id=EventIDFilter(id=[second.id])))).events
    assert event.event == single and event.resource.name == "B"
    assert event.payload == {"answer": 42, "nested": {"ok": True}}
    assert event.follows == first.id and event.occurred == second.occurred
    [related] = event.related
    assert related.role == "flow" and related.id == flow_id
    by_related = await client.read_events(EventFilter(related=EventRelatedFilter(id=[flow_id])))
    assert [e.id for e in by_related.events] == [second.id]
    assert {e.id for e in (await client.read_events(named(single))).events} == set(singles)

    # One server page holds at most 50 events; the rest is behind next_page.
    first = await client.read_events(named(name), limit=50)
    assert first.total == 61 and len(first.events) == 50 and first.next_page
    assert all(isinstance(e, ReceivedEvent) and e.received for e in first.events)
    rest = await client.read_events_page(first.next_page)
    assert len(rest.events) == 11 and rest.next_page is None and rest.total == 61
    assert {e.id for e in [*first.events, *rest.events]} == every_id
    # Newest first by default.
    occurred = [e.occurred for e in first.events]
    assert occurred == sorted(occurred, reverse=True)

    # A limit above 50 is read through the pages (prefect-client's default is 100).
    everything = await client.read_events(named(name))
    assert len(everything.events) == 61 and everything.next_page is None
    cut = await client.read_events(named(name), limit=55)
    assert len(cut.events) == 55 and cut.total == 61

    walked = [e async for e in client.iter_events(named(name, order="ASC"), page_size=25)]
    assert {e.id for e in walked} == every_id and len(walked) == 61
    assert [e.occurred for e in walked] == sorted(e.occurred for e in walked)

    of_one = await client.read_events(
        named(name, resource=EventResourceFilter(id=[resources[1]])), limit=50
    )
    assert of_one.total == 30 and {e.resource.id for e in of_one.events} == {resources[1]}
    assert {e.payload["i"] % 2 for e in of_one.events} == {1}

    by_resource = await client.count_events_by("resource", named(name))
    assert {c.value: c.count for c in by_resource} == {resources[0]: 31, resources[1]: 30}
    [by_event] = await client.count_events_by(Countable.event, named(name))
    assert (by_event.value, by_event.count) == (name, 61)
    window = EventOccurredFilter(
        since=started - dt.timedelta(minutes=1), until=started + dt.timedelta(minutes=10)
    )
    by_minute = await client.count_events_by(
        "time", named(name, occurred=window), time_unit="minute", time_interval=1
    )
    # Buckets run from ``since`` up to now (the server ends the window at the present).
    assert sum(c.count for c in by_minute) == 61
    assert [c.value for c in by_minute] == [str(i) for i in range(len(by_minute))]
    assert by_minute[0].start_time <= started and by_minute[-1].end_time >= max(occurred)
