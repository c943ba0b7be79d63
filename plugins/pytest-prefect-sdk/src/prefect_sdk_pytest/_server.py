"""The session's server: given (a URL) or started here."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["API_URL_ENV", "PrefectTestServer"]

API_URL_ENV = "PREFECT_SDK_TEST_API_URL"
"""The environment variable naming a running server to use instead of starting one."""


@dataclass(frozen=True)
class PrefectTestServer:
    """The Prefect server of a test session (the ``prefect_server`` fixture).

    ``api_url`` is its API (``http://127.0.0.1:<port>/api``).  ``started`` tells whether the
    session started it (then it is stopped, and its throwaway database removed, at the end of
    the session) or was given its URL.  ``version`` is the Prefect version started, ``None``
    for a given server.
    """

    api_url: str
    started: bool
    version: str | None = None
