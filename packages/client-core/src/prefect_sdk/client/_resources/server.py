"""The server itself: health, hello, versions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import non_empty

if TYPE_CHECKING:
    from prefect_sdk.schemas import CsrfToken


class ServerAsyncClient(AsyncAPIClient):
    """Operations on the server as a whole."""

    @operation("GET /health")
    async def api_healthcheck(self) -> Exception | None:
        """Check that the server answers ``/health``: ``None`` if it does, else the error.

        It answers at once: a health check is never retried.
        """
        try:
            await self._call("api_healthcheck", bool, retries=False)
        except Exception as exc:
            return exc
        return None

    @operation("GET /ready")
    async def api_readiness_check(self) -> Exception | None:
        """Check that the server is ready to serve (its database answers): ``None`` if it is,
        else the error. Never retried, like ``api_healthcheck``.
        """
        try:
            await self._call("api_readiness_check", retries=False)
        except Exception as exc:
            return exc
        return None

    @operation("GET /hello")
    async def hello(self) -> httpx.Response:
        """Call the server's ``/hello`` route and return the raw response."""
        return await self._call("hello", httpx.Response)

    @operation("GET /admin/version")
    async def read_server_version(self) -> str:
        """The Prefect version of the server (``/admin/version``), e.g. ``"3.8.8"``."""
        return await self._call("read_server_version", str)

    @operation("GET /version")
    async def read_server_api_version(self) -> str:
        """The version of the server's REST API (``/version``), e.g. ``"0.8.4"``."""
        return await self._call("read_server_api_version", str)

    @operation("GET /csrf-token")
    async def create_csrf_token(self, client: str) -> CsrfToken:
        """Ask for a CSRF token for the client id ``client``.

        The client fetches and renews tokens by itself when the server wants them
        (``PREFECT_CLIENT_CSRF_SUPPORT_ENABLED``); this is for tools that drive the protocol
        themselves. A server with CSRF protection off answers ``ServerValidationError``.
        """
        from prefect_sdk.schemas import CsrfToken

        params = {"client": non_empty(client, "client")}
        return await self._call("create_csrf_token", CsrfToken, params=params)


__all__ = ["ServerAsyncClient"]
