"""Serve the emulator on a free loopback port, in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from ._app import build_app
from ._state import CloudState


@dataclass
class Emulator:
    """A running emulator: ``url`` is its API root (stands in for ``.../api`` of Prefect Cloud)."""

    url: str
    state: CloudState


@contextmanager
def run_emulator(
    upstream_api_url: str | None = None, state: CloudState | None = None
) -> Iterator[Emulator]:
    """Serve a Cloud API emulator; workspace APIs are forwarded to ``upstream_api_url``."""
    state = state if state is not None else CloudState(upstream_api_url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        build_app(state),
        http="h11",
        loop="asyncio",
        lifespan="on",
        log_level="warning",
        access_log=False,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="cloud-emulator", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the Prefect Cloud emulator did not start")
        time.sleep(0.01)
    try:
        yield Emulator(url=f"http://127.0.0.1:{port}/api", state=state)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
