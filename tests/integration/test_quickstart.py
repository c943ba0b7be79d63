"""The main job: `prefect-sdk quickstart`, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def quickstart(env_extra: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    # A user's shell: none of Prefect's settings, but prefect-sdk's own switches (PREFECT_SDK_UV,
    # set by tools/dev.py when it installed uv off PATH) are kept.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PREFECT_") or k.startswith("PREFECT_SDK_")
    }
    env.update(env_extra)
    return subprocess.run(
        [str(BIN / "prefect-sdk"), "quickstart"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def names(api_url: str, resource: str) -> set[str]:
    response = httpx.post(f"{api_url}/{resource}/filter", json={"limit": 200}, timeout=30)
    response.raise_for_status()
    return {item["name"] for item in response.json()}


def test_quickstart_against_a_given_server_cleans_up(api_url: str, tmp_path: Path) -> None:
    pools_before = names(api_url, "work_pools")
    done = quickstart({"PREFECT_API_URL": api_url, "PREFECT_HOME": str(tmp_path)}, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"using the Prefect server at {api_url}" in out
    for expected in ("1. work pool", "3. deployment", "extract", "transform", "load", "Summary"):
        assert expected in out
    summary = out.split("Summary", 1)[1]
    assert "Completed" in summary and "Failed" in summary and "Running" in summary
    assert "finished runs (state COMPLETED or FAILED, by name): extract, transform" in out
    assert "cleaned up" in out
    # Nothing it created is left behind.
    assert names(api_url, "work_pools") == pools_before
    assert not {n for n in names(api_url, "flows") if n.startswith("quickstart-etl-")}


def test_quickstart_starts_an_embedded_server(tmp_path: Path) -> None:
    done = quickstart({"PREFECT_HOME": str(tmp_path)}, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "starting an embedded Prefect server" in done.stdout
    assert "server ready at http://127.0.0.1:" in done.stdout
    assert "Summary" in done.stdout and "transform" in done.stdout
