"""Observed states: the state names and types the server's retained runs have been in."""

from __future__ import annotations

import datetime as dt

from prefect_sdk.filters import StateType
from prefect_sdk.schemas._base import ResponseModel

__all__ = ["ObservedState"]


class ObservedState(ResponseModel):
    """One state type and exact state name seen in the retained run history, with the times
    of its first and last retained transition (deleting runs can change them)."""

    state_type: StateType
    state_name: str
    first_seen: dt.datetime
    last_seen: dt.datetime
