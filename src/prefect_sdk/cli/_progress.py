"""Waiting for a flow run with a progress indicator on stderr.

On a terminal, a spinner line with the run's state and the time waited, redrawn ten times a
second and erased at the end; otherwise (a pipe, a CI log) one line per state seen.  The
states come from ``wait_for_flow_run(log_states=True)``, which logs each new state it reads
(logger ``prefect_sdk.flow_runs``).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from prefect_sdk.cli._output import isatty, short_time

if TYPE_CHECKING:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.schemas import FlowRun

__all__ = ["Progress", "progress", "wait"]

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Progress(logging.Handler):
    """The state of a run being waited for, on stderr: a spinner line on a terminal, else a
    line per state.  Fed by ``wait_for_flow_run(log_states=True)``'s log records."""

    def __init__(self, label: str, state: str) -> None:
        super().__init__(logging.INFO)
        self.label = label
        self.state = state
        self.started = time.monotonic()
        self.tty = isatty(sys.stderr)
        self.frame = 0

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args
        state = str(args[-1]) if isinstance(args, tuple) and args else record.getMessage()
        if state != self.state:
            self.state = state
            if not self.tty:
                click.echo(f"{self.label}: {state}", err=True)

    def draw(self) -> None:
        if self.tty:
            self.frame += 1
            elapsed = short_time(time.monotonic() - self.started)
            spin = SPINNER[self.frame % len(SPINNER)]
            text = f"{spin} waiting for {self.label}: {self.state} ({elapsed})"
            width = shutil.get_terminal_size().columns - 1  # a wrapped line cannot be redrawn
            click.echo("\r" + text[:width] + "\x1b[K", err=True, nl=False)

    def clear(self) -> None:
        if self.tty:
            click.echo("\r\x1b[K", err=True, nl=False)


@contextlib.contextmanager
def progress(label: str, state: str) -> Iterator[Progress]:
    """Show the progress of waiting for the run ``label`` while the block runs."""
    shown = Progress(label, state)
    logger = logging.getLogger("prefect_sdk.flow_runs")
    saved = logger.level, logger.propagate
    logger.addHandler(shown)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    if not shown.tty:
        click.echo(f"waiting for {label}: {state}", err=True)
    try:
        yield shown
    finally:
        shown.clear()
        logger.removeHandler(shown)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


async def wait(
    client: PrefectClient,
    run: FlowRun,
    timeout: float | None,
    poll_interval: float,
    shown: Progress,
) -> FlowRun:
    """``wait_for_flow_run``, with the progress line redrawn meanwhile."""
    import anyio

    ended: FlowRun | None = None
    error: Exception | None = None
    async with anyio.create_task_group() as group:

        async def spin() -> None:
            while True:
                shown.draw()
                await anyio.sleep(0.1)

        if shown.tty:
            group.start_soon(spin)
        try:
            ended = await client.wait_for_flow_run(
                run.id, timeout=timeout, poll_interval=poll_interval, log_states=True
            )
        except Exception as exc:  # raised as it is, not inside the task group's ExceptionGroup
            error = exc
        finally:
            group.cancel_scope.cancel()
    if error is not None:
        raise error
    assert ended is not None
    return ended
