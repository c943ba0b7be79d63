"""Event (and log) operations refuse bad arguments before any network I/O, naming the argument;
event ids survive retries; ``read_events`` pages beyond the server's cap of 50."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import EventFilter, EventNameFilter, LogFilter
from prefect_sdk.schemas import (
    Event,
    EventPage,
    LogCreate,
    ReceivedEvent,
    RelatedResource,
    Resource,
)
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
RESOURCE = {"prefect.resource.id": "my.thing.1"}
NEXT = "http://prefect.test/api/events/filter/next?page-token=abc%3D%3D"


@pytest.fixture(autouse=True)
def no_csrf_no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count requests without CSRF token traffic, and retry without waiting."""
    monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")

    async def async_sleep(seconds: float) -> None:
        return None

    monkeypatch.setattr("prefect_sdk.client._async.async_sleep", async_sleep)
    monkeypatch.setattr("prefect_sdk.sync._api_client.sync_sleep", lambda seconds: None)


def ok(body: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body) if body is not None else httpx.Response(204)


async def run(kind: str, handler: Any, op: str, *args: Any, **kwargs: Any) -> Any:
    """Like ``call_with``; an iterator's items are collected (as a list) inside the client."""
    if not op.startswith("iter_"):
        return await call_with(kind, handler, op, *args, **kwargs)
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
            return list(getattr(sync_client, op)(*args, **kwargs))
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        return [item async for item in getattr(client, op)(*args, **kwargs)]


async def refused(kind: str, op: str, *args: Any, match: str, **kwargs: Any) -> None:
    """``op`` raises a ValidationError matching ``match`` and sends nothing."""
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match=match):
        await run(kind, handler, op, *args, **kwargs)
    assert seen == []


def body_of(request: Any) -> Any:
    return json.loads(request.content)


def received(i: int) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "event": "e",
        "occurred": NOW.isoformat(),
        "received": NOW.isoformat(),
        "resource": {"prefect.resource.id": f"r.{i}"},
    }


def page(count: int, next_page: str | None, total: int = 1000) -> httpx.Response:
    return ok(
        {"events": [received(i) for i in range(count)], "total": total, "next_page": next_page}
    )


# -- emitting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (({"event": "e", "resource": RESOURCE},), {}, "wrap a single event in a list"),
        (("e",), {}, "events must be a list"),
        (([{"event": "e", "resource": {}}],), {}, r"events\[0\]: resource.*prefect.resource.id"),
        (([{"event": "", "resource": RESOURCE}],), {}, r"events\[0\]: event"),
        (([{"event": "e", "resource": RESOURCE, "typo": 1}],), {}, r"events\[0\]: typo"),
        (([Event(event="e", resource=RESOURCE), 3],), {}, r"events\[1\] must be an Event"),
        (
            ([{"event": "e", "resource": RESOURCE, "related": [RESOURCE]}],),
            {},
            r"events\[0\]: related.0.*prefect.resource.role",
        ),
    ],
)
async def test_emit_events_refuses(kind: str, args: Any, kwargs: Any, match: str) -> None:
    await refused(kind, "emit_events", *args, match=match, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("e", {}), {}, "emit_event: resource.*prefect.resource.id"),
        (("e", {"prefect.resource.id": ""}), {}, "prefect.resource.id"),
        (("", RESOURCE), {}, "emit_event: event"),
        (("e", RESOURCE), {"id": "nope"}, "id must be a UUID"),
        (("e", RESOURCE), {"follows": 5}, "follows must be an Event"),
        (("e", RESOURCE), {"follows": "nope"}, "follows must be a UUID"),
        (("e", RESOURCE), {"related": [{"prefect.resource.id": "x"}]}, "prefect.resource.role"),
        (("e", RESOURCE), {"payload": "text"}, "emit_event: payload"),
        (("e", RESOURCE), {"occurred": "yesterday"}, "emit_event: occurred"),
    ],
)
async def test_emit_event_refuses(kind: str, args: Any, kwargs: Any, match: str) -> None:
    await refused(kind, "emit_event", *args, match=match, **kwargs)


async def test_a_retried_emit_sends_the_same_event_ids(kind: str) -> None:
    handler, seen = respond(httpx.ReadTimeout("lost answer"), httpx.Response(503), ok())
    events = await call_with(
        kind, handler, "emit_events", [{"event": "e", "resource": RESOURCE} for _ in range(3)]
    )
    assert len(seen) == 3
    sent_ids = [[item["id"] for item in body_of(request)] for request in seen]
    assert sent_ids[0] == sent_ids[1] == sent_ids[2] == [str(e.id) for e in events]
    assert len(set(sent_ids[0])) == 3

    handler, seen = respond(httpx.ConnectError("refused"), ok())
    event = await call_with(kind, handler, "emit_event", "e", RESOURCE, payload={"a": 1})
    assert [body_of(r)[0]["id"] for r in seen] == [str(event.id)] * 2
    assert body_of(seen[0]) == [event.model_dump(mode="json")]


async def test_emit_event_sends_one_event_as_prefect_builds_it(kind: str) -> None:
    handler, seen = respond(ok())
    earlier = Event(event="before", resource=RESOURCE, occurred=NOW - dt.timedelta(minutes=1))
    long_ago = Event(event="before", resource=RESOURCE, occurred=NOW - dt.timedelta(hours=1))
    chosen = uuid.uuid4()
    event = await call_with(
        kind,
        handler,
        "emit_event",
        "happened",
        Resource({"prefect.resource.id": "a", "prefect.resource.name": "A"}),
        occurred=dt.datetime(2026, 1, 1),  # naive: taken as UTC
        related=[{"prefect.resource.id": "b", "prefect.resource.role": "flow"}],
        id=str(chosen),
        follows=earlier,
    )
    assert event.id == chosen and event.follows == earlier.id and event.occurred == NOW
    assert event.resource.id == "a" and event.resource.name == "A"
    assert isinstance(event.related[0], RelatedResource) and event.related[0].role == "flow"
    [wire] = body_of(seen[0])
    assert wire["occurred"] == "2026-01-01T00:00:00Z" and wire["follows"] == str(earlier.id)
    assert wire["resource"] == {"prefect.resource.id": "a", "prefect.resource.name": "A"}
    # An event further apart than five minutes is not linked (as Prefect does).
    handler, seen = respond(ok())
    event = await call_with(kind, handler, "emit_event", "x", RESOURCE, NOW, follows=long_ago)
    assert event.follows is None and body_of(seen[0])[0]["follows"] is None
    # An id is linked as given.
    handler, seen = respond(ok())
    event = await call_with(kind, handler, "emit_event", "x", RESOURCE, follows=chosen)
    assert event.follows == chosen


async def test_nothing_to_emit_sends_nothing(kind: str) -> None:
    handler, seen = respond(ok())
    assert await call_with(kind, handler, "emit_events", []) == []
    assert seen == []


def test_emit_event_module_function_needs_a_blocking_client() -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.events import emit_event

    with pytest.raises(ValidationError, match=r"await client\.emit_event"):
        emit_event("e", RESOURCE, client=PrefectClient(api="http://x.test/api"))  # type: ignore[arg-type]


def test_emit_event_module_function_uses_the_given_blocking_client() -> None:
    from prefect_sdk.events import emit_event
    from prefect_sdk.sync import SyncPrefectClient

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/csrf-token"):
            return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
        seen.append(request)
        return httpx.Response(204)

    settings = {"transport": httpx.MockTransport(handler)}
    with SyncPrefectClient(api="http://x.test/api", httpx_settings=settings) as client:
        event = emit_event("e", RESOURCE, payload={"k": "v"}, client=client)
    assert [r.url.path for r in seen] == ["/api/events"]
    assert body_of(seen[0])[0]["id"] == str(event.id) and event.payload == {"k": "v"}


# -- reading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("read_events", (), {"limit": -1}, "limit must be"),
        ("read_events", (), {"limit": "5"}, "limit must be"),
        ("read_events", (), {"limit": None}, "limit must be"),
        ("read_events", ({"event": {"name": ["x"]}},), {}, "filter= takes a EventFilter"),
        ("read_events_page", ("http://prefect.test/api/events/filter/next",), {}, "page-token"),
        ("read_events_page", ("",), {}, "next_page_url"),
        ("iter_events", (), {"page_size": 51}, "page_size must be an int between 1 and 50"),
        ("iter_events", (), {"page_size": 0}, "page_size"),
        ("count_events_by", ("bogus",), {}, "countable must be one of 'day', 'time'"),
        ("count_events_by", ("time",), {"time_unit": "year"}, "time_unit must be one of"),
        ("count_events_by", ("time",), {"time_interval": 0}, "time_interval must be"),
        ("count_events_by", ("time",), {"time_interval": "1"}, "time_interval must be"),
    ],
)
async def test_reads_refuse(kind: str, op: str, args: Any, kwargs: Any, match: str) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


async def test_read_events_pages_beyond_the_servers_cap(kind: str) -> None:
    second = NEXT.replace("abc", "def")
    handler, seen = respond(page(50, NEXT), page(50, second), page(50, None))
    result = await call_with(kind, handler, "read_events", EventFilter(order="ASC"), limit=120)
    assert isinstance(result, EventPage) and len(result.events) == 120
    assert isinstance(result.events[0], ReceivedEvent)
    # The third page was cut short: continuing from its link would skip events.
    assert result.next_page is None and result.total == 1000
    assert [r.method for r in seen] == ["POST", "GET", "GET"]
    assert body_of(seen[0]) == {"filter": {"order": "ASC"}, "limit": 50}
    assert seen[1].url.params["page-token"] == "abc=="

    # The default limit (100, as prefect-client's) reads two pages and keeps the next link.
    handler, seen = respond(page(50, NEXT), page(50, second))
    result = await call_with(kind, handler, "read_events")
    assert len(result.events) == 100 and result.next_page == second and len(seen) == 2

    # Fewer events than the limit: one request when the server says there is no more.
    handler, seen = respond(page(7, None, total=7))
    result = await call_with(kind, handler, "read_events", limit=30)
    assert len(result.events) == 7 and body_of(seen[0]) == {"limit": 30}


async def test_read_events_page_sends_only_the_token_to_its_own_server(kind: str) -> None:
    handler, seen = respond(page(1, None))
    url = "http://elsewhere.example/api/events/filter/next?page-token=tok%2B1"
    result = await call_with(kind, handler, "read_events_page", url)
    assert len(result.events) == 1
    assert seen[0].url.host == "prefect.test" and seen[0].url.path == "/api/events/filter/next"
    assert seen[0].url.params["page-token"] == "tok+1"


async def test_iter_events_follows_the_links_until_there_are_none(kind: str) -> None:
    handler, seen = respond(page(2, NEXT), page(2, NEXT), page(1, None))
    flt = EventFilter(event=EventNameFilter(name=["e"]))
    items = await run(kind, handler, "iter_events", flt, page_size=2)
    assert len(items) == 5 and len(seen) == 3
    assert body_of(seen[0]) == {"filter": {"event": {"name": ["e"]}, "order": "DESC"}, "limit": 2}


async def test_count_events_by_sends_a_filter_even_without_one(kind: str) -> None:
    counts = [
        {
            "value": "e",
            "label": "e",
            "count": 3,
            "start_time": NOW.isoformat(),
            "end_time": NOW.isoformat(),
        }
    ]
    handler, seen = respond(ok(counts))
    result = await call_with(kind, handler, "count_events_by", "event")
    assert result[0].count == 3
    assert seen[0].url.path == "/api/events/count-by/event"
    assert body_of(seen[0]) == {
        "filter": {"order": "DESC"},
        "time_unit": "day",
        "time_interval": 1.0,
    }


def test_received_events_ignore_new_fields_and_sent_events_refuse_typos() -> None:
    data = {**received(0), "brand_new": 1}
    assert ReceivedEvent.model_validate(data).resource.id == "r.0"
    with pytest.raises(ValueError, match="brand_new"):
        Event.model_validate(data | {"received": None})


# -- logs ----------------------------------------------------------------------------------

LOG = {"name": "n", "level": 20, "message": "m", "timestamp": NOW.isoformat()}


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("create_logs", (LOG,), {}, "wrap a single log line in a list"),
        ("create_logs", (LogCreate.model_validate(LOG),), {}, "wrap a single log line"),
        ("create_logs", ("m",), {}, "logs must be a list"),
        ("create_logs", ([LOG, "m"],), {}, r"logs\[1\] must be a LogCreate"),
        ("create_logs", ([{**LOG, "level": "high"}],), {}, r"logs\[0\]\.level"),
        ("create_logs", ([{**LOG, "flow_run_id": "nope"}],), {}, r"logs\[0\]\.flow_run_id"),
        ("create_logs", ([{k: v for k, v in LOG.items() if k != "name"}],), {}, r"\.name"),
        ("create_logs", ([{**LOG, "mesage": "typo"}],), {}, r"logs\[0\]\.mesage"),
        ("read_logs", (), {"limit": -1}, "limit"),
        ("read_logs", (), {"offset": -1}, "offset"),
        ("read_logs", (), {"sort": "NEWEST"}, "sort"),
        ("read_logs", ({"flow_run_id": []},), {}, "logs= takes a LogFilter"),
        ("iter_logs", (), {"page_size": 201}, "page_size"),
    ],
)
async def test_log_operations_refuse(
    kind: str, op: str, args: Any, kwargs: Any, match: str
) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


async def test_create_logs_sends_checked_lines_without_unset_fields(kind: str) -> None:
    run = uuid.uuid4()
    handler, seen = respond(ok(None, 201))
    lines = (line for line in [LogCreate(**{**LOG, "timestamp": NOW}, flow_run_id=run), LOG])
    assert await call_with(kind, handler, "create_logs", lines) is None
    assert body_of(seen[0]) == [
        {**LOG, "timestamp": "2026-01-01T00:00:00Z", "flow_run_id": str(run)},
        {**LOG, "timestamp": "2026-01-01T00:00:00Z"},
    ]
    handler, seen = respond(ok(None, 201))
    await call_with(kind, handler, "create_logs", [])
    assert seen == []


async def test_read_logs_defaults_to_oldest_first(kind: str) -> None:
    handler, seen = respond(ok([]))
    run = uuid.uuid4()
    await call_with(kind, handler, "read_logs", LogFilter(flow_run_id=[run]), limit=5)
    assert body_of(seen[0]) == {
        "logs": {"flow_run_id": {"any_": [str(run)]}, "operator": "and_"},
        "sort": "TIMESTAMP_ASC",
        "offset": 0,
        "limit": 5,
    }
