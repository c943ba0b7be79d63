"""SyncCloudClient is generated from CloudClient (tools/unasync.py) and stays its exact twin."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

from prefect_sdk.cloud import CloudClient, SyncCloudClient

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "packages/client-cloud/src/prefect_sdk/cloud/_sync.py"


def public_methods(cls: type) -> dict[str, object]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_generated_sync_cloud_client_is_fresh() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/unasync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "do not edit" in GENERATED.read_text().splitlines()[0]


def test_every_cloud_method_has_an_identical_sync_twin() -> None:
    async_methods = public_methods(CloudClient)
    sync_methods = public_methods(SyncCloudClient)
    renamed = {"aclose": "close"}
    problems = []
    for name, method in sorted(async_methods.items()):
        twin_name = renamed.get(name, name)
        twin = sync_methods.get(twin_name)
        if twin is None:
            problems.append(f"SyncCloudClient.{twin_name} is missing")
            continue
        a, s = inspect.signature(method), inspect.signature(twin)  # type: ignore[arg-type]
        if list(a.parameters.values()) != list(s.parameters.values()):
            problems.append(f"SyncCloudClient.{twin_name} parameters differ: {a} vs {s}")
        # A workspace client of the sync Cloud client is the sync PrefectClient.
        expected = re.sub(r"\bPrefectClient\b", "SyncPrefectClient", str(a.return_annotation))
        if str(s.return_annotation) != expected:
            problems.append(f"SyncCloudClient.{twin_name} returns {s.return_annotation}")
        if inspect.getdoc(method) != inspect.getdoc(twin):
            problems.append(f"SyncCloudClient.{twin_name} docstring differs")
        if name != "aclose" and inspect.iscoroutinefunction(twin):
            problems.append(f"SyncCloudClient.{twin_name} is a coroutine function")
    extra = set(sync_methods) - {renamed.get(n, n) for n in async_methods}
    problems += [f"SyncCloudClient.{n} has no async twin" for n in sorted(extra)]
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
    tree = ast.parse(GENERATED.read_text())
    banned = (ast.AsyncFunctionDef, ast.Await, ast.AsyncFor, ast.AsyncWith)
    assert not [node for node in ast.walk(tree) if isinstance(node, banned)]
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not imported & {"asyncio", "anyio", "async_sleep", "prefect_sdk.client._async"}
