"""The few hand-written async/sync pairs the generated sync client maps onto."""

from __future__ import annotations

import time


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
