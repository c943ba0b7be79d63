#!/usr/bin/env python3
"""Type-check the downstream project (tests/downstream/) against the built wheels.

    python tools/check_downstream_types.py [--keep DIR] [--wheels DIR] [--python PYTHON]

What a user's project sees, not the workspace's: every distribution of the workspace is built
into a wheel (``uv build --all-packages``), the wheels are installed into a throwaway virtual
environment made with this Python (``uv venv`` + ``uv pip install``, the third-party versions
pinned to ``uv.lock``), the project is copied next to it, and

* the project's modules are imported in that environment (every public name they use exists
  at runtime, lazy exports included),
* ``mypy --strict`` and ``basedpyright`` (``typeCheckingMode = "strict"``) check it, with the
  checkers of this environment pointed at the throwaway one (``--python-executable`` /
  ``--pythonpath``),
* ``basedpyright --verifytypes`` measures the type completeness of the whole public API: every
  name in the ``__all__`` of the modules of ``SURFACE``, and every type they reach (pyright's
  check of a ``py.typed`` library: no missing, unknown or ambiguous declared types).  It needs a
  regular package to start from, so a throwaway one re-exporting those names is written into
  the environment (``prefect_sdk/downstream_surface``; never into the wheels).  Symbols listed
  in ``KNOWN_INCOMPLETE`` are tolerated until fixed; any other, or a listed one that is fixed,
  fails.

The three checks run at the same time.

``--wheels DIR`` reuses wheels already built; ``--keep DIR`` leaves the environment and the
project copy in ``DIR`` to look at; ``--python`` makes the environment with another supported
interpreter (the checkers still run here, told that version).  The exit status is 0 when
everything passes.  ``tests/test_downstream_types.py`` runs the same steps in the test suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "tests/downstream"
BIN = "Scripts" if os.name == "nt" else "bin"
# What the downstream project installs (its pyproject's dependencies).
REQUIREMENTS = ["prefect-sdk[all]", "prefect-sdk-example-headers", "typing-extensions"]

# The public modules whose ``__all__`` is the public API (the CLI and the dev server aside).
SURFACE = [
    "prefect_sdk.client",
    "prefect_sdk.sync",
    "prefect_sdk.cloud",
    "prefect_sdk.schemas",
    "prefect_sdk.filters",
    "prefect_sdk.states",
    "prefect_sdk.exceptions",
    "prefect_sdk.settings",
    "prefect_sdk.concurrency",
    "prefect_sdk.concurrency.asyncio",
    "prefect_sdk.concurrency.sync",
    "prefect_sdk.deployments",
    "prefect_sdk.events",
    "prefect_sdk.flow_runs",
    "prefect_sdk.variables",
    "prefect_sdk.otel",
]
SURFACE_PACKAGE = "prefect_sdk.downstream_surface"

# Symbols ``--verifytypes`` finds incomplete today (the root causes; everything that merely
# reaches one of them is reported "partially unknown" and is not listed), with the fix.  Empty
# means: no diagnostic at all is tolerated.
KNOWN_INCOMPLETE: dict[str, str] = {}


def uv_command() -> list[str]:
    """uv: ``PREFECT_SDK_UV``, on PATH, or the one ``tools/dev.py`` bootstrapped."""
    given = os.environ.get("PREFECT_SDK_UV") or shutil.which("uv")
    if given:
        return [given]
    bootstrapped = ROOT / ".tools-venv" / BIN / "uv"
    if bootstrapped.exists():
        return [str(bootstrapped)]
    try:
        from prefect_sdk.devserver import uv_command as devserver_uv
    except ImportError:
        raise SystemExit("uv is needed: python -m pip install uv") from None
    return devserver_uv()


@dataclass
class Step:
    name: str
    command: list[str]
    returncode: int = 0
    output: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def report(self) -> str:
        status = "ok" if self.ok else f"FAILED (exit {self.returncode})"
        command = " ".join("<code>" if "\n" in c else c for c in self.command)
        return f"== {self.name}: {status} in {self.seconds:.1f}s\n$ {command}\n{self.output}"


@dataclass
class Result:
    steps: dict[str, Step] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps.values())

    def report(self) -> str:
        return "\n".join(step.report() for step in self.steps.values())


def _run(
    name: str,
    command: list[str],
    result: Result,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Step:
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env)
    step = Step(name, command, done.returncode, done.stdout + done.stderr)
    step.seconds = time.monotonic() - started
    result.steps[name] = step
    return step


def build_wheels(out: Path) -> dict[str, Path]:
    """Every distribution's wheel, built into ``out``: {distribution: wheel}."""
    subprocess.run(
        [*uv_command(), "build", "--all-packages", "--wheel", "-q", "-o", str(out)],
        cwd=ROOT,
        check=True,
    )
    return {p.name.split("-")[0]: p for p in out.glob("*.whl")}


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.setdefault("UV_PYTHON_DOWNLOADS", "never")
    return env


def prepare(
    workdir: Path, wheels: Path, result: Result, interpreter: str | None = None
) -> tuple[Path, Path] | None:
    """The throwaway environment's Python (made with ``interpreter``, default this one) and
    the project copy, or None if a step failed."""
    uv = uv_command()
    env = _environment()
    venv = workdir / "venv"
    python = venv / BIN / ("python.exe" if os.name == "nt" else "python")
    shutil.rmtree(venv, ignore_errors=True)  # a --keep folder used before
    made = [*uv, "venv", "-q", "--python", interpreter or sys.executable, str(venv)]
    if not _run("venv", made, result).ok:
        return None
    # Third-party versions as locked (reproducible, and already in uv's cache).
    constraints = workdir / "constraints.txt"
    export = [
        *uv, "export", "--frozen", "--no-hashes", "--all-packages", "--no-emit-workspace",
        "--no-header", "-q", "-o", str(constraints),
    ]  # fmt: skip
    if not _run("constraints", export, result, cwd=ROOT, env=env).ok:
        return None
    install = [
        *uv, "pip", "install", "-q", "--python", str(python), "--find-links", str(wheels),
        "--constraints", str(constraints), *REQUIREMENTS,
    ]  # fmt: skip
    if not _run("install", install, result, env=env).ok:
        return None
    project = workdir / "project"
    shutil.copytree(
        PROJECT,
        project,
        ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache", "*.pyc"),
        dirs_exist_ok=True,
    )
    return python, project


_SURFACE_WRITER = """
import importlib, pathlib, sys
lines, names = [], []
for module in sys.argv[2:]:
    alias = module.removeprefix("prefect_sdk.").replace(".", "_")
    for name in importlib.import_module(module).__all__:
        lines.append(f"from {module} import {name} as {alias}__{name}")
        names.append(f"{alias}__{name}")
lines.append("__all__ = " + repr(names))
folder = pathlib.Path(importlib.import_module("prefect_sdk.client").__file__).parent.parent
target = folder / sys.argv[1].rpartition(".")[2]
target.mkdir(exist_ok=True)
(target / "py.typed").write_text("")
(target / "__init__.py").write_text("\\n".join(lines) + "\\n")
"""


def _symbol_name(name: str) -> str:
    """A name as its module exports it (the surface package's aliases undone)."""
    prefix = SURFACE_PACKAGE + "."
    if not name.startswith(prefix):
        return name
    alias, _, rest = name.removeprefix(prefix).partition("__")
    for module in SURFACE:
        if module.removeprefix("prefect_sdk.").replace(".", "_") == alias:
            return f"{module}.{rest}"
    return name


def _where(diagnostic: dict[str, Any]) -> str:
    path = diagnostic.get("file", "")
    path = "prefect_sdk/" + path.split("/prefect_sdk/", 1)[1] if "/prefect_sdk/" in path else path
    line = diagnostic.get("range", {}).get("start", {}).get("line")
    return f"{path}:{line + 1}" if line is not None else path


def incomplete_symbols(report: dict[str, Any]) -> tuple[dict[str, list[str]], int]:
    """The root causes of a ``--verifytypes --outputjson`` report, {symbol: its errors}, and
    the number of errors (those included).  An error that only says a type is "partially
    unknown" is a consequence of another symbol's error, not a cause."""
    found: dict[str, list[str]] = {}
    errors = 0
    for symbol in report["typeCompleteness"]["symbols"]:
        diagnostics = [d for d in symbol.get("diagnostics", []) if d.get("severity") == "error"]
        errors += len(diagnostics)
        causes = [
            f"{_where(d)}: {' '.join(d['message'].split())}"
            for d in diagnostics
            if "partially unknown" not in d["message"]
        ]
        if causes:
            found.setdefault(_symbol_name(symbol["name"]), []).extend(causes)
    return found, errors


def judge_completeness(step: Step, output: str) -> None:
    """Judge the ``--verifytypes`` JSON ``output`` of ``step`` against KNOWN_INCOMPLETE."""
    try:
        report = json.loads(output)
    except ValueError:
        step.returncode = step.returncode or 1
        return
    completeness = report["typeCompleteness"]
    found, errors = incomplete_symbols(report)
    new = sorted(set(found) - set(KNOWN_INCOMPLETE))
    fixed = sorted(set(KNOWN_INCOMPLETE) - set(found))
    lines = [
        f"{len(completeness['symbols'])} symbols, {errors} type errors, from {len(found)} "
        f"root causes ({len(set(found) & set(KNOWN_INCOMPLETE))} known)"
    ]
    lines += [f"NEW incomplete type: {name}: " + " / ".join(found[name]) for name in new]
    lines += [f"fixed, remove it from KNOWN_INCOMPLETE: {name}" for name in fixed]
    if not KNOWN_INCOMPLETE and errors:
        lines += [
            f"{s['name']}: {_where(d)}: {' '.join(d['message'].split())}"
            for s in completeness["symbols"]
            for d in s.get("diagnostics", [])
            if d.get("severity") == "error"
        ][:50]
    failed = bool(new or fixed or (not KNOWN_INCOMPLETE and errors))
    step.returncode = 1 if failed else 0
    step.output = "\n".join(lines) + "\n"


def check(python: Path, project: Path, result: Result) -> Result:
    """Import the project's modules, then run mypy, basedpyright and pyright's completeness
    check of the public API at the same time."""
    src = project / "src"
    modules = sorted(
        f"prefect_sdk_downstream.{p.stem}"
        for p in (src / "prefect_sdk_downstream").glob("*.py")
        if p.stem != "__init__"
    )
    imports = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    env = {**_environment(), "PYTHONPATH": str(src)}
    _run("import", [str(python), "-c", imports], result, env=env, cwd=project)
    surface = [str(python), "-c", _SURFACE_WRITER, SURFACE_PACKAGE, *SURFACE]
    wrote_surface = _run("surface", surface, result, env=_environment()).ok

    version = subprocess.run(
        [str(python), "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    basedpyright = [sys.executable, "-m", "basedpyright"]  # its node comes as a wheel
    commands = {
        "mypy": [
            sys.executable, "-m", "mypy", "--strict", "--python-executable", str(python),
            "--python-version", version,
            "--cache-dir", str(project / ".mypy_cache"), "--no-error-summary",
        ],
        "basedpyright": [
            *basedpyright, "--pythonpath", str(python), "--project",
            str(project / "pyproject.toml"),
        ],
    }  # fmt: skip
    envs = {name: _environment() for name in commands}
    if wrote_surface:
        # --verifytypes finds packages through the active environment, not --pythonpath.
        commands["completeness"] = [
            *basedpyright, "--verifytypes", SURFACE_PACKAGE, "--ignoreexternal",
            "--outputjson",
        ]  # fmt: skip
        venv = python.parent.parent
        envs["completeness"] = {
            **_environment(),
            "VIRTUAL_ENV": str(venv),
            "PATH": os.pathsep.join([str(python.parent), os.environ.get("PATH", "")]),
        }

    def one(name: str) -> Step:
        started = time.monotonic()
        done = subprocess.run(
            commands[name], cwd=project, env=envs[name], capture_output=True, text=True
        )
        step = Step(name, commands[name], done.returncode, done.stdout + done.stderr)
        step.seconds = time.monotonic() - started
        if name == "completeness":
            judge_completeness(step, done.stdout)
        return step

    with ThreadPoolExecutor(len(commands)) as pool:
        for step in pool.map(one, commands):
            result.steps[step.name] = step
    return result


def run(workdir: Path, wheels: Path | None = None, interpreter: str | None = None) -> Result:
    result = Result()
    if wheels is None:
        wheels = workdir / "wheels"
        started = time.monotonic()
        build_wheels(wheels)
        result.steps["build"] = Step(
            "build", ["uv", "build", "--all-packages"], seconds=time.monotonic() - started
        )
    prepared = prepare(workdir, wheels, result, interpreter)
    if prepared is not None:
        check(*prepared, result)
    return result


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="leave the environment and project here")
    parser.add_argument("--wheels", type=Path, help="use the wheels in this folder")
    parser.add_argument("--python", help="the environment's interpreter (default: this one)")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.keep, args.wheels, args.python)
    else:
        with tempfile.TemporaryDirectory(prefix="prefect-sdk-downstream-") as tmp:
            result = run(Path(tmp), args.wheels, args.python)
    print(result.report())
    print("downstream types: " + ("ok" if result.ok else "FAILED"))
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
