"""Global concurrency limits around blocking code (``prefect.concurrency.sync``).

``with concurrency("database"):`` runs its block while holding a slot of the global
concurrency limit ``database``; ``rate_limit("api")`` waits for a slot of a rate limit.  No
event loop is involved: requests block the calling thread, and a daemon thread renews the
lease while the block runs.  ``client`` is a ``SyncPrefectClient`` (``pip install
"prefect-sdk[sync]"``); without one, one is made from the environment.
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.concurrency import _core
from prefect_sdk.concurrency._core import (
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLeaseRenewalError,
    ConcurrencySlotAcquisitionError,
    RetryClock,
    SlotRequest,
    next_renewal_retry,
    release_failed,
    renewal_failed,
    should_wait,
    slot_request,
)
from prefect_sdk.exceptions import ObjectNotFound, PrefectHTTPStatusError, ValidationError

if TYPE_CHECKING:
    from prefect_sdk.schemas import ConcurrencyLeaseHolder, ConcurrencyLimitWithLeaseResponse
    from prefect_sdk.sync import SyncPrefectClient

__all__ = [
    "AcquireConcurrencySlotTimeoutError",
    "ConcurrencyLeaseRenewalError",
    "ConcurrencySlotAcquisitionError",
    "concurrency",
    "rate_limit",
]

RENEWER_JOIN_SECONDS = 1.0
"""How long leaving the block waits for the renewing thread to stop (it is a daemon)."""


def concurrency(
    names: str | Sequence[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    max_retries: int | None = None,
    lease_duration: float = 300,
    strict: bool = False,
    holder: ConcurrencyLeaseHolder | dict[str, Any] | None = None,
    raise_on_lease_renewal_failure: bool | None = None,
    *,
    client: SyncPrefectClient | None = None,
) -> AbstractContextManager[ConcurrencyLimitWithLeaseResponse | None]:
    """Hold ``occupy`` slots of each global concurrency limit in ``names`` while the block runs.

    ::

        with concurrency("database", occupy=2, timeout_seconds=60):
            ...

    The blocking twin of ``prefect_sdk.concurrency.concurrency`` (same arguments and
    behaviour): the slots are taken under a lease of ``lease_duration`` seconds (60 to 86400),
    renewed by a daemon thread while the block runs, and released when it ends, on an
    exception too.  While the limits are full the request is repeated after the server's
    ``Retry-After`` until ``timeout_seconds`` (``AcquireConcurrencySlotTimeoutError``) or
    ``max_retries`` (``ConcurrencySlotAcquisitionError``).

    A name without a limit does not limit anything (``strict=True``: it raises
    ``ConcurrencySlotAcquisitionError``).  A renewal that fails for good is logged; with
    ``raise_on_lease_renewal_failure=True`` (the default follows ``strict``)
    ``ConcurrencyLeaseRenewalError`` is raised when the block ends (a blocking block cannot
    be interrupted safely).  The block receives the lease, or ``None`` when nothing is
    limited.
    """
    request = slot_request(
        names,
        occupy,
        timeout_seconds,
        max_retries,
        lease_duration,
        strict,
        holder,
        raise_on_lease_renewal_failure,
    )
    _check_client(client)
    return _hold(request, client)


def rate_limit(
    names: str | Sequence[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
    *,
    client: SyncPrefectClient | None = None,
) -> None:
    """Wait until ``occupy`` slots of each rate limit in ``names`` can be taken, and take them.

    The blocking twin of ``prefect_sdk.concurrency.rate_limit``: the limits need
    ``slot_decay_per_second`` > 0; the slots are not released, they decay.
    """
    request = slot_request(names, occupy, timeout_seconds, strict=strict, mode="rate_limit")
    _check_client(client)
    if not request.names:
        return
    with _api(client) as api:
        clock = RetryClock(request)
        while True:
            try:
                limits = api.increment_concurrency_slots(
                    request.names, request.occupy, "rate_limit"
                )
            except PrefectHTTPStatusError as exc:
                if not should_wait(exc):
                    raise
                wait = clock.wait_after(exc)
            else:
                break
            time.sleep(wait)
        request.check_strict(limits)


# -- the pieces -------------------------------------------------------------------------------


def _check_client(client: Any) -> None:
    if client is None:
        return
    method = getattr(client, "increment_concurrency_slots_with_lease", None)
    if method is None or inspect.iscoroutinefunction(method):
        raise ValidationError(
            f"client must be a SyncPrefectClient, got {type(client).__name__}; with an async "
            "PrefectClient use prefect_sdk.concurrency (async with) instead"
        )


@contextmanager
def _api(client: SyncPrefectClient | None) -> Iterator[SyncPrefectClient]:
    """The given client, or one made from the environment and closed afterwards."""
    if client is not None:
        yield client
        return
    from prefect_sdk.client import get_client

    with get_client(sync_client=True) as own:
        yield own


@contextmanager
def _hold(
    request: SlotRequest, client: SyncPrefectClient | None
) -> Iterator[ConcurrencyLimitWithLeaseResponse | None]:
    if not request.names:
        yield None
        return
    with _api(client) as api:
        lease = _acquire(api, request)
        if lease is None:
            yield None
            return
        renewer = _Renewer(api, lease.lease_id, request)
        renewer.start()
        try:
            yield lease
        except BaseException:
            renewer.stop()
            _release(api, lease.lease_id)
            raise
        renewer.stop()
        _release(api, lease.lease_id)
        if renewer.error is not None and request.raise_on_lease_renewal_failure:
            raise renewer.error


def _acquire(
    api: SyncPrefectClient, request: SlotRequest
) -> ConcurrencyLimitWithLeaseResponse | None:
    """Take the slots (waiting while they are taken); ``None`` when no named limit exists."""
    clock = RetryClock(request)
    while True:
        try:
            lease = api.increment_concurrency_slots_with_lease(
                request.names,
                request.occupy,
                request.mode,
                request.lease_duration,
                request.holder,
            )
        except PrefectHTTPStatusError as exc:
            if not should_wait(exc):
                raise
            wait = clock.wait_after(exc)
        else:
            break
        time.sleep(wait)
    try:
        request.check_strict(lease.limits)
    except BaseException:
        _release(api, lease.lease_id)
        raise
    if not lease.limits:  # nothing is limited: the lease holds no slot
        _release(api, lease.lease_id)
        return None
    return lease


class _Renewer:
    """A daemon thread renewing the lease until stopped."""

    def __init__(self, api: SyncPrefectClient, lease_id: UUID, request: SlotRequest) -> None:
        self.api = api
        self.lease_id = lease_id
        self.request = request
        self.renewals = 0
        self.error: ConcurrencyLeaseRenewalError | None = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"prefect-sdk-lease-{lease_id}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(RENEWER_JOIN_SECONDS)

    def _run(self) -> None:
        duration = self.request.lease_duration
        expires = time.monotonic() + duration
        while not self._stopping.wait(_core.renewal_interval(duration)):
            delay: float | None = None
            while True:
                sent = time.monotonic()
                try:
                    self.api.renew_concurrency_lease(self.lease_id, duration)
                except Exception as exc:
                    if self._stopping.is_set():
                        return  # the block ended meanwhile; the lease is being released
                    delay = next_renewal_retry(delay)
                    if isinstance(exc, ObjectNotFound) or time.monotonic() + delay >= expires:
                        self.error = renewal_failed(self.request, self.lease_id, exc)
                        return
                    _core.logger.warning(
                        "renewing the lease %s failed (%s); trying again in %.0fs",
                        self.lease_id,
                        exc,
                        delay,
                    )
                    if self._stopping.wait(delay):
                        return
                else:
                    expires = sent + duration
                    self.renewals += 1
                    break


def _release(api: SyncPrefectClient, lease_id: UUID) -> None:
    """Release the lease; a failure is logged (the server frees the slots when the lease
    expires)."""
    try:
        # One attempt, no retries: leaving the block must not wait out a retry schedule (the
        # async twin bounds its release in time the same way).
        api._call(
            "release_concurrency_slots_with_lease",
            json={"lease_id": str(lease_id)},
            retries=False,
        )
    except Exception as exc:
        release_failed(lease_id, exc)
