"""Everything the async and sync clients share that is not I/O.

The request path, top to bottom (the I/O half lives in ``_async.py`` and its generated sync
twin; operations are declared in ``_resources/`` and sent through ``_call``)::

    build request -> hooks: request_started
      loop: hooks: request -> send -> hooks: response -> retry decision (hook) -> wait
    -> map status to exception -> parse from bytes -> hooks: request_finished
"""

from __future__ import annotations

import functools
import gc
import logging
import re
import ssl
import threading
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import httpx

from prefect_sdk.client._call import Call
from prefect_sdk.client._operation import default_retry_safe
from prefect_sdk.client._params import as_uuid as as_uuid  # re-exported: client-cloud uses it
from prefect_sdk.client._plugins import build_plugin_manager, call_each, call_hook, wrap_auth
from prefect_sdk.exceptions import (
    APIConnectionError,
    APITimeoutError,
    PluginError,
    PrefectHTTPStatusError,
    UnexpectedResponseError,
    ValidationError,
    safe_url,
)
from prefect_sdk.settings import Settings, load_settings

if TYPE_CHECKING:
    import pluggy
    from pydantic import TypeAdapter

T = TypeVar("T")

# The Prefect version of each server this process has asked (``/admin/version``), by API URL.
SERVER_VERSIONS: dict[str, str] = {}

PROTECTED_HEADERS = frozenset({"authorization", "prefect-csrf-token", "prefect-csrf-client"})
_HTTPX_ARGS = frozenset(
    {
        "auth",
        "params",
        "headers",
        "cookies",
        "verify",
        "cert",
        "http1",
        "http2",
        "proxy",
        "mounts",
        "timeout",
        "follow_redirects",
        "limits",
        "max_redirects",
        "event_hooks",
        "base_url",
        "transport",
        "trust_env",
        "default_encoding",
    }
)


@functools.cache
def _ssl_context(cert_file: str | None, insecure: bool) -> ssl.SSLContext:
    """One SSL context per (CA file, verify) pair per process; building one costs ~10-50 ms."""
    if insecure:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx
    if cert_file:
        return ssl.create_default_context(cafile=cert_file)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@functools.cache
def adapter(tp: Any) -> TypeAdapter[Any]:
    """A cached ``TypeAdapter`` per response type (building one is the expensive part)."""
    from pydantic import TypeAdapter

    return TypeAdapter(tp)


def _limits(value: Any) -> httpx.Limits:
    if isinstance(value, httpx.Limits):
        return value
    if isinstance(value, Mapping):
        allowed = {"max_connections", "max_keepalive_connections", "keepalive_expiry"}
        unknown = set(value) - allowed
        if unknown:
            raise ValidationError(
                f"httpx_settings['limits'] has unknown key(s) {sorted(unknown)}; "
                f"allowed: {sorted(allowed)}"
            )
        return httpx.Limits(**value)
    raise ValidationError("httpx_settings['limits'] must be an httpx.Limits or a dict")


# A path httpx's URL parser leaves as it is: unreserved characters, the sub-delimiters it
# does not escape, and %XX escapes (route slots are quoted by the operations).
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9._~/:@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*\Z")


class _UrlBase:
    """Joins a client's ``base_url`` and a request path into the request's ``httpx.URL``.

    httpx parses the relative path, then the merged URL: two URL parses, some 30 us a request,
    more than all of this client's own bookkeeping. A "/..." path that parsing would leave as
    it is (``_PLAIN_PATH``: what the operations' routes make; no dot segments) is joined to the
    base's parsed form (httpx's ``_uri_reference``) without a parse; httpx merges any other
    path itself. The join is checked against httpx's own merge when the base is made: where it
    differs (an httpx that works otherwise), httpx merges every path.
    """

    __slots__ = ("prefix", "ref", "text")

    # Longer paths go to httpx, which refuses a URL over 65,536 characters.
    MAX_PATH = 4096

    def __init__(self, base_url: httpx.URL) -> None:
        self.text = str(base_url)
        ref: Any = getattr(base_url, "_uri_reference", None)
        self.ref: Any = None
        self.prefix = ""
        if ref is not None and getattr(ref, "query", 0) is None and ref.fragment is None:
            # A base without a path ("http://host") parses to path "": the join adds the "/".
            self.prefix = ref.path if ref.path.endswith("/") else ref.path + "/"
            self.ref = ref
            probe = "/flow_runs/0b9e6f3e-3f1a-4e8b-9d2c-1a2b3c4d5e6f/name%20x;y"
            try:
                fast = self.join(probe)
                # What httpx's own merge makes of it (``Client._merge_url``).
                relative = httpx.URL(probe).raw_path.lstrip(b"/")
                slow = base_url.copy_with(raw_path=base_url.raw_path + relative)
                same = (
                    isinstance(fast, httpx.URL)
                    and fast == slow
                    and str(fast) == str(slow)
                    and fast.raw_path == slow.raw_path
                )
            except Exception:
                same = False
            if not same:
                self.ref = None

    def join(self, path: str) -> httpx.URL | str:
        """The request URL for ``path``: an ``httpx.URL`` made without parsing for a plain
        "/..." path, else ``path`` itself, for httpx to merge as it does."""
        ref = self.ref
        if (
            ref is None
            or path[:1] != "/"
            or path[1:2] == "/"  # "//host/...": a URL of another server, to httpx
            or "/." in path
            or len(path) > self.MAX_PATH
            or not _PLAIN_PATH.match(path)
        ):
            return path
        url = httpx.URL.__new__(httpx.URL)
        url._uri_reference = ref._replace(path=self.prefix + path[1:])
        return url


class _Cookies(httpx.Cookies):
    """httpx's cookie jar, minus its work on the answers that set no cookie (all of a Prefect
    server's; a proxy's sticky-session cookie still is kept and sent back).

    httpx hands every response to the jar, which wraps the request and the response in
    urllib's shapes before looking for ``Set-Cookie``: some 20 us a request, more than all of
    this client's own bookkeeping. The jar only ever reads ``Set-Cookie`` and ``Set-Cookie2``.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


_C = TypeVar("_C", httpx.AsyncClient, httpx.Client)


def lean_cookies(http: _C) -> _C:
    """``http`` with its cookie jar (the same cookies) in a :class:`_Cookies`."""
    from http.cookiejar import CookieJar

    jar = getattr(http, "_cookies", None)
    # httpx's own, around the standard jar: a user's own jar class (one that logs, say) sees
    # every response, as it would without this client.
    if type(jar) is httpx.Cookies and type(jar.jar) is CookieJar:
        http._cookies = _Cookies(jar.jar)
    return http


class BaseClient:
    """Settings, connection options, plugins, request building and response handling."""

    _kind: Literal["async", "sync"] = "async"
    # The REST API version sent as X-PREFECT-API-VERSION when ``api_version=`` is not given.
    _default_api_version: str | None = None
    # Whether a bare 404/405 means "this server has no such route" (a Prefect server's API;
    # not Prefect Cloud's account API, whose answers are not known well enough).
    _spots_missing_routes = False

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
        base = settings if settings is not None else load_settings()
        self._settings = base.with_overrides(api_key=api_key)
        url = self._resolve_base_url(api)
        if not url.startswith(("http://", "https://")):
            raise ValidationError(
                f"api={safe_url(url)!r} must start with http:// or https://, "
                "e.g. 'http://127.0.0.1:4200/api'"
            )
        try:
            parsed: httpx.URL | None = httpx.URL(url)
        except httpx.InvalidURL:
            parsed = None  # raised below, outside the handler: httpx's error quotes the URL
        if parsed is None:
            raise ValidationError(
                "the API URL (api= or PREFECT_API_URL) is not a valid URL: a '/', '?', '#' or "
                "'@' in a user name or password must be percent-encoded (%2F, %3F, %23, %40)"
            )
        # Credentials in the URL become basic auth; the URL kept, shown and sent has none.
        self._url_credentials: tuple[str, str] | None = None
        if parsed.userinfo:
            self._url_credentials = (parsed.username, parsed.password)
            url = str(parsed.copy_with(username=None, password=None))
        self.api_url: str = url.rstrip("/")
        # Not ``api_version``: that name is the method reading the server's version.
        self._api_version_header = api_version
        self._httpx_settings = dict(httpx_settings or {})
        unknown = set(self._httpx_settings) - _HTTPX_ARGS
        if unknown:
            raise ValidationError(
                f"httpx_settings has unknown key(s) {sorted(unknown)}: they are passed to "
                f"httpx.{'AsyncClient' if self._kind == 'async' else 'Client'}(), which takes "
                f"{sorted(_HTTPX_ARGS)}"
            )
        if "limits" in self._httpx_settings:
            self._httpx_settings["limits"] = _limits(self._httpx_settings["limits"])
        self._plugins = tuple(plugins)
        self._blocked_plugins = tuple(blocked_plugins)
        self._pm: pluggy.PluginManager | None = None
        self._kwargs: dict[str, Any] | None = None
        self._url_base: _UrlBase | None = None  # see _url
        self._closed = False

    def _resolve_base_url(self, api: str | None) -> str:
        """The API root this client talks to: ``api=``, else ``PREFECT_API_URL``."""
        if api is not None:
            self._settings = self._settings.with_overrides(api_url=api)
        url = self._settings.api_url
        if not url:
            raise ValidationError(
                "no Prefect API URL: pass api='http://127.0.0.1:4200/api' or set PREFECT_API_URL "
                "(environment or the active profile)"
            )
        return url

    def _route_missing(self, response: httpx.Response) -> bool:
        """Whether ``response`` says the server has no such route (an older server): 405, or
        the web framework's bare 404, not one of Prefect's "<object> not found" answers."""
        if not self._spots_missing_routes:
            return False
        if response.status_code == 405:
            return True
        if response.status_code != 404:
            return False
        import json

        try:
            return bool(json.loads(response.content) == {"detail": "Not Found"})
        except ValueError:
            return False

    def _not_supported(
        self, call: Call, response: httpx.Response, server_version: str | None
    ) -> Exception:
        from prefect_sdk.exceptions import NotSupportedByServer

        if server_version:
            hint = f"(Prefect {server_version}) ... this operation needs a newer Prefect server"
        else:
            hint = (
                "(its version cannot be read: is this the API URL? It usually ends in /api) ... "
                "this operation may need a newer Prefect server"
            )
        before, _, after = hint.partition(" ... ")
        return NotSupportedByServer(
            f"{call.operation}: the server at {safe_url(self.api_url)} {before} has no route "
            f"{call.method} {call.path.split('?')[0]} (it answered {response.status_code}): "
            f"{after}",
            response=response,
        )

    def _unknown_fields(self, response: httpx.Response) -> list[str]:
        """The request-body fields a 422 says the server does not know (``extra_forbidden``:
        fields a newer Prefect added), for a client that spots older servers."""
        if response.status_code != 422 or not self._spots_missing_routes:
            return []
        import json

        try:
            body = json.loads(response.content)
        except ValueError:
            return []
        if not isinstance(body, dict):
            return []
        details = body.get("exception_detail", body.get("detail"))
        if not isinstance(details, list):
            return []
        return [
            ".".join(str(part) for part in item["loc"][1:])
            for item in details
            if isinstance(item, dict)
            and item.get("type") == "extra_forbidden"
            and isinstance(item.get("loc"), list)
            and item["loc"][:1] == ["body"]
            and len(item["loc"]) > 1
        ]

    def _unknown_fields_error(
        self, call: Call, response: httpx.Response, fields: list[str], version: str | None
    ) -> Exception:
        error = PrefectHTTPStatusError.from_response(response, operation=call.operation)
        server = f"Prefect {version}" if version else "a server of unknown version"
        these = "this field" if len(fields) == 1 else "these fields"
        message = (
            f"{error} (the server at {safe_url(self.api_url)} is {server}, which does not know "
            f"{these} of the request: {', '.join(fields)}. A newer Prefect server added "
            f"{'it' if len(fields) == 1 else 'them'}: leave {these} unset, or upgrade the server)"
        )
        return type(error)(message, response, error.request)

    def _status_error(self, call: Call, response: httpx.Response) -> Exception:
        """The exception for an error response (clients may refine the message)."""
        return PrefectHTTPStatusError.from_response(response, operation=call.operation)

    @property
    def settings(self) -> Settings:
        """The resolved settings this client uses (secrets masked in ``repr``)."""
        return self._settings

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        """The pluggy plugin manager whose hooks run for every request of this client."""
        if self._pm is None:
            self._pm = build_plugin_manager(self._plugins, self._blocked_plugins)
        return self._pm

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api={safe_url(self.api_url)!r})"

    # -- connection -----------------------------------------------------------------------

    def _client_kwargs(self) -> dict[str, Any]:
        """Arguments for ``httpx.AsyncClient`` / ``httpx.Client``: settings, hooks, overrides.

        Worked out once per client (the hooks run once): a client used without a context
        manager opens a connection per call with the same arguments (and the same auth object,
        so a CSRF token is fetched once)."""
        if self._kwargs is None:
            self._kwargs = self._new_client_kwargs()
        return dict(self._kwargs)

    def _new_client_kwargs(self) -> dict[str, Any]:
        s = self._settings
        pm = self.plugin_manager
        headers: dict[str, str] = {"Accept": "application/json"}
        api_version = self._api_version_header or self._default_api_version
        if api_version:
            headers["X-PREFECT-API-VERSION"] = api_version
        for extra in call_hook(pm, "prefect_sdk_headers", settings=s):
            for name, value in (extra or {}).items():
                if name.lower() in PROTECTED_HEADERS:
                    warnings.warn(
                        f"header {name!r} cannot be set by custom headers; it was ignored",
                        stacklevel=2,
                    )
                    continue
                headers[name] = value
        user = dict(self._httpx_settings)
        credentials = user.pop("auth", None) or call_hook(pm, "prefect_sdk_auth", settings=s)
        if credentials is None and self._url_credentials is not None:
            credentials = httpx.BasicAuth(*self._url_credentials)
        kwargs: dict[str, Any] = {
            "base_url": self.api_url,
            "timeout": httpx.Timeout(s.request_timeout),
            "verify": _ssl_context(s.ssl_cert_file, s.tls_insecure_skip_verify),
            "http2": s.enable_http2,
            "headers": headers,
            # A user's own httpx auth replaces the credential plugins, but is still wrapped
            # (CSRF tokens and the like).
            "auth": wrap_auth(pm, credentials, settings=s, api_url=self.api_url),
        }
        if "headers" in user:
            kwargs["headers"] = {**headers, **dict(user.pop("headers"))}
        if "timeout" in user and not isinstance(user["timeout"], httpx.Timeout):
            user["timeout"] = httpx.Timeout(user["timeout"])
        kwargs.update(user)
        if kwargs.get("auth") is None:
            kwargs.pop("auth", None)
        return kwargs

    def _url(self, http: httpx.AsyncClient | httpx.Client, path: str) -> httpx.URL | str:
        """The URL of the API path ``path``: the one httpx makes of ``path`` and its
        ``base_url`` (see :class:`_UrlBase`)."""
        base = self._url_base
        if base is None:
            # The base_url every pool of this client is made with (``_client_kwargs``, or the
            # user's own ``base_url=``), normalised by httpx (it ends in "/").
            base = self._url_base = _UrlBase(http.base_url)
        return base.join(path)

    def _check_open(self) -> None:
        if self._closed:
            raise self._closed_error()

    def _closed_error(self) -> Exception:
        from prefect_sdk.exceptions import ClientClosedError

        return ClientClosedError(
            f"this {type(self).__name__} is closed; create a new client (or use it as a "
            "context manager) instead of reusing a closed one"
        )

    # -- one call ------------------------------------------------------------------------

    def _new_call(
        self,
        operation: str,
        method: str,
        path: str,
        retry_safe: bool | None,
        retries: bool = True,
    ) -> Call:
        if retry_safe is None:
            retry_safe = default_retry_safe(method, path)
        return Call(
            operation=operation,
            method=method,
            path=path,
            retry_safe=retry_safe,
            client=self._kind,
            retries=retries,
        )

    # The per-request hooks are looked at before they are called: without a plugin that
    # implements them (the usual case) a request does not pay for the call.

    def _started(self, call: Call, request: httpx.Request) -> float:
        started = time.monotonic()
        pm = self._pm or self.plugin_manager
        if pm.hook.prefect_sdk_request_started.get_hookimpls():
            try:
                call_hook(pm, "prefect_sdk_request_started", call=call, request=request)
            except BaseException as exc:
                # Plugins that did start (a span, a timer) still get their finish call.
                self._finished(call, started, None, exc)
                raise
        return started

    def _before_attempt(self, call: Call, request: httpx.Request) -> None:
        call.attempt += 1
        pm = self._pm or self.plugin_manager
        if pm.hook.prefect_sdk_request.get_hookimpls():
            call_hook(pm, "prefect_sdk_request", request=request, call=call)

    def _after_attempt(self, call: Call, response: httpx.Response) -> float | None:
        """Run the response hooks; return seconds to wait before retrying, or None."""
        pm = self._pm or self.plugin_manager
        if pm.hook.prefect_sdk_response.get_hookimpls():
            call_hook(pm, "prefect_sdk_response", response=response, call=call)
        if 200 <= response.status_code < 300:  # response.is_success, without its two calls
            return None
        return self._retry_delay(call, response, None)

    def _retry_delay(
        self, call: Call, response: httpx.Response | None, error: Exception | None
    ) -> float | None:
        if not call.retries:
            return None
        decision = call_hook(
            self.plugin_manager,
            "prefect_sdk_retry",
            call=call,
            settings=self._settings,
            response=response,
            error=error,
        )
        if decision is None or decision is False:
            return None
        # This attempt is to be repeated: did it perhaps do its work before failing?
        if _may_have_had_effect(response, error):
            call.maybe_done = True
        if decision is True:
            return 0.0
        return max(0.0, float(decision))

    def _transport_error(self, call: Call, request: httpx.Request, exc: Exception) -> Exception:
        where = f"{call.operation}: {request.method} {safe_url(request.url)}"
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"{where} timed out after {call.attempt} attempt(s) ({type(exc).__name__}); "
                "raise PREFECT_API_REQUEST_TIMEOUT or httpx_settings={'timeout': ...} if the "
                "server is slow",
                request=request,
            )
        refusal = tls_refusal(exc)
        if refusal is not None:
            return APIConnectionError(
                f"{where}: the server's TLS certificate was not accepted ({refusal}). If it is "
                "signed by a private CA, point PREFECT_API_SSL_CERT_FILE (or SSL_CERT_FILE) at "
                "the CA's certificate; for a test server only, set "
                "PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true",
                request=request,
            )
        return APIConnectionError(
            f"{where} failed after {call.attempt} attempt(s): {type(exc).__name__}: {exc}. "
            f"Is a Prefect server running at {safe_url(self.api_url)}?",
            request=request,
        )

    def _finished(
        self,
        call: Call,
        started: float,
        response: httpx.Response | None,
        error: BaseException | None,
    ) -> None:
        try:
            call_each(
                self._pm or self.plugin_manager,
                "prefect_sdk_request_finished",
                call=call,
                response=response,
                error=error,
                duration=time.monotonic() - started,
            )
        except PluginError as plugin_error:
            if error is None:
                raise
            # The operation's own error is what the caller needs; the plugin's is logged.
            logging.getLogger("prefect_sdk.client").warning("%s", plugin_error)

    # -- websocket streams -------------------------------------------------------------------

    def _stream_token(self) -> str | None:
        """What the server's websocket handshake takes as ``token``: the API key (Cloud) or
        the ``user:password`` auth string (a secured self-hosted server)."""
        secret = self._settings.api_key or self._settings.api_auth_string
        return secret.get_secret_value() if secret is not None else None

    @staticmethod
    def _stream_auth(http: httpx.AsyncClient | httpx.Client) -> httpx.Auth | None:
        """The credentials for a websocket upgrade: the client's own, minus the CSRF wrapper.

        The wrapper reads every response body (to spot a refused token), which would consume
        the upgraded connection; a GET never needs a CSRF token anyway.
        """
        from prefect_sdk.client._csrf import CsrfAuth

        auth = http.auth
        return auth.inner if isinstance(auth, CsrfAuth) else auth

    def _check_stream_auth(self, call: Call, reply: Any) -> None:
        from prefect_sdk.exceptions import WebSocketAuthenticationError

        if not isinstance(reply, dict) or reply.get("type") != "auth_success":
            raise WebSocketAuthenticationError(
                f"{call.operation}: the server refused the websocket's credentials "
                "(check PREFECT_API_KEY / PREFECT_API_AUTH_STRING)"
            )

    def _stream_item(self, call: Call, message: Any, kind: str, into: Any, seen: RecentIds) -> Any:
        """The item a stream message carries, or ``None`` (another kind, or already seen)."""
        if not isinstance(message, dict) or message.get("type") != kind:
            return None
        from pydantic import ValidationError as ParseError

        try:
            item = adapter(into).validate_python(message.get(kind))
        except ParseError as exc:
            raise UnexpectedResponseError(
                f"{call.operation}: the server sent a {kind} that is not a valid {_name(into)}: "
                f"{exc.errors()[0]['msg']}"
            ) from None
        item_id = getattr(item, "id", None)
        if item_id is not None and not seen.add(item_id):
            return None
        return item

    def _stream_refused(self, call: Call, response: httpx.Response) -> Exception:
        """The error for a websocket upgrade the server answered with an HTTP status."""
        from prefect_sdk.exceptions import NotSupportedByServer

        # A server without the websocket route refuses the upgrade: 404/405, or 403 from the
        # web framework (Prefect 3.0-3.2 have no /logs/out). Credentials are checked later,
        # in the stream's first message, so a 403 here is not about them.
        if response.status_code in (403, 404, 405):
            return NotSupportedByServer(
                f"{call.operation}: the server at {safe_url(self.api_url)} refused the websocket "
                f"route {call.path} (it answered {response.status_code}): it does not have it "
                "(log streams need Prefect 3.4 or newer), or a proxy in between does not pass "
                "websockets",
                response=response,
            )
        return self._status_error(call, response)

    def _stream_refusal(self, call: Call, exc: BaseException) -> Exception | None:
        """The credentials error for a websocket the server closed with a policy violation
        (1008: the handshake's token was refused), else ``None``."""
        from httpx_ws import WebSocketDisconnect

        from prefect_sdk.exceptions import WebSocketAuthenticationError

        if isinstance(exc, WebSocketDisconnect) and exc.code == 1008:
            return WebSocketAuthenticationError(
                f"{call.operation}: the server closed the websocket: {exc.reason or 'refused'} "
                "(check PREFECT_API_KEY / PREFECT_API_AUTH_STRING)"
            )
        return None

    def _stream_lost(self, call: Call, exc: Exception, reconnect: bool, failures: int) -> float:
        """Seconds to wait before reconnecting a dropped stream, or raise its final error."""
        refused = self._stream_refusal(call, exc)
        if refused is not None:
            raise refused from exc  # retrying cannot help
        if not reconnect or failures >= self._settings.max_retries:
            raise APIConnectionError(
                f"{call.operation}: the websocket to {safe_url(self.api_url)}{call.path} was "
                f"lost after {failures} reconnect(s): {type(exc).__name__}: {exc}"
            ) from exc
        import random

        base = min(30.0, 0.5 * float(2**failures))
        return base * (1 + self._settings.retry_jitter_factor * random.random())

    def _result(self, call: Call, response: httpx.Response, into: Any) -> Any:
        """Map an error status to its exception, else parse the body into ``into`` (see
        ``_parse``)."""
        if not response.is_success:
            if call.method == "DELETE" and response.status_code == 404 and call.maybe_done:
                return None  # an earlier attempt deleted it; its answer was lost
            raise self._status_error(call, response)
        if into is None:
            _let_go(response)
            return None
        if into is httpx.Response:
            return response
        try:
            result = _parse(adapter(into), response.content)
        except Exception as exc:
            # Imported here, not before: ``from pydantic import ...`` costs microseconds a call.
            from pydantic import ValidationError as ParseError

            if not isinstance(exc, ParseError):
                raise
            raise UnexpectedResponseError(
                f"{call.operation}: {response.request.method} {safe_url(response.request.url)} "
                f"answered {response.status_code} with a body that is not a valid {_name(into)}: "
                f"{exc.error_count()} error(s), first: {exc.errors()[0]['msg']} at "
                f"{'.'.join(str(p) for p in exc.errors()[0]['loc']) or 'the top level'}. "
                "Is this URL a Prefect API (it usually ends in /api)?",
                response=response,
            ) from None
        _let_go(response)
        return result


_SPENT = httpx.ByteStream(b"")


def _let_go(response: httpx.Response) -> None:
    """Break the reference cycle httpx leaves between a response and its (read, closed)
    stream, so that the response and its body are freed as soon as the call is done with them.

    Left to the cyclic garbage collector, the response of a large answer has usually been
    promoted to the oldest generation while it was parsed, and waits there for a full
    collection: iterating 20,000 flow runs grew the process by 6 MB, against 1 MB with the
    cycle broken. The body stays readable (``response.content`` is kept); only the spent
    stream is replaced by an empty one.
    """
    response.stream = _SPENT


# Bodies from this size on (a page of some 30 flow runs) are parsed with the cyclic garbage
# collector paused; see _parse.
_GC_PAUSE_BYTES = 64 * 1024
_gc_lock = threading.Lock()
_gc_pausers = 0


def _parse(parser: TypeAdapter[Any], content: bytes) -> Any:
    """``parser.validate_json(content)``; a large body with the garbage collector paused.

    A page of models is thousands of new container objects (each model, its ``__dict__``, its
    fields-set, its UUIDs); while they are made, every 700 of them start a collection that
    walks the young objects, finds them all alive and keeps nothing: much of the parse's CPU.
    The collector is switched off around the parse (if it was on) and back on when the last
    parse in flight ends; nothing is lost, the next collection sees the new objects. Memory
    does not wait for it: the models hold no cycles, and the response's own cycle is broken
    once it is parsed (``_let_go``), so the page iterators pause it too and stay flat. A
    program that has switched the collector off keeps it off (but one that switches it off
    while another thread is inside such a parse finds it back on afterwards).
    """
    global _gc_pausers
    if len(content) < _GC_PAUSE_BYTES:
        return parser.validate_json(content)
    with _gc_lock:
        # Off and not by a parse in flight: the program switched it off, and it stays so.
        pause = _gc_pausers > 0 or gc.isenabled()
        if pause:
            gc.disable()
            _gc_pausers += 1
    if not pause:
        return parser.validate_json(content)
    try:
        return parser.validate_json(content)
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0:
                gc.enable()


def _may_have_had_effect(response: httpx.Response | None, error: Exception | None) -> bool:
    """Whether a failed attempt may still have done its work on the server (its answer lost)."""
    from prefect_sdk.client._builtins import NOT_SENT_ERRORS, server_rolled_back

    if error is not None:
        return not isinstance(error, NOT_SENT_ERRORS)
    if response is None:
        return False
    return response.status_code != 429 and not server_rolled_back(response)


def _name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp)


# -- websocket streams (the parts that are not I/O) ------------------------------------------


class RecentIds:
    """The ids of the last ``size`` stream items: a reconnect's backfill is not yielded twice."""

    def __init__(self, size: int = 10_000) -> None:
        from collections import OrderedDict

        self._ids: OrderedDict[Any, None] = OrderedDict()
        self._size = size

    def add(self, item_id: Any) -> bool:
        """Remember ``item_id``; ``False`` if it was seen already."""
        if item_id in self._ids:
            return False
        self._ids[item_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return True


def tls_refusal(exc: BaseException) -> str | None:
    """The reason, if ``exc`` (or what it wraps) is the client refusing the server's TLS
    certificate; trio wraps it in an empty BrokenResourceError, so the chain is searched."""
    seen = 0
    current: BaseException | None = exc
    while current is not None and seen < 10:
        if isinstance(current, ssl.SSLCertVerificationError):
            return str(current.verify_message or current)
        current = current.__cause__ or current.__context__
        seen += 1
    return None
