"""prefect-client's isolated environment, shared by the benchmark (``tools/bench.py``) and the
fault matrix (``tools/fault_matrix.py``): ``.bench/prefect-client-3.8.8``, made with uv on first
use, never in the project's lock. Standard library only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"
PREFECT_CLIENT_VERSION = "3.8.8"
PREFECT_CLIENT_ENV = ROOT / ".bench" / f"prefect-client-{PREFECT_CLIENT_VERSION}"


def find_uv() -> list[str]:
    """uv: ``PREFECT_SDK_UV``, on PATH, the one ``tools/dev.py`` installed, or ``-m uv``."""
    found = os.environ.get("PREFECT_SDK_UV") or shutil.which("uv")
    if found:
        return [found]
    local = ROOT / ".tools-venv" / BIN / "uv"
    if local.exists():
        return [str(local)]
    with contextlib.suppress(ImportError):
        import uv  # noqa: F401

        return [sys.executable, "-m", "uv"]
    raise SystemExit(
        "uv is needed to make prefect-client's environment: run `python3 tools/dev.py sync` "
        "(it installs uv into .tools-venv/), or pass --prefect-python PATH"
    )


def installed_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def prefect_client_python(python: str, log: Callable[[str], None]) -> str:
    """The interpreter of prefect-client's environment, made on first use with ``python``:
    prefect-client 3.8.8 with this environment's httpx and pydantic versions (the comparison is
    of the clients, not of their dependencies; unpinned if those cannot be had). A ``.ready``
    file names the pins it was made with; other pins remake it."""
    interpreter = PREFECT_CLIENT_ENV / BIN / "python"
    ready = PREFECT_CLIENT_ENV / ".ready"
    pins = [f"prefect-client=={PREFECT_CLIENT_VERSION}", "fastapi<0.150"]
    for name in ("httpx", "pydantic"):
        found = installed_version(name)
        if found:
            pins.append(f"{name}=={found}")
    if interpreter.exists() and ready.exists() and ready.read_text() == " ".join(pins):
        return str(interpreter)
    uv = find_uv()
    log(f"making prefect-client's environment in {PREFECT_CLIENT_ENV} ({' '.join(pins)})")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    steps = [
        [*uv, "venv", "--quiet", "--python", python, str(PREFECT_CLIENT_ENV)],
        [*uv, "pip", "install", "--quiet", "--python", str(interpreter), *pins],
    ]
    for step in steps:
        done = subprocess.run(step, env=env, capture_output=True, text=True)
        if done.returncode != 0 and step is steps[1] and len(pins) > 2:
            log("could not pin httpx/pydantic to this environment's versions; trying unpinned")
            unpinned = [*step[: len(step) - len(pins)], *pins[:2]]
            done = subprocess.run(unpinned, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"could not make prefect-client's environment: {done.stderr!s}")
    ready.write_text(" ".join(pins))
    return str(interpreter)
