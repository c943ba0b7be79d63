"""The Prefect Cloud emulator's own rules (the client's behaviour against it is tested in
tests/integration/cloud)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

try:
    from tests.cloud_emulator import CloudState, Emulator, run_emulator
except ImportError:  # pragma: no cover - run from inside tests/
    from cloud_emulator import CloudState, Emulator, run_emulator  # type: ignore[no-redef]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with run_emulator(None) as running:  # no upstream: the workspace API answers 502
        yield running


def test_rate_limit_window_per_key() -> None:
    state = CloudState()
    state.rate_limit(2, per_seconds=0.3)
    assert [state.limited("/me/", "pnu_a") for _ in range(2)] == [None, None]
    assert state.limited("/me/", "pnu_a") == "1"  # Retry-After in whole seconds
    assert state.limited("/me/", "pnu_b") is None  # another key has its own budget
    time.sleep(0.35)
    assert state.limited("/me/", "pnu_a") is None
    state.rate_limit(None)
    assert all(state.limited("/me/", "pnu_a") is None for _ in range(10))


def test_throttle_by_path_and_key() -> None:
    state = CloudState()
    state.throttle(1, "7", path="/accounts/", key="pnu_a")
    assert state.limited("/me/", "pnu_a") is None
    assert state.limited("/accounts/x", "pnu_b") is None
    assert state.limited("/accounts/x", "pnu_a") == "7"
    assert state.limited("/accounts/x", "pnu_a") is None


def test_status_codes_and_shapes(emulator: Emulator) -> None:
    state = emulator.state
    user, key = state.add_user("carol")
    account = state.add_account("Carol's", "carols", admins=[user])
    workspace = state.add_workspace(account, "Main", "main", members=[user])
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=emulator.url) as http:
        assert http.get("/me/workspaces").status_code == 401
        assert http.get("/me/workspaces").json() == {"detail": "Not authenticated"}
        bad = http.get("/me/workspaces", headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
        listed = http.get("/me/workspaces", headers=auth).json()
        assert listed == [
            {
                "account_id": str(account.id),
                "account_name": "Carol's",
                "account_handle": "carols",
                "workspace_id": str(workspace.id),
                "workspace_name": "Main",
                "workspace_description": "",
                "workspace_handle": "main",
            }
        ]
        assert set(http.get("/me/", headers=auth).json()) == {
            "id",
            "actor_id",
            "handle",
            "first_name",
            "last_name",
            "email",
            "created",
            "updated",
        }
        created = http.post(
            f"/accounts/{account.id}/workspaces/",
            json={"name": "New", "handle": "new", "description": None},
            headers=auth,
        )
        assert created.status_code == 201
        assert {"id", "account_id", "handle", "is_public", "default_workspace_role_id"} <= set(
            created.json()
        )
        invalid = http.post(
            f"/accounts/{account.id}/workspaces/", json={"nme": "typo"}, headers=auth
        )
        assert invalid.status_code == 422
        body = invalid.json()
        assert body["exception_message"] == "Invalid request received."
        assert {tuple(e["loc"]) for e in body["exception_detail"]} >= {
            ("body", "name"),
            ("body", "handle"),
            ("body", "nme"),
        }
        assert http.get(f"/accounts/{workspace.id}/settings", headers=auth).status_code == 404
        assert http.get("/not-a-route", headers=auth).json() == {"detail": "Not Found"}
        # The workspace API needs an upstream server; there is none here.
        assert (
            http.get(f"/accounts/{account.id}/workspaces/{workspace.id}/flows/x").status_code == 401
        )
        forwarded = http.get(
            f"/accounts/{account.id}/workspaces/{workspace.id}/hello", headers=auth
        )
        assert forwarded.status_code == 502
        state.throttle(1, "3", key=key)
        limited = http.get("/me/", headers=auth)
        assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    # The key is never recorded.
    assert all(key not in str(r) for r in state.requests)
