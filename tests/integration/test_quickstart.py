"""The main job: `prefect-sdk quickstart`, as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

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


def path_without_uv(tmp_path: Path) -> str:
    """``PATH`` with every ``uv``/``uvx`` hidden: a folder that holds one is replaced by a
    folder of links to everything else in it (python3 may live beside uv)."""
    import shutil

    folders = []
    for index, folder in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
        if not folder or not (Path(folder) / "uv").exists():
            folders.append(folder)
            continue
        farm = tmp_path / f"path-{index}"
        farm.mkdir()
        for entry in Path(folder).iterdir():
            if entry.name not in ("uv", "uvx"):
                (farm / entry.name).symlink_to(entry)
        folders.append(str(farm))
    path = os.pathsep.join(folders)
    assert shutil.which("uv", path=path) is None
    return path


@pytest.mark.skipif(
    not os.environ.get("PREFECT_SDK_TEST_PIP_FALLBACK"),
    reason="run once per CI run (tools/dev.py test sets PREFECT_SDK_TEST_PIP_FALLBACK): it "
    "installs a Prefect server with pip, about a minute",
)
def test_quickstart_without_uv_installs_the_server_with_pip(tmp_path: Path) -> None:
    # A pip user's machine: no uv anywhere. The server's environment is made with venv + pip.
    done = subprocess.run(
        [str(BIN / "prefect-sdk"), "quickstart"],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
            "PATH": path_without_uv(tmp_path),
            "PREFECT_HOME": str(tmp_path / "home"),
            "PREFECT_SDK_CACHE_DIR": str(tmp_path / "cache"),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "uv not found: installing the Prefect 3.8.8 server with pip" in done.stderr
    assert "server ready at http://127.0.0.1:" in done.stdout
    assert (tmp_path / "cache" / "servers").is_dir()
