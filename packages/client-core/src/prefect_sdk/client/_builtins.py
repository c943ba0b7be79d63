"""Built-in behaviour, shipped as plugins on the public hooks (replaceable and blockable).

========================== ==================================================================
plugin name                what it does
========================== ==================================================================
``prefect_sdk.auth``       ``Authorization: Bearer`` from ``PREFECT_API_KEY`` / ``api_key=``,
                           else basic auth from ``PREFECT_API_AUTH_STRING`` (``user:pass``)
``prefect_sdk.csrf``       CSRF tokens for servers that require them
                           (``PREFECT_CLIENT_CSRF_SUPPORT_ENABLED``, default on)
``prefect_sdk.headers``    ``PREFECT_CLIENT_CUSTOM_HEADERS`` (a JSON object) on every request
``prefect_sdk.retry``      retries 408/429/502/503 (+ ``PREFECT_CLIENT_RETRY_EXTRA_CODES``)
                           and transport errors, honouring ``Retry-After``
``prefect_sdk.logging``    one DEBUG line per operation on the ``prefect_sdk.client`` logger
========================== ==================================================================
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Generator
from typing import TYPE_CHECKING, Literal

import httpx

from prefect_sdk.client._hookspecs import hookimpl

if TYPE_CHECKING:
    from prefect_sdk.client._call import Call
    from prefect_sdk.settings import Settings

logger = logging.getLogger("prefect_sdk.client")

RETRY_STATUS_CODES = frozenset({408, 429, 502, 503})
# Transport errors raised before the request could have reached the server.
NOT_SENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)
# Capped exponential backoff with full jitter: retry n waits uniform(0, min(cap, base * 2**(n-1))).
BACKOFF_BASE_SECONDS = 0.1
BACKOFF_MAX_SECONDS = 10.0
# A server asking for a longer wait than this is not waited for: the error is raised instead.
RETRY_AFTER_MAX_SECONDS = 60.0
# The retry budget (the AWS SDKs' "standard" retry mode): each client holds RETRY_BUDGET
# tokens; a retry spends RETRY_COST (RETRY_TIMEOUT_COST after a timeout), a success pays back
# what its own retries spent, or RETRY_SUCCESS_REFILL when it needed none. An empty budget
# means the server has been failing for a while: calls then fail at their first error instead
# of multiplying the load on it.
RETRY_BUDGET = 500
RETRY_COST = 5
RETRY_TIMEOUT_COST = 10
RETRY_SUCCESS_REFILL = 1


class BearerAuth(httpx.Auth):
    """``Authorization: Bearer <key>``; the key never appears in ``repr``."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request

    def __repr__(self) -> str:
        return "BearerAuth('**********')"


class AuthPlugin:
    @hookimpl(trylast=True)
    def prefect_sdk_auth(self, settings: Settings) -> httpx.Auth | None:
        if settings.api_key:
            return BearerAuth(settings.api_key.get_secret_value())
        if settings.api_auth_string:
            user, _, password = settings.api_auth_string.get_secret_value().partition(":")
            return httpx.BasicAuth(user, password)
        return None


class CsrfPlugin:
    @hookimpl(trylast=True)
    def prefect_sdk_auth_wrap(
        self, auth: httpx.Auth | None, settings: Settings, api_url: str
    ) -> httpx.Auth | None:
        if not settings.csrf_support_enabled:
            return None
        from prefect_sdk.client._csrf import CsrfAuth

        return CsrfAuth(auth, api_url)


class CustomHeadersPlugin:
    @hookimpl(trylast=True)
    def prefect_sdk_headers(self, settings: Settings) -> dict[str, str] | None:
        return dict(settings.custom_headers) or None


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` as seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# The body the Prefect server itself answers 503 with: it sends it only for errors it
# classifies as retryable (a database lock timeout, a lost database connection), raised inside
# the request's transaction, which the server then rolled back. A proxy's 503 looks different.
_PREFECT_BUSY_BODY = {"exception_message": "Service Unavailable"}


def server_rolled_back(response: httpx.Response) -> bool:
    """Whether ``response`` is the Prefect server's own "retry me: nothing was done" 503."""
    if response.status_code != 503:
        return False
    import json

    try:
        return bool(json.loads(response.content) == _PREFECT_BUSY_BODY)
    except ValueError:
        return False


def backoff_seconds(attempt: int, jitter_factor: float) -> float:
    """The wait before retrying after failed attempt ``attempt`` (1-based): capped
    exponential with full jitter (uniform between 0 and the exponential); a jitter factor of
    0 turns the jitter off (the exponential itself)."""
    ceiling = min(BACKOFF_BASE_SECONDS * 2.0 ** (attempt - 1), BACKOFF_MAX_SECONDS)
    if jitter_factor <= 0:
        return ceiling
    return random.uniform(0, ceiling)


class RetryBudget:
    """A token bucket bounding the retries of one client (thread-safe)."""

    def __init__(self, capacity: int = RETRY_BUDGET) -> None:
        self.capacity = capacity
        self.tokens = capacity
        self._lock = threading.Lock()

    def spend(self, cost: int) -> bool:
        """Take ``cost`` tokens for a retry; ``False`` (and nothing taken) if too few are left."""
        with self._lock:
            if self.tokens < cost:
                return False
            self.tokens -= cost
            return True

    def refill(self, amount: int) -> None:
        if self.tokens >= self.capacity:
            return  # full (the usual case): nothing to add, no lock to take
        with self._lock:
            self.tokens = min(self.capacity, self.tokens + amount)


class RetryPlugin:
    """The built-in retry policy (see docs/retries.md), with its per-client retry budget."""

    def __init__(self) -> None:
        self.budget = RetryBudget()

    @hookimpl(trylast=True)
    def prefect_sdk_retry(
        self,
        call: Call,
        settings: Settings,
        response: httpx.Response | None,
        error: Exception | None,
    ) -> float | bool:
        wait = self._decide(call, settings, response, error)
        if wait is False:
            return False
        cost = RETRY_TIMEOUT_COST if isinstance(error, httpx.TimeoutException) else RETRY_COST
        if not self.budget.spend(cost):
            return False
        call.state["retry_tokens"] = call.state.get("retry_tokens", 0) + cost
        return wait

    @hookimpl
    def prefect_sdk_request_finished(
        self, call: Call, response: httpx.Response | None, error: BaseException | None
    ) -> None:
        if error is None and response is not None:
            self.budget.refill(call.state.get("retry_tokens") or RETRY_SUCCESS_REFILL)

    @staticmethod
    def _decide(
        call: Call,
        settings: Settings,
        response: httpx.Response | None,
        error: Exception | None,
    ) -> float | Literal[False]:
        if call.attempt > settings.max_retries:
            return False
        if error is not None:
            from prefect_sdk.client._base import tls_refusal

            if tls_refusal(error) is not None:
                return False  # the certificate will not become trusted by asking again
        if response is not None:
            code = response.status_code
            if code not in RETRY_STATUS_CODES and code not in settings.retry_extra_codes:
                return False
            # A 429 means the request was refused unprocessed, and so does the Prefect server's
            # own 503 (its transaction was rolled back); anything else may have had effect.
            if not call.retry_safe and code != 429 and not server_rolled_back(response):
                return False
            wait = retry_after_seconds(response)
            if wait is None:
                return backoff_seconds(call.attempt, settings.retry_jitter_factor)
            return wait if wait <= RETRY_AFTER_MAX_SECONDS else False
        if error is None:
            return False
        if not call.retry_safe and not isinstance(error, NOT_SENT_ERRORS):
            return False
        if not isinstance(error, httpx.TransportError):
            return False
        return backoff_seconds(call.attempt, settings.retry_jitter_factor)


class LoggingPlugin:
    @hookimpl
    def prefect_sdk_request_finished(
        self,
        call: Call,
        response: httpx.Response | None,
        error: BaseException | None,
        duration: float,
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        outcome = str(response.status_code) if response is not None else type(error).__name__
        logger.debug(
            "%s %s %s -> %s in %.3fs (attempts=%d)",
            call.operation,
            call.method,
            call.path,
            outcome,
            duration,
            call.attempt,
        )


BUILTIN_PLUGINS: tuple[tuple[str, type], ...] = (
    ("prefect_sdk.auth", AuthPlugin),
    ("prefect_sdk.csrf", CsrfPlugin),
    ("prefect_sdk.headers", CustomHeadersPlugin),
    ("prefect_sdk.retry", RetryPlugin),
    ("prefect_sdk.logging", LoggingPlugin),
)
