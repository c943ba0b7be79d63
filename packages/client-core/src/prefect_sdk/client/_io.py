"""The few hand-written async/sync pairs the generated sync client maps onto."""

from __future__ import annotations

import time
from typing import Any


async def async_sleep(seconds: float) -> None:
    """Sleep without blocking the event loop (asyncio or trio)."""
    import anyio

    await anyio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    """Block the calling thread."""
    time.sleep(seconds)


def async_loop_token() -> object | None:
    """The running asyncio loop or trio run's token, or ``None`` outside any."""
    import asyncio
    import sys

    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    trio = sys.modules.get("trio")  # only a program running trio has imported it
    if trio is not None:
        try:
            token: object = trio.lowlevel.current_trio_token()
        except RuntimeError:
            return None
        return token
    return None


def sync_loop_token() -> object | None:
    """The blocking client belongs to no event loop."""
    return None


class _NoLimit:
    """A context manager that does nothing (the blocking client's threads need no limit)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_LIMIT = _NoLimit()


def async_slot(client: Any) -> Any:
    """An ``async with`` limit on the calls one async client has in flight at once: as many
    as its connection pool holds. httpcore's pool slows down sharply (and waiters hit the pool
    timeout) when far more requests wait in it than it has connections; the limit makes them
    wait here, cheaply, instead. One semaphore per client and event loop."""
    size = client._pool_size
    if size is None:
        return _ASYNC_NO_LIMIT
    loop = async_loop_token()
    held = client._limiter
    if held is None or held[0] is not loop:
        held = client._limiter = (loop, _AsyncSlots(size))
    return held[1]


class _AsyncSlots:
    """At most ``size`` holders at once. A free slot is taken without yielding to the event
    loop (anyio's ``Semaphore.acquire`` yields once even then: an extra loop iteration per
    call); only a call that has to wait for a slot waits in the semaphore."""

    __slots__ = ("_semaphore",)

    def __init__(self, size: int) -> None:
        import anyio

        self._semaphore = anyio.Semaphore(size)

    async def __aenter__(self) -> None:
        semaphore = self._semaphore
        if semaphore.value > 0:
            semaphore.acquire_nowait()  # a free slot means no one is waiting for one
        else:
            await semaphore.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self._semaphore.release()


def sync_slot(client: Any) -> Any:
    """The blocking client needs no limit: each thread blocks on its own call."""
    return _NO_LIMIT


class _AsyncNoLimit:
    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, *exc: object) -> None:
        return None


_ASYNC_NO_LIMIT = _AsyncNoLimit()
