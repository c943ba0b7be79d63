"""Global concurrency limits (v2): ``/v2/concurrency_limits/...``, slots and leases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    as_uuid,
    dump,
    non_empty,
    path_segment,
)
from prefect_sdk.client._resources.concurrency_limits import _names
from prefect_sdk.exceptions import (
    ObjectAlreadyExists,
    ObjectNotFound,
    PrefectHTTPStatusError,
    ValidationError,
)

if TYPE_CHECKING:
    from prefect_sdk.schemas import (
        ConcurrencyLeaseHolder,
        ConcurrencyLimitWithLeaseResponse,
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitResponse,
        GlobalConcurrencyLimitUpdate,
        MinimalConcurrencyLimitResponse,
    )

SlotMode = Literal["concurrency", "rate_limit"]

LEASE_DURATION_MIN = 60.0
"""The shortest lease the server grants, in seconds."""
LEASE_DURATION_MAX = 86400.0
"""The longest lease the server grants, in seconds (a day)."""


class GlobalConcurrencyLimitAsyncClient(AsyncAPIClient):
    """Operations on global concurrency limits, their slots and leases.

    Where prefect-client returns the raw ``httpx.Response`` (the slot and lease operations,
    ``update_global_concurrency_limit``, ``delete_global_concurrency_limit_by_name``), these
    return what the server's schema says: the parsed models
    (``list[MinimalConcurrencyLimitResponse]``, ``ConcurrencyLimitWithLeaseResponse``), or
    ``None`` for the routes that answer 204 without a body.  Ported code that called
    ``.json()`` on the response reads the model's fields instead (``model_dump(mode="json")``
    gives the same dict).  Errors raise as everywhere else: a full limit is a
    ``PrefectHTTPStatusError`` with ``status_code == 423``.
    """

    @operation("POST /v2/concurrency_limits/", read_back=True)
    async def create_global_concurrency_limit(
        self, concurrency_limit: GlobalConcurrencyLimitCreate | dict[str, Any]
    ) -> UUID:
        """Create a global concurrency limit; return its id.

        Raises ``ObjectAlreadyExists`` if a limit of that name exists
        (``upsert_global_concurrency_limit_by_name`` creates or updates).
        """
        from prefect_sdk.schemas import GlobalConcurrencyLimit, GlobalConcurrencyLimitCreate

        body = _without_none(
            dump(concurrency_limit, "concurrency_limit", GlobalConcurrencyLimitCreate)
        )
        created = await self._call_unique(
            "create_global_concurrency_limit",
            GlobalConcurrencyLimit,
            json=body,
            read=lambda: self.read_global_concurrency_limit_by_name(body["name"]),
        )
        return created.id  # type: ignore[no-any-return]

    @operation("GET /v2/concurrency_limits/{limit_name}")
    async def read_global_concurrency_limit_by_name(
        self, name: str
    ) -> GlobalConcurrencyLimitResponse:
        """Read a global concurrency limit by name (``active_slots`` as of now, decay applied).

        Raises ``ObjectNotFound`` if there is none.
        """
        from prefect_sdk.schemas import GlobalConcurrencyLimitResponse

        return await self._call(
            "read_global_concurrency_limit_by_name",
            GlobalConcurrencyLimitResponse,
            limit_name=_path_name(name),
        )

    @operation("GET /v2/concurrency_limits/{global_concurrency_limit_id:id}")
    async def read_global_concurrency_limit(
        self, global_concurrency_limit_id: UUID | str | HasId
    ) -> GlobalConcurrencyLimitResponse:
        """Read a global concurrency limit by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import GlobalConcurrencyLimitResponse

        return await self._call(
            "read_global_concurrency_limit",
            GlobalConcurrencyLimitResponse,
            global_concurrency_limit_id=global_concurrency_limit_id,
        )

    @operation("POST /v2/concurrency_limits/filter")
    async def read_global_concurrency_limits(
        self, limit: int | None = 10, offset: int | None = 0
    ) -> list[GlobalConcurrencyLimitResponse]:
        """Read global concurrency limits, ``limit`` at a time (above 200: read in pages).

        Tag concurrency limits are stored as global limits named ``tag:<tag>`` and are listed
        here too.
        """
        from prefect_sdk.schemas import GlobalConcurrencyLimitResponse

        return await self._call_pages(
            "read_global_concurrency_limits",
            list[GlobalConcurrencyLimitResponse],
            {},
            limit,
            offset,
        )

    @operation("POST /v2/concurrency_limits/filter")
    def iter_global_concurrency_limits(
        self, *, page_size: int = SERVER_PAGE_LIMIT
    ) -> AsyncIterator[GlobalConcurrencyLimitResponse]:
        """Iterate over every global concurrency limit, fetching ``page_size`` at a time."""
        from prefect_sdk.schemas import GlobalConcurrencyLimitResponse

        return self._call_iter(
            "iter_global_concurrency_limits",
            list[GlobalConcurrencyLimitResponse],
            {},
            page_size,
        )

    @operation("PATCH /v2/concurrency_limits/{limit_name}")
    async def update_global_concurrency_limit(
        self, name: str, concurrency_limit: GlobalConcurrencyLimitUpdate | dict[str, Any]
    ) -> None:
        """Change the fields given in ``concurrency_limit`` of the global limit ``name``.

        Raises ``ObjectNotFound`` if there is none.
        """
        from prefect_sdk.schemas import GlobalConcurrencyLimitUpdate

        body = _without_none(
            dump(concurrency_limit, "concurrency_limit", GlobalConcurrencyLimitUpdate)
        )
        await self._call(
            "update_global_concurrency_limit",
            json=body,
            # A rename addresses the limit by its old name: repeated after a lost answer, it
            # would report the rename that worked as ObjectNotFound.
            retry_safe="name" not in body,
            limit_name=_path_name(name),
        )

    async def upsert_global_concurrency_limit_by_name(
        self, name: str, limit: int, slot_decay_per_second: float | None = None
    ) -> None:
        """Create the global limit ``name`` or, if it exists, set its ``limit`` (and
        ``slot_decay_per_second`` when given) where they differ.

        Not atomic: it reads, then creates or updates (a create that loses a race with
        another creator becomes an update).
        """
        from prefect_sdk.client._params import build
        from prefect_sdk.schemas import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate

        fields = {"limit": limit, "slot_decay_per_second": slot_decay_per_second}
        create = build(
            GlobalConcurrencyLimitCreate,
            "upsert_global_concurrency_limit_by_name",
            name=non_empty(name, "name"),
            **fields,
        )
        update = build(
            GlobalConcurrencyLimitUpdate, "upsert_global_concurrency_limit_by_name", **fields
        )
        try:
            existing = await self.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                await self.create_global_concurrency_limit(create)
                return
            except ObjectAlreadyExists:
                existing = await self.read_global_concurrency_limit_by_name(name)
        if existing.limit != limit or (
            slot_decay_per_second is not None
            and existing.slot_decay_per_second != slot_decay_per_second
        ):
            await self.update_global_concurrency_limit(name, update)

    @operation("DELETE /v2/concurrency_limits/{limit_name}")
    async def delete_global_concurrency_limit_by_name(self, name: str) -> None:
        """Delete the global concurrency limit ``name``. Raises ``ObjectNotFound`` if there is
        none."""
        await self._call("delete_global_concurrency_limit_by_name", limit_name=_path_name(name))

    @operation("DELETE /v2/concurrency_limits/{global_concurrency_limit_id:id}")
    async def delete_global_concurrency_limit(
        self, global_concurrency_limit_id: UUID | str | HasId
    ) -> None:
        """Delete a global concurrency limit by id."""
        await self._call(
            "delete_global_concurrency_limit",
            global_concurrency_limit_id=global_concurrency_limit_id,
        )

    @operation(
        "POST /v2/concurrency_limits/increment",
        why="a repeat after a lost answer would take the slots a second time",
    )
    async def increment_concurrency_slots(
        self, names: Sequence[str], slots: int, mode: SlotMode = "concurrency"
    ) -> list[MinimalConcurrencyLimitResponse]:
        """Take ``slots`` slots on each global limit in ``names``, all or none; return the
        limits that exist among them (a name without a limit is not limited).

        A limit without room answers HTTP 423 (``PrefectHTTPStatusError`` with
        ``status_code == 423``; its ``Retry-After`` header says when to try again).
        ``mode="rate_limit"`` needs limits with ``slot_decay_per_second`` > 0; the slots are
        not released, they decay.  Prefer ``increment_concurrency_slots_with_lease`` for
        ``"concurrency"``: slots taken without a lease are held until released.
        """
        from prefect_sdk.schemas import MinimalConcurrencyLimitResponse

        body = {"names": _limit_names(names), "slots": _slots(slots), "mode": _mode(mode)}
        return await self._call(
            "increment_concurrency_slots", list[MinimalConcurrencyLimitResponse], json=body
        )

    @operation(
        "POST /v2/concurrency_limits/increment-with-lease",
        why="a repeat after a lost answer would take the slots again, under a second lease",
    )
    async def increment_concurrency_slots_with_lease(
        self,
        names: Sequence[str],
        slots: int,
        mode: SlotMode = "concurrency",
        lease_duration: float = 300,
        holder: ConcurrencyLeaseHolder | dict[str, Any] | None = None,
    ) -> ConcurrencyLimitWithLeaseResponse:
        """Take ``slots`` slots on each global limit in ``names`` under a lease of
        ``lease_duration`` seconds (60 to 86400); return the lease and the limits it holds.

        Renew the lease (``renew_concurrency_lease``) before it expires, and release it
        (``release_concurrency_slots_with_lease``) when done; an expired lease's slots are
        freed by the server.  A limit without room answers HTTP 423 (see
        ``increment_concurrency_slots``).  ``prefect_sdk.concurrency.concurrency`` does all
        of this for a block of code.
        """
        from prefect_sdk.schemas import ConcurrencyLeaseHolder, ConcurrencyLimitWithLeaseResponse

        body: dict[str, Any] = {
            "names": _limit_names(names),
            "slots": _slots(slots),
            "mode": _mode(mode),
            "lease_duration": _lease_duration(lease_duration),
        }
        if holder is not None:
            body["holder"] = dump(holder, "holder", ConcurrencyLeaseHolder)
        return await self._call(
            "increment_concurrency_slots_with_lease", ConcurrencyLimitWithLeaseResponse, json=body
        )

    @operation(
        "POST /v2/concurrency_limits/decrement",
        why="a repeat racing a first attempt still in progress could free slots another "
        "holder took",
    )
    async def release_concurrency_slots(
        self, names: Sequence[str], slots: int, occupancy_seconds: float | None = None
    ) -> list[MinimalConcurrencyLimitResponse]:
        """Give back ``slots`` slots (taken without a lease) on each global limit in
        ``names``; return the limits they were given back to.

        ``occupancy_seconds`` (> 0), how long the slots were held, feeds the limit's average
        occupancy, from which the server computes the ``Retry-After`` of a full limit.
        """
        from prefect_sdk.schemas import MinimalConcurrencyLimitResponse

        body: dict[str, Any] = {"names": _limit_names(names), "slots": _slots(slots)}
        if occupancy_seconds is not None:
            if (
                not isinstance(occupancy_seconds, int | float)
                or isinstance(occupancy_seconds, bool)
                or occupancy_seconds <= 0
            ):
                raise ValidationError(
                    f"occupancy_seconds must be seconds > 0 or None, got {occupancy_seconds!r}"
                )
            body["occupancy_seconds"] = occupancy_seconds
        return await self._call(
            "release_concurrency_slots", list[MinimalConcurrencyLimitResponse], json=body
        )

    # Not retry-safe: the server reads the lease, frees its slots, then revokes it; a repeat
    # racing a first attempt still in progress would free slots another holder now has.
    @operation(
        "POST /v2/concurrency_limits/decrement-with-lease",
        why="a repeat of a release that worked is answered 404 for a lease that is gone",
    )
    async def release_concurrency_slots_with_lease(
        self, lease_id: UUID | str | ConcurrencyLimitWithLeaseResponse
    ) -> None:
        """Release the slots held under a lease (the lease id, or what
        ``increment_concurrency_slots_with_lease`` returned).

        Releasing a lease that is already released or expired does nothing.
        """
        body = {"lease_id": str(_lease_id(lease_id))}
        await self._call("release_concurrency_slots_with_lease", json=body)

    @operation(
        "POST /v2/concurrency_limits/leases/{lease_id:id}/renew",
        retry_safe=True,
        why="renewing the same lease again only extends it",
    )
    async def renew_concurrency_lease(
        self,
        lease_id: UUID | str | ConcurrencyLimitWithLeaseResponse,
        lease_duration: float = 300,
    ) -> None:
        """Extend a lease to end ``lease_duration`` seconds (60 to 86400) from now.

        Raises ``ObjectNotFound`` if the lease is gone (released, or expired and its slots
        freed; the server answers 410).
        """
        body = {"lease_duration": _lease_duration(lease_duration)}
        lease = _lease_id(lease_id)
        try:
            await self._call("renew_concurrency_lease", json=body, lease_id=lease)
        except PrefectHTTPStatusError as exc:
            if exc.status_code != 410:
                raise
            raise ObjectNotFound(str(exc), exc.response, exc.request) from None


def _path_name(name: Any) -> str:
    """A limit name for the URL path (checked here: ``_call`` takes ``name`` for itself)."""
    path_segment(name, "name")
    return str(name)


def _without_none(body: dict[str, Any]) -> dict[str, Any]:
    """The body without ``None`` fields: for these models ``None`` means "not given"."""
    return {key: value for key, value in body.items() if value is not None}


def _limit_names(names: Any) -> list[str]:
    checked = _names(names)
    if not checked:
        raise ValidationError("names must name at least one concurrency limit, got []")
    return checked


def _slots(slots: Any) -> int:
    if not isinstance(slots, int) or isinstance(slots, bool) or slots < 1:
        raise ValidationError(f"slots must be an int >= 1, got {slots!r}")
    return slots


def _mode(mode: Any) -> str:
    if mode not in ("concurrency", "rate_limit"):
        raise ValidationError(f"mode must be 'concurrency' or 'rate_limit', got {mode!r}")
    return str(mode)


def _lease_duration(seconds: Any) -> float:
    if (
        not isinstance(seconds, int | float)
        or isinstance(seconds, bool)
        or not LEASE_DURATION_MIN <= seconds <= LEASE_DURATION_MAX
    ):
        raise ValidationError(
            f"lease_duration must be seconds between {LEASE_DURATION_MIN:g} and "
            f"{LEASE_DURATION_MAX:g} (the server's bounds), got {seconds!r}"
        )
    return float(seconds)


def _lease_id(value: Any) -> UUID:
    """A lease id: a UUID, its string form, or a ``ConcurrencyLimitWithLeaseResponse``."""
    inner = getattr(value, "lease_id", None)
    if isinstance(inner, UUID):
        return inner
    return as_uuid(value, "lease_id")


__all__ = ["GlobalConcurrencyLimitAsyncClient"]
