"""SyncCloudClient is generated from CloudClient (tools/unasync.py) and stays its exact twin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from prefect_sdk.cloud import CloudClient, SyncCloudClient
from tests._support import assert_blocking_module, public_methods, twin_problems

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "packages/client-cloud/src/prefect_sdk/cloud/_sync.py"


def test_generated_sync_cloud_client_is_fresh() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/unasync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "do not edit" in GENERATED.read_text().splitlines()[0]


def test_every_cloud_method_has_an_identical_sync_twin() -> None:
    problems = twin_problems(CloudClient, SyncCloudClient)
    assert not problems, "\n".join(problems)


def test_the_operations_are_the_ones_the_issue_names() -> None:
    expected = {
        "api_healthcheck",
        "read_workspaces",
        "read_current_workspace",
        "create_workspace",
        "read_current_user",
        "read_workspace_settings",
        "read_account_settings",
        "update_account_settings",
        "read_account_ip_allowlist",
        "update_account_ip_allowlist",
        "check_ip_allowlist_access",
        "read_worker_metadata",
        "workspace_client",
    }
    assert expected <= set(public_methods(CloudClient))


def test_the_sync_cloud_client_does_no_async_io() -> None:
    assert_blocking_module(
        GENERATED, {"asyncio", "anyio", "async_sleep", "prefect_sdk.client._async"}
    )
