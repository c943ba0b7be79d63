"""Variables: ``/variables/...``, and ``get_variable`` / ``set_variable`` built on them.

A variable is a named JSON value (a string, number, boolean, null, list or dict, at most 5000
bytes as JSON) with tags.  Names are unique and hold only lowercase letters, digits, ``-`` and
``_``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    dump,
    filtered_body,
    path_segment,
    tag_list,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import VariableFilter, VariableSort
    from prefect_sdk.schemas import Variable, VariableCreate, VariableUpdate


class VariableAsyncClient(AsyncAPIClient):
    """Operations on variables."""

    @operation("POST /variables/", read_back=True)
    async def create_variable(self, variable: VariableCreate | dict[str, Any]) -> Variable:
        """Create a variable (a ``VariableCreate``, or a dict of its fields) and return it.

        Raises ``ObjectAlreadyExists`` if a variable of that name exists (see ``set_variable``
        to replace it).
        """
        from prefect_sdk.schemas import Variable, VariableCreate

        body = dump(variable, "variable", VariableCreate)
        return await self._call_unique(  # type: ignore[no-any-return]
            "create_variable",
            Variable,
            json=body,
            read=lambda: self.read_variable_by_name(body["name"]),
        )

    @operation("GET /variables/{variable_id:id}")
    async def read_variable(self, variable_id: UUID | str | HasId) -> Variable:
        """Read one variable by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Variable

        return await self._call("read_variable", Variable, variable_id=variable_id)

    @operation("GET /variables/name/{variable_name}")
    async def read_variable_by_name(self, name: str) -> Variable | None:
        """Read one variable by name; ``None`` if there is none (as prefect-client does)."""
        from prefect_sdk.exceptions import ObjectNotFound
        from prefect_sdk.schemas import Variable

        path_segment(name, "name")
        try:
            return await self._call("read_variable_by_name", Variable, variable_name=name)
        except ObjectNotFound:
            return None

    @operation("POST /variables/filter")
    async def read_variables(
        self,
        limit: int | None = None,
        offset: int | None = None,
        sort: VariableSort | str | None = None,
        *,
        variable_filter: VariableFilter | None = None,
    ) -> list[Variable]:
        """Read variables matching ``variable_filter``, sorted by ``sort`` (default: name).

        ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.filters import VariableSort
        from prefect_sdk.schemas import Variable

        body = filtered_body(sort, VariableSort, variables=variable_filter)
        return await self._call_pages("read_variables", list[Variable], body, limit, offset)

    @operation("POST /variables/count")
    async def count_variables(self, variable_filter: VariableFilter | None = None) -> int:
        """Count the variables matching ``variable_filter`` (all of them without one)."""
        body = filtered_body(None, None, variables=variable_filter)
        return await self._call("count_variables", int, json=body)

    @operation("POST /variables/filter")
    def iter_variables(
        self,
        sort: VariableSort | str | None = None,
        *,
        variable_filter: VariableFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[Variable]:
        """Iterate over every matching variable, ``page_size`` per request (default: by name).

        Memory stays flat however many variables match.
        """
        from prefect_sdk.filters import VariableSort
        from prefect_sdk.schemas import Variable

        body = filtered_body(sort or VariableSort.NAME_ASC, VariableSort, variables=variable_filter)
        return self._call_iter("iter_variables", list[Variable], body, page_size)

    @operation("PATCH /variables/name/{variable_name}")
    async def update_variable(self, variable: VariableUpdate | dict[str, Any]) -> None:
        """Change the variable named ``variable.name``: the fields of ``variable`` (a
        ``VariableUpdate``) that are set, as prefect-client does.

        ``name`` picks the variable, so it cannot rename it: use ``update_variable_by_id``.
        Raises ``ObjectNotFound`` if there is none.
        """
        from prefect_sdk.schemas import VariableUpdate

        body = dump(variable, "variable", VariableUpdate)
        name = body.get("name")
        if not name:
            raise ValidationError(
                "variable.name must name the variable to update, e.g. "
                "VariableUpdate(name='db_host', value='10.0.0.1')"
            )
        await self._call("update_variable", json=body, variable_name=name)

    @operation("PATCH /variables/{variable_id:id}")
    async def update_variable_by_id(
        self, variable_id: UUID | str | HasId, variable: VariableUpdate | dict[str, Any]
    ) -> None:
        """Change the fields of a variable that ``variable`` (a ``VariableUpdate``) sets,
        its name included. Raises ``ObjectNotFound`` if there is none, ``ObjectAlreadyExists``
        if the new name is taken.
        """
        from prefect_sdk.schemas import VariableUpdate

        body = dump(variable, "variable", VariableUpdate)
        await self._call("update_variable_by_id", json=body, variable_id=variable_id)

    @operation("DELETE /variables/{variable_id:id}")
    async def delete_variable(self, variable_id: UUID | str | HasId) -> None:
        """Delete a variable by id. Raises ``ObjectNotFound`` if there is none."""
        await self._call("delete_variable", variable_id=variable_id)

    @operation("DELETE /variables/name/{variable_name}")
    async def delete_variable_by_name(self, name: str) -> None:
        """Delete a variable by name. Raises ``ObjectNotFound`` if there is none."""
        path_segment(name, "name")
        await self._call("delete_variable_by_name", variable_name=name)

    async def get_variable(self, name: str, default: Any = None) -> Any:
        """The value of the variable ``name``, or ``default`` if there is no such variable.

        A variable that holds null gives ``None``, not ``default``.
        """
        variable = await self.read_variable_by_name(name)
        return default if variable is None else variable.value

    async def set_variable(
        self,
        name: str,
        value: Any,
        overwrite: bool = False,
        *,
        tags: list[str] | None = None,
    ) -> Variable:
        """Store ``value`` (any JSON value) under ``name`` and return the variable.

        If the variable exists: ``ObjectAlreadyExists``, or with ``overwrite=True`` its value
        (and its tags, when ``tags`` is given) is replaced.
        """
        from prefect_sdk.exceptions import ObjectAlreadyExists
        from prefect_sdk.schemas import VariableCreate

        fields: dict[str, Any] = {"name": name, "value": value}
        if tags is not None:
            fields["tags"] = tag_list(tags, "tags")
        body = dump(fields, "set_variable", VariableCreate)
        try:
            return await self.create_variable(body)
        except ObjectAlreadyExists:
            if not overwrite:
                raise
        await self.update_variable(body)
        variable = await self.read_variable_by_name(name)
        if variable is None:  # deleted by someone else since the update: store it again
            return await self.create_variable(body)
        return variable


__all__ = ["VariableAsyncClient"]
