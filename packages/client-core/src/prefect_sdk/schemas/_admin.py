"""What the server's administration routes report and take, and the UI's schema validation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import Field, SecretStr, model_validator

from prefect_sdk.schemas._base import RequestModel, ResponseModel

__all__ = [
    "SchemaValueIndexError",
    "SchemaValuePropertyError",
    "SchemaValuesValidationResponse",
    "ServerDefaultResultStorage",
    "ServerDefaultResultStorageUpdate",
    "ServerSettings",
]


class ServerDefaultResultStorage(ResponseModel):
    """The block document where runs store results unless told otherwise (``None``: none set)."""

    default_result_storage_block_id: UUID | None = None


class ServerDefaultResultStorageUpdate(RequestModel):
    """The body of ``PUT /admin/storage``."""

    default_result_storage_block_id: UUID


# Setting names whose values are credentials: masked wherever they appear.
_SECRET_NAMES = frozenset(
    {"key", "api_key", "auth_string", "password", "connection_url", "token", "secret"}
)
_SECRET_SUFFIXES = ("_key", "_password", "_secret", "_token", "_auth_string")
# Settings holding a mapping whose every value may be a credential (HTTP headers).
_SECRET_MAPPINGS = frozenset({"custom_headers"})


def _is_secret_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in _SECRET_NAMES or lowered.endswith(_SECRET_SUFFIXES)


def _masked(value: Any, name: str = "") -> Any:
    """``value`` with every credential in it wrapped in ``SecretStr`` and every URL's
    ``user:password@`` removed."""
    from prefect_sdk.exceptions import safe_url

    if isinstance(value, dict):
        if name.lower() in _SECRET_MAPPINGS:
            return {k: SecretStr(str(v)) if v is not None else None for k, v in value.items()}
        return {k: _masked(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, name) for v in value]
    if isinstance(value, str):
        if name and _is_secret_name(name):
            return SecretStr(value)
        if "://" in value:
            return safe_url(value)
    return value


class ServerSettings(ResponseModel):
    """The settings the server runs with, section by section, as ``/admin/settings`` reports
    them (``server.api.default_limit`` is ``settings.get("server.api.default_limit")``).

    Credentials are never shown: the server masks its secret settings itself, and this model
    also wraps every value named like a credential (``key``, ``auth_string``, ``password``,
    ``connection_url``, ``*_token`` ...) and every custom header in ``SecretStr``, and removes
    ``user:password@`` from URLs, so neither ``repr`` nor ``model_dump_json`` nor a log line
    holds one.
    """

    home: str | None = None
    profiles_path: str | None = None
    debug_mode: bool | None = None
    ui_url: str | None = None
    silence_api_url_misconfiguration: bool | None = None
    api: dict[str, Any] = Field(default_factory=dict)
    cli: dict[str, Any] = Field(default_factory=dict)
    client: dict[str, Any] = Field(default_factory=dict)
    cloud: dict[str, Any] = Field(default_factory=dict)
    deployments: dict[str, Any] = Field(default_factory=dict)
    events: dict[str, Any] = Field(default_factory=dict)
    experiments: dict[str, Any] = Field(default_factory=dict)
    flows: dict[str, Any] = Field(default_factory=dict)
    internal: dict[str, Any] = Field(default_factory=dict)
    logging: dict[str, Any] = Field(default_factory=dict)
    plugins: dict[str, Any] = Field(default_factory=dict)
    results: dict[str, Any] = Field(default_factory=dict)
    runner: dict[str, Any] = Field(default_factory=dict)
    server: dict[str, Any] = Field(default_factory=dict)
    tasks: dict[str, Any] = Field(default_factory=dict)
    telemetry: dict[str, Any] = Field(default_factory=dict)
    testing: dict[str, Any] = Field(default_factory=dict)
    worker: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _mask_credentials(cls, data: Any) -> Any:
        return _masked(data) if isinstance(data, dict) else data

    def get(self, path: str, default: Any = None) -> Any:
        """The setting at the dotted ``path`` (``"server.database.timeout"``), else ``default``.

        A credential comes back as a ``SecretStr``.
        """
        first, _, rest = path.partition(".")
        value: Any = getattr(self, first, None) if first in type(self).model_fields else None
        for part in rest.split(".") if rest else ():
            if not isinstance(value, dict) or part not in value:
                return default
            value = value[part]
        return default if value is None else value


class SchemaValuePropertyError(ResponseModel):
    """The errors of one property (``property``) of the values checked."""

    property: str
    errors: list[str | SchemaValuePropertyError | SchemaValueIndexError] = Field(
        default_factory=list
    )


class SchemaValueIndexError(ResponseModel):
    """The errors of one item (``index``) of an array among the values checked."""

    index: int
    errors: list[str | SchemaValuePropertyError | SchemaValueIndexError] = Field(
        default_factory=list
    )


class SchemaValuesValidationResponse(ResponseModel):
    """Whether values satisfy a JSON schema, and if not, what is wrong where.

    ``errors`` nests like the values: a ``SchemaValuePropertyError`` per property and a
    ``SchemaValueIndexError`` per array item, down to the messages (strings).
    """

    valid: bool
    errors: list[str | SchemaValuePropertyError | SchemaValueIndexError] = Field(
        default_factory=list
    )
