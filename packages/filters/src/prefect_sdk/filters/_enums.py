"""Server enums generated from openapi-prefect-3.8.8.json.

Do not edit: run ``python tools/gen_filters.py`` instead.
"""

import enum

__all__ = ["EventOrder", "Operator", "StateType", "WorkerStatus"]


class EventOrder(str, enum.Enum):
    """Values of the server enum ``EventOrder``."""

    ASC = "ASC"
    DESC = "DESC"


class Operator(str, enum.Enum):
    """Values of the server enum ``Operator``."""

    and_ = "and_"
    or_ = "or_"


class StateType(str, enum.Enum):
    """Values of the server enum ``StateType``."""

    SCHEDULED = "SCHEDULED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    CRASHED = "CRASHED"
    PAUSED = "PAUSED"
    CANCELLING = "CANCELLING"


class WorkerStatus(str, enum.Enum):
    """Values of the server enum ``WorkerStatus``."""

    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"
