"""Saved searches: ``/saved_searches/...`` (the named filter sets of the Prefect UI)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import SERVER_PAGE_LIMIT, HasId, dump
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.schemas import SavedSearch, SavedSearchCreate, SavedSearchFilter


class SavedSearchAsyncClient(AsyncAPIClient):
    """Operations on saved searches."""

    @operation("PUT /saved_searches/")
    async def create_saved_search(
        self,
        name: str | SavedSearchCreate,
        filters: Sequence[SavedSearchFilter | dict[str, Any]] | None = None,
    ) -> SavedSearch:
        """Save the search ``name`` with ``filters`` (``SavedSearchFilter``s or dicts of their
        fields), or a whole ``SavedSearchCreate``, and return it.

        A search of that name is replaced (same id, the new filters), so this is safe to repeat.
        """
        from prefect_sdk.schemas import SavedSearch, SavedSearchCreate

        if isinstance(name, SavedSearchCreate):
            if filters is not None:
                raise ValidationError(
                    "pass the filters inside the SavedSearchCreate, or name= and filters="
                )
            body = dump(name, "name", SavedSearchCreate)
        else:
            if not isinstance(name, str) or not name:
                raise ValidationError(f"name must be a non-empty string, got {name!r}")
            if isinstance(filters, str | dict):
                raise ValidationError("filters must be a list of SavedSearchFilter")
            fields: dict[str, Any] = {"name": name, "filters": list(filters or [])}
            body = dump(fields, "create_saved_search", SavedSearchCreate)
        return await self._call("create_saved_search", SavedSearch, json=body)

    @operation("GET /saved_searches/{saved_search_id:id}")
    async def read_saved_search(self, saved_search_id: UUID | str | HasId) -> SavedSearch:
        """Read one saved search by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import SavedSearch

        return await self._call("read_saved_search", SavedSearch, saved_search_id=saved_search_id)

    @operation("POST /saved_searches/filter")
    async def read_saved_searches(
        self, limit: int | None = None, offset: int | None = None
    ) -> list[SavedSearch]:
        """Read saved searches (the server offers no filter but ``limit`` and ``offset``).

        ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.schemas import SavedSearch

        return await self._call_pages("read_saved_searches", list[SavedSearch], {}, limit, offset)

    @operation("POST /saved_searches/filter")
    def iter_saved_searches(
        self, *, page_size: int = SERVER_PAGE_LIMIT
    ) -> AsyncIterator[SavedSearch]:
        """Iterate over every saved search, ``page_size`` per request (memory stays flat)."""
        from prefect_sdk.schemas import SavedSearch

        return self._call_iter("iter_saved_searches", list[SavedSearch], {}, page_size)

    @operation("DELETE /saved_searches/{saved_search_id:id}")
    async def delete_saved_search(self, saved_search_id: UUID | str | HasId) -> None:
        """Delete a saved search. Raises ``ObjectNotFound`` if there is none."""
        await self._call("delete_saved_search", saved_search_id=saved_search_id)


__all__ = ["SavedSearchAsyncClient"]
