"""Concurrency limits (by tag, global, slots, leases) and the ``prefect_sdk.concurrency``
helpers: bad arguments are refused before any network I/O, naming the argument; what is sent
and how answers are read, against a scripted server."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx
import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.concurrency import (
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLeaseRenewalError,
    ConcurrencySlotAcquisitionError,
    _core,
)
from prefect_sdk.concurrency import asyncio as async_helpers
from prefect_sdk.concurrency import sync as sync_helpers
from prefect_sdk.exceptions import (
    ObjectNotFound,
    PrefectHTTPStatusError,
    ServerValidationError,
    ValidationError,
)
from prefect_sdk.schemas import (
    ConcurrencyLeaseHolder,
    ConcurrencyLimitWithLeaseResponse,
    GlobalConcurrencyLimitCreate,
    GlobalConcurrencyLimitUpdate,
)
from prefect_sdk.sync import SyncPrefectClient
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

ID = uuid.UUID("3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11")
LEASE = uuid.UUID("9a1b6f0e-7a43-4d0c-8d4e-2f7d9b1c0a55")
LIMIT = {"id": str(ID), "name": "db", "limit": 1}
GLOBAL = {**LIMIT, "active_slots": 0, "slot_decay_per_second": 0.0, "active": True}
TAG_LIMIT = {"id": str(ID), "tag": "t", "concurrency_limit": 1, "active_slots": []}


def ok(body: Any = None, status: int = 200, headers: dict[str, str] | None = None) -> Any:
    if body is None:
        return httpx.Response(204 if status == 200 else status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def fresh(response: httpx.Response) -> httpx.Response:
    """A new copy: a response object can be read by one client only."""
    return httpx.Response(response.status_code, headers=response.headers, content=response.content)


def respond_fresh(*responses: httpx.Response) -> tuple[Any, list[Any]]:
    """``tests._support.respond`` answering with a fresh copy of each response."""
    handler, seen = respond(*responses)
    return (lambda request: fresh(handler(request))), seen


def body_of(request: Any) -> Any:
    return json.loads(request.content)


async def iterate(kind: str, handler: Any, op: str, **kwargs: Any) -> list[Any]:
    """Every item of the iterator ``op`` on a fresh client of ``kind`` talking to ``handler``."""
    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
            return list(getattr(sync_client, op)(**kwargs))
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as async_client:
        return [item async for item in getattr(async_client, op)(**kwargs)]


async def refused(kind: str, op: str, *args: Any, match: str, **kwargs: Any) -> None:
    """``op`` raises a ValidationError matching ``match`` and sends nothing."""
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match=match):
        if op.startswith("iter_"):
            await iterate(kind, handler, op, **kwargs)
        else:
            await call_with(kind, handler, op, *args, **kwargs)
    assert seen == []


async def sent(kind: str, op: str, answers: Any, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Run ``op`` against a server answering ``answers`` (one, or a list in turn); return its
    result and the requests sent."""
    handler, seen = respond_fresh(*(answers if isinstance(answers, list) else [answers]))
    result = await call_with(kind, handler, op, *args, **kwargs)
    return result, seen


# -- client operations: refused before any I/O ------------------------------------------------


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("create_concurrency_limit", ("", 1), {}, "tag must be a non-empty"),
        ("create_concurrency_limit", ("t", -1), {}, "concurrency_limit must be an int >= 0"),
        ("create_concurrency_limit", ("t", True), {}, "concurrency_limit must be an int"),
        ("read_concurrency_limit", ("nope",), {}, "concurrency_limit_id"),
        ("read_concurrency_limit_by_tag", ("..",), {}, "tag="),
        ("read_concurrency_limits", (-1, 0), {}, "limit"),
        ("read_concurrency_limits", (1, -1), {}, "offset"),
        ("iter_concurrency_limits", (), {"page_size": 0}, "page_size"),
        ("reset_concurrency_limit_by_tag", ("",), {}, "tag must be"),
        ("reset_concurrency_limit_by_tag", ("t", "one-id"), {}, "slot_override must be a list"),
        ("reset_concurrency_limit_by_tag", ("t", ["nope"]), {}, r"slot_override\[0\]"),
        ("delete_concurrency_limit_by_tag", ("",), {}, "tag must be"),
        ("delete_concurrency_limit", ("nope",), {}, "concurrency_limit_id"),
        ("increment_v1_concurrency_slots", ("t", ID), {}, "names must be a list"),
        ("increment_v1_concurrency_slots", ([""], ID), {}, r"names\[0\]"),
        ("increment_v1_concurrency_slots", (["t"], "nope"), {}, "task_run_id"),
        ("decrement_v1_concurrency_slots", (["t"], None), {}, "task_run_id"),
        ("decrement_v1_concurrency_slots", (["t"], ID, -1), {}, "occupancy_seconds"),
    ],
)
async def test_tag_limit_operations_refuse(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("create_global_concurrency_limit", ({"name": "a/b", "limit": 1},), {}, "name"),
        ("create_global_concurrency_limit", ({"name": "x", "limit": -1},), {}, "limit"),
        ("create_global_concurrency_limit", ({"name": "x"},), {}, "limit"),
        ("create_global_concurrency_limit", (42,), {}, "GlobalConcurrencyLimitCreate"),
        ("read_global_concurrency_limit_by_name", ("",), {}, "name must be a non-empty"),
        ("read_global_concurrency_limit_by_name", ("..",), {}, "name='..'"),
        ("read_global_concurrency_limit", ("nope",), {}, "global_concurrency_limit_id"),
        ("read_global_concurrency_limits", (-1,), {}, "limit"),
        ("iter_global_concurrency_limits", (), {"page_size": 201}, "page_size"),
        ("update_global_concurrency_limit", ("", {"limit": 1}), {}, "name must be"),
        ("update_global_concurrency_limit", ("x", {"limit": -1}), {}, "limit"),
        ("update_global_concurrency_limit", ("x", {"limt": 1}), {}, "limt"),
        ("upsert_global_concurrency_limit_by_name", ("", 1), {}, "name must be"),
        ("upsert_global_concurrency_limit_by_name", ("x", -1), {}, "limit"),
        ("upsert_global_concurrency_limit_by_name", ("x", 1, -0.5), {}, "slot_decay"),
        ("delete_global_concurrency_limit_by_name", (".",), {}, "name='.'"),
        ("delete_global_concurrency_limit", ("nope",), {}, "global_concurrency_limit_id"),
        ("increment_concurrency_slots", ([], 1), {}, "at least one"),
        ("increment_concurrency_slots", ("db", 1), {}, "names must be a list"),
        ("increment_concurrency_slots", (["db"], 0), {}, "slots must be an int >= 1"),
        ("increment_concurrency_slots", (["db"], 1, "fast"), {}, "mode must be"),
        ("increment_concurrency_slots_with_lease", (["db"], 1), {"lease_duration": 5}, "60"),
        ("increment_concurrency_slots_with_lease", (["db"], 1), {"lease_duration": 1e6}, "86400"),
        (
            "increment_concurrency_slots_with_lease",
            (["db"], 1),
            {"holder": {"type": "x"}},
            "holder",
        ),
        ("release_concurrency_slots", (["db"], 1, 0), {}, "occupancy_seconds must be"),
        ("release_concurrency_slots", (["db"], True), {}, "slots must be"),
        ("release_concurrency_slots_with_lease", ("nope",), {}, "lease_id"),
        ("renew_concurrency_lease", ("nope",), {}, "lease_id"),
        ("renew_concurrency_lease", (LEASE, 59), {}, "lease_duration"),
    ],
)
async def test_global_limit_operations_refuse(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    await refused(kind, op, *args, match=match, **kwargs)


# -- client operations: what is sent, what comes back ------------------------------------------


async def test_creates_return_ids_and_send_only_what_was_given(kind: str) -> None:
    created, seen = await sent(
        kind,
        "create_global_concurrency_limit",
        ok({**GLOBAL, "denied_slots": 0}, 201),
        GlobalConcurrencyLimitCreate(name="db", limit=2, slot_decay_per_second=None),
    )
    assert created == ID
    assert body_of(seen[0]) == {"name": "db", "limit": 2}
    tag_id, seen = await sent(kind, "create_concurrency_limit", ok(TAG_LIMIT, 201), "t", 3)
    assert tag_id == ID
    assert body_of(seen[0]) == {"tag": "t", "concurrency_limit": 3}
    _, seen = await sent(
        kind,
        "update_global_concurrency_limit",
        ok(),
        "a b",
        GlobalConcurrencyLimitUpdate(limit=4, active=None),
    )
    assert seen[0].method == "PATCH"
    assert seen[0].url.raw_path == b"/api/v2/concurrency_limits/a%20b"
    assert body_of(seen[0]) == {"limit": 4}


async def test_slot_operations_send_the_servers_fields(kind: str) -> None:
    holder = ConcurrencyLeaseHolder(type="flow_run", id=ID)
    lease, seen = await sent(
        kind,
        "increment_concurrency_slots_with_lease",
        ok({"lease_id": str(LEASE), "limits": [LIMIT]}),
        ["db"],
        2,
        "concurrency",
        90,
        holder,
    )
    assert isinstance(lease, ConcurrencyLimitWithLeaseResponse) and lease.lease_id == LEASE
    assert body_of(seen[0]) == {
        "names": ["db"],
        "slots": 2,
        "mode": "concurrency",
        "lease_duration": 90.0,
        "holder": {"type": "flow_run", "id": str(ID)},
    }
    _, seen = await sent(kind, "release_concurrency_slots_with_lease", ok(), lease)
    assert body_of(seen[0]) == {"lease_id": str(LEASE)}
    _, seen = await sent(kind, "renew_concurrency_lease", ok(), str(LEASE))
    assert seen[0].url.path == f"/api/v2/concurrency_limits/leases/{LEASE}/renew"
    assert body_of(seen[0]) == {"lease_duration": 300.0}
    given_back, seen = await sent(
        kind, "decrement_v1_concurrency_slots", ok([LIMIT]), ["t"], ID, occupancy_seconds=2.0
    )
    assert [limit.name for limit in given_back] == ["db"]
    assert body_of(seen[0]) == {"names": ["t"], "task_run_id": str(ID)}  # the route takes no more
    _, seen = await sent(kind, "release_concurrency_slots", ok([LIMIT]), ["db"], 1)
    assert body_of(seen[0]) == {"names": ["db"], "slots": 1}


async def test_renewing_a_lease_that_is_gone_raises_object_not_found(kind: str) -> None:
    gone = ok({"detail": "Lease not found - it may have expired or been revoked"}, 410)
    with pytest.raises(ObjectNotFound, match="410") as info:
        await sent(kind, "renew_concurrency_lease", gone, LEASE, 60)
    assert info.value.status_code == 410


async def test_a_full_limit_is_an_http_error_with_status_423(kind: str) -> None:
    locked = ok({"detail": "Locked"}, 423, {"Retry-After": "1.5"})
    with pytest.raises(PrefectHTTPStatusError) as info:
        await sent(kind, "increment_concurrency_slots", locked, ["db"], 1)
    assert info.value.status_code == 423


async def test_tag_limit_reads_page_past_short_pages(kind: str) -> None:
    # The server pages over all global limits and returns the tag limits among them.
    def tag(n: int) -> dict[str, Any]:
        return {**TAG_LIMIT, "id": str(uuid.UUID(int=n)), "tag": f"t{n}"}

    read, seen = await sent(
        kind, "read_concurrency_limits", [ok([tag(1)]), ok([tag(2), tag(3)]), ok([tag(4)])], 3
    )
    assert [r.tag for r in read] == ["t1", "t2", "t3"]
    assert [body_of(r) for r in seen] == [
        {"limit": 200, "offset": 0},
        {"limit": 200, "offset": 1},
    ]

    handler, seen = respond_fresh(ok([tag(1)]), ok([]), ok([tag(2)]), ok([]))
    tags = [r.tag for r in await iterate(kind, handler, "iter_concurrency_limits", page_size=1)]
    assert tags == ["t1", "t2"]
    # An empty small page is asked again at the largest page size before the end.
    assert [body_of(r) for r in seen] == [
        {"limit": 1, "offset": 0},
        {"limit": 1, "offset": 1},
        {"limit": 200, "offset": 1},
        {"limit": 200, "offset": 2},
    ]


@pytest.mark.parametrize(
    ("answers", "requests"),
    [
        # missing: created
        ([ok({"detail": "nf"}, 404), ok({**GLOBAL, "denied_slots": 0}, 201)], ["GET", "POST"]),
        # exists and equal: nothing to change
        ([ok({**GLOBAL, "limit": 2})], ["GET"]),
        # exists and differs: updated
        ([ok(GLOBAL), ok()], ["GET", "PATCH"]),
        # created meanwhile by someone else: read again, then updated
        (
            [ok({"detail": "nf"}, 404), ok({"detail": "c"}, 409), ok(GLOBAL), ok()],
            ["GET", "POST", "GET", "PATCH"],
        ),
    ],
)
async def test_upsert_creates_or_updates(
    kind: str, answers: list[Any], requests: list[str]
) -> None:
    _, seen = await sent(kind, "upsert_global_concurrency_limit_by_name", answers, "db", 2)
    assert [r.method for r in seen] == requests
    if "PATCH" in requests:
        assert body_of(seen[-1]) == {"limit": 2}


# -- the helpers: refused when called, before any I/O ----------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"names": 5}, "names must be a limit name or a list"),
        ({"names": ["ok", ""]}, r"names\[1\]"),
        ({"names": "db", "occupy": 0}, "occupy must be an int >= 1"),
        ({"names": "db", "timeout_seconds": -1}, "timeout_seconds must be"),
        ({"names": "db", "max_retries": -1}, "max_retries must be"),
        ({"names": "db", "lease_duration": 30}, "lease_duration must be seconds between 60"),
    ],
)
def test_concurrency_refuses_when_called(kwargs: dict[str, Any], match: str) -> None:
    for helper in (async_helpers.concurrency, sync_helpers.concurrency):
        with pytest.raises(ValidationError, match=match):
            helper(**kwargs)


async def test_rate_limit_refuses_before_any_io() -> None:
    with pytest.raises(ValidationError, match="occupy"):
        await async_helpers.rate_limit("db", occupy=-1)
    with pytest.raises(ValidationError, match="timeout_seconds"):
        sync_helpers.rate_limit("db", timeout_seconds="soon")  # type: ignore[arg-type]


async def test_each_helper_takes_its_own_kind_of_client() -> None:
    async with PrefectClient(api=MOCK_API) as async_client:
        with pytest.raises(ValidationError, match="SyncPrefectClient"):
            sync_helpers.concurrency("db", client=async_client)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="SyncPrefectClient"):
            sync_helpers.rate_limit("db", client=async_client)  # type: ignore[arg-type]
    with SyncPrefectClient(api=MOCK_API) as sync_client:
        with pytest.raises(ValidationError, match="async PrefectClient"):
            async_helpers.concurrency("db", client=sync_client)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="async PrefectClient"):
            await async_helpers.rate_limit("db", client=sync_client)  # type: ignore[arg-type]


# -- the helpers against a scripted server -----------------------------------------------------


class Server:
    """Answers per route, in turn (the last one repeats); records every request."""

    def __init__(self, **routes: list[Any]) -> None:
        self.routes = {key.replace("_", "-"): list(value) for key, value in routes.items()}
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/csrf-token"):
            return httpx.Response(422, json={"detail": "CSRF protection is disabled."})
        key = request.url.path.rsplit("/", 1)[-1]
        self.seen.append(key)
        answers = self.routes[key]
        return fresh(answers.pop(0) if len(answers) > 1 else answers[0])


GRANTED = ok({"lease_id": str(LEASE), "limits": [LIMIT]})
LOCKED = ok({"detail": "Locked"}, 423, {"Retry-After": "0.01"})


def helper_of(flavour: str, server: Server) -> Callable[..., Any]:
    """``concurrency`` of the flavour on a client talking to ``server``, behind ``async with``."""
    settings = {"transport": httpx.MockTransport(server)}

    @asynccontextmanager
    async def held(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        if flavour == "sync":
            with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
                held = sync_helpers.concurrency(*args, client=sync_client, **kwargs)
                with held as lease:
                    yield lease
        else:
            async with PrefectClient(api=MOCK_API, httpx_settings=settings) as async_client:
                held_async = async_helpers.concurrency(*args, client=async_client, **kwargs)
                async with held_async as lease:
                    yield lease

    return held


async def test_busy_and_unavailable_answers_are_waited_out(flavour: str) -> None:
    unavailable = ok({"exception_message": "Service Unavailable"}, 503, {"Retry-After": "0"})
    server = Server(
        increment_with_lease=[LOCKED, unavailable, LOCKED, GRANTED],
        decrement_with_lease=[ok()],
    )
    async with helper_of(flavour, server)("db", timeout_seconds=30) as lease:
        assert lease.lease_id == LEASE
    assert server.seen == ["increment-with-lease"] * 4 + ["decrement-with-lease"]


async def test_other_errors_are_raised_at_once(flavour: str) -> None:
    too_many = ok({"detail": "Slots requested is greater than the limit"}, 422)
    server = Server(increment_with_lease=[too_many])
    with pytest.raises(ServerValidationError, match="greater than the limit"):
        async with helper_of(flavour, server)("db", occupy=5):
            pytest.fail("the block must not run")
    assert server.seen == ["increment-with-lease"]


async def test_giving_up_waiting(flavour: str) -> None:
    server = Server(increment_with_lease=[LOCKED])
    with pytest.raises(AcquireConcurrencySlotTimeoutError) as timed_out:
        async with helper_of(flavour, server)("db", timeout_seconds=0.05):
            pass
    assert isinstance(timed_out.value, TimeoutError)
    assert isinstance(timed_out.value.__cause__, PrefectHTTPStatusError)
    server = Server(increment_with_lease=[LOCKED])
    with pytest.raises(ConcurrencySlotAcquisitionError, match="max_retries=2"):
        async with helper_of(flavour, server)("db", max_retries=2):
            pass
    assert server.seen == ["increment-with-lease"] * 3


async def test_a_lease_holding_nothing_is_given_back_at_once(flavour: str) -> None:
    server = Server(
        increment_with_lease=[ok({"lease_id": str(LEASE), "limits": []})],
        decrement_with_lease=[ok()],
    )
    async with helper_of(flavour, server)(["nolimit"]) as lease:
        assert lease is None
        assert server.seen == ["increment-with-lease", "decrement-with-lease"]
    assert server.seen == ["increment-with-lease", "decrement-with-lease"]

    # strict: the slots taken on the limits that exist are given back before raising.
    server = Server(increment_with_lease=[GRANTED], decrement_with_lease=[ok()])
    with pytest.raises(ConcurrencySlotAcquisitionError, match="nolimit"):
        async with helper_of(flavour, server)(["db", "nolimit"], strict=True):
            pytest.fail("the block must not run")
    assert server.seen == ["increment-with-lease", "decrement-with-lease"]


async def test_a_failed_release_is_logged_not_raised(
    flavour: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="prefect_sdk.concurrency")
    broken = ok({"exception_message": "Internal Server Error"}, 500)
    server = Server(increment_with_lease=[GRANTED], decrement_with_lease=[broken])
    async with helper_of(flavour, server)("db"):
        pass
    assert any("could not release the lease" in r.getMessage() for r in caplog.records)


async def test_a_lost_lease_is_raised_when_asked_for(
    flavour: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_core, "RENEWAL_FRACTION", 0.0005)  # every 0.03 s of a 60 s lease
    gone = ok({"detail": "Lease not found"}, 410)
    server = Server(increment_with_lease=[GRANTED], renew=[ok(), gone], decrement_with_lease=[ok()])
    ran_to_the_end = False
    with pytest.raises(ConcurrencyLeaseRenewalError) as failure:
        async with helper_of(flavour, server)("db", lease_duration=60, strict=True):
            with anyio.fail_after(10):
                while server.seen.count("renew") < 2:  # noqa: ASYNC110 (another thread)
                    await anyio.sleep(0.01)
            await anyio.sleep(0.05 if flavour == "sync" else 10)  # async: cancelled here
            ran_to_the_end = True
    assert isinstance(failure.value.__cause__, ObjectNotFound)
    assert ran_to_the_end is (flavour == "sync")  # a blocking block is not interrupted
    assert server.seen[-1] == "decrement-with-lease"


async def test_cancelled_while_waiting_leaves_nothing_behind(flavour: str) -> None:
    if flavour == "sync":
        pytest.skip("a blocking wait is not cancellable")
    server = Server(increment_with_lease=[ok({"detail": "Locked"}, 423, {"Retry-After": "30"})])
    with anyio.move_on_after(0.2) as scope:
        async with helper_of(flavour, server)("db"):
            pytest.fail("the block must not run")
    assert scope.cancelled_caught
    assert server.seen == ["increment-with-lease"]  # no lease was granted: none to release
