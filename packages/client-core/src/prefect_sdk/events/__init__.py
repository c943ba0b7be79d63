"""Emitting events, with Prefect's signature (``prefect.events.emit_event``).

``emit_event`` blocks until the server has accepted the event, like every call of the blocking
client.  ``client=`` is a ``SyncPrefectClient``; without one a blocking client is made from the
environment (``PREFECT_API_URL``) for the call (that needs ``pip install "prefect-sdk[sync]"``).
In async code, call ``await client.emit_event(...)`` on a ``PrefectClient`` instead.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from prefect_sdk.schemas import Event, RelatedResource, Resource
    from prefect_sdk.sync import SyncPrefectClient

__all__ = ["emit_event"]


def emit_event(
    event: str,
    resource: Mapping[str, str] | Resource,
    occurred: dt.datetime | None = None,
    related: Sequence[Mapping[str, str] | RelatedResource] | None = None,
    payload: dict[str, Any] | None = None,
    id: UUID | str | None = None,
    follows: Event | UUID | str | None = None,
    client: SyncPrefectClient | None = None,
) -> Event:
    """Send one event named ``event`` about ``resource`` and return it (with its ``id``).

    The arguments are those of ``SyncPrefectClient.emit_event``: ``resource`` holds a
    ``prefect.resource.id`` label, ``related`` resources a ``prefect.resource.role`` each;
    ``occurred`` defaults to now, ``id`` to a new UUID fixed before sending (a retry cannot
    record the event twice); ``follows`` is the event known to precede this one.

    Unlike Prefect's, failures are raised (``ValidationError`` for bad input, before any
    network I/O; the client's errors otherwise), never logged and swallowed.
    """
    from prefect_sdk.exceptions import ValidationError

    arguments: dict[str, Any] = {
        "occurred": occurred,
        "related": related,
        "payload": payload,
        "id": id,
        "follows": follows,
    }
    if client is None:
        from prefect_sdk.client import get_client

        with get_client(sync_client=True) as own:
            return own.emit_event(event, resource, **arguments)
    method = getattr(client, "emit_event", None)
    if method is None or inspect.iscoroutinefunction(method):
        raise ValidationError(
            "emit_event(client=...) takes a SyncPrefectClient; with the async PrefectClient "
            "call `await client.emit_event(...)` instead"
        )
    result: Event = method(event, resource, **arguments)
    return result
