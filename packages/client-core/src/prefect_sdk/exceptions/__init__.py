"""Errors raised by prefect-sdk.

Everything the SDK raises on purpose derives from :class:`PrefectSDKError`.  Errors that
carry an HTTP response derive from :class:`PrefectHTTPStatusError`; there is one subclass per
status a caller usually wants to tell apart.  Connection problems (nothing came back) are a
separate branch, :class:`APIConnectionError`.  Messages name the operation, the URL (never a
credential) and what the server said.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

    from prefect_sdk.schemas import FlowRun

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "APIVersionMismatchError",
    "AuthenticationError",
    "ClientClosedError",
    "FlowRunWaitTimeout",
    "NotSupportedByServer",
    "ObjectAlreadyExists",
    "ObjectNotFound",
    "PluginError",
    "PrefectHTTPStatusError",
    "PrefectSDKError",
    "ServerValidationError",
    "UnexpectedResponseError",
    "ValidationError",
    "WebSocketAuthenticationError",
    "safe_url",
]


class PrefectSDKError(Exception):
    """Base class of every error prefect-sdk raises on purpose."""


class ValidationError(PrefectSDKError, ValueError):
    """Input was rejected, either before any network I/O or by the server (HTTP 422).

    Client-side validation errors name the argument and how to fix it.
    """


class ClientClosedError(PrefectSDKError, RuntimeError):
    """The client was used after ``aclose()`` / ``close()``."""


class PluginError(PrefectSDKError):
    """A plugin hook raised; the message names the plugin and the hook."""

    def __init__(self, message: str, *, plugin: str, hook: str) -> None:
        super().__init__(message)
        self.plugin = plugin
        self.hook = hook


class APIConnectionError(PrefectSDKError):
    """No response was received: the server could not be reached or the connection dropped."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class UnexpectedResponseError(PrefectSDKError):
    """A success response whose body is not what the operation returns (a wrong URL, a proxy's
    page, an incompatible server), or a stream message that is not what the stream carries.
    ``response`` holds what came back (``None`` for a stream message)."""

    def __init__(self, message: str, *, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class APITimeoutError(APIConnectionError):
    """The request timed out (``PREFECT_API_REQUEST_TIMEOUT``)."""


class APIVersionMismatchError(PrefectSDKError, RuntimeError):
    """The server speaks another major version of the REST API than this client
    (``raise_for_api_version_mismatch``)."""

    def __init__(self, message: str, *, server_api_version: str, client_api_version: str) -> None:
        super().__init__(message)
        self.server_api_version = server_api_version
        self.client_api_version = client_api_version


class WebSocketAuthenticationError(PrefectSDKError):
    """The server refused the credentials of a websocket stream (``subscribe_events``,
    ``subscribe_logs``): they are checked in the stream's handshake, not by an HTTP status."""


class NotSupportedByServer(PrefectSDKError):
    """The server has no route for this operation (an older server, or another product).

    The message names the operation and the route; ``response`` holds what came back, if any.
    """

    def __init__(self, message: str, *, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class FlowRunWaitTimeout(PrefectSDKError, TimeoutError):
    """A flow run did not reach a final state within the time ``wait_for_flow_run`` was given.

    ``flow_run`` holds the run as it was last read.
    """

    def __init__(self, message: str, *, flow_run: FlowRun | None = None) -> None:
        super().__init__(message)
        self.flow_run: FlowRun | None = flow_run


def safe_url(url: object) -> str:
    """Render a URL without userinfo (``user:pass@``), so it can be shown in messages and logs."""
    text = str(url)
    scheme, sep, rest = text.partition("://")
    if not sep:
        # No scheme (a mistyped api=): the userinfo, if any, still ends at the first "@".
        authority, slash, tail = text.partition("/")
        if "@" in authority:
            return "***@" + authority.rsplit("@", 1)[1] + slash + tail
        return text
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    return f"{scheme}://{authority}{slash}{tail}"


def _server_detail(response: httpx.Response) -> str:
    """Extract a short, human-readable explanation from an error response body."""
    try:
        content = response.content
    except Exception:  # a streamed answer nobody read (a refused websocket upgrade)
        return ""
    if not content:
        return ""
    try:
        body = json.loads(content)
    except ValueError:
        text = response.text.strip()
        return text[:500]
    if isinstance(body, dict):
        if "exception_detail" in body and isinstance(body["exception_detail"], list):
            parts = []
            for item in body["exception_detail"]:
                if isinstance(item, dict):
                    loc = ".".join(str(p) for p in item.get("loc", []))
                    parts.append(f"{loc}: {item.get('msg', '')}".strip(": "))
            if parts:
                return "; ".join(parts)
        detail = body.get("detail", body.get("exception_message"))
        if isinstance(detail, list):
            return "; ".join(
                ".".join(str(p) for p in d.get("loc", [])) + ": " + str(d.get("msg", ""))
                if isinstance(d, dict)
                else str(d)
                for d in detail
            )
        if detail is not None:
            return str(detail)
    return json.dumps(body)[:500]


class PrefectHTTPStatusError(PrefectSDKError):
    """The server answered with an error status.

    ``status_code``, ``response`` and ``request`` are available for inspection, and
    ``detail`` holds the server's explanation.
    """

    def __init__(
        self,
        message: str,
        response: httpx.Response,
        request: httpx.Request | None = None,
    ) -> None:
        super().__init__(message)
        self.response: httpx.Response = response
        self.request: httpx.Request = request if request is not None else response.request
        self.detail: str = _server_detail(response)

    @property
    def status_code(self) -> int:
        """The HTTP status code of the response."""
        return self.response.status_code

    @classmethod
    def from_response(
        cls, response: httpx.Response, *, operation: str | None = None
    ) -> PrefectHTTPStatusError:
        """Build the most specific error for ``response``."""
        error_cls = _STATUS_ERRORS.get(response.status_code, PrefectHTTPStatusError)
        request = response.request
        what = f"{operation}: " if operation else ""
        detail = _server_detail(response)
        if response.status_code == 409 and detail.startswith(_REFUSED_CONTENT):
            # Prefect answers 409 also when it refuses what a deployment or a flow run would
            # hold (parameters failing the deployment's schema, a missing block): not a name
            # that is taken.
            error_cls = ServerValidationError
        message = (
            f"{what}{request.method} {safe_url(request.url)} failed with "
            f"{response.status_code} {response.reason_phrase}"
        )
        if detail:
            message += f": {detail}"
        if "csrf" in detail.lower():
            message += (
                " (the server requires CSRF tokens: leave PREFECT_CLIENT_CSRF_SUPPORT_ENABLED on)"
            )
        elif "parameter schema enforcement is enabled" in detail:
            message += (
                " (the deployment has no parameter schema: give create_deployment a "
                "parameter_openapi_schema, or pass enforce_parameter_schema=False)"
            )
        elif response.status_code in (401, 403):
            message += (
                " (check PREFECT_API_KEY / api_key= or PREFECT_API_AUTH_STRING for this server)"
            )
        return error_cls(message, response, request)


class ObjectNotFound(PrefectHTTPStatusError):
    """The requested object does not exist (HTTP 404)."""


class ObjectAlreadyExists(PrefectHTTPStatusError):
    """An object with the same unique name already exists (HTTP 409)."""


class AuthenticationError(PrefectHTTPStatusError):
    """The server refused the credentials, or none were sent (HTTP 401/403)."""


class ServerValidationError(PrefectHTTPStatusError, ValidationError):
    """The server rejected the request body or parameters (HTTP 422; also a 409 refusing what
    a deployment or flow run would hold, such as parameters that fail the deployment's schema).

    A field an older server does not know ("Extra inputs are not permitted") is named in the
    message with the server's version.
    """


_REFUSED_CONTENT = (
    "Error creating deployment",
    "Error updating deployment",
    "Error creating flow run",
)


_STATUS_ERRORS: dict[int, type[PrefectHTTPStatusError]] = {
    401: AuthenticationError,
    403: AuthenticationError,
    404: ObjectNotFound,
    409: ObjectAlreadyExists,
    422: ServerValidationError,
}
