"""The hook vocabulary of prefect-sdk.

Every request either client makes runs through these hooks, in this order::

    prefect_sdk_headers, prefect_sdk_auth,
    prefect_sdk_auth_wrap                      once, when the client opens
    prefect_sdk_request_started                once per operation call
      prefect_sdk_request                      before each attempt is sent
      prefect_sdk_response                     after each attempt's response arrives
      prefect_sdk_retry                        after a failed attempt: retry, and after how long?
    prefect_sdk_request_finished               once per operation call, success or not

Hooks are plain synchronous functions: they decide and observe, they do no I/O of their own.
Auth that needs a round trip returns an ``httpx.Auth`` whose ``auth_flow`` yields the extra
request; httpx runs it for both the async and the sync client.

An implementation may accept any subset of a spec's arguments, so specs can grow without
breaking plugins.  Mark implementations with :data:`hookimpl`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import httpx

    from prefect_sdk.client._call import Call
    from prefect_sdk.settings import Settings

PROJECT = "prefect_sdk"

hookspec: pluggy.HookspecMarker = pluggy.HookspecMarker(PROJECT)
hookimpl: pluggy.HookimplMarker = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def prefect_sdk_auth(settings: Settings) -> httpx.Auth | None:
    """Return the ``httpx.Auth`` the client should use, or ``None`` for no opinion.

    Called once when a client opens its HTTP connection pool. The first non-``None`` result
    wins; the built-in ``prefect_sdk.auth`` plugin answers last, with a bearer token from
    ``PREFECT_API_KEY`` or basic auth from ``PREFECT_API_AUTH_STRING``.
    """


@hookspec
def prefect_sdk_headers(settings: Settings) -> dict[str, str] | None:
    """Return headers to send with every request of this client, or ``None``.

    Called once when a client opens. Results of all plugins are merged. ``Authorization`` and
    the ``Prefect-Csrf-*`` headers cannot be set this way (they are dropped with a warning).
    """


@hookspec
def prefect_sdk_request_started(call: Call, request: httpx.Request) -> None:
    """An operation is about to send its first attempt. Telemetry starts a span here.

    ``call`` carries the operation's name, whether it is safe to retry, and a ``state`` dict a
    plugin may use to keep per-call data until ``prefect_sdk_request_finished``.
    """


@hookspec
def prefect_sdk_request(request: httpx.Request, call: Call) -> None:
    """Inspect or modify ``request`` before each attempt is sent (``call.attempt`` counts from 1).

    Change it in place (``request.headers[...] = ...``); the return value is ignored.
    """


@hookspec
def prefect_sdk_response(response: httpx.Response, call: Call) -> None:
    """Inspect each attempt's response (its body has been read) before the retry decision."""


@hookspec(firstresult=True)
def prefect_sdk_retry(
    call: Call,
    settings: Settings,
    response: httpx.Response | None,
    error: Exception | None,
) -> float | bool | None:
    """Decide whether a failed attempt is retried.

    Exactly one of ``response`` (an error status) and ``error`` (a transport error: nothing, or
    nothing usable, came back) is set.  Return a number of seconds to wait before the next
    attempt, ``False`` to stop, or ``None`` for no opinion.  The first non-``None`` answer wins;
    the built-in ``prefect_sdk.retry`` plugin answers last.  Respect ``call.retry_safe``: an
    operation that is not safe to retry must not be repeated once the request may have reached
    the server.
    """


@hookspec
def prefect_sdk_request_finished(
    call: Call,
    response: httpx.Response | None,
    error: BaseException | None,
    duration: float,
) -> None:
    """The operation is done: ``response`` is the last one received (if any), ``error`` what
    will be raised (if anything), ``duration`` the seconds spent over all attempts and waits,
    ``call.attempt`` the number of attempts made."""


@hookspec
def prefect_sdk_auth_wrap(
    auth: httpx.Auth | None, settings: Settings, api_url: str
) -> httpx.Auth | None:
    """Wrap the credential auth in another ``httpx.Auth`` (to add a flow such as CSRF tokens).

    Called once when a client opens, after :func:`prefect_sdk_auth`. Implementations run in hook
    order, each receiving the previous one's result as ``auth``; return ``None`` to leave it
    unchanged. The built-in ``prefect_sdk.csrf`` plugin uses this hook.
    """
