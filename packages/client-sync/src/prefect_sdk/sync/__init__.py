"""The blocking Prefect client: real blocking I/O on ``httpx.Client``.

No event loop, no background thread: it works unchanged inside a running event loop (Jupyter)
and from many threads at once.  Every method is generated from the async client's single
definition (``tools/unasync.py``), so the two never drift.
"""

from prefect_sdk.client._params import HasId, HasName, HasTaskKey
from prefect_sdk.client._streams import SyncStream
from prefect_sdk.sync._client import SyncPrefectClient

__all__ = ["HasId", "HasName", "HasTaskKey", "SyncPrefectClient", "SyncStream"]
