"""The async request path and client lifecycle, shared by every async client of the SDK.

``tools/unasync.py`` rewrites this module into ``prefect_sdk.sync._api_client`` (and every
module of ``_resources/`` into ``prefect_sdk.sync._resources``); a test fails when a generated
file is stale.  So: no ``await`` in docstrings, and the I/O primitives used here are the ones
the rewrite knows (``httpx.AsyncClient``, ``async_sleep``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload
from uuid import uuid4

import httpx

from prefect_sdk.client._base import SERVER_VERSIONS, BaseClient, lean_cookies
from prefect_sdk.client._io import async_loop_token, async_sleep, async_slot
from prefect_sdk.client._operation import Operation, collect
from prefect_sdk.client._params import (
    HasName,
    check_limit,
    check_page_size,
    holds,
    page_sizes,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.client._streams import AsyncStream
    from prefect_sdk.schemas import OrchestrationResult, Page, State
    from prefect_sdk.settings import Settings

T = TypeVar("T")
_NOTHING: Any = object()  # no result yet
DEFAULT_POOL_SIZE = 100  # httpx's default max_connections
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
        self._entered = False
        # Calls in flight at once (see async_slot): the pool's size; per event loop.
        self._limiter: tuple[object | None, Any] | None = None
        limits = self._httpx_settings.get("limits")
        self._pool_size: int | None = (
            limits.max_connections if isinstance(limits, httpx.Limits) else DEFAULT_POOL_SIZE
        )

    # -- lifecycle -------------------------------------------------------------------------
    #
    # An entered client (``async with``) keeps one connection pool until it is closed. A
    # client used without ``async with`` (as ``client = get_client(); await client.read_flows()``)
    # opens a connection for each call and closes it when the call ends, so nothing is left
    # open for the garbage collector to warn about; entering it is what makes calls share
    # connections.

    def _ensure_http(self) -> httpx.AsyncClient:
        """The pool of an entered client, opened on first use (and again on a new loop)."""
        self._check_open()
        loop = async_loop_token()
        http = self._http
        if http is not None and (loop is None or loop is self._http_loop):
            return http  # the usual case, without the lock
        with self._open_lock:
            if self._http is not None and loop is not None and loop is not self._http_loop:
                # The pool's connections belong to another (most likely finished) event loop,
                # e.g. a second asyncio.run(): start a fresh pool for this one.
                self._http = None
            if self._http is None:
                self._http = lean_cookies(httpx.AsyncClient(**self._client_kwargs()))
                self._http_loop = loop
            return self._http

    def _transient_http(self) -> httpx.AsyncClient:
        """A connection for one call of a client used without ``async with``."""
        self._check_open()
        return lean_cookies(httpx.AsyncClient(**self._client_kwargs()))

    @contextlib.asynccontextmanager
    async def _borrow_http(self) -> AsyncIterator[httpx.AsyncClient]:
        """The pool while it is used (an entered client's), or a connection of its own for a
        client used without ``async with``, closed when the block ends (a stream's)."""
        if self._entered:
            yield self._ensure_http()
            return
        http = self._transient_http()
        try:
            yield http
        finally:
            await http.aclose()

    async def __aenter__(self: _Self) -> _Self:
        self._ensure_http()
        self._entered = True
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
        settled: Callable[[], Awaitable[Any]] | None = None,
        conflict: Callable[[], Awaitable[Any]] | None = None,
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
        settled: Callable[[], Awaitable[Any]] | None = None,
        conflict: Callable[[], Awaitable[Any]] | None = None,
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
        settled: Callable[[], Awaitable[Any]] | None = None,
        conflict: Callable[[], Awaitable[Any]] | None = None,
    ) -> Any:
        if self._entered:
            http = self._ensure_http()
            transient = None
        else:
            http = transient = self._transient_http()
        call = self._new_call(operation, method, path, retry_safe, retries)
        request = http.build_request(method, self._url(http, path), json=json, params=params)
        try:
            started = self._started(call, request)
        except BaseException:
            if transient is not None:
                await transient.aclose()
            raise
        response: httpx.Response | None = None
        result: Any = _NOTHING
        failure: httpx.TransportError | None = None
        try:
            while True:
                self._before_attempt(call, request)
                try:
                    async with async_slot(self):
                        response = await http.send(request)
                except httpx.TransportError as exc:
                    delay = self._retry_delay(call, None, exc)
                    if delay is None:
                        raise self._transport_error(call, request, exc) from exc
                    response, failure = None, exc
                else:
                    delay = self._after_attempt(call, response)
                    if delay is None:
                        break
                    failure = None
                await async_sleep(delay)
                if settled is not None and call.maybe_done:
                    # The failed attempt may have done its work, or may still be doing it: look,
                    # and never do it a second time. Found: that is the answer; not found: the
                    # outcome is unknown, and the failure is raised.
                    result = await settled()
                    if result is not None:
                        break
                    if failure is not None:
                        raise self._transport_error(call, request, failure) from failure
                    assert response is not None
                    raise self._status_error(call, response)
            if result is _NOTHING:
                assert response is not None  # the loop ends on an answer, else raises
                if conflict is not None and call.maybe_done and response.status_code == 409:
                    # A repeat of a create whose first answer was lost: is the object that
                    # exists the one the first attempt made?
                    result = await conflict()
                if result is _NOTHING or result is None:
                    if (
                        response.status_code in (404, 405)
                        and call.operation != "api_version"  # its own 404: no version to read
                        and self._route_missing(response)
                    ):
                        version = await self._server_version()
                        raise self._not_supported(call, response, version)
                    unknown = self._unknown_fields(response)
                    if unknown:
                        version = await self._server_version()
                        raise self._unknown_fields_error(call, response, unknown, version)
                    result = self._result(call, response, into)
        except BaseException as exc:
            self._finished(call, started, response, exc)
            raise
        finally:
            if transient is not None:
                await transient.aclose()
        self._finished(call, started, response, None)
        return result

    async def _server_version(self) -> str | None:
        """The Prefect version of the server (``/admin/version``), read once per API URL and
        process, for messages; ``None`` if it cannot be read."""
        if self.api_url not in SERVER_VERSIONS:
            try:
                version = await self._request(
                    "api_version", "GET", "/admin/version", into=str, retries=False
                )
            except Exception:
                return None  # not remembered: the next error asks again
            SERVER_VERSIONS[self.api_url] = version
        return SERVER_VERSIONS[self.api_url]

    # -- the operation shapes (see _operation.py) -------------------------------------------

    @overload
    def _call(
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
        settled: Callable[[], Awaitable[Any]] | None = None,
        conflict: Callable[[], Awaitable[Any]] | None = None,
        **path: Any,
    ) -> Awaitable[T]: ...

    @overload
    def _call(
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
        settled: Callable[[], Awaitable[Any]] | None = None,
        conflict: Callable[[], Awaitable[Any]] | None = None,
        **path: Any,
    ) -> Awaitable[None]: ...

    def _call(
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
        settled: Callable[[], Awaitable[Any]] | None = None,
        conflict: Callable[[], Awaitable[Any]] | None = None,
        **path: Any,
    ) -> Awaitable[Any]:
        """Send the declared operation ``name``: its route (or ``variant``), with the path's
        slots filled from ``path``, and parse the answer into ``into`` (a large answer with the
        garbage collector paused: see ``_base._parse``).

        In the async client this is a plain method handing back ``_request``'s coroutine: a
        call then passes through one coroutine frame less each time the event loop resumes it."""
        op = self._operations[name]
        route = op.route if variant is None else op.routes[variant]  # op.select(variant)
        return self._request(
            name,
            route.method,
            route.render(path),
            into=into,
            json=json,
            params=params,
            retry_safe=op.retry_safe if retry_safe is None else retry_safe,
            retries=retries,
            settled=settled,
            conflict=conflict,
        )

    async def _call_unique(
        self,
        name: str,
        into: Any,
        /,
        *,
        json: dict[str, Any],
        read: Callable[[], Awaitable[Any]],
        variant: str | None = None,
        **path: Any,
    ) -> Any:
        """A create of an object whose name is unique on the server (declared ``read_back``).

        It is retried after transient faults like a safe operation. When a retry is answered
        409 Conflict, the attempt whose answer was lost may have made the object: ``read()``
        reads the object of that name, and it is the answer if it holds every field that was
        sent (with the values sent). Anything else raises the 409 as ``ObjectAlreadyExists``,
        as a first attempt answered 409 does: that name was taken before this call.
        """
        from prefect_sdk.exceptions import ObjectNotFound

        async def conflict() -> Any:
            try:
                existing = await read()
            except ObjectNotFound:
                return None
            return existing if existing is not None and holds(existing, json) else None

        return await self._call(name, into, json=json, variant=variant, conflict=conflict, **path)

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
            last = len(page) < page_size
            # Only the iterator holds the page, and lets it go once it is done: the page is
            # freed before the next one is read (one page in memory at a time, not two).
            rows = iter(page)
            del page
            for item in rows:
                yield item
            if last:
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
            last = not page.results or page_number >= page.pages
            rows = iter(page.results)  # freed before the next page is read (see _call_iter)
            del page
            for item in rows:
                yield item
            if last:
                return
            page_number += 1

    async def _call_set_state(
        self,
        name: str,
        argument: str,
        run_id: Any,
        state: State,
        force: bool,
        read_state: Callable[[], Awaitable[State | None]] | None = None,
    ) -> OrchestrationResult:
        """Propose ``state`` for the run ``run_id`` (the operation's one ``{argument:id}``).

        The proposal carries a new ``transition_id``, made once per call, before the first
        attempt (one the state may carry from an earlier read is replaced: reusing it would
        make the server refuse the proposal as a repeat). Where the operation is declared
        retry-safe, the server refuses a repeat of a transition it already made and answers
        with the run's current state: that answer is the success of the earlier attempt, and
        is returned so. ``force=True`` skips the server's rules, that one included, so a
        forced proposal is not retried after an answer that may have been lost.

        Where the server has no such rule (task runs), the proposal is not repeated once it
        may have reached the server: ``read_state`` reads the run's current state instead, and
        if it carries the transition id, the first attempt made the transition and that is the
        answer; otherwise the failure is raised (the attempt may still be in progress).
        """
        from prefect_sdk.schemas._states import OrchestrationResult, State

        if not isinstance(state, State):
            raise ValidationError(
                f"state must be a State (e.g. prefect_sdk.states.Completed()), got {state!r}"
            )
        transition_id = uuid4()
        wire = state.to_wire()
        wire["state_details"]["transition_id"] = str(transition_id)
        body = {"state": wire, "force": bool(force)}
        retry_safe = self._operations[name].retry_safe and not force
        settled = None
        if read_state is not None:
            read = read_state

            async def settled() -> OrchestrationResult | None:
                current = await read()
                if current is None or current.state_details.transition_id != transition_id:
                    return None
                return OrchestrationResult.accepted(current, transition_id)

        result = await self._call(
            name,
            OrchestrationResult,
            json=body,
            retry_safe=retry_safe,
            settled=settled,
            **{argument: run_id},
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
