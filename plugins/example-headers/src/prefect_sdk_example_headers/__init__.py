"""An example of a third-party prefect-sdk plugin.

It lives in its own distribution and top-level package, as a plugin written by someone else
would, and is found through the ``prefect_sdk.plugins`` entry point (name ``example-headers``)
declared in its ``pyproject.toml``: installing it is all it takes, no client code names it.

What it does:

* adds ``X-Prefect-SDK-Example: 1`` to every request (every attempt, retries included);
* counts, per operation name, the calls made (``calls``) and the requests sent (``requests``).

Block it with ``blocked_plugins=["example-headers"]`` or
``PREFECT_SDK_BLOCKED_PLUGINS=example-headers``.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING

from prefect_sdk.client import hookimpl

if TYPE_CHECKING:
    import httpx

    from prefect_sdk.client import Call

__all__ = ["HEADER", "HEADER_VALUE", "ExampleHeadersPlugin", "plugin"]

HEADER = "X-Prefect-SDK-Example"
HEADER_VALUE = "1"


class ExampleHeadersPlugin:
    """Adds :data:`HEADER` to every request and counts calls and requests per operation.

    One instance may serve many clients at once (threads included): the counters are guarded
    by a lock.
    """

    def __init__(self, name: str = "example-headers") -> None:
        self.name = name
        self._lock = threading.Lock()
        self._calls: Counter[str] = Counter()
        self._requests: Counter[str] = Counter()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"

    @property
    def calls(self) -> dict[str, int]:
        """Operation name -> number of calls started (a copy)."""
        with self._lock:
            return dict(self._calls)

    @property
    def requests(self) -> dict[str, int]:
        """Operation name -> number of HTTP requests sent, retries included (a copy)."""
        with self._lock:
            return dict(self._requests)

    def reset(self) -> None:
        """Forget all counts."""
        with self._lock:
            self._calls.clear()
            self._requests.clear()

    @hookimpl
    def prefect_sdk_request_started(self, call: Call) -> None:
        with self._lock:
            self._calls[call.operation] += 1

    @hookimpl
    def prefect_sdk_request(self, request: httpx.Request, call: Call) -> None:
        request.headers[HEADER] = HEADER_VALUE
        with self._lock:
            self._requests[call.operation] += 1


plugin = ExampleHeadersPlugin()
"""The instance the entry point registers (as ``example-headers``)."""
