"""Administration: ``/admin/...`` (settings, result storage, versions), ``/collections/...``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import HasId, as_id, path_segment
from prefect_sdk.exceptions import APIVersionMismatchError

if TYPE_CHECKING:
    from prefect_sdk.schemas import ServerDefaultResultStorage, ServerSettings

SERVER_API_VERSION = "0.8.4"
"""The version of the Prefect REST API this SDK is built for (``GET /version`` of Prefect 3.8.8)."""

CLIENT_DISTRIBUTION = "prefect-sdk-client-core"
"""The distribution whose version ``client_version()`` reports."""

_COMPATIBLE: set[str] = set()
"""API URLs whose REST API version was checked and found compatible in this process."""


class AdminAsyncClient(AsyncAPIClient):
    """Operations on the server's administration routes."""

    # Like prefect-client, every request says which REST API version it speaks.
    _default_api_version = SERVER_API_VERSION
    # An older server lacks newer routes: its bare 404/405 becomes NotSupportedByServer.
    _spots_missing_routes = True

    @operation("GET /admin/settings")
    async def read_server_settings(self) -> ServerSettings:
        """The settings the server runs with, as a ``ServerSettings`` (credentials masked).

        ``settings.get("server.api.default_limit")`` reads one by its dotted path.
        """
        from prefect_sdk.schemas import ServerSettings

        return await self._call("read_server_settings", ServerSettings)

    @operation("GET /admin/storage")
    async def read_server_default_result_storage(self) -> ServerDefaultResultStorage:
        """The server's default result storage (``default_result_storage_block_id`` is
        ``None`` when none is set)."""
        from prefect_sdk.schemas import ServerDefaultResultStorage

        return await self._call("read_server_default_result_storage", ServerDefaultResultStorage)

    @operation("PUT /admin/storage")
    async def update_server_default_result_storage(
        self, default_result_storage_block_id: UUID | str | HasId
    ) -> ServerDefaultResultStorage:
        """Make the block document ``default_result_storage_block_id`` the server's default
        result storage; return the new setting. Raises ``ObjectNotFound`` if there is no such
        block document.
        """
        from prefect_sdk.schemas import ServerDefaultResultStorage

        block_id = as_id(default_result_storage_block_id, "default_result_storage_block_id")
        body = {"default_result_storage_block_id": str(block_id)}
        return await self._call(
            "update_server_default_result_storage", ServerDefaultResultStorage, json=body
        )

    @operation("DELETE /admin/storage")
    async def clear_server_default_result_storage(self) -> None:
        """Unset the server's default result storage (harmless if none is set)."""
        await self._call("clear_server_default_result_storage")

    @operation("GET /admin/version")
    async def api_version(self) -> str:
        """The Prefect version the server runs, e.g. ``"3.8.8"`` (prefect-client's name for
        ``read_server_version``; the REST API's own version is ``read_server_api_version``).
        """
        return await self._call("api_version", str)

    def client_version(self) -> str:
        """The version of this client: that of the installed ``prefect-sdk-client-core``
        distribution (not a Prefect version; the API version it is built for is
        ``SERVER_API_VERSION``, ``"0.8.4"``)."""
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version(CLIENT_DISTRIBUTION)
        except PackageNotFoundError:
            return "0+unknown"  # run from a source tree that is not installed

    @operation("GET /version")
    async def raise_for_api_version_mismatch(self) -> None:
        """Check that the server speaks the REST API this client is built for (0.8.4).

        Reads the server's API version (``/version``) and raises ``APIVersionMismatchError``
        (a ``RuntimeError``) when its major version differs; when it is only older, logs a
        warning (logger ``prefect_sdk.client``) that some operations may be missing.  Prefect
        Cloud (``PREFECT_CLOUD_API_URL``) serves every client version: nothing is checked.
        A server that cannot be reached raises the client's usual error
        (``APIConnectionError``, ``AuthenticationError`` ...).
        """
        from prefect_sdk.exceptions import safe_url

        if self.api_url.startswith(self.settings.cloud_api_url.rstrip("/")):
            return
        server = await self._call("raise_for_api_version_mismatch", str)
        ours = _version_numbers(SERVER_API_VERSION) or (0,)
        theirs = _version_numbers(server)
        where = safe_url(self.api_url)
        if theirs is None or theirs[0] != ours[0]:
            raise APIVersionMismatchError(
                f"the server at {where} speaks REST API version {server!r}; this client "
                f"(prefect-sdk-client-core {self.client_version()}) is built for "
                f"{SERVER_API_VERSION}, and major versions must match: use a Prefect server "
                "of the same major API version, or a prefect-sdk built for the server's",
                server_api_version=server,
                client_api_version=SERVER_API_VERSION,
            )
        if theirs < ours:
            logging.getLogger("prefect_sdk.client").warning(
                "the server at %s speaks REST API version %s, older than the %s this client "
                "is built for: some operations may be missing or behave differently; upgrade "
                "the server",
                where,
                server,
                SERVER_API_VERSION,
            )

    async def raise_for_api_version_mismatch_once(self) -> None:
        """``raise_for_api_version_mismatch``, once per process and API URL: once the check has
        passed for a URL, later calls (by any client of this kind) return at once."""
        if self.api_url in _COMPATIBLE:
            return
        await self.raise_for_api_version_mismatch()
        _COMPATIBLE.add(self.api_url)

    @operation("GET /collections/views/{view}")
    async def read_collection_view(self, view: str) -> dict[str, Any]:
        """Read a view of the Prefect collection registry, e.g. ``"aggregate-block-metadata"``.

        The server fetches views from the registry on GitHub (caching them for 10 minutes).
        Offline, only ``aggregate-worker-metadata`` answers (from a copy bundled with the
        server); the other views (``aggregate-block-metadata``, ``aggregate-flow-metadata``,
        ``demo-flows``) fail with a 500 ``PrefectHTTPStatusError``.  An unknown view raises
        ``ObjectNotFound``.
        """
        path_segment(view, "view")
        return await self._call("read_collection_view", dict[str, Any], view=view)

    @operation("GET /collections/views/{view}")
    async def read_worker_metadata(self) -> dict[str, Any]:
        """The worker types of each Prefect integration, with their default job templates
        (the registry's ``aggregate-worker-metadata`` view; works offline as well)."""
        return await self._call(
            "read_worker_metadata", dict[str, Any], view="aggregate-worker-metadata"
        )


def _version_numbers(text: str) -> tuple[int, ...] | None:
    """``"0.8.4"`` -> ``(0, 8, 4)``; ``None`` if ``text`` does not start with a number."""
    numbers: list[int] = []
    for part in text.strip().split("."):
        digits = ""
        for char in part:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        numbers.append(int(digits))
        if len(digits) != len(part):
            break
    return tuple(numbers) or None


__all__ = [
    "CLIENT_DISTRIBUTION",
    "SERVER_API_VERSION",
    "APIVersionMismatchError",
    "AdminAsyncClient",
]
