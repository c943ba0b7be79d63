"""The async request path and client lifecycle, shared by every async client of the SDK.

``tools/unasync.py`` rewrites this module into ``prefect_sdk.sync._api_client`` (and every
module of ``_resources/`` into ``prefect_sdk.sync._resources``); a test fails when a generated
file is stale.  So: no ``await`` in docstrings, and the I/O primitives used here are the ones
the rewrite knows (``httpx.AsyncClient``, ``async_sleep``).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload
from uuid import uuid4

import httpx

from prefect_sdk.client._base import BaseClient
from prefect_sdk.client._io import async_loop_token, async_sleep
from prefect_sdk.client._operation import Operation, collect
from prefect_sdk.client._params import (
    HasName,
    check_limit,
    check_page_size,
    page_sizes,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.client._streams import AsyncStream
    from prefect_sdk.schemas import OrchestrationResult, Page, State
    from prefect_sdk.settings import Settings

T = TypeVar("T")
_Self = TypeVar("_Self", bound="AsyncAPIClient")


class AsyncAPIClient(BaseClient):
    """The async request path and lifecycle, shared by every async client of the SDK."""

    _kind = "async"
    _operations: ClassVar[dict[str, Operation]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._operations = collect(cls)

    def __init__(
        self,
        api: str | None = None,
        api_key: str | None = None,
        api_version: str | None = None,
        httpx_settings: dict[str, Any] | None = None,
        *,
        plugins: Sequence[object] = (),
        blocked_plugins: Sequence[str] = (),
        settings: Settings | None = None,
    ) -> None:
        super().__init__(
            api,
            api_key,
            api_version,
            httpx_settings,
            plugins=plugins,
            blocked_plugins=blocked_plugins,
            settings=settings,
        )
        self._http: httpx.AsyncClient | None = None
        self._http_loop: object | None = None
        self._open_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def _ensure_http(self) -> httpx.AsyncClient:
        self._check_open()
        loop = async_loop_token()
        with self._open_lock:
            if self._http is not None and loop is not None and loop is not self._http_loop:
                # The pool's connections belong to another (most likely finished) event loop,
                # e.g. a second asyncio.run(): start a fresh pool for this one.
                self._http = None
            if self._http is None:
                self._http = httpx.AsyncClient(**self._client_kwargs())
                self._http_loop = loop
            return self._http

    async def __aenter__(self: _Self) -> _Self:
        self._ensure_http()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool. The client cannot be used afterwards."""
        self._closed = True
        http, self._http = self._http, None
        loop = async_loop_token()
        if http is not None and (loop is None or self._http_loop in (None, loop)):
            await http.aclose()
        # Otherwise the pool belongs to an earlier event loop; its connections ended with it.

    # -- the request path ------------------------------------------------------------------

    @overload
    async def _request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        into: type[T],
        json: Any = None,
        params: dict[str, Any] | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
    ) -> T: ...

    @overload
    async def _request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        into: None = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
    ) -> None: ...

    async def _request(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        into: Any = None,
        json: Any = None,
        params: dict[str, Any] | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
    ) -> Any:
        http = self._ensure_http()
        call = self._new_call(operation, method, path, retry_safe, retries)
        request = http.build_request(method, path, json=json, params=params)
        started = self._started(call, request)
        response: httpx.Response | None = None
        try:
            while True:
                self._before_attempt(call, request)
                try:
                    response = await http.send(request)
                except httpx.TransportError as exc:
                    delay = self._retry_delay(call, None, exc)
                    if delay is None:
                        raise self._transport_error(call, request, exc) from exc
                    await async_sleep(delay)
                    continue
                delay = self._after_attempt(call, response)
                if delay is None:
                    break
                await async_sleep(delay)
            result = self._result(call, response, into)
        except BaseException as exc:
            self._finished(call, started, response, exc)
            raise
        self._finished(call, started, response, None)
        return result

    # -- the operation shapes (see _operation.py) -------------------------------------------

    @overload
    async def _call(
        self,
        name: str,
        into: type[T],
        /,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        variant: str | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
        **path: Any,
    ) -> T: ...

    @overload
    async def _call(
        self,
        name: str,
        into: None = None,
        /,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        variant: str | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
        **path: Any,
    ) -> None: ...

    async def _call(
        self,
        name: str,
        into: Any = None,
        /,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        variant: str | None = None,
        retry_safe: bool | None = None,
        retries: bool = True,
        **path: Any,
    ) -> Any:
        """Send the declared operation ``name``: its route (or ``variant``), with the path's
        slots filled from ``path``, and parse the answer into ``into``."""
        op = self._operations[name]
        route = op.select(variant)
        return await self._request(
            name,
            route.method,
            route.render(path),
            into=into,
            json=json,
            params=params,
            retry_safe=op.retry_safe if retry_safe is None else retry_safe,
            retries=retries,
        )

    async def _call_pages(
        self,
        name: str,
        into: type[list[T]],
        body: dict[str, Any],
        limit: int | None,
        offset: int | None,
        /,
        **path: Any,
    ) -> list[T]:
        """A filtered read, split into server-sized pages when ``limit`` exceeds the cap."""
        check_limit(limit, offset)
        items: list[T] = []
        for page_offset, page_limit in page_sizes(limit, offset):
            page_body = {**body, "offset": page_offset}
            if page_limit is not None:
                page_body["limit"] = page_limit
            page = await self._call(name, into, json=page_body, **path)
            items.extend(page)
            if page_limit is None or len(page) < page_limit:
                break
        return items

    async def _call_iter(
        self,
        name: str,
        into: type[list[T]],
        body: dict[str, Any],
        page_size: int,
        /,
        **path: Any,
    ) -> AsyncIterator[T]:
        """Every row of a filtered read, ``page_size`` rows per request (offset paging)."""
        check_page_size(page_size)
        offset = 0
        while True:
            page = await self._call(
                name, into, json={**body, "offset": offset, "limit": page_size}, **path
            )
            for item in page:
                yield item
            if len(page) < page_size:
                return
            offset += page_size

    async def _call_paginate(
        self,
        name: str,
        into: type[Page[T]],
        body: dict[str, Any],
        page_size: int,
        /,
        **path: Any,
    ) -> AsyncIterator[T]:
        """Every row of a ``/paginate`` route, one server page (``page_size`` rows) at a time."""
        check_page_size(page_size)
        page_number = 1
        while True:
            page = await self._call(
                name, into, json={**body, "page": page_number, "limit": page_size}, **path
            )
            for item in page.results:
                yield item
            if not page.results or page_number >= page.pages:
                return
            page_number += 1

    async def _call_set_state(
        self, name: str, argument: str, run_id: Any, state: State, force: bool
    ) -> OrchestrationResult:
        """Propose ``state`` for the run ``run_id`` (the operation's one ``{argument:id}``).

        The proposal carries a new ``transition_id``, made once per call, before the first
        attempt (one the state may carry from an earlier read is replaced: reusing it would
        make the server refuse the proposal as a repeat). Where the operation is declared
        retry-safe, the server refuses a repeat of a transition it already made and answers
        with the run's current state: that answer is the success of the earlier attempt, and
        is returned so. ``force=True`` skips the server's rules, that one included, so a
        forced proposal is not retried after an answer that may have been lost.
        """
        from prefect_sdk.schemas import OrchestrationResult, State

        if not isinstance(state, State):
            raise ValidationError(
                f"state must be a State (e.g. prefect_sdk.states.Completed()), got {state!r}"
            )
        transition_id = uuid4()
        wire = state.to_wire()
        wire["state_details"]["transition_id"] = str(transition_id)
        body = {"state": wire, "force": bool(force)}
        retry_safe = self._operations[name].retry_safe and not force
        result = await self._call(
            name, OrchestrationResult, json=body, retry_safe=retry_safe, **{argument: run_id}
        )
        return result.as_accepted_repeat(transition_id, state.type)

    # -- websocket streams ---------------------------------------------------------------

    def _call_stream(
        self,
        name: str,
        path: str,
        kind: str,
        into: type[T],
        subscription: dict[str, Any],
        *,
        reconnect: bool = True,
        resubscription: dict[str, Any] | None = None,
        requires: tuple[str, ...] = (),
    ) -> AsyncStream[T]:
        """A live stream of the ``kind`` items ("event", "log") the websocket ``path`` pushes
        (see ``AsyncStream``); ``resubscription`` replaces ``subscription`` after a reconnect
        (to ask for a backfill, say); ``requires`` names server settings (dotted paths of
        ``/admin/settings``) that must not be off for the server to feed the stream."""
        from prefect_sdk.client._streams import AsyncStream

        return AsyncStream(
            self, name, path, kind, into, subscription, reconnect, resubscription, requires
        )


__all__ = ["AsyncAPIClient", "HasName"]
