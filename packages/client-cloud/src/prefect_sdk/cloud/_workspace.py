"""Clients of one Cloud workspace's API, configured like the Cloud client that led to it.

Both ``CloudClient.workspace_client()`` (async and generated sync) and ``Workspace.get_client()``
build them here, so this module imports no other client module of the package: the workspace
client classes are made from the ``PrefectClient`` / ``SyncPrefectClient`` the caller passes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast, overload

from prefect_sdk.cloud._common import CloudAuthErrors, Origin

if TYPE_CHECKING:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._base import BaseClient
    from prefect_sdk.sync import SyncPrefectClient


@overload
def workspace_client_for(
    flavour: type[PrefectClient], origin: Origin, api_url: str
) -> PrefectClient: ...


@overload
def workspace_client_for(
    flavour: type[SyncPrefectClient], origin: Origin, api_url: str
) -> SyncPrefectClient: ...


def workspace_client_for(
    flavour: type[PrefectClient] | type[SyncPrefectClient], origin: Origin, api_url: str
) -> PrefectClient | SyncPrefectClient:
    """A ``flavour`` client of the workspace at ``api_url``, configured like the Cloud client
    ``origin``; a 401/403 says what is wrong with the API key, as the Cloud client's do."""
    client_class = cast("type[PrefectClient | SyncPrefectClient]", _workspace_class(flavour))
    return client_class(**origin.client_kwargs(api_url))


# Client class -> its workspace client class (a race may make one twice: harmless).
_WORKSPACE_CLASSES: dict[type[BaseClient], type[BaseClient]] = {}


def _workspace_class(flavour: type[BaseClient]) -> type[BaseClient]:
    """``flavour`` refined by ``CloudAuthErrors``: one subclass per flavour, made on first use."""
    made = _WORKSPACE_CLASSES.get(flavour)
    if made is None:
        made = _WORKSPACE_CLASSES[flavour] = type(
            "_WorkspaceClient",
            (CloudAuthErrors, flavour),
            {
                "__module__": __name__,
                "__doc__": "A client of one Cloud workspace's API: 401/403 say what is wrong "
                "with the key.",
            },
        )
    return made
