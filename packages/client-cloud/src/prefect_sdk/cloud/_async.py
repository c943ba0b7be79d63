"""The async Prefect Cloud client: every Cloud operation is defined here, once.

``tools/unasync.py`` rewrites this module into ``prefect_sdk.cloud._sync`` (``SyncCloudClient``);
a test fails when that file is stale.  So, as in the core client: no ``await`` in docstrings,
and only I/O primitives the rewrite knows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._base import as_uuid
from prefect_sdk.client._client import PrefectClient
from prefect_sdk.cloud._common import (
    CloudAuthErrors,
    Origin,
    require,
    resolve_cloud_url,
    slugify,
    split_workspace_url,
    workspace_api_url,
)
from prefect_sdk.cloud._workspace import workspace_client_for
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.cloud._schemas import (
        IPAllowlist,
        IPAllowlistAccess,
        User,
        Workspace,
        WorkspaceSettings,
    )
    from prefect_sdk.settings import Settings


class CloudClient(CloudAuthErrors, AsyncAPIClient):
    """Asynchronous client for the Prefect Cloud API: workspaces, users, account settings.

    Use it as a context manager, or bare (call ``aclose()`` when done)::

        async with CloudClient() as cloud:
            workspaces = await cloud.read_workspaces()

    ``host`` is the Cloud API root; by default it is inferred from a workspace
    ``PREFECT_API_URL`` (``.../api/accounts/<id>/workspaces/<id>``) when ``infer_cloud_url``,
    else ``PREFECT_CLOUD_API_URL`` (``https://api.prefect.cloud/api``).  ``api_key`` defaults
    to ``PREFECT_API_KEY``.  ``account_id`` and ``workspace_id`` are the current workspace's,
    from ``host`` or ``PREFECT_API_URL`` (``None`` if neither names one); account-level
    operations use them unless given another ``account_id``.  ``settings`` (a
    ``prefect_sdk.settings.Settings``) replaces reading the environment and profile, for this
    client and the workspace clients it hands out; ``host`` and ``api_key`` still override it.
    Every request runs through the same hooks as ``PrefectClient``'s (auth, retries honouring
    ``Retry-After``, telemetry).
    """

    def __init__(
        self,
        host: str | None = None,
        api_key: str | None = None,
        httpx_settings: dict[str, Any] | None = None,
        *,
        infer_cloud_url: bool = True,
        plugins: Sequence[object] = (),
        blocked_plugins: Sequence[str] = (),
        settings: Settings | None = None,
    ) -> None:
        self._host = host
        self._infer_cloud_url = infer_cloud_url
        self._given_settings = settings
        self.account_id: UUID | None = None
        self.workspace_id: UUID | None = None
        super().__init__(
            None,
            api_key,
            None,
            httpx_settings,
            plugins=plugins,
            blocked_plugins=blocked_plugins,
            settings=settings,
        )

    def _resolve_base_url(self, api: str | None) -> str:
        url, self.account_id, self.workspace_id = resolve_cloud_url(
            self._settings, self._host, self._infer_cloud_url
        )
        # The Cloud API authenticates with keys; it has no CSRF tokens to fetch.
        self._settings = self._settings.with_overrides(csrf_support_enabled=False)
        return url

    def _origin(self) -> Origin:
        return Origin.of(
            self.api_url,
            self._settings.api_key,
            self._httpx_settings,
            self._plugins,
            self._blocked_plugins,
            self._given_settings,
        )

    def _adopt(self, workspace: Workspace) -> Workspace:
        """Remember where ``workspace`` was read, for its ``api_url()`` and ``get_client()``."""
        workspace._origin = self._origin()
        return workspace

    def _account(self, account_id: UUID | str | None) -> UUID:
        if account_id is not None:
            return as_uuid(account_id, "account_id")
        return require(self.account_id, "account")

    # -- health ----------------------------------------------------------------------------

    async def api_healthcheck(self) -> Exception | None:
        """Check that Prefect Cloud answers and accepts the key: ``None`` if so, else the error.

        Lists the key's workspaces, as ``prefect cloud login`` does to check a key.
        """
        try:
            await self.read_workspaces()
        except Exception as exc:
            return exc
        return None

    # -- the current user and workspaces ---------------------------------------------------

    async def read_current_user(self) -> User:
        """The user the API key belongs to (``GET /me/``)."""
        from prefect_sdk.cloud._schemas import User

        return await self._request("read_current_user", "GET", "/me/", into=User)

    async def read_workspaces(self) -> list[Workspace]:
        """Every workspace the API key can use, in every account (``GET /me/workspaces``)."""
        from prefect_sdk.cloud._schemas import Workspace

        workspaces = await self._request(
            "read_workspaces", "GET", "/me/workspaces", into=list[Workspace]
        )
        return [self._adopt(workspace) for workspace in workspaces]

    async def read_current_workspace(self) -> Workspace:
        """The workspace ``PREFECT_API_URL`` points at (or ``host``, if it is a workspace URL).

        Raises ``ValidationError`` if neither names a workspace, or if the key cannot see it.
        """
        account_id = require(self.account_id, "account")
        workspace_id = require(self.workspace_id, "workspace")
        workspaces = await self.read_workspaces()
        for workspace in workspaces:
            if workspace.account_id == account_id and workspace.workspace_id == workspace_id:
                return workspace
        known = ", ".join(repr(w.handle) for w in workspaces) or "none"
        raise ValidationError(
            f"the current workspace (account {account_id}, workspace {workspace_id}) is not "
            f"one this API key can use; its workspaces: {known}"
        )

    async def create_workspace(
        self,
        name: str,
        description: str | None = None,
        *,
        handle: str | None = None,
        account_id: UUID | str | None = None,
    ) -> Workspace:
        """Create a workspace in the account (the current one unless ``account_id`` is given).

        ``handle`` (the workspace's URL-safe name) defaults to ``name`` in lower case with
        other characters turned into ``-``.  Creating is not repeated on an ambiguous failure:
        a lost answer could otherwise create the workspace twice.
        """
        from prefect_sdk.cloud._schemas import Workspace

        if not isinstance(name, str) or not name.strip():
            raise ValidationError(f"name must be a non-empty string, got {name!r}")
        account = self._account(account_id)
        body: dict[str, Any] = {
            "name": name,
            "handle": handle if handle is not None else slugify(name),
            "description": description,
        }
        created = await self._request(
            "create_workspace",
            "POST",
            f"/accounts/{account}/workspaces/",
            json=body,
            into=Workspace,
        )
        # The answer is the account-scoped shape; the listing adds the account's name and handle.
        for workspace in await self.read_workspaces():
            if workspace.workspace_id == created.workspace_id:
                return workspace
        return self._adopt(created)

    def workspace_client(self, workspace: Workspace | str | None = None) -> PrefectClient:
        """A client of one workspace's API, authenticated with this client's API key.

        ``workspace`` is a ``Workspace`` from ``read_workspaces``, a workspace API URL, or
        ``None`` for the current workspace.  The new client shares this one's ``httpx_settings``
        (except ``transport`` and ``mounts``), plugins, blocked plugins and ``settings``; close
        it when done.
        """
        from prefect_sdk.cloud._schemas import Workspace

        if isinstance(workspace, Workspace):
            if workspace._origin is not None:
                api_url = workspace.api_url()
            else:
                api_url = workspace_api_url(
                    self.api_url, workspace.account_id, workspace.workspace_id
                )
        elif isinstance(workspace, str):
            if split_workspace_url(workspace) is None:
                raise ValidationError(
                    f"{workspace!r} is not a workspace API URL "
                    "(<cloud api>/accounts/<account id>/workspaces/<workspace id>)"
                )
            api_url = workspace.rstrip("/")
        elif workspace is None:
            account_id = require(self.account_id, "account")
            workspace_id = require(self.workspace_id, "workspace")
            api_url = workspace_api_url(self.api_url, account_id, workspace_id)
        else:
            raise ValidationError(
                f"workspace must be a Workspace, a workspace API URL or None, got {workspace!r}"
            )
        return workspace_client_for(PrefectClient, self._origin(), api_url)

    async def read_workspace_settings(
        self, workspace_id: Workspace | UUID | str, *, account_id: UUID | str | None = None
    ) -> WorkspaceSettings:
        """A workspace's settings (``GET /accounts/{account}/workspaces/{workspace}/settings``).

        ``workspace_id`` may be a ``Workspace`` (its account is used) or an id in the current
        account (or ``account_id``'s).  Raises ``ObjectNotFound`` for an unknown workspace.
        """
        from prefect_sdk.cloud._schemas import Workspace, WorkspaceSettings

        if isinstance(workspace_id, Workspace):
            account, workspace = workspace_id.account_id, workspace_id.workspace_id
        else:
            account = self._account(account_id)
            workspace = as_uuid(workspace_id, "workspace_id")
        settings = await self._request(
            "read_workspace_settings",
            "GET",
            f"/accounts/{account}/workspaces/{workspace}/settings",
            into=dict[str, Any],
        )
        return WorkspaceSettings(workspace_id=workspace, settings=settings)

    async def read_worker_metadata(self, workspace: Workspace | None = None) -> dict[str, Any]:
        """The worker types the workspace offers for work pools, by collection.

        ``GET .../collections/work_pool_types`` of ``workspace`` (default: the current one).
        """
        if workspace is not None:
            account, workspace_id = workspace.account_id, workspace.workspace_id
        else:
            account = require(self.account_id, "account")
            workspace_id = require(self.workspace_id, "workspace")
        return await self._request(
            "read_worker_metadata",
            "GET",
            f"/accounts/{account}/workspaces/{workspace_id}/collections/work_pool_types",
            into=dict[str, Any],
        )

    # -- account settings and IP allowlist -------------------------------------------------

    async def read_account_settings(self, account_id: UUID | str | None = None) -> dict[str, Any]:
        """The account's settings, e.g. ``{"enforce_ip_allowlist": False, ...}``.

        A setting the account's plan does not offer is absent from the answer.
        """
        account = self._account(account_id)
        return await self._request(
            "read_account_settings", "GET", f"/accounts/{account}/settings", into=dict[str, Any]
        )

    async def update_account_settings(
        self, settings: dict[str, Any], account_id: UUID | str | None = None
    ) -> None:
        """Change some of the account's settings (only the keys given change)."""
        if not isinstance(settings, dict) or not settings:
            raise ValidationError(
                "settings must be a non-empty dict, e.g. {'enforce_ip_allowlist': True}"
            )
        account = self._account(account_id)
        await self._request(
            "update_account_settings", "PATCH", f"/accounts/{account}/settings", json=settings
        )

    async def read_account_ip_allowlist(self, account_id: UUID | str | None = None) -> IPAllowlist:
        """The account's IP allowlist."""
        from prefect_sdk.cloud._schemas import IPAllowlist

        account = self._account(account_id)
        return await self._request(
            "read_account_ip_allowlist",
            "GET",
            f"/accounts/{account}/ip_allowlist",
            into=IPAllowlist,
        )

    async def update_account_ip_allowlist(
        self, allowlist: IPAllowlist, account_id: UUID | str | None = None
    ) -> None:
        """Replace the account's IP allowlist with ``allowlist``.

        Prefect Cloud refuses (422, ``ServerValidationError``) a list that would lock the caller
        out: the caller's current IP address must stay on it.
        """
        from prefect_sdk.cloud._schemas import IPAllowlist

        if not isinstance(allowlist, IPAllowlist):
            raise ValidationError(
                f"allowlist must be an IPAllowlist, got {type(allowlist).__name__}"
            )
        account = self._account(account_id)
        await self._request(
            "update_account_ip_allowlist",
            "PUT",
            f"/accounts/{account}/ip_allowlist",
            json=allowlist.model_dump(mode="json"),
        )

    async def check_ip_allowlist_access(
        self, account_id: UUID | str | None = None
    ) -> IPAllowlistAccess:
        """Whether the caller's current IP address is allowed by the account's IP allowlist."""
        from prefect_sdk.cloud._schemas import IPAllowlistAccess

        account = self._account(account_id)
        return await self._request(
            "check_ip_allowlist_access",
            "GET",
            f"/accounts/{account}/ip_allowlist/my_access",
            into=IPAllowlistAccess,
        )
