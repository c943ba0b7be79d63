"""What the async and the blocking helpers share: argument checks, errors, the retry clock.

No I/O here; ``asyncio.py`` and ``sync.py`` do the requests, the waiting and the renewing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from prefect_sdk.exceptions import PrefectSDKError, ValidationError

if TYPE_CHECKING:
    from prefect_sdk.exceptions import PrefectHTTPStatusError
    from prefect_sdk.schemas import ConcurrencyLeaseHolder, MinimalConcurrencyLimitResponse

logger = logging.getLogger("prefect_sdk.concurrency")

RENEWAL_FRACTION = 0.75
"""A lease is renewed when this fraction of its duration has passed."""
RENEWAL_RETRY_SECONDS = (1.0, 10.0)
"""A failed renewal is retried after the first delay, doubling up to the second, for as long
as the lease has not expired."""
RETRY_AFTER_DEFAULT_SECONDS = 1.0
"""How long to wait after a 423 / 503 that carries no ``Retry-After``."""
RETRY_AFTER_MAX_SECONDS = 30.0
"""The longest single wait between two attempts (a later attempt may wait again)."""
ACQUIRE_SHIELD_SECONDS = 30.0
"""How long a request for slots is shielded from cancellation (a lease it was granted must not
be lost); past it the caller's cancellation wins, and a lease granted anyway expires."""
RELEASE_TIMEOUT_SECONDS = 30.0
"""How long releasing slots may take on exit; past it the lease is left to expire."""


class ConcurrencySlotAcquisitionError(PrefectSDKError):
    """The slots could not be taken: ``strict=True`` and a named limit does not exist, or the
    server refused ``max_retries`` times."""


class AcquireConcurrencySlotTimeoutError(PrefectSDKError, TimeoutError):
    """The slots were not free within ``timeout_seconds``."""


class ConcurrencyLeaseRenewalError(PrefectSDKError):
    """The lease on the slots could not be renewed, so they may have been freed while the
    block ran (raised with ``raise_on_lease_renewal_failure=True``)."""


@dataclass(frozen=True)
class SlotRequest:
    """The checked arguments of one ``concurrency()`` / ``rate_limit()`` call."""

    names: list[str]
    occupy: int
    mode: Literal["concurrency", "rate_limit"]
    timeout_seconds: float | None
    max_retries: int | None
    lease_duration: float
    strict: bool
    holder: ConcurrencyLeaseHolder | dict[str, Any] | None
    raise_on_lease_renewal_failure: bool

    def missing(self, limits: Sequence[MinimalConcurrencyLimitResponse]) -> list[str]:
        """The names asked for that have no limit on the server."""
        found = {limit.name for limit in limits}
        return [name for name in self.names if name not in found]

    def check_strict(self, limits: Sequence[MinimalConcurrencyLimitResponse]) -> None:
        """With ``strict``, every name must be a limit on the server."""
        missing = self.missing(limits)
        if self.strict and missing:
            raise ConcurrencySlotAcquisitionError(
                f"strict=True and no global concurrency limit is named {missing!r}: create "
                "it (client.create_global_concurrency_limit / upsert_global_concurrency_limit"
                "_by_name), or pass strict=False to run unlimited where no limit exists"
            )


def slot_request(
    names: Any,
    occupy: Any,
    timeout_seconds: Any,
    max_retries: Any = None,
    lease_duration: Any = 300,
    strict: bool = False,
    holder: Any = None,
    raise_on_lease_renewal_failure: bool | None = None,
    *,
    mode: Literal["concurrency", "rate_limit"] = "concurrency",
) -> SlotRequest:
    """Check the helpers' arguments before any I/O; ValidationError names the argument."""
    from prefect_sdk.client._resources.concurrency_limits_v2 import _lease_duration

    if isinstance(names, str):
        names = [names]
    if not isinstance(names, Sequence | set | frozenset):
        raise ValidationError(
            f"names must be a limit name or a list of them, e.g. 'database', got {names!r}"
        )
    checked: list[str] = []
    for i, name in enumerate(names):
        if not isinstance(name, str) or not name:
            raise ValidationError(f"names[{i}] must be a non-empty string, got {name!r}")
        if name not in checked:
            checked.append(name)
    if not isinstance(occupy, int) or isinstance(occupy, bool) or occupy < 1:
        raise ValidationError(f"occupy must be an int >= 1 (slots per limit), got {occupy!r}")
    if timeout_seconds is not None and (
        not isinstance(timeout_seconds, int | float)
        or isinstance(timeout_seconds, bool)
        or timeout_seconds < 0
    ):
        raise ValidationError(
            f"timeout_seconds must be seconds >= 0, or None to wait as long as it takes, "
            f"got {timeout_seconds!r}"
        )
    if max_retries is not None and (
        not isinstance(max_retries, int) or isinstance(max_retries, bool) or max_retries < 0
    ):
        raise ValidationError(f"max_retries must be an int >= 0 or None, got {max_retries!r}")
    if mode == "concurrency":
        lease_duration = _lease_duration(lease_duration)
    return SlotRequest(
        names=checked,
        occupy=occupy,
        mode=mode,
        timeout_seconds=None if timeout_seconds is None else float(timeout_seconds),
        max_retries=max_retries,
        lease_duration=float(lease_duration),
        strict=bool(strict),
        holder=holder,
        raise_on_lease_renewal_failure=(
            bool(strict)
            if raise_on_lease_renewal_failure is None
            else bool(raise_on_lease_renewal_failure)
        ),
    )


class RetryClock:
    """When to try again after the server said the slots are taken (HTTP 423)."""

    def __init__(self, request: SlotRequest) -> None:
        self.request = request
        self.started = time.monotonic()
        self.retries = 0

    def wait_after(self, error: PrefectHTTPStatusError) -> float:
        """Seconds to wait before the next attempt, or the error that ends the waiting.

        ``error`` must be one ``should_wait`` accepts: the caller raises every other error.
        """
        from prefect_sdk.client._builtins import retry_after_seconds

        request = self.request
        self.retries += 1
        if request.max_retries is not None and self.retries > request.max_retries:
            raise ConcurrencySlotAcquisitionError(
                f"the slots on {request.names!r} were still not granted after "
                f"{request.max_retries} retries (max_retries={request.max_retries}; last "
                f"answer: {error.status_code})"
            ) from error
        wait = retry_after_seconds(error.response)
        wait = RETRY_AFTER_DEFAULT_SECONDS if wait is None else wait
        wait = min(max(wait, 0.0), RETRY_AFTER_MAX_SECONDS)
        if request.timeout_seconds is not None:
            remaining = self.started + request.timeout_seconds - time.monotonic()
            if remaining <= 0:
                raise AcquireConcurrencySlotTimeoutError(
                    f"the slots on {request.names!r} were not free within "
                    f"timeout_seconds={request.timeout_seconds:g} (last answer: "
                    f"{error.status_code})"
                ) from error
            wait = min(wait, remaining)
        logger.debug("slots on %r are taken; trying again in %.2fs", request.names, wait)
        return wait


def renewal_interval(lease_duration: float) -> float:
    """Seconds between two renewals of a lease of ``lease_duration`` seconds."""
    return lease_duration * RENEWAL_FRACTION


def next_renewal_retry(delay: float | None) -> float:
    """The wait before retrying a failed renewal, given the previous one (``None``: first)."""
    first, cap = RENEWAL_RETRY_SECONDS
    return first if delay is None else min(delay * 2, cap)


def renewal_failed(
    request: SlotRequest, lease_id: Any, error: BaseException
) -> ConcurrencyLeaseRenewalError:
    """Log a renewal that gave up; return the error to raise if the caller asked for one."""
    logger.warning(
        "could not renew the lease %s on the slots of %r (%s); the server frees them when "
        "it expires, so the limit may be exceeded while this block runs",
        lease_id,
        request.names,
        error,
    )
    failure = ConcurrencyLeaseRenewalError(
        f"could not renew the lease {lease_id} on the slots of {request.names!r}: {error}"
    )
    failure.__cause__ = error
    return failure


def release_failed(lease_id: Any, error: BaseException) -> None:
    logger.warning(
        "could not release the lease %s (%s); its slots are freed when it expires",
        lease_id,
        error,
    )


def should_wait(error: PrefectHTTPStatusError) -> bool:
    """Whether to try again later: the slots are taken (423), or the Prefect server itself
    answered that nothing was written (its own 503, e.g. a busy database). Any other 503 (a
    proxy's) may follow a request that took the slots, so it is not repeated."""
    from prefect_sdk.client._builtins import server_rolled_back

    return error.status_code == 423 or server_rolled_back(error.response)
