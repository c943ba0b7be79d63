"""The objects the Prefect Cloud API returns and accepts.

Field names follow the Cloud API's JSON (see the emulator's docstring in ``tests/cloud_emulator``
for where each shape was learned).  Response models ignore unknown fields, so a newer Cloud
that adds fields still parses.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Literal, overload
from uuid import UUID

from pydantic import ConfigDict, Field, IPvAnyNetwork, PrivateAttr, model_validator

from prefect_sdk.cloud._common import Origin, cloud_ui_url, require_sync, workspace_api_url
from prefect_sdk.cloud._workspace import workspace_client_for
from prefect_sdk.schemas._base import ResponseModel

if TYPE_CHECKING:
    from prefect_sdk.client._client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

__all__ = [
    "IPAllowlist",
    "IPAllowlistAccess",
    "IPAllowlistEntry",
    "User",
    "Workspace",
    "WorkspaceSettings",
]


class Workspace(ResponseModel):
    """A Prefect Cloud workspace, as ``GET /me/workspaces`` lists it.

    ``id``, ``name``, ``description`` and ``handle`` are short names for the ``workspace_*``
    fields; ``full_handle`` (``"account-handle/workspace-handle"``) is what ``prefect cloud
    workspace set`` accepts.  ``api_url()`` is the workspace's API root (a ``PREFECT_API_URL``),
    ``ui_url()`` its page in the Cloud UI, and ``get_client()`` a ``PrefectClient`` scoped to it,
    authenticated with the key of the ``CloudClient`` that read it.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(frozen=True)

    account_id: UUID
    account_name: str = ""
    account_handle: str = ""
    workspace_id: UUID
    workspace_name: str
    workspace_description: str | None = None
    workspace_handle: str
    created: dt.datetime | None = None
    updated: dt.datetime | None = None

    _origin: Origin | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _from_account_scoped_shape(cls, data: Any) -> Any:
        # ``POST /accounts/{id}/workspaces/`` answers with the account-scoped shape
        # (``id``, ``name``, ``handle`` ...); accept it too.
        if isinstance(data, dict) and "workspace_id" not in data and "id" in data:
            return {
                "account_id": data.get("account_id"),
                "workspace_id": data.get("id"),
                "workspace_name": data.get("name"),
                "workspace_description": data.get("description"),
                "workspace_handle": data.get("handle"),
                "created": data.get("created"),
                "updated": data.get("updated"),
            }
        return data

    @property
    def id(self) -> UUID:
        """The workspace id (``workspace_id``)."""
        return self.workspace_id

    @property
    def name(self) -> str:
        """The workspace name (``workspace_name``)."""
        return self.workspace_name

    @property
    def description(self) -> str | None:
        """The workspace description (``workspace_description``)."""
        return self.workspace_description

    @property
    def handle(self) -> str:
        """``"<account handle>/<workspace handle>"``, the name ``prefect cloud`` commands use."""
        return f"{self.account_handle}/{self.workspace_handle}"

    def _api_root(self) -> str:
        if self._origin is not None:
            return self._origin.api_root
        from prefect_sdk.settings import load_settings

        return load_settings().cloud_api_url.rstrip("/")

    def api_url(self) -> str:
        """The workspace's API URL: what ``PREFECT_API_URL`` is set to for it."""
        return workspace_api_url(self._api_root(), self.account_id, self.workspace_id)

    def ui_url(self) -> str:
        """The workspace's page in the Prefect Cloud UI (``PREFECT_CLOUD_UI_URL`` if set)."""
        ui = cloud_ui_url(self._api_root())
        return f"{ui}/account/{self.account_id}/workspace/{self.workspace_id}"

    @overload
    def get_client(self, *, sync_client: Literal[False] = False) -> PrefectClient: ...

    @overload
    def get_client(self, *, sync_client: Literal[True]) -> SyncPrefectClient: ...

    def get_client(self, *, sync_client: bool = False) -> PrefectClient | SyncPrefectClient:
        """A client for this workspace's API, with the key of the ``CloudClient`` that read it.

        The async ``PrefectClient`` by default; the blocking ``SyncPrefectClient`` with
        ``sync_client=True`` (needs ``pip install "prefect-sdk[sync]"``).  A workspace built by
        hand (not read through a client) uses ``PREFECT_CLOUD_API_URL`` and ``PREFECT_API_KEY``.
        """
        origin = self._origin if self._origin is not None else Origin.from_settings()
        if sync_client:
            require_sync()
            from prefect_sdk.sync import SyncPrefectClient

            return workspace_client_for(SyncPrefectClient, origin, self.api_url())
        from prefect_sdk.client import PrefectClient

        return workspace_client_for(PrefectClient, origin, self.api_url())

    def __eq__(self, other: object) -> bool:
        # Where a workspace was read from does not change which workspace it is.
        if not isinstance(other, Workspace):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash((self.account_id, self.workspace_id))


class User(ResponseModel):
    """The user a key belongs to (``GET /me/``)."""

    id: UUID
    email: str | None = None
    handle: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    name: str | None = Field(default=None, description="The full name; built from first/last")
    actor_id: UUID | None = None
    created: dt.datetime | None = None
    updated: dt.datetime | None = None

    @model_validator(mode="after")
    def _full_name(self) -> User:
        if self.name is None:
            parts = [p for p in (self.first_name, self.last_name) if p]
            if parts:
                object.__setattr__(self, "name", " ".join(parts))
        return self


class WorkspaceSettings(ResponseModel):
    """A workspace's settings: ``settings`` is the JSON object the Cloud API returns."""

    workspace_id: UUID
    settings: dict[str, Any] = Field(default_factory=dict)


class IPAllowlistEntry(ResponseModel):
    """One entry of an account's IP allowlist: an address or a CIDR range."""

    ip_network: IPvAnyNetwork
    enabled: bool = True
    description: str | None = None
    last_seen: str | None = None


class IPAllowlist(ResponseModel):
    """An account's IP allowlist (``GET``/``PUT /accounts/{id}/ip_allowlist``)."""

    entries: list[IPAllowlistEntry] = Field(default_factory=list)


class IPAllowlistAccess(ResponseModel):
    """Whether the caller's current IP address may reach the account (``.../my_access``)."""

    allowed: bool
    detail: str = ""
