"""A ready-made cast for one test: a user who administers an account with two workspaces, a
plain member, a service account, and another account the user cannot see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ._server import Emulator
from ._state import Account, Actor, WorkspaceRecord


@dataclass
class Tenant:
    """What one test owns in the emulator (unique handles, so tests never see each other's)."""

    emulator: Emulator
    user: Actor
    key: str
    account: Account
    prod: WorkspaceRecord
    staging: WorkspaceRecord
    member: Actor
    member_key: str
    bot_key: str
    other_account: Account
    other_workspace: WorkspaceRecord

    def workspace_url(self, workspace: WorkspaceRecord) -> str:
        """The workspace's API URL on the emulator (what ``PREFECT_API_URL`` would be)."""
        return f"{self.emulator.url}/accounts/{workspace.account_id}/workspaces/{workspace.id}"


def seed_tenant(emulator: Emulator) -> Tenant:
    state = emulator.state
    tag = uuid.uuid4().hex[:8]
    user, key = state.add_user(f"alice-{tag}", first_name="Alice", last_name="Liddell")
    member, member_key = state.add_user(f"bob-{tag}")
    bot, bot_key = state.add_bot(f"ci-bot-{tag}")
    account = state.add_account(
        f"Acme {tag}", f"acme-{tag}", admins=[user], members=[member], ip_allowlisting=True
    )
    prod = state.add_workspace(
        account,
        "Production",
        "prod",
        description="where it counts",
        members=[user, member, bot],
        settings={"default_result_storage_block_id": None, "retention_days": 14},
    )
    staging = state.add_workspace(account, "Staging", "staging", members=[user])
    someone, _ = state.add_user(f"mallory-{tag}")
    other_account = state.add_account(f"Other {tag}", f"other-{tag}", admins=[someone])
    other_workspace = state.add_workspace(other_account, "Secret", "secret", members=[someone])
    return Tenant(
        emulator,
        user,
        key,
        account,
        prod,
        staging,
        member,
        member_key,
        bot_key,
        other_account,
        other_workspace,
    )
