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
