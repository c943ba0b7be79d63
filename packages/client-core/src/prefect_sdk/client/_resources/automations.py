"""Automations: ``/automations/...`` and template validation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    filtered_body,
    looks_like_uuid,
    non_empty,
)
from prefect_sdk.exceptions import ObjectNotFound, ServerValidationError, ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import AutomationFilter, AutomationSort
    from prefect_sdk.schemas import Automation, AutomationCore


class AutomationAsyncClient(AsyncAPIClient):
    """Operations on automations."""

    @operation(
        "POST /automations/",
        why="automation names are not unique: a repeat after a lost answer would create a "
        "second automation, which would act twice",
    )
    async def create_automation(self, automation: AutomationCore | dict[str, Any]) -> UUID:
        """Create an automation (an ``AutomationCore``, or a dict of its fields); return its id.

        Not retried on a lost answer: automation names are not unique, so a repeat would
        create a second automation.
        """
        from prefect_sdk.schemas import Automation

        body = _automation_body(automation, "automation", replacing=False)
        created = await self._call("create_automation", Automation, json=body)
        return created.id

    @operation("GET /automations/{automation_id:id}")
    async def read_automation(self, automation_id: UUID | str | HasId) -> Automation:
        """Read one automation by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Automation

        return await self._call("read_automation", Automation, automation_id=automation_id)

    @operation("POST /automations/filter")
    async def read_automations(
        self,
        *,
        automations: AutomationFilter | None = None,
        sort: AutomationSort | str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Automation]:
        """Read automations matching ``automations``, sorted by ``sort`` (default: name).

        ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.filters import AutomationSort
        from prefect_sdk.schemas import Automation

        body = filtered_body(sort, AutomationSort, automations=automations)
        return await self._call_pages("read_automations", list[Automation], body, limit, offset)

    @operation("POST /automations/filter")
    def iter_automations(
        self,
        sort: AutomationSort | str | None = None,
        *,
        automations: AutomationFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[Automation]:
        """Iterate over every matching automation, ``page_size`` per request (memory stays
        flat). Sort by ``CREATED_DESC`` when automations may be created meanwhile."""
        from prefect_sdk.filters import AutomationSort
        from prefect_sdk.schemas import Automation

        body = filtered_body(sort, AutomationSort, automations=automations)
        return self._call_iter("iter_automations", list[Automation], body, page_size)

    @operation("POST /automations/count")
    async def count_automations(self, *, automations: AutomationFilter | None = None) -> int:
        """Count the automations matching ``automations``.

        Servers before Prefect 3.8.1 count every automation whatever the filter; against them
        a filtered count reads the matching automations and counts those instead.
        """
        body = filtered_body(None, None, automations=automations)
        if body and _version_tuple(await self._server_version()) < _FILTERED_COUNT:
            return len(await self.read_automations(automations=automations))
        # No filter, no body: servers before 3.8.1 take none.
        return await self._call("count_automations", int, json=body or None)

    @operation("POST /automations/filter")
    async def read_automations_by_name(self, name: str) -> list[Automation]:
        """Read the automations named exactly ``name`` (names are not unique), most recently
        updated first."""
        from prefect_sdk.filters import AutomationFilter, AutomationSort
        from prefect_sdk.schemas import Automation

        body = filtered_body(
            AutomationSort.UPDATED_DESC,
            AutomationSort,
            automations=AutomationFilter(name=[non_empty(name, "name")]),
        )
        return await self._call("read_automations_by_name", list[Automation], json=body)

    async def find_automation(self, id_or_name: str | UUID) -> Automation | None:
        """Find an automation by id, else by exact name, else by name ignoring case.

        Among several of the same name the most recently updated is returned; ``None`` when
        nothing matches (a string that looks like an id but names no automation is also
        looked up as a name).
        """
        if isinstance(id_or_name, UUID) or (
            isinstance(id_or_name, str) and looks_like_uuid(id_or_name)
        ):
            try:
                return await self.read_automation(id_or_name)
            except ObjectNotFound:
                pass
        elif not isinstance(id_or_name, str) or not id_or_name:
            raise ValidationError(
                f"id_or_name must be an automation id or a non-empty name, got {id_or_name!r}"
            )
        name = str(id_or_name)
        exact = await self.read_automations_by_name(name)
        if exact:
            return exact[0]
        wanted = name.casefold()
        found = None
        # Read to the end (not returning from inside the loop): an async generator left
        # unfinished is only closed by the garbage collector, which trio warns about.
        async for automation in self.iter_automations():
            if found is None and automation.name.casefold() == wanted:
                found = automation
        return found

    @operation("PUT /automations/{automation_id:id}")
    async def update_automation(
        self, automation_id: UUID | str | HasId, automation: AutomationCore | dict[str, Any]
    ) -> None:
        """Replace an automation's fields with ``automation`` (an ``AutomationCore``, an
        ``Automation`` as read and changed, or a dict of the fields).

        Every field is replaced (those not given take their defaults); ``owner_resource`` is
        not sent: the server keeps the owner given at creation.
        """
        body = _automation_body(automation, "automation", replacing=True)
        await self._call("update_automation", json=body, automation_id=automation_id)

    @operation("PATCH /automations/{automation_id:id}")
    async def patch_automation(self, automation_id: UUID | str | HasId, *, enabled: bool) -> None:
        """Enable or disable an automation (the one field the server changes in place)."""
        if not isinstance(enabled, bool):
            raise ValidationError(f"enabled must be True or False, got {enabled!r}")
        await self._call("patch_automation", json={"enabled": enabled}, automation_id=automation_id)

    @operation("PATCH /automations/{automation_id:id}")
    async def pause_automation(self, automation_id: UUID | str | HasId) -> None:
        """Disable an automation: its trigger no longer fires until it is resumed."""
        await self._call("pause_automation", json={"enabled": False}, automation_id=automation_id)

    @operation("PATCH /automations/{automation_id:id}")
    async def resume_automation(self, automation_id: UUID | str | HasId) -> None:
        """Enable a paused automation again."""
        await self._call("resume_automation", json={"enabled": True}, automation_id=automation_id)

    @operation("DELETE /automations/{automation_id:id}")
    async def delete_automation(self, automation_id: UUID | str | HasId) -> None:
        """Delete an automation. Raises ``ObjectNotFound`` if there is none."""
        await self._call("delete_automation", automation_id=automation_id)

    @operation("GET /automations/related-to/{resource_id}")
    async def read_resource_related_automations(self, resource_id: str) -> list[Automation]:
        """Read the automations the server records as related to the resource ``resource_id``
        (e.g. ``"prefect.deployment.<id>"``): those created with it as ``owner_resource``.

        An automation that only names the resource in its trigger or actions is not among
        them (Prefect 3.8.8).
        """
        from prefect_sdk.schemas import Automation

        return await self._call(
            "read_resource_related_automations", list[Automation], resource_id=resource_id
        )

    @operation("DELETE /automations/owned-by/{resource_id}")
    async def delete_resource_owned_automations(self, resource_id: str) -> None:
        """Delete every automation whose ``owner_resource`` is ``resource_id`` (none is fine)."""
        await self._call("delete_resource_owned_automations", resource_id=resource_id)

    @operation("POST /templates/validate", retry_safe=True, why="a check: nothing is stored")
    async def validate_template(self, template: str) -> None:
        """Check that ``template`` (a Jinja template, as used in notification actions) parses.

        Returns ``None`` when it does; raises ``ServerValidationError`` naming the line and
        the problem when it does not.
        """
        try:
            await self._call("validate_template", json=_template_body(template))
        except ServerValidationError as exc:
            raise _template_error("validate_template", exc) from exc

    @operation(
        "POST /automations/templates/validate", retry_safe=True, why="a check: nothing is stored"
    )
    async def validate_automation_template(self, template: str) -> None:
        """Check that ``template`` parses, on the automations route (same check as
        ``validate_template``)."""
        try:
            await self._call("validate_automation_template", json=_template_body(template))
        except ServerValidationError as exc:
            raise _template_error("validate_automation_template", exc) from exc


# The first Prefect server whose ``POST /automations/count`` takes a filter.
_FILTERED_COUNT = (3, 8, 1)


def _version_tuple(version: str | None) -> tuple[int, ...]:
    """``"3.6.29"`` as ``(3, 6, 29)``; an unknown or unparsable version counts as the newest."""
    import re

    match = re.match(r"(\d+)\.(\d+)\.(\d+)", version or "")
    return tuple(int(part) for part in match.groups()) if match else (999,)


def _automation_body(automation: Any, argument: str, *, replacing: bool) -> dict[str, Any]:
    """The JSON body of a create (``replacing=False``) or a full update of an automation."""
    from pydantic import ValidationError as PydanticError

    from prefect_sdk.schemas import AutomationCore

    if isinstance(automation, AutomationCore):
        model = automation
    elif isinstance(automation, dict):
        try:
            model = AutomationCore.model_validate(automation)
        except PydanticError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"]) or "value"
            raise ValidationError(f"{argument}.{where}: {error['msg']}") from None
    else:
        raise ValidationError(
            f"{argument} must be an AutomationCore (or a dict of its fields), "
            f"got {type(automation).__name__}"
        )
    fields = set(AutomationCore.model_fields)
    if replacing:
        fields.discard("owner_resource")
    body: dict[str, Any] = model.model_dump(mode="json", include=fields)
    if not body.get("tags"):
        # No tags is the server's default; 3.0 and 3.2 servers do not know the field at all.
        body.pop("tags", None)
    return body


def _template_body(template: Any) -> str:
    if not isinstance(template, str):
        raise ValidationError(f"template must be a string, got {type(template).__name__}")
    return template


def _template_error(name: str, exc: ServerValidationError) -> ServerValidationError:
    """The server's answer for a template that does not parse, as a readable error."""
    try:
        answer = exc.response.json()
    except ValueError:
        answer = None
    problem = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(problem, dict) or "message" not in problem:
        return exc
    return ServerValidationError(
        f"{name}: the template does not parse: line {problem.get('line', '?')}: "
        f"{problem['message']}",
        exc.response,
        exc.request,
    )


__all__ = ["AutomationAsyncClient"]
