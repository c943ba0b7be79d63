"""Parsing the command line's values: times, ``k=v`` parameters, JSON-or-text values.

Standard library only (imported to build the commands, before any of them runs).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

__all__ = ["parse_param", "parse_value", "parse_when", "state_filter_values"]

_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

# Prefect's state names, to accept them in any case (the server matches names exactly).
STATE_NAMES = (
    "Scheduled",
    "Late",
    "AwaitingRetry",
    "AwaitingConcurrencySlot",
    "Pending",
    "Running",
    "Retrying",
    "Paused",
    "Suspended",
    "Completed",
    "Cached",
    "RolledBack",
    "Failed",
    "Crashed",
    "Cancelled",
    "Cancelling",
)
STATE_TYPES = (
    "SCHEDULED",
    "PENDING",
    "RUNNING",
    "COMPLETED",
    "FAILED",
    "CANCELLED",
    "CRASHED",
    "PAUSED",
    "CANCELLING",
)


def parse_when(text: str, now: dt.datetime | None = None) -> dt.datetime:
    """A point in time: ISO 8601 (``2024-05-01``, ``2024-05-01T12:00``, ``...Z``, with an
    offset; without one it is local time) or a time ago (``30s``, ``15m``, ``1h``, ``2d``,
    ``1w``).  Raises ``ValueError`` with a message for anything else."""
    match = _RELATIVE.match(text)
    if match:
        amount, unit = float(match.group(1)), match.group(2).lower()
        base = now or dt.datetime.now(dt.timezone.utc)
        return base - dt.timedelta(seconds=amount * _UNIT_SECONDS[unit])
    value = text.strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a time: use ISO 8601 (2024-05-01, 2024-05-01T12:00:00Z) "
            "or a time ago (30s, 15m, 1h, 2d, 1w)"
        ) from None
    if when.tzinfo is None or when.utcoffset() is None:
        when = when.astimezone()  # a naive time is the user's local time
    return when


def parse_value(text: str) -> Any:
    """``text`` read as JSON (``42``, ``true``, ``[1, 2]``, ``{"a": 1}``, ``"quoted"``, ``null``),
    else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_param(text: str) -> tuple[str, Any]:
    """``key=value`` as ``(key, parse_value(value))``; ``ValueError`` without a key."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError(f"{text!r} is not KEY=VALUE (e.g. --param day=2024-05-01 --param n=3)")
    return key, parse_value(value)


def state_filter_values(values: tuple[str, ...]) -> list[str]:
    """``--state`` values: state types (any case) stay as they are, known state names get
    their canonical case (``late`` -> ``Late``), anything else is kept as given."""
    names = {name.lower(): name for name in STATE_NAMES}
    result: list[str] = []
    for value in values:
        if value.upper() in STATE_TYPES:
            result.append(value.upper())
        else:
            result.append(names.get(value.lower(), value))
    return result
