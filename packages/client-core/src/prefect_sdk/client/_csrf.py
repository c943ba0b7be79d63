"""CSRF tokens for servers started with ``PREFECT_SERVER_CSRF_PROTECTION_ENABLED=true``.

Before a state-changing request (POST, PUT, PATCH, DELETE) the client needs a token from
``GET <api>/csrf-token?client=<id>``; it sends it as ``Prefect-Csrf-Token`` together with
``Prefect-Csrf-Client``.  Tokens are cached until shortly before they expire and refreshed once
if the server rejects one.  A server without CSRF protection answers the token request with 422
(or 404 if it predates the feature): the client then stops asking, and so do later clients of
the same process for that server (until one is refused for a missing token).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Generator
from typing import Any

import httpx

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Token URLs of servers known (in this process) not to use CSRF: later clients skip the probe.
_SERVERS_WITHOUT_CSRF: set[str] = set()
REFRESH_MARGIN = dt.timedelta(seconds=30)


class CsrfAuth(httpx.Auth):
    """Adds CSRF headers to unsafe requests, around an optional credential ``inner`` auth."""

    requires_response_body = True

    def __init__(self, inner: httpx.Auth | None, api_url: str) -> None:
        self.inner = inner
        self.token_url = api_url.rstrip("/") + "/csrf-token"
        self.client_id = str(uuid.uuid4())
        self._token: str | None = None
        self._expires: dt.datetime | None = None
        self._disabled = self.token_url in _SERVERS_WITHOUT_CSRF
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CsrfAuth(inner={self.inner!r})"

    def _through_inner(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, httpx.Response]:
        """Send ``request`` through the credential auth's flow; return the final response."""
        if self.inner is None:
            return (yield request)
        flow = self.inner.auth_flow(request)
        outgoing = next(flow)
        while True:
            response = yield outgoing
            try:
                outgoing = flow.send(response)
            except StopIteration:
                return response

    def _fresh(self) -> bool:
        with self._lock:
            if self._token is None or self._expires is None:
                return False
            return self._expires - REFRESH_MARGIN > dt.datetime.now(dt.timezone.utc)

    def _fetch_token(
        self, extensions: dict[str, Any]
    ) -> Generator[httpx.Request, httpx.Response, httpx.Response | None]:
        """Get a new token (with the request's ``extensions``: its timeouts). Returns the
        token response if it was refused (401/403)."""
        token_request = httpx.Request(
            "GET", self.token_url, params={"client": self.client_id}, extensions=extensions
        )
        response = yield from self._through_inner(token_request)
        if response.status_code in (404, 422):
            # An older server, or one without CSRF protection: stop asking.
            with self._lock:
                self._disabled = True
            _SERVERS_WITHOUT_CSRF.add(self.token_url)
            return None
        if response.status_code in (401, 403):
            return response  # credentials missing or wrong: that is the answer to give
        if not response.is_success:
            return None  # the real request will fail with the server's own explanation
        try:
            data = json.loads(response.content)
            token = str(data["token"])
            expiration = dt.datetime.fromisoformat(str(data["expiration"]).replace("Z", "+00:00"))
        except (ValueError, TypeError, KeyError):
            return None  # not a token answer; the real request will carry the server's reason
        if expiration.tzinfo is None:
            expiration = expiration.replace(tzinfo=dt.timezone.utc)
        with self._lock:
            self._token = token
            self._expires = expiration
        return None

    def _apply(self, request: httpx.Request) -> None:
        with self._lock:
            token = self._token
        if token is not None:
            request.headers["Prefect-Csrf-Token"] = token
            request.headers["Prefect-Csrf-Client"] = self.client_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if request.method not in UNSAFE_METHODS or self._disabled:
            yield from self._through_inner(request)
            return
        if not self._fresh():
            refused = yield from self._fetch_token(dict(request.extensions))
            if refused is not None:
                return  # httpx hands the refusal (401/403) back as the response
        self._apply(request)
        response = yield from self._through_inner(request)
        if response.status_code == 403 and b"csrf" in response.content.lower():
            _SERVERS_WITHOUT_CSRF.discard(self.token_url)
            # Expired or revoked on the server side: refresh once and resend.
            with self._lock:
                self._token = None
            refused = yield from self._fetch_token(dict(request.extensions))
            if refused is not None:
                return
            self._apply(request)
            yield from self._through_inner(request)
