"""The emulator's ASGI app (Starlette). Routes, shapes and sources: see the package docstring."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._state import Account, Actor, CloudState, RecordedRequest, WorkspaceRecord

KEY_PREFIXES = ("pnu_", "pnb_")
MAX_ALLOWLIST_ENTRIES = 25
_HANDLE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ACCOUNT_SETTINGS = frozenset(
    {"allow_public_workspaces", "ai_log_summaries", "managed_execution", "enforce_ip_allowlist"}
)
# Not passed on between the test client and the upstream server.
_HOP_HEADERS = frozenset(
    {
        "authorization",
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "transfer-encoding",
        "accept-encoding",
        "content-encoding",
        "upgrade",
    }
)

Handler = Callable[[Request, Actor, str], Awaitable[Response]]


class Refusal(Exception):
    """An error answer: raised anywhere in a handler, turned into the response."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.response = JSONResponse(body, status_code=status, headers=headers)


def _detail(status: int, detail: str) -> Refusal:
    return Refusal(status, {"detail": detail})


def _invalid(errors: list[dict[str, Any]], body: Any) -> Refusal:
    """A 422 in the Prefect API's shape."""
    return Refusal(
        422,
        {
            "exception_message": "Invalid request received.",
            "exception_detail": errors,
            "request_body": body,
        },
    )


def _error(kind: str, loc: list[Any], msg: str, value: Any) -> dict[str, Any]:
    return {"type": kind, "loc": loc, "msg": msg, "input": value}


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        raise _invalid(
            [_error("json_invalid", ["body"], "JSON decode error", raw.decode(errors="replace"))],
            None,
        ) from None


async def _object_body(request: Request) -> dict[str, Any]:
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise _invalid(
            [
                _error(
                    "model_attributes_type",
                    ["body"],
                    "Input should be a valid dictionary or object to extract fields from",
                    body,
                )
            ],
            body,
        )
    return body


def build_app(state: CloudState) -> Starlette:
    """The emulator as an ASGI app serving ``state``."""
    forwarder: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=120) as http:
            forwarder["http"] = http
            yield

    # -- the guard every route runs in ---------------------------------------------------

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            actor: Actor | None = None
            header = request.headers.get("authorization")
            scheme = "none" if header is None else "bearer"
            try:
                if header is None:
                    raise _detail(401, "Not authenticated")
                kind, _, key = header.partition(" ")
                key = key.strip()
                if kind.lower() != "bearer" or not key:
                    scheme = "other"
                    raise _detail(401, "Not authenticated")
                actor = state.actor_for(key) if key.startswith(KEY_PREFIXES) else None
                if actor is None:
                    raise _detail(401, "Invalid authentication credentials")
                path = request.url.path.removeprefix("/api")
                retry_after = state.limited(path, key)
                if retry_after is not None:
                    raise Refusal(
                        429,
                        {"detail": "Rate limit exceeded. Retry after the Retry-After interval."},
                        headers={"Retry-After": retry_after},
                    )
                client_ip = request.client.host if request.client else "127.0.0.1"
                response = await handler(request, actor, client_ip)
            except Refusal as refusal:
                response = refusal.response
            _record(request, response.status_code, actor, scheme)
            return response

        return endpoint

    def _record(request: Request, status: int, actor: Actor | None, scheme: str) -> None:
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        with state.lock:
            state.requests.append(
                RecordedRequest(
                    request.method,
                    request.url.path,
                    status,
                    actor.handle if actor else None,
                    scheme,  # type: ignore[arg-type]
                    headers,
                )
            )

    # -- access checks ---------------------------------------------------------------------

    def account_for(
        request: Request,
        actor: Actor,
        client_ip: str,
        *,
        admin: bool = False,
        blocked_ok: bool = False,
    ) -> Account:
        account = state.accounts.get(request.path_params["account_id"])
        if account is None:
            raise _detail(404, "Account not found.")
        if actor.id not in account.members and actor.id not in account.admins:
            raise _detail(403, "You do not have access to this account.")
        if account.enforcing() and not blocked_ok and not account.allows(client_ip):
            raise _detail(
                403, f"Access from {client_ip} is not allowed by this account's IP allowlist."
            )
        if admin and actor.id not in account.admins:
            raise _detail(403, "This action requires the account's admin role.")
        return account

    def workspace_for(
        request: Request, actor: Actor, client_ip: str
    ) -> tuple[Account, WorkspaceRecord]:
        account = account_for(request, actor, client_ip)
        workspace = state.workspaces.get(request.path_params["workspace_id"])
        if workspace is None or workspace.account_id != account.id:
            raise _detail(404, "Workspace not found.")
        if actor.id not in workspace.members and actor.id not in account.admins:
            raise _detail(403, "You do not have access to this workspace.")
        return account, workspace

    def requires_allowlisting(account: Account) -> None:
        if not account.ip_allowlisting:
            raise _detail(403, "IP allowlisting is not available for this account.")

    # -- /me -------------------------------------------------------------------------------

    async def me(request: Request, actor: Actor, client_ip: str) -> Response:
        if actor.kind != "user":
            raise _detail(403, "Service accounts have no user profile.")
        return JSONResponse(actor.me())

    async def my_workspaces(request: Request, actor: Actor, client_ip: str) -> Response:
        return JSONResponse(
            [workspace.listed(account) for account, workspace in state.workspaces_of(actor)]
        )

    # -- workspaces ------------------------------------------------------------------------

    async def create_workspace(request: Request, actor: Actor, client_ip: str) -> Response:
        account = account_for(request, actor, client_ip, admin=True)
        body = await _object_body(request)
        errors = []
        for name in ("name", "handle"):
            if name not in body:
                errors.append(_error("missing", ["body", name], "Field required", body))
            elif not isinstance(body[name], str):
                errors.append(
                    _error(
                        "string_type", ["body", name], "Input should be a valid string", body[name]
                    )
                )
        description = body.get("description")
        if description is not None and not isinstance(description, str):
            errors.append(
                _error(
                    "string_type",
                    ["body", "description"],
                    "Input should be a valid string",
                    description,
                )
            )
        for extra in sorted(set(body) - {"name", "handle", "description"}):
            errors.append(
                _error(
                    "extra_forbidden",
                    ["body", extra],
                    "Extra inputs are not permitted",
                    body[extra],
                )
            )
        if not errors and not body["name"].strip():
            errors.append(
                _error(
                    "string_too_short",
                    ["body", "name"],
                    "String should have at least 1 character",
                    body["name"],
                )
            )
        if not errors and not _HANDLE.match(body["handle"]):
            errors.append(
                _error(
                    "value_error",
                    ["body", "handle"],
                    "Value error, a handle is lower-case letters, digits and single dashes",
                    body["handle"],
                )
            )
        if errors:
            raise _invalid(errors, body)
        with state.lock:
            if any(
                w.account_id == account.id and w.handle == body["handle"]
                for w in state.workspaces.values()
            ):
                raise _detail(409, "A workspace with this handle already exists in the account.")
            workspace = state.add_workspace(
                account, body["name"], body["handle"], description=description, members=[actor]
            )
        return JSONResponse(workspace.account_scoped(), status_code=201)

    async def read_workspace(request: Request, actor: Actor, client_ip: str) -> Response:
        _, workspace = workspace_for(request, actor, client_ip)
        return JSONResponse(workspace.account_scoped())

    async def workspace_settings(request: Request, actor: Actor, client_ip: str) -> Response:
        _, workspace = workspace_for(request, actor, client_ip)
        return JSONResponse(workspace.settings)

    async def work_pool_types(request: Request, actor: Actor, client_ip: str) -> Response:
        workspace_for(request, actor, client_ip)
        return await _upstream(request, "collections/views/aggregate-worker-metadata")

    async def forward(request: Request, actor: Actor, client_ip: str) -> Response:
        workspace_for(request, actor, client_ip)
        return await _upstream(request, request.path_params["rest"])

    async def _upstream(request: Request, rest: str) -> Response:
        if state.upstream_api_url is None:
            raise _detail(502, "The emulator has no upstream Prefect server.")
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        answer = await forwarder["http"].request(
            request.method,
            f"{state.upstream_api_url}/{rest}",
            params=request.query_params.multi_items(),
            content=await request.body(),
            headers=headers,
        )
        passed = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_HEADERS}
        return Response(answer.content, status_code=answer.status_code, headers=passed)

    # -- account settings and IP allowlist ------------------------------------------------

    async def account_settings(request: Request, actor: Actor, client_ip: str) -> Response:
        if request.method == "GET":
            account = account_for(request, actor, client_ip)
            return JSONResponse(account.public_settings())
        account = account_for(request, actor, client_ip, admin=True)
        body = await _object_body(request)
        errors = [
            _error("extra_forbidden", ["body", key], "Extra inputs are not permitted", value)
            for key, value in body.items()
            if key not in _ACCOUNT_SETTINGS
        ]
        errors += [
            _error("bool_type", ["body", key], "Input should be a valid boolean", value)
            for key, value in body.items()
            if key in _ACCOUNT_SETTINGS and not isinstance(value, bool)
        ]
        if errors:
            raise _invalid(errors, body)
        if "enforce_ip_allowlist" in body:
            requires_allowlisting(account)
            if body["enforce_ip_allowlist"] and not account.allows(client_ip):
                raise _detail(422, _lockout_message(client_ip))
        with state.lock:
            account.settings.update(body)
        return Response(status_code=204)

    async def ip_allowlist(request: Request, actor: Actor, client_ip: str) -> Response:
        account = account_for(request, actor, client_ip, admin=True)
        requires_allowlisting(account)
        if request.method == "GET":
            return JSONResponse({"entries": account.ip_allowlist})
        body = await _object_body(request)
        entries = _allowlist_entries(body)
        if len(entries) > MAX_ALLOWLIST_ENTRIES:
            raise _detail(
                422, f"The IP allowlist may have at most {MAX_ALLOWLIST_ENTRIES} entries."
            )
        candidate = Account(account.name, account.handle)
        candidate.ip_allowlist = entries
        if (entries or account.enforcing()) and not candidate.allows(client_ip):
            raise _detail(422, _lockout_message(client_ip))
        with state.lock:
            account.ip_allowlist = entries
        return Response(status_code=204)

    async def my_access(request: Request, actor: Actor, client_ip: str) -> Response:
        account = account_for(request, actor, client_ip, blocked_ok=True)
        requires_allowlisting(account)
        if account.allows(client_ip):
            detail = f"Your IP address {client_ip} is allowed by the account's IP allowlist."
            return JSONResponse({"allowed": True, "detail": detail})
        detail = f"Your IP address {client_ip} is not on the account's IP allowlist."
        return JSONResponse({"allowed": False, "detail": detail})

    # -- the app ---------------------------------------------------------------------------

    account = "/api/accounts/{account_id:uuid}"
    workspace = account + "/workspaces/{workspace_id:uuid}"
    routes = [
        Route("/api/me/", guarded(me), methods=["GET"]),
        Route("/api/me/workspaces", guarded(my_workspaces), methods=["GET"]),
        Route(account + "/settings", guarded(account_settings), methods=["GET", "PATCH"]),
        Route(account + "/ip_allowlist", guarded(ip_allowlist), methods=["GET", "PUT"]),
        Route(account + "/ip_allowlist/my_access", guarded(my_access), methods=["GET"]),
        Route(account + "/workspaces/", guarded(create_workspace), methods=["POST"]),
        Route(workspace, guarded(read_workspace), methods=["GET"]),
        Route(workspace + "/settings", guarded(workspace_settings), methods=["GET"]),
        Route(
            workspace + "/collections/work_pool_types",
            guarded(work_pool_types),
            methods=["GET"],
        ),
        Route(
            workspace + "/{rest:path}",
            guarded(forward),
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        ),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        detail = exc.detail if isinstance(exc, HTTPException) else "Internal Server Error"
        return JSONResponse({"detail": detail}, status_code=status)

    return Starlette(
        routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_error}
    )


def _lockout_message(client_ip: str) -> str:
    return (
        f"Your current IP address ({client_ip}) must be included in the IP allowlist to "
        "prevent account lockout."
    )


def _allowlist_entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``entries`` of a ``PUT .../ip_allowlist`` body, normalised; 422 if malformed."""
    raw = body.get("entries")
    if not isinstance(raw, list):
        kind = "missing" if "entries" not in body else "list_type"
        raise _invalid(
            [_error(kind, ["body", "entries"], "Input should be a valid list", raw)], body
        )
    entries, errors = [], []
    for index, item in enumerate(raw):
        loc: list[Any] = ["body", "entries", index]
        if not isinstance(item, dict):
            errors.append(_error("model_type", loc, "Input should be an object", item))
            continue
        try:
            network = ipaddress.ip_network(str(item.get("ip_network")), strict=True)
        except ValueError:
            errors.append(
                _error(
                    "ip_any_network",
                    [*loc, "ip_network"],
                    "value is not a valid IPv4 or IPv6 network",
                    item.get("ip_network"),
                )
            )
            continue
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            errors.append(
                _error("bool_type", [*loc, "enabled"], "Input should be a valid boolean", enabled)
            )
            continue
        entries.append(
            {
                "ip_network": str(network),
                "enabled": enabled,
                "description": item.get("description"),
                "last_seen": item.get("last_seen"),
            }
        )
    if errors:
        raise _invalid(errors, body)
    return entries
