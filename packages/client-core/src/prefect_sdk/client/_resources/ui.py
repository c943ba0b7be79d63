"""Helpers the Prefect UI uses that are useful to scripts too: ``/ui/schemas/validate``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.schemas import SchemaValuesValidationResponse


class UIAsyncClient(AsyncAPIClient):
    """Operations on UI helper routes."""

    @operation("POST /ui/schemas/validate", retry_safe=True, why="a check: nothing is stored")
    async def validate_schema_values(
        self, schema: Mapping[str, Any], values: Mapping[str, Any]
    ) -> SchemaValuesValidationResponse:
        """Check ``values`` against the JSON schema ``schema`` as the server checks deployment
        parameters and job variables.

        Values may be given in Prefect's wrappers: ``{"__prefect_kind": "json", "value":
        "<JSON text>"}`` is checked as the value the text holds, and ``{"__prefect_kind":
        "jinja", "template": ...}`` is accepted as it is.  Returns whether the values are
        ``valid`` and the ``errors`` per property / array item. An invalid schema raises
        ``ServerValidationError``.
        """
        from prefect_sdk.schemas import SchemaValuesValidationResponse

        for argument, value in (("schema", schema), ("values", values)):
            if not isinstance(value, Mapping):
                raise ValidationError(
                    f"{argument} must be a dict (a JSON object), got {type(value).__name__}"
                )
        body = {"schema": dict(schema), "values": dict(values)}
        try:
            json.dumps(body)
        except (TypeError, ValueError) as exc:
            raise ValidationError(f"schema and values must be JSON objects: {exc}") from exc
        return await self._call("validate_schema_values", SchemaValuesValidationResponse, json=body)


__all__ = ["UIAsyncClient"]
