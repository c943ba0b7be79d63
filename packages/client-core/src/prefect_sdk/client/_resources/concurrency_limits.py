"""Concurrency limits by tag (v1): ``/concurrency_limits/...``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    as_id,
    as_ids,
    build,
    check_limit,
    check_page_size,
    non_empty,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.schemas import ConcurrencyLimit, MinimalConcurrencyLimitResponse


class ConcurrencyLimitAsyncClient(AsyncAPIClient):
    """Operations on tag concurrency limits (at most N task runs with a tag at once).

    The server keeps each as a global concurrency limit named ``tag:<tag>`` (same id).  The
    slot operations return the parsed ``list[MinimalConcurrencyLimitResponse]`` where
    prefect-client returns the raw ``httpx.Response``.
    """

    @operation("POST /concurrency_limits/", retry_safe=True, why="the server upserts by tag")
    async def create_concurrency_limit(self, tag: str, concurrency_limit: int) -> UUID:
        """Limit how many task runs with ``tag`` run at once; return the limit's id.

        If the tag already has a limit, its ``concurrency_limit`` is replaced (same id), so
        this is safe to repeat.
        """
        from prefect_sdk.schemas import ConcurrencyLimit, ConcurrencyLimitCreate

        body = build(
            ConcurrencyLimitCreate,
            "create_concurrency_limit",
            tag=non_empty(tag, "tag"),
            concurrency_limit=_count(concurrency_limit, "concurrency_limit"),
        )
        created = await self._call("create_concurrency_limit", ConcurrencyLimit, json=body)
        return created.id

    @operation("GET /concurrency_limits/{concurrency_limit_id:id}")
    async def read_concurrency_limit(
        self, concurrency_limit_id: UUID | str | HasId
    ) -> ConcurrencyLimit:
        """Read one tag concurrency limit by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import ConcurrencyLimit

        return await self._call(
            "read_concurrency_limit", ConcurrencyLimit, concurrency_limit_id=concurrency_limit_id
        )

    @operation("GET /concurrency_limits/tag/{tag}")
    async def read_concurrency_limit_by_tag(self, tag: str) -> ConcurrencyLimit:
        """Read the concurrency limit on ``tag``. Raises ``ObjectNotFound`` if it has none."""
        from prefect_sdk.schemas import ConcurrencyLimit

        return await self._call("read_concurrency_limit_by_tag", ConcurrencyLimit, tag=tag)

    @operation("POST /concurrency_limits/filter")
    async def read_concurrency_limits(
        self, limit: int | None = None, offset: int | None = None
    ) -> list[ConcurrencyLimit]:
        """Read up to ``limit`` tag concurrency limits (default: one server page, 200), skipping
        the first ``offset``.

        The server stores tag limits among the global limits and pages over all of those, so
        one of its pages may hold fewer tag limits than asked for while more follow; this
        reads on until ``limit`` are found or a page comes back empty.
        """
        from prefect_sdk.schemas import ConcurrencyLimit

        check_limit(limit, offset)
        items: list[ConcurrencyLimit] = []
        start = offset or 0
        while limit is None or len(items) < limit:
            page = await self._call(
                "read_concurrency_limits",
                list[ConcurrencyLimit],
                json={"limit": SERVER_PAGE_LIMIT, "offset": start + len(items)},
            )
            items.extend(page)
            if not page or limit is None:
                break
        return items if limit is None else items[:limit]

    @operation("POST /concurrency_limits/filter")
    async def iter_concurrency_limits(
        self, *, page_size: int = SERVER_PAGE_LIMIT
    ) -> AsyncIterator[ConcurrencyLimit]:
        """Iterate over every tag concurrency limit, ``page_size`` per request.

        The server pages over all global limits (tag limits are among them) and returns the
        tag limits of each page, so a short or even empty page does not mean the end: an
        empty one is asked again at the server's largest page size (200) before the
        iteration stops.  (A tag limit preceded, in name order, by 200 or more global limits
        that are not tag limits cannot be reached through this route.)
        """
        from prefect_sdk.schemas import ConcurrencyLimit

        check_page_size(page_size)
        seen, size = 0, page_size
        while True:
            page = await self._call(
                "iter_concurrency_limits",
                list[ConcurrencyLimit],
                json={"limit": size, "offset": seen},
            )
            if not page:
                if size >= SERVER_PAGE_LIMIT:
                    return
                size = SERVER_PAGE_LIMIT
                continue
            for item in page:
                yield item
            seen += len(page)

    @operation(
        "POST /concurrency_limits/tag/{tag}/reset",
        retry_safe=True,
        why="setting the same active slots again changes nothing",
    )
    async def reset_concurrency_limit_by_tag(
        self, tag: str, slot_override: Sequence[UUID | str | HasId] | None = None
    ) -> None:
        """Free every slot of the limit on ``tag``, or set its holders to ``slot_override``.

        ``slot_override`` lists the task runs that hold a slot from now on; a task run named
        there that is not running keeps its slot until the limit is reset again.  (Prefect
        3.8.8's server drops the holders but does not lower the count of the underlying
        global limit, ``tag:<tag>``: fix it with ``update_global_concurrency_limit`` and
        ``active_slots`` if needed.)
        """
        override = None if slot_override is None else as_ids(slot_override, "slot_override")
        body = {"slot_override": None if override is None else [str(i) for i in override]}
        await self._call("reset_concurrency_limit_by_tag", json=body, tag=tag)

    @operation("DELETE /concurrency_limits/tag/{tag}")
    async def delete_concurrency_limit_by_tag(self, tag: str) -> None:
        """Delete the concurrency limit on ``tag``. Raises ``ObjectNotFound`` if it has none."""
        await self._call("delete_concurrency_limit_by_tag", tag=tag)

    @operation("DELETE /concurrency_limits/{concurrency_limit_id:id}")
    async def delete_concurrency_limit(self, concurrency_limit_id: UUID | str | HasId) -> None:
        """Delete a tag concurrency limit by id."""
        await self._call("delete_concurrency_limit", concurrency_limit_id=concurrency_limit_id)

    @operation(
        "POST /concurrency_limits/increment",
        why="a repeat after a lost answer would take the slots a second time",
    )
    async def increment_v1_concurrency_slots(
        self, names: Sequence[str], task_run_id: UUID | str | HasId
    ) -> list[MinimalConcurrencyLimitResponse]:
        """Take a slot for the task run on the limit of each tag in ``names``; return the
        limits that exist among them (a tag without a limit is not limited).

        A full limit answers HTTP 423 (``PrefectHTTPStatusError`` with ``status_code == 423``).
        Each call takes another slot, even for the same task run (not retried for that
        reason); ``decrement_v1_concurrency_slots`` gives back all of the task run's slots.
        """
        from prefect_sdk.schemas import MinimalConcurrencyLimitResponse

        body = {"names": _names(names), "task_run_id": str(as_id(task_run_id, "task_run_id"))}
        return await self._call(
            "increment_v1_concurrency_slots", list[MinimalConcurrencyLimitResponse], json=body
        )

    # Not retry-safe: a repeat racing a first attempt still in progress could free a slot
    # twice.
    @operation(
        "POST /concurrency_limits/decrement",
        why="a repeat racing a first attempt still in progress could free slots another "
        "holder took",
    )
    async def decrement_v1_concurrency_slots(
        self,
        names: Sequence[str],
        task_run_id: UUID | str | HasId,
        occupancy_seconds: float | None = None,
    ) -> list[MinimalConcurrencyLimitResponse]:
        """Give back the task run's slots on the limit of each tag in ``names``; return the
        limits they were given back to.

        ``occupancy_seconds`` is accepted for prefect-client compatibility; the server's
        route does not take it, so it is not sent.
        """
        from prefect_sdk.schemas import MinimalConcurrencyLimitResponse

        if occupancy_seconds is not None and (
            not isinstance(occupancy_seconds, int | float)
            or isinstance(occupancy_seconds, bool)
            or occupancy_seconds < 0
        ):
            raise ValidationError(
                f"occupancy_seconds must be seconds >= 0 or None, got {occupancy_seconds!r}"
            )
        body = {"names": _names(names), "task_run_id": str(as_id(task_run_id, "task_run_id"))}
        return await self._call(
            "decrement_v1_concurrency_slots", list[MinimalConcurrencyLimitResponse], json=body
        )


def _names(names: Any) -> list[str]:
    """A list of non-empty tag / limit names (a lone string is refused, not split)."""
    if isinstance(names, str) or not isinstance(names, Sequence | set | frozenset):
        raise ValidationError(f"names must be a list of names, e.g. ['database'], got {names!r}")
    return [non_empty(name, f"names[{i}]") for i, name in enumerate(names)]


def _count(value: Any, argument: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValidationError(f"{argument} must be an int >= 0, got {value!r}")
    return value


__all__ = ["ConcurrencyLimitAsyncClient"]
