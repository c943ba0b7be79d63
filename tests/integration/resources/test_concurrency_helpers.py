"""``prefect_sdk.concurrency`` (async, on asyncio and trio) and ``prefect_sdk.concurrency.sync``
(blocking) against the real server: slots held while the block runs and released after it,
whichever way it ends; waiting for a busy limit; lease renewal; rate limits.

The ``sync`` flavour runs the blocking helpers (their requests block; their renewing thread is
a real thread); ``Helpers`` gives both the same calling convention.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest

from prefect_sdk.concurrency import (
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLeaseRenewalError,
    ConcurrencySlotAcquisitionError,
    _core,
)
from prefect_sdk.concurrency import concurrency as async_concurrency
from prefect_sdk.concurrency import rate_limit as async_rate_limit
from prefect_sdk.concurrency import sync as blocking
from prefect_sdk.exceptions import NotSupportedByServer, ServerValidationError
from prefect_sdk.schemas import ConcurrencyLimitWithLeaseResponse
from tests._support import server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


class Helpers:
    """The helpers of one flavour, all behind the async calling convention."""

    def __init__(self, flavour: str, client: Any) -> None:
        self.blocking = flavour == "sync"
        self.client = client  # for the test's own reads
        self.api = client.sync if self.blocking else client  # what the helpers get

    def concurrency(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("client", self.api)
        if not self.blocking:
            return async_concurrency(*args, **kwargs)
        held = blocking.concurrency(*args, **kwargs)

        @asynccontextmanager
        async def wrapped() -> AsyncIterator[Any]:
            with held as lease:
                yield lease

        return wrapped()

    async def rate_limit(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("client", self.api)
        if self.blocking:
            blocking.rate_limit(*args, **kwargs)
        else:
            await async_rate_limit(*args, **kwargs)

    async def in_background(self, task_group: Any, *args: Any, then: Any, **kwargs: Any) -> None:
        """Start a second holder of the slots: a task, or a thread for the blocking helper."""
        kwargs.setdefault("client", self.api)
        if self.blocking:

            def hold() -> None:
                with blocking.concurrency(*args, **kwargs):
                    then()

            task_group.start_soon(anyio.to_thread.run_sync, hold)
        else:

            async def hold_async() -> None:
                async with async_concurrency(*args, **kwargs):
                    then()

            task_group.start_soon(hold_async)

    def spy(self, monkeypatch: pytest.MonkeyPatch, method: str) -> list[str]:
        """Record the outcome of each call the helpers make to ``method`` ("ok" or the
        status code of the error)."""
        outcomes: list[str] = []
        original = getattr(self.api, method)

        def outcome(error: Exception) -> str:
            return str(getattr(error, "status_code", type(error).__name__))

        if inspect.iscoroutinefunction(original):

            async def spied(*args: Any, **kwargs: Any) -> Any:
                try:
                    result = await original(*args, **kwargs)
                except Exception as error:
                    outcomes.append(outcome(error))
                    raise
                outcomes.append("ok")
                return result

        else:

            def spied(*args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
                try:
                    result = original(*args, **kwargs)
                except Exception as error:
                    outcomes.append(outcome(error))
                    raise
                outcomes.append("ok")
                return result

        monkeypatch.setattr(self.api, method, spied)
        return outcomes


@pytest.fixture
async def helpers(
    flavour: str, client: Any, api_url: str, unique: Unique, request: pytest.FixtureRequest
) -> Helpers:
    made = Helpers(flavour, client)
    if server_older_than(api_url, "3.4.0") and request.node.originalname != "test_rate_limit":
        # concurrency() holds its slots under a lease, and leases came with 3.4: there it says
        # so, naming the operation and the server's version, before the block runs.
        name = unique("nolease")
        await new_limit(client, name)
        ran = []
        with pytest.raises(NotSupportedByServer, match=r"increment_concurrency_slots_with_lease"):
            async with made.concurrency(name):
                ran.append(True)
        assert ran == [] and await active_slots(client, name) == 0
        pytest.skip("concurrency() holds its slots under a lease: Prefect 3.4.0 or newer")
    return made


async def new_limit(client: Any, name: str, limit: int = 1, **fields: Any) -> None:
    await client.create_global_concurrency_limit({"name": name, "limit": limit, **fields})


async def active_slots(client: Any, name: str) -> int:
    return int((await client.read_global_concurrency_limit_by_name(name)).active_slots)


async def short_retry_after(client: Any, name: str) -> None:
    """Teach the limit that slots are held briefly: the server's ``Retry-After`` for a full
    limit follows the average occupancy it has seen (2 s before any)."""
    for _ in range(4):
        await client.increment_concurrency_slots([name], 1)
        await client.release_concurrency_slots([name], 1, occupancy_seconds=0.05)


async def wait_for(condition: Callable[[], bool]) -> None:
    """Poll ``condition``: it may change in another thread (no event to wait on)."""
    with anyio.fail_after(15):
        while not condition():  # noqa: ASYNC110
            await anyio.sleep(0.02)


async def test_slots_are_held_during_the_block_and_released_however_it_ends(
    helpers: Helpers, client: Any, unique: Unique
) -> None:
    name = unique("held")
    await new_limit(client, name, limit=3)

    async with helpers.concurrency(name, occupy=2) as lease:
        assert isinstance(lease, ConcurrencyLimitWithLeaseResponse)
        assert [limit.name for limit in lease.limits] == [name]
        assert await active_slots(client, name) == 2
    assert await active_slots(client, name) == 0

    # An exception leaves the block as it is (not wrapped) and the slots are released.
    with pytest.raises(KeyError, match="boom"):
        async with helpers.concurrency([name]):
            assert await active_slots(client, name) == 1
            raise KeyError("boom")
    assert await active_slots(client, name) == 0

    # Cancelled from outside while the block waits ...
    with anyio.move_on_after(0.3) as outer:
        async with helpers.concurrency(name):
            await anyio.sleep(30)
    assert outer.cancelled_caught
    assert await active_slots(client, name) == 0

    # ... or from inside.
    with anyio.CancelScope() as scope:
        async with helpers.concurrency(name):
            scope.cancel()
            await anyio.sleep(30)
    assert scope.cancelled_caught
    assert await active_slots(client, name) == 0
    await client.delete_global_concurrency_limit_by_name(name)


async def test_a_second_holder_waits_until_the_first_releases(
    helpers: Helpers, client: Any, unique: Unique, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = unique("busy")
    await new_limit(client, name)
    await short_retry_after(client, name)
    attempts = helpers.spy(monkeypatch, "increment_concurrency_slots_with_lease")
    events: list[str] = []

    async with anyio.create_task_group() as tg, helpers.concurrency(name):
        await helpers.in_background(
            tg, name, timeout_seconds=30, then=lambda: events.append("second holds")
        )
        await wait_for(lambda: "423" in attempts)  # the second was turned away
        events.append("first releases")
    assert events == ["first releases", "second holds"]
    assert attempts[0] == "ok" and attempts[-1] == "ok" and "423" in attempts
    assert await active_slots(client, name) == 0

    # Waiting has limits: timeout_seconds, max_retries.
    async with helpers.concurrency(name):
        with pytest.raises(AcquireConcurrencySlotTimeoutError, match=r"timeout_seconds=0\.2"):
            async with helpers.concurrency(name, timeout_seconds=0.2):
                pass
        with pytest.raises(TimeoutError):
            async with helpers.concurrency(name, timeout_seconds=0):
                pass
        with pytest.raises(ConcurrencySlotAcquisitionError, match="max_retries=1"):
            async with helpers.concurrency(name, max_retries=1):
                pass
        assert await active_slots(client, name) == 1
    assert await active_slots(client, name) == 0
    await client.delete_global_concurrency_limit_by_name(name)


async def test_the_lease_is_renewed_while_the_block_runs(
    helpers: Helpers,
    client: Any,
    unique: Unique,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The server grants leases of 60 s at least; renew every 0.06 s instead of every 45 s.
    monkeypatch.setattr(_core, "RENEWAL_FRACTION", 0.001)
    name = unique("renewed")
    await new_limit(client, name)
    renewals = helpers.spy(monkeypatch, "renew_concurrency_lease")

    async with helpers.concurrency(name, lease_duration=60) as lease:
        await wait_for(lambda: len(renewals) >= 3)
        assert await active_slots(client, name) == 1
    assert set(renewals) == {"ok"}
    assert await active_slots(client, name) == 0

    # A lease lost meanwhile (here: released behind the helper's back) is reported ...
    caplog.set_level(logging.WARNING, logger="prefect_sdk.concurrency")

    def lost() -> bool:
        return any("could not renew" in r.getMessage() for r in caplog.records)

    async with helpers.concurrency(name, lease_duration=60) as lease:
        await client.release_concurrency_slots_with_lease(lease)
        await wait_for(lost)
    assert "410" in renewals

    # ... and, when asked for, raised (the async block is cancelled at once; a blocking
    # block cannot be interrupted, so it raises when the block ends).
    caplog.clear()
    with pytest.raises(ConcurrencyLeaseRenewalError, match="could not renew"):
        async with helpers.concurrency(
            name, lease_duration=60, raise_on_lease_renewal_failure=True
        ) as lease:
            await client.release_concurrency_slots_with_lease(lease.lease_id)
            await wait_for(lost)
            await anyio.sleep(30 if not helpers.blocking else 0)
    assert await active_slots(client, name) == 0
    await client.delete_global_concurrency_limit_by_name(name)


async def test_names_without_a_limit_and_strict(
    helpers: Helpers, client: Any, unique: Unique
) -> None:
    name, missing = unique("exists"), unique("missing")
    await new_limit(client, name)
    async with helpers.concurrency(missing) as lease:
        assert lease is None  # nothing limited, nothing held
    async with helpers.concurrency([]) as lease:
        assert lease is None
    with pytest.raises(ConcurrencySlotAcquisitionError, match=missing):
        async with helpers.concurrency([name, missing], strict=True):
            pytest.fail("the block must not run")
    assert await active_slots(client, name) == 0  # the slot taken on `name` was given back
    async with helpers.concurrency([name, missing]) as lease:
        assert lease is not None and [limit.name for limit in lease.limits] == [name]
        assert await active_slots(client, name) == 1
    await client.delete_global_concurrency_limit_by_name(name)


async def test_rate_limit(helpers: Helpers, client: Any, unique: Unique) -> None:
    name, plain = unique("rate"), unique("plain")
    await new_limit(client, name, limit=1, slot_decay_per_second=2.0)  # a slot per 0.5 s
    await new_limit(client, plain)
    await helpers.rate_limit(name)
    await helpers.rate_limit([name], occupy=1, timeout_seconds=10)  # waits for the decay
    with pytest.raises(AcquireConcurrencySlotTimeoutError):
        await helpers.rate_limit(name, timeout_seconds=0)
    await helpers.rate_limit(unique("missing"))  # no limit: nothing to wait for
    with pytest.raises(ConcurrencySlotAcquisitionError):
        await helpers.rate_limit(unique("missing"), strict=True)
    with pytest.raises(ServerValidationError, match="slot decay"):
        await helpers.rate_limit(plain)
    await client.delete_global_concurrency_limit_by_name(name)
    await client.delete_global_concurrency_limit_by_name(plain)


async def test_without_a_client_one_is_made_from_the_environment(
    flavour: str, client: Any, unique: Unique, prefect_api: str
) -> None:
    name = unique("env")
    await new_limit(client, name)
    if server_older_than(prefect_api, "3.4.0"):  # leases came with 3.4
        with pytest.raises(NotSupportedByServer, match="increment_concurrency_slots_with_lease"):
            if flavour == "sync":
                with blocking.concurrency(name):
                    pass
            else:
                async with async_concurrency(name):
                    pass
        return
    if flavour == "sync":
        with blocking.concurrency(name):
            assert await active_slots(client, name) == 1
        blocking.rate_limit(unique("missing"))
    else:
        async with async_concurrency(name):
            assert await active_slots(client, name) == 1
        await async_rate_limit(unique("missing"))
    assert await active_slots(client, name) == 0
    await client.delete_global_concurrency_limit_by_name(name)
