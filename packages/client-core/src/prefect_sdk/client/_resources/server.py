"""The server itself: health, hello, versions."""

from __future__ import annotations

import httpx

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation


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

    @operation("GET /hello")
    async def hello(self) -> httpx.Response:
        """Call the server's ``/hello`` route and return the raw response."""
        return await self._call("hello", httpx.Response)

    @operation("GET /admin/version")
    async def read_server_version(self) -> str:
        """The Prefect version of the server (``/admin/version``), e.g. ``"3.8.8"``."""
        return await self._call("read_server_version", str)


__all__ = ["ServerAsyncClient"]
