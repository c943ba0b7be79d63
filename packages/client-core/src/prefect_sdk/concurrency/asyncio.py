"""Global concurrency limits around async code, asyncio or trio (``prefect.concurrency.asyncio``).

``async with concurrency("database"):`` runs its block while holding a slot of the global
concurrency limit ``database``; ``await rate_limit("api")`` waits for a slot of a rate limit.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any
from uuid import UUID

import anyio

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
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.schemas import ConcurrencyLeaseHolder, ConcurrencyLimitWithLeaseResponse

__all__ = [
    "AcquireConcurrencySlotTimeoutError",
    "ConcurrencyLeaseRenewalError",
    "ConcurrencySlotAcquisitionError",
    "concurrency",
    "rate_limit",
]


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
    client: PrefectClient | None = None,
) -> AbstractAsyncContextManager[ConcurrencyLimitWithLeaseResponse | None]:
    """Hold ``occupy`` slots of each global concurrency limit in ``names`` while the block runs.

    ::

        async with concurrency("database", occupy=2, timeout_seconds=60):
            ...

    The slots are taken under a lease of ``lease_duration`` seconds (60 to 86400), renewed
    in the background while the block runs, and released when it ends: normally, on an
    exception, or on cancellation (the release is shielded from it).  While the limits are
    full the server answers 423 with a ``Retry-After``; the request is repeated after that
    wait (after a 503, which the server sends when it is busy and nothing was done, too) until
    the slots are free, raising ``AcquireConcurrencySlotTimeoutError`` (a ``TimeoutError``)
    once ``timeout_seconds`` have passed, or ``ConcurrencySlotAcquisitionError`` after
    ``max_retries`` refusals.

    A name without a limit on the server does not limit anything; with ``strict=True`` it
    raises ``ConcurrencySlotAcquisitionError`` instead (before the block runs).  A renewal
    that fails for good is logged; with ``raise_on_lease_renewal_failure=True`` (the default
    follows ``strict``) the block is cancelled and ``ConcurrencyLeaseRenewalError`` raised.
    ``holder`` (a ``ConcurrencyLeaseHolder``) records who holds the lease.

    The block receives the lease (``ConcurrencyLimitWithLeaseResponse``), or ``None`` when
    nothing is limited.  ``client`` is the ``PrefectClient`` to use; without one a client is
    made from the environment for the block.  Arguments are checked when this is called.
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


async def rate_limit(
    names: str | Sequence[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    strict: bool = False,
    *,
    client: PrefectClient | None = None,
) -> None:
    """Wait until ``occupy`` slots of each rate limit in ``names`` can be taken, and take them.

    ::

        await rate_limit("external-api")
        call_the_api()

    A rate limit is a global concurrency limit with ``slot_decay_per_second`` > 0: the slots
    are not released, they free themselves at that rate (the server refuses rate limiting on
    a limit without decay, ``ServerValidationError``).  Waiting, ``timeout_seconds``,
    ``strict`` and ``client`` work as for ``concurrency``.
    """
    request = slot_request(names, occupy, timeout_seconds, strict=strict, mode="rate_limit")
    _check_client(client)
    if not request.names:
        return
    async with _api(client) as api:
        clock = RetryClock(request)
        while True:
            try:
                limits = await api.increment_concurrency_slots(
                    request.names, request.occupy, "rate_limit"
                )
            except PrefectHTTPStatusError as exc:
                if not should_wait(exc):
                    raise
                wait = clock.wait_after(exc)
            else:
                break
            await anyio.sleep(wait)
        request.check_strict(limits)


# -- the pieces -------------------------------------------------------------------------------


def _check_client(client: Any) -> None:
    if client is None:
        return
    method = getattr(client, "increment_concurrency_slots_with_lease", None)
    if not inspect.iscoroutinefunction(method):
        raise ValidationError(
            f"client must be an async PrefectClient, got {type(client).__name__}; with a "
            "SyncPrefectClient use prefect_sdk.concurrency.sync instead"
        )


@asynccontextmanager
async def _api(client: PrefectClient | None) -> AsyncIterator[PrefectClient]:
    """The given client, or one made from the environment and closed afterwards."""
    if client is not None:
        yield client
        return
    from prefect_sdk.client import get_client

    own = await get_client().__aenter__()
    try:
        yield own
    finally:
        with anyio.CancelScope(shield=True):
            await own.aclose()


class _Renewal:
    """What the renewing task reports to the block's owner."""

    def __init__(self) -> None:
        self.renewals = 0
        self.error: ConcurrencyLeaseRenewalError | None = None


@asynccontextmanager
async def _hold(
    request: SlotRequest, client: PrefectClient | None
) -> AsyncIterator[ConcurrencyLimitWithLeaseResponse | None]:
    if not request.names:
        yield None
        return
    async with _api(client) as api:
        lease = await _acquire(api, request)
        if lease is None:
            yield None
            return
        renewal = _Renewal()
        body_error: BaseException | None = None
        exit_error: BaseException | None = None
        try:
            async with anyio.create_task_group() as tg:
                tg.start_soon(
                    _keep_renewing, api, lease.lease_id, request, renewal, tg.cancel_scope
                )
                try:
                    yield lease
                except BaseException as exc:
                    # Raised again below: through the task group it would come out wrapped
                    # in an exception group.
                    body_error = exc
                finally:
                    tg.cancel_scope.cancel()  # stop renewing
        except BaseException as exc:
            exit_error = exc
        await _release(api, lease.lease_id)
        if exit_error is not None:
            raise exit_error
        # With raise_on_lease_renewal_failure the renewing task cancels the block: say why.
        cancelled = body_error is None or isinstance(body_error, anyio.get_cancelled_exc_class())
        if renewal.error is not None and request.raise_on_lease_renewal_failure and cancelled:
            raise renewal.error
        if body_error is not None:
            raise body_error


async def _acquire(
    api: PrefectClient, request: SlotRequest
) -> ConcurrencyLimitWithLeaseResponse | None:
    """Take the slots (waiting while they are taken); ``None`` when no named limit exists."""
    clock = RetryClock(request)
    while True:
        try:
            # Shielded: a lease the server granted must not be lost to a cancellation. But only
            # for a while: a server that does not answer must not make the caller
            # uncancellable for minutes (a lease granted meanwhile expires by itself).
            with anyio.CancelScope(
                shield=True, deadline=anyio.current_time() + _core.ACQUIRE_SHIELD_SECONDS
            ) as shield:
                lease = await api.increment_concurrency_slots_with_lease(
                    request.names,
                    request.occupy,
                    request.mode,
                    request.lease_duration,
                    request.holder,
                )
            if shield.cancelled_caught:
                raise AcquireConcurrencySlotTimeoutError(
                    f"the server did not answer the request for slots on {request.names} "
                    f"within {_core.ACQUIRE_SHIELD_SECONDS:.0f} s"
                )
        except PrefectHTTPStatusError as exc:
            if not should_wait(exc):
                raise
            wait = clock.wait_after(exc)
        else:
            break
        await anyio.sleep(wait)
    try:
        await anyio.lowlevel.checkpoint()  # a cancellation that came during the request
        request.check_strict(lease.limits)
    except BaseException:
        await _release(api, lease.lease_id)
        raise
    if not lease.limits:  # nothing is limited: the lease holds no slot
        await _release(api, lease.lease_id)
        return None
    return lease


async def _keep_renewing(
    api: PrefectClient,
    lease_id: UUID,
    request: SlotRequest,
    renewal: _Renewal,
    block: anyio.CancelScope,
) -> None:
    """Renew the lease until cancelled; on a failure for good, report it (and cancel the
    block when asked to)."""
    expires = time.monotonic() + request.lease_duration
    while True:
        await anyio.sleep(_core.renewal_interval(request.lease_duration))
        delay: float | None = None
        while True:
            sent = time.monotonic()
            try:
                await api.renew_concurrency_lease(lease_id, request.lease_duration)
            except Exception as exc:
                delay = next_renewal_retry(delay)
                if isinstance(exc, ObjectNotFound) or time.monotonic() + delay >= expires:
                    renewal.error = renewal_failed(request, lease_id, exc)
                    if request.raise_on_lease_renewal_failure:
                        block.cancel()
                    return
                _core.logger.warning(
                    "renewing the lease %s failed (%s); trying again in %.0fs", lease_id, exc, delay
                )
                await anyio.sleep(delay)
            else:
                expires = sent + request.lease_duration
                renewal.renewals += 1
                break


async def _release(api: PrefectClient, lease_id: UUID) -> None:
    """Release the lease, shielded from cancellation and bounded in time; a failure is
    logged (the server frees the slots when the lease expires)."""
    with anyio.CancelScope(shield=True) as scope:
        scope.deadline = anyio.current_time() + _core.RELEASE_TIMEOUT_SECONDS
        try:
            await api.release_concurrency_slots_with_lease(lease_id)
        except Exception as exc:
            release_failed(lease_id, exc)
    if scope.cancelled_caught:
        release_failed(lease_id, TimeoutError("the release took too long"))
