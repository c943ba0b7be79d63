"""Observed states: ``/observed-states`` (Prefect 3.9.1 and newer)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import SERVER_PAGE_LIMIT, sort_value
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import ObservedStateSort
    from prefect_sdk.schemas import ObservedState

# The longest search text the server takes.
_QUERY_MAX = 100


class ObservedStateAsyncClient(AsyncAPIClient):
    """Discovering the state names and types runs have been in."""

    @operation("GET /observed-states")
    async def read_observed_states(
        self,
        query: str | None = None,
        *,
        order_by: ObservedStateSort | str | None = None,
        limit: int | None = None,
    ) -> list[ObservedState]:
        """The distinct (state type, exact state name) pairs of the retained flow and task run
        transitions, e.g. to offer custom state names in a filter.

        ``query`` keeps the pairs whose name or type starts with it (ignoring case);
        ``order_by`` is ``LAST_SEEN_DESC`` (the server's default: most recently seen first)
        or ``NAME_ASC`` (by type, then name); ``limit`` is 1 to 200 (the server's default:
        200). Needs a Prefect 3.9.1 or newer server:
        older ones raise ``NotSupportedByServer``.
        """
        from prefect_sdk.filters import ObservedStateSort
        from prefect_sdk.schemas import ObservedState

        params: dict[str, Any] = {}
        if query is not None:
            if not isinstance(query, str) or len(query) > _QUERY_MAX:
                raise ValidationError(
                    f"query must be a string of at most {_QUERY_MAX} characters, got {query!r}"
                )
            params["query"] = query
        order = sort_value(order_by, ObservedStateSort, "order_by")
        if order:
            params["order_by"] = order
        if limit is not None:
            if (
                isinstance(limit, bool)
                or not isinstance(limit, int)
                or not (1 <= limit <= SERVER_PAGE_LIMIT)
            ):
                raise ValidationError(
                    f"limit must be an int from 1 to {SERVER_PAGE_LIMIT}, got {limit!r}"
                )
            params["limit"] = limit
        return await self._call("read_observed_states", list[ObservedState], params=params or None)


__all__ = ["ObservedStateAsyncClient"]
