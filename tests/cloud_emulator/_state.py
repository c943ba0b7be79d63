"""The emulator's data: actors (users and service accounts), API keys, accounts, workspaces."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


@dataclass
class Actor:
    """A user (``pnu_`` keys) or a service account (``pnb_`` keys)."""

    kind: Literal["user", "bot"]
    handle: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    actor_id: uuid.UUID = field(default_factory=uuid.uuid4)
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)

    def me(self) -> dict[str, Any]:
        """The ``GET /me/`` body."""
        return {
            "id": str(self.id),
            "actor_id": str(self.actor_id),
            "handle": self.handle,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "created": self.created,
            "updated": self.updated,
        }


@dataclass
class Account:
    name: str
    handle: str
    ip_allowlisting: bool = False  # does the account's plan offer IP allowlisting?
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    admins: set[uuid.UUID] = field(default_factory=set)
    members: set[uuid.UUID] = field(default_factory=set)
    settings: dict[str, Any] = field(
        default_factory=lambda: {
            "allow_public_workspaces": False,
            "ai_log_summaries": True,
            "managed_execution": True,
            "enforce_ip_allowlist": False,
        }
    )
    ip_allowlist: list[dict[str, Any]] = field(default_factory=list)

    def public_settings(self) -> dict[str, Any]:
        values = dict(self.settings)
        if not self.ip_allowlisting:
            # Absent, not false: the CLI reads absence as "not on this plan".
            values.pop("enforce_ip_allowlist", None)
        return values

    def allows(self, address: str) -> bool:
        """Whether ``address`` is on an enabled entry of the allowlist."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        for entry in self.ip_allowlist:
            if entry.get("enabled", True):
                network = ipaddress.ip_network(entry["ip_network"], strict=False)
                if ip.version == network.version and ip in network:
                    return True
        return False

    def enforcing(self) -> bool:
        return bool(self.ip_allowlisting and self.settings.get("enforce_ip_allowlist"))


@dataclass
class WorkspaceRecord:
    account_id: uuid.UUID
    name: str
    handle: str
    description: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    default_workspace_role_id: uuid.UUID = field(default_factory=uuid.uuid4)
    is_public: bool = False
    members: set[uuid.UUID] = field(default_factory=set)
    settings: dict[str, Any] = field(default_factory=dict)
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)

    def account_scoped(self) -> dict[str, Any]:
        """The shape of ``POST``/``GET /accounts/{id}/workspaces/...``."""
        return {
            "id": str(self.id),
            "account_id": str(self.account_id),
            "name": self.name,
            "description": self.description,
            "handle": self.handle,
            "default_workspace_role_id": str(self.default_workspace_role_id),
            "is_public": self.is_public,
            "created": self.created,
            "updated": self.updated,
        }

    def listed(self, account: Account) -> dict[str, Any]:
        """The shape of one ``GET /me/workspaces`` item."""
        return {
            "account_id": str(account.id),
            "account_name": account.name,
            "account_handle": account.handle,
            "workspace_id": str(self.id),
            "workspace_name": self.name,
            "workspace_description": self.description or "",
            "workspace_handle": self.handle,
        }


@dataclass
class RecordedRequest:
    """One request the emulator answered (the key itself is never recorded)."""

    method: str
    path: str
    status: int
    actor: str | None
    authorization: Literal["none", "bearer", "other"]
    headers: dict[str, str]


@dataclass
class _Throttle:
    remaining: int
    retry_after: str
    path: str | None
    key: str | None


class CloudState:
    """Everything the emulator knows; safe to change from the test thread while it serves."""

    def __init__(self, upstream_api_url: str | None = None) -> None:
        self.upstream_api_url = upstream_api_url.rstrip("/") if upstream_api_url else None
        self.lock = threading.RLock()
        self.actors: dict[uuid.UUID, Actor] = {}
        self.keys: dict[str, uuid.UUID] = {}
        self.revoked: set[str] = set()
        self.accounts: dict[uuid.UUID, Account] = {}
        self.workspaces: dict[uuid.UUID, WorkspaceRecord] = {}
        self.requests: list[RecordedRequest] = []
        self._throttles: list[_Throttle] = []
        self._window: tuple[int, float] | None = None  # (requests, seconds) per key
        self._window_counts: dict[str, tuple[float, int]] = {}

    # -- seeding ---------------------------------------------------------------------------

    def add_user(
        self,
        handle: str,
        *,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> tuple[Actor, str]:
        """A user and a fresh ``pnu_`` API key of theirs."""
        actor = Actor(
            "user",
            handle,
            email=email or f"{handle}@example.com",
            first_name=first_name,
            last_name=last_name,
        )
        return actor, self._register(actor, "pnu_")

    def add_bot(self, handle: str) -> tuple[Actor, str]:
        """A service account and a fresh ``pnb_`` API key of its."""
        actor = Actor("bot", handle)
        return actor, self._register(actor, "pnb_")

    def new_key(self, actor: Actor) -> str:
        """Another API key for ``actor``."""
        return self._issue(actor, "pnu_" if actor.kind == "user" else "pnb_")

    def _register(self, actor: Actor, prefix: str) -> str:
        with self.lock:
            self.actors[actor.id] = actor
        return self._issue(actor, prefix)

    def _issue(self, actor: Actor, prefix: str) -> str:
        key = prefix + secrets.token_urlsafe(24)
        with self.lock:
            self.keys[key] = actor.id
        return key

    def revoke(self, key: str) -> None:
        with self.lock:
            self.revoked.add(key)

    def add_account(
        self,
        name: str,
        handle: str,
        *,
        admins: Sequence[Actor] = (),
        members: Sequence[Actor] = (),
        ip_allowlisting: bool = False,
    ) -> Account:
        account = Account(name, handle, ip_allowlisting=ip_allowlisting)
        account.admins = {a.id for a in admins}
        account.members = {a.id for a in members} | account.admins
        with self.lock:
            self.accounts[account.id] = account
        return account

    def add_workspace(
        self,
        account: Account,
        name: str,
        handle: str,
        *,
        description: str | None = None,
        members: Sequence[Actor] = (),
        settings: dict[str, Any] | None = None,
    ) -> WorkspaceRecord:
        workspace = WorkspaceRecord(account.id, name, handle, description)
        workspace.members = {a.id for a in members}
        workspace.settings = dict(settings or {})
        with self.lock:
            self.workspaces[workspace.id] = workspace
            account.members |= workspace.members
        return workspace

    # -- rate limits -----------------------------------------------------------------------

    def throttle(
        self, count: int, retry_after: str = "0", *, path: str | None = None, key: str | None = None
    ) -> None:
        """Answer the next ``count`` matching requests with 429 and ``Retry-After``.

        ``path`` limits it to requests whose path (after ``/api``) starts with it; ``key`` to
        one API key's requests.
        """
        with self.lock:
            self._throttles.append(_Throttle(count, retry_after, path, key))

    def rate_limit(self, requests: int | None, per_seconds: float = 60.0) -> None:
        """Allow ``requests`` per key per window of ``per_seconds`` (``None``: no limit)."""
        with self.lock:
            self._window = None if requests is None else (requests, per_seconds)
            self._window_counts.clear()

    def limited(self, path: str, key: str) -> str | None:
        """The ``Retry-After`` to answer with if this request is rate-limited, else ``None``."""
        with self.lock:
            for throttle in self._throttles:
                if throttle.remaining <= 0:
                    continue
                if throttle.path is not None and not path.startswith(throttle.path):
                    continue
                if throttle.key is not None and throttle.key != key:
                    continue
                throttle.remaining -= 1
                return throttle.retry_after
            if self._window is not None:
                limit, seconds = self._window
                now = time.monotonic()
                start, count = self._window_counts.get(key, (now, 0))
                if now - start >= seconds:
                    start, count = now, 0
                if count >= limit:
                    return str(max(1, int(seconds - (now - start) + 0.999)))
                self._window_counts[key] = (start, count + 1)
        return None

    # -- lookups ---------------------------------------------------------------------------

    def actor_for(self, key: str) -> Actor | None:
        with self.lock:
            if key in self.revoked:
                return None
            actor_id = self.keys.get(key)
            return self.actors.get(actor_id) if actor_id else None

    def workspaces_of(self, actor: Actor) -> list[tuple[Account, WorkspaceRecord]]:
        """The workspaces ``actor`` may use: its own, and all of the accounts it administers."""
        with self.lock:
            found = []
            for workspace in self.workspaces.values():
                account = self.accounts[workspace.account_id]
                if actor.id in workspace.members or actor.id in account.admins:
                    found.append((account, workspace))
            return found

    def recorded(self, path_part: str = "") -> list[RecordedRequest]:
        with self.lock:
            return [r for r in self.requests if path_part in r.path]
