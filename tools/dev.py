#!/usr/bin/env python3
"""Set up and run prefect-sdk's development tasks on a machine with only Python and pip.

    python3 tools/dev.py quickstart   # install, then run the quickstart on an embedded server
    python3 tools/dev.py test         # install, then lint, type-check and run the whole suite
    python3 tools/dev.py sync         # just install (.venv, from uv.lock)
    python3 tools/dev.py test-pythons # the pytest suite again on every other supported Python
                                      # found on this machine (3.10, 3.12, 3.13), if any
    python3 tools/dev.py test-pythons --without-uv
                                      # ... with uv hidden from PATH (a new user's machine)
    python3 tools/dev.py coverage     # API coverage against a live server (PREFECT_API_URL, or
                                      # an embedded one): fails on an operation without a method
    python3 tools/dev.py test-servers [VERSION ...]
                                      # the integration suite against each Prefect server version
                                      # of the matrix (3.0 to 3.9): docs/compatibility.md
    python3 tools/dev.py bench [--quick] [--stub | --server URL] [--write-docs]
                                      # benchmarks: raw httpx, prefect-client, prefect-sdk
    python3 tools/dev.py faults       # the fault matrix of prefect-sdk and prefect-client:
                                      # docs/reliability.md
    python3 tools/dev.py test --postgres
                                      # the integration suite against a server on PostgreSQL
                                      # (pgserver; same as test-servers --postgres)

uv is used if it is on PATH; otherwise it is bootstrapped with pip into .tools-venv/.
Standard library only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS_VENV = ROOT / ".tools-venv"
BIN = "Scripts" if os.name == "nt" else "bin"


def _run(cmd: list[str], env: dict[str, str] | None = None) -> int:
    print("+ " + " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call(cmd, cwd=ROOT, env=env)


def find_uv() -> str:
    """The uv executable: on PATH, or installed by pip into .tools-venv/."""
    found = os.environ.get("PREFECT_SDK_UV") or shutil.which("uv")
    if found:
        return found
    uv = TOOLS_VENV / BIN / "uv"
    if not uv.exists():
        print("uv not found: installing it into .tools-venv/ with pip", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS_VENV)
        pip = [str(TOOLS_VENV / BIN / "python"), "-m", "pip", "install", "--quiet", "uv"]
        if _run(pip) != 0:
            raise SystemExit("could not install uv with pip")
    return str(uv)


def environment(uv: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PREFECT_SDK_UV"] = uv
    env.setdefault("UV_PYTHON", sys.executable)
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    env.pop("VIRTUAL_ENV", None)
    return env


def sync(uv: str, env: dict[str, str]) -> None:
    if _run([uv, "sync", "--all-packages", "--locked"], env) != 0:
        raise SystemExit("uv sync failed")


def python() -> str:
    return str(ROOT / ".venv" / BIN / "python")


def test(env: dict[str, str], extra: list[str]) -> int:
    py = python()
    steps = [
        [py, "tools/unasync.py", "--check"],
        [py, "tools/gen_filters.py", "--check"],
        [py, "tools/gen_schemas.py", "--check"],
        [py, "tools/gen_docs.py", "--check"],
        [py, "tools/coverage.py", "--check", "--snapshot"],
        [py, "-m", "ruff", "check", "."],
        [py, "-m", "ruff", "format", "--check", "."],
        [py, "-m", "mypy", "packages", "plugins", "src", "tests/typing", "tests/faults"],
        [py, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(ROOT / "site")],
    ]
    for step in steps:
        if _run(step, env) != 0:
            return 1
    # The main run also proves the quickstart's way without uv (a pip-made server, ~1 min).
    return _run([py, "-m", "pytest", *extra], {**env, "PREFECT_SDK_TEST_PIP_FALLBACK": "1"})


def without_uv(argv: list[str]) -> int:
    """Run ``dev.py argv`` again with every uv hidden from PATH and PREFECT_SDK_UV unset, as on
    a machine with only Python and pip: uv is then installed with pip into .tools-venv/."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="prefect-sdk-path-") as farms:
        folders = []
        for index, folder in enumerate(os.environ.get("PATH", "").split(os.pathsep)):
            if not folder or not (Path(folder) / "uv").exists():
                folders.append(folder)
                continue
            # python3 may live beside uv: keep everything else of that folder, as links.
            farm = Path(farms) / str(index)
            farm.mkdir()
            for entry in Path(folder).iterdir():
                if entry.name not in ("uv", "uvx"):
                    (farm / entry.name).symlink_to(entry)
            folders.append(str(farm))
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_SDK_UV"}
        env["PATH"] = os.pathsep.join(folders)
        if shutil.which("uv", path=env["PATH"]):
            raise SystemExit("could not hide uv from PATH")
        print("== uv hidden from PATH", flush=True)
        return _run([sys.executable, str(Path(__file__).resolve()), *argv], env)


SUPPORTED = ("3.10", "3.11", "3.12", "3.13")
# Suites that check things no Python version changes, run once, by `test` (the main Python):
# the docs' code blocks, the built wheels type-checked in a downstream project, and the fault
# matrix (about four minutes together); test-pythons leaves them out.
AGNOSTIC = (
    "--ignore=tests/docs",
    "--ignore=tests/test_downstream_types.py",
    "--ignore=tests/faults",
)


def other_pythons() -> dict[str, str]:
    """Other supported interpreters on this machine: PATH, then pyenv's versions folder."""
    import glob

    found: dict[str, str] = {}
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    for version in SUPPORTED:
        if version == current:
            continue
        candidates = [shutil.which(f"python{version}") or ""]
        pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
        candidates += sorted(glob.glob(str(pyenv / f"{version}.*" / BIN / "python3")))
        for candidate in candidates:
            if not candidate:
                continue
            probe = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info[:2])"],
                capture_output=True,
                text=True,
            )
            if probe.returncode == 0 and probe.stdout.strip() == str(
                tuple(int(x) for x in version.split("."))
            ):
                found[version] = candidate
                break
    return found


def test_pythons(uv: str, env: dict[str, str], extra: list[str]) -> int:
    found = other_pythons()
    if not found:
        print("no other supported Python found on this machine; nothing to do")
        return 0
    for version, interpreter in found.items():
        print(f"== Python {version}: {interpreter}", flush=True)
        venv_dir = ROOT / f".venv-{version}"
        penv = {**env, "UV_PYTHON": interpreter, "UV_PROJECT_ENVIRONMENT": str(venv_dir)}
        if _run([uv, "sync", "--all-packages", "--locked", "--quiet"], penv) != 0:
            return 1
        py = str(venv_dir / BIN / "python")
        if _run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", *AGNOSTIC, *extra], penv) != 0:
            return 1
    return 0


def main(argv: list[str]) -> int:
    commands = (
        "quickstart",
        "test",
        "sync",
        "test-pythons",
        "coverage",
        "test-servers",
        "bench",
        "faults",
    )
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    if "--without-uv" in argv:
        return without_uv([a for a in argv if a != "--without-uv"])
    uv = find_uv()
    env = environment(uv)
    if argv[0] == "test-pythons":
        return test_pythons(uv, env, argv[1:])
    sync(uv, env)
    if argv[0] == "quickstart":
        return _run([str(ROOT / ".venv" / BIN / "prefect-sdk"), "quickstart", *argv[1:]], env)
    if argv[0] == "test" and "--postgres" in argv[1:]:
        rest = [a for a in argv[1:] if a != "--postgres"]
        return _run(
            [python(), "tools/test_servers.py", "--postgres", *(["--", *rest] if rest else [])], env
        )
    if argv[0] == "test":
        return test(env, argv[1:])
    if argv[0] == "test-servers":
        return _run([python(), "tools/test_servers.py", *argv[1:]], env)
    if argv[0] == "bench":
        return _run([python(), "tools/bench.py", *argv[1:]], env)
    if argv[0] == "faults":
        return _run([python(), "tools/fault_matrix.py", *argv[1:]], env)
    if argv[0] == "coverage":
        return _run([python(), "tools/coverage.py", "--check", *argv[1:]], env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
