from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class Call:
    """One operation call, as the hooks see it.

    ``operation`` is the client method's name (``"create_flow_run"``), ``retry_safe`` whether
    repeating the request cannot do harm (reads, and creates the server deduplicates),
    ``attempt`` the attempt being made (from 1), ``client`` which client runs it, and
    ``state`` a scratch dict plugins may share between the start and finish hooks, and
    ``retries`` whether the operation may be retried at all (a health check is not), and
    ``maybe_done`` whether an earlier attempt may have had its effect although it failed (its
    answer was lost, or came from a proxy).
    """

    operation: str
    method: str
    path: str
    retry_safe: bool
    client: Literal["async", "sync"]
    attempt: int = 0
    retries: bool = True
    maybe_done: bool = False
    state: dict[str, Any] = field(default_factory=dict)
