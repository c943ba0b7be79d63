"""What the async and the generated sync Cloud clients share that is not I/O.

URL facts used here (workspace URLs, the UI address, key prefixes) are Prefect Cloud's own:
see ``docs/cloud.md`` and the emulator's docstring in ``tests/cloud_emulator`` for sources.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.exceptions import AuthenticationError, ValidationError, safe_url

if TYPE_CHECKING:
    import httpx

    from prefect_sdk.client._base import BaseClient
    from prefect_sdk.client._call import Call
    from prefect_sdk.settings import Secret, Settings

SYNC_INSTALL_HINT = 'the sync Cloud client needs the sync client: pip install "prefect-sdk[sync]"'
# User keys start with pnu_, service-account (bot) keys with pnb_.
KEY_PREFIXES = ("pnu_", "pnb_")
# A workspace API URL: <cloud api>/accounts/<account id>/workspaces/<workspace id>
_WORKSPACE_URL = re.compile(
    r"^(?P<root>.*?)/accounts/(?P<account>[0-9a-fA-F-]{36})"
    r"/workspaces/(?P<workspace>[0-9a-fA-F-]{36})/?$"
)
# Settings a workspace client must not inherit from the Cloud client's httpx_settings: the
# base URL is the workspace's, and a transport belongs to the client that closes it.
_NOT_INHERITED = frozenset({"base_url", "transport", "mounts"})


def split_workspace_url(url: str | None) -> tuple[str, UUID, UUID] | None:
    """``(cloud api root, account id, workspace id)`` of a workspace API URL, else ``None``."""
    if not url:
        return None
    match = _WORKSPACE_URL.match(url.strip())
    if match is None:
        return None
    try:
        account, workspace = UUID(match["account"]), UUID(match["workspace"])
    except ValueError:
        return None
    return match["root"].rstrip("/"), account, workspace


def workspace_api_url(api_root: str, account_id: UUID, workspace_id: UUID) -> str:
    """The API URL of a workspace (what ``PREFECT_API_URL`` is set to for it).

    ``<cloud api root>/accounts/<account id>/workspaces/<workspace id>``; the inverse of
    :func:`split_workspace_url`.
    """
    return f"{api_root.rstrip('/')}/accounts/{account_id}/workspaces/{workspace_id}"


def resolve_cloud_url(
    settings: Settings, host: str | None, infer_cloud_url: bool
) -> tuple[str, UUID | None, UUID | None]:
    """The Cloud API root to talk to, and the current account and workspace ids (if known).

    ``host`` wins (a workspace URL is accepted and split); else, with ``infer_cloud_url``, the
    root of a workspace ``PREFECT_API_URL``; else ``PREFECT_CLOUD_API_URL``.  The ids come from
    ``host`` when it is a workspace URL, else from ``PREFECT_API_URL``.
    """
    current = split_workspace_url(settings.api_url)
    account_id, workspace_id = (current[1], current[2]) if current else (None, None)
    if host is not None:
        given = split_workspace_url(host)
        if given is not None:
            return given
        return host.rstrip("/"), account_id, workspace_id
    if infer_cloud_url and current is not None:
        return current[0], account_id, workspace_id
    return settings.cloud_api_url.rstrip("/"), account_id, workspace_id


def cloud_ui_url(api_root: str) -> str:
    """The Cloud UI address for an API root: ``PREFECT_CLOUD_UI_URL`` if set, else derived.

    ``https://api.prefect.cloud/api`` becomes ``https://app.prefect.cloud`` (the ``api`` host
    label becomes ``app`` on Prefect's domains, and the ``/api`` suffix is dropped).
    """
    configured = os.environ.get("PREFECT_CLOUD_UI_URL")
    if configured:
        return configured.rstrip("/")
    ui = api_root.rstrip("/")
    if re.match(r"^https://api[.\w]*\.prefect\.[^./]+/", ui + "/"):
        ui = "https://app" + ui[len("https://api") :]
    if ui.endswith("/api"):
        ui = ui[: -len("/api")]
    return ui


def slugify(name: str) -> str:
    """A workspace handle from a name: lower case, runs of other characters become ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def require(value: UUID | None, what: str) -> UUID:
    """``value``, or a ValidationError saying how to tell the client which one is meant."""
    if value is None:
        raise ValidationError(
            f"no {what} id: pass {what}_id=..., or set PREFECT_API_URL to a workspace URL "
            "(https://api.prefect.cloud/api/accounts/<account id>/workspaces/<workspace id>)"
        )
    return value


@dataclass(frozen=True, repr=False)
class Origin:
    """How the ``CloudClient`` that read an object was configured, to build workspace clients.

    ``settings`` is the ``Settings`` the client was given (``settings=``), if any: workspace
    clients then use it too instead of reading the environment and profile.  Its ``repr`` shows
    nothing but the API root: ``httpx_settings`` may hold credentials.
    """

    api_root: str
    api_key: Secret | None = None
    httpx_settings: Mapping[str, Any] = field(default_factory=dict)
    plugins: tuple[object, ...] = ()
    blocked_plugins: tuple[str, ...] = ()
    settings: Settings | None = None

    def __repr__(self) -> str:
        return f"Origin(api_root={safe_url(self.api_root)!r})"

    @classmethod
    def from_settings(cls) -> Origin:
        from prefect_sdk.settings import load_settings

        settings = load_settings()
        return cls(api_root=settings.cloud_api_url.rstrip("/"), api_key=settings.api_key)

    @classmethod
    def of(
        cls,
        api_root: str,
        api_key: Secret | None,
        httpx_settings: Mapping[str, Any],
        plugins: Sequence[object],
        blocked_plugins: Sequence[str],
        settings: Settings | None = None,
    ) -> Origin:
        inherited = {k: v for k, v in httpx_settings.items() if k not in _NOT_INHERITED}
        return cls(api_root, api_key, inherited, tuple(plugins), tuple(blocked_plugins), settings)

    def client_kwargs(self, api_url: str) -> dict[str, Any]:
        """Keyword arguments for a ``PrefectClient`` / ``SyncPrefectClient`` of one workspace."""
        return {
            "api": api_url,
            "api_key": self.api_key.get_secret_value() if self.api_key else None,
            "httpx_settings": dict(self.httpx_settings),
            "plugins": self.plugins,
            "blocked_plugins": self.blocked_plugins,
            "settings": self.settings,
        }


def require_sync() -> None:
    """Check that the sync client (``prefect_sdk.sync``) is installed: else an ImportError
    naming the extra to install."""
    try:
        import prefect_sdk.sync  # noqa: F401
    except ImportError as exc:
        raise ImportError(SYNC_INSTALL_HINT) from exc


def _sent_key(request: httpx.Request) -> str | None:
    """The bearer token the request carried, or ``None``; only its prefix is ever looked at."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def auth_error(call: Call, response: httpx.Response) -> AuthenticationError:
    """A 401/403 from Prefect Cloud, explained: no key, a malformed key, or a refused key.

    The key itself never appears in the message.
    """
    request = response.request
    token = _sent_key(request)
    base = (
        f"{call.operation}: {request.method} {safe_url(request.url)} failed with "
        f"{response.status_code} {response.reason_phrase}"
    )
    detail = AuthenticationError(base, response, request).detail
    if detail:
        base += f": {detail}"
    if token is None:
        hint = (
            "no API key was sent. Set PREFECT_API_KEY (or log in with a profile that has it), "
            "or pass api_key=; create a key in the Prefect Cloud UI under your profile's API keys"
        )
    elif not token.startswith(KEY_PREFIXES):
        hint = (
            "the API key is malformed: Prefect Cloud keys start with 'pnu_' (a user's key) or "
            "'pnb_' (a service account's key). Check PREFECT_API_KEY / api_key= for a "
            "truncated or wrong value"
        )
    elif response.status_code == 401:
        hint = (
            "Prefect Cloud rejected the API key: it is unknown, expired or revoked. Create a "
            "new key and update PREFECT_API_KEY / api_key="
        )
    else:
        hint = (
            "Prefect Cloud refused the request for this API key: the key is not allowed to "
            "use this account or workspace (or its IP address is not on the account's IP "
            "allowlist). Check the account and workspace in PREFECT_API_URL and the key's roles"
        )
    return AuthenticationError(f"{base} ({hint})", response, request)


# For type checkers the mixin below is a client, so that its ``super()`` call is checked; at
# run time it is a plain class (importing the client here would load httpx and pydantic).
if TYPE_CHECKING:
    _ClientBase = BaseClient
else:
    _ClientBase = object


class CloudAuthErrors(_ClientBase):
    """Mixin for clients of Prefect Cloud (its API and workspace APIs): a 401 or 403 raises
    :func:`auth_error`, which says what is wrong with the API key.  List it before the client
    class it refines: ``class CloudClient(CloudAuthErrors, AsyncAPIClient)``."""

    def _status_error(self, call: Call, response: httpx.Response) -> Exception:
        if response.status_code in (401, 403):
            return auth_error(call, response)
        return super()._status_error(call, response)
