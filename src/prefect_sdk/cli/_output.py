"""Human output: aligned tables, colour on a terminal only, times, JSON.

Colour is used when the stream is a terminal and ``NO_COLOR`` is not set (https://no-color.org);
text is padded before it is coloured, so columns line up either way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterable, Sequence
from typing import IO, Any, NamedTuple

import click

__all__ = [
    "Cell",
    "colour_enabled",
    "echo_json",
    "format_table",
    "isatty",
    "level_colour",
    "paint",
    "short_time",
    "state_colour",
    "when",
]

STATE_COLOURS = {
    "COMPLETED": "green",
    "FAILED": "red",
    "CRASHED": "red",
    "CANCELLED": "yellow",
    "CANCELLING": "yellow",
    "PAUSED": "yellow",
    "RUNNING": "blue",
    "PENDING": "cyan",
    "SCHEDULED": "cyan",
}
MAX_CELL = 48


class Cell(NamedTuple):
    """A table cell with a colour (a click colour name) and/or bold or dim text."""

    text: str
    fg: str | None = None
    bold: bool = False
    dim: bool = False


def colour_enabled(stream: IO[Any] | None = None) -> bool:
    """Colour on ``stream`` (stdout by default): only a terminal, and not with ``NO_COLOR``."""
    if os.environ.get("NO_COLOR"):
        return False
    return isatty(stream if stream is not None else sys.stdout)


def isatty(stream: Any) -> bool:
    """Whether ``stream`` is a terminal (``False`` for a closed or a fake stream)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def paint(cell: Cell | str, colour: bool) -> str:
    if isinstance(cell, str):
        return cell
    if not colour or not (cell.fg or cell.bold or cell.dim):
        return cell.text
    return click.style(cell.text, fg=cell.fg, bold=cell.bold or None, dim=cell.dim or None)


def _clip(text: str, width: int = MAX_CELL) -> str:
    text = " ".join(text.split())  # one line per row
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(
    headers: Sequence[str], rows: Iterable[Sequence[Cell | str]], *, colour: bool
) -> list[str]:
    """The lines of a table: a header row, then one line per row, columns two spaces apart
    and left-aligned, long cells cut at 48 characters, no trailing blanks."""
    cells = [
        [Cell(_clip(c)) if isinstance(c, str) else c._replace(text=_clip(c.text)) for c in row]
        for row in rows
    ]
    head = [Cell(h, bold=True) for h in headers]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell.text))
    lines = []
    for row in [head, *cells]:
        parts = []
        for i, cell in enumerate(row):
            pad = "" if i == len(row) - 1 else " " * (widths[i] - len(cell.text))
            parts.append(paint(cell, colour) + pad)
        lines.append("  ".join(parts).rstrip())
    return lines


def state_colour(state_type: Any) -> str | None:
    """The colour of a state type (a ``StateType`` or its name)."""
    key = getattr(state_type, "value", state_type)
    return STATE_COLOURS.get(str(key).upper()) if key is not None else None


def level_colour(level: int) -> str | None:
    if level >= 40:
        return "red"
    if level >= 30:
        return "yellow"
    if level < 20:
        return "bright_black"
    return None


def when(value: dt.datetime | None, *, millis: bool = False) -> str:
    """A time in the local timezone, ``2024-05-01 12:00:00`` (``-`` for none)."""
    if value is None:
        return "-"
    local = value.astimezone() if value.tzinfo is not None else value
    text = local.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{local.microsecond // 1000:03d}" if millis else text


def short_time(seconds: float) -> str:
    """A duration: ``0.4s``, ``12s``, ``3m 05s``, ``2h 01m``."""
    if seconds < 10:
        return f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m {whole % 60:02d}s"
    return f"{whole // 3600}h {whole % 3600 // 60:02d}m"


def echo_json(value: Any, *, lines: bool = False) -> None:
    """``value`` as JSON on stdout: indented, or one compact line (``lines=True``)."""
    if lines:
        click.echo(json.dumps(value, separators=(",", ":"), ensure_ascii=False))
    else:
        click.echo(json.dumps(value, indent=2, ensure_ascii=False))
