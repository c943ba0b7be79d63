#!/usr/bin/env python3
"""Measure how long importing (and first using) prefect-sdk takes, in fresh interpreters.

    .venv/bin/python tools/bench_import.py                 # 15 runs per statement
    .venv/bin/python tools/bench_import.py -n 31
    .venv/bin/python tools/bench_import.py --prefect-python /path/to/python-with-prefect

Each statement runs in a new ``python`` process (``-E -s``: no PYTHON* variables, no user
site) that times it with ``time.perf_counter`` around the statement only, so interpreter
start-up is not counted.  Runs are interleaved across statements (round-robin) after one
discarded warm-up run each, and the median is reported with its ratio to the baseline: our
own dependencies (httpx, anyio, pluggy, pydantic) imported bare.  Each child also reports
which heavy modules (click, rich, typer, pygments, prefect) it ended up with.

Nothing here asserts on time; numbers depend on the machine.  Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field

HEAVY = ("click", "rich", "typer", "pygments", "prefect")
# Any address works: constructing a client makes no request.
DUMMY_API_URL = "http://127.0.0.1:1/api"
TARGET_RATIO = 1.30

CHILD = """\
import sys, time
_before = len(sys.modules)
_t = time.perf_counter()
{stmt}
_dt = time.perf_counter() - _t
import json
_heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print("BENCH " + json.dumps({{"s": _dt, "heavy": _heavy, "new": len(sys.modules) - _before}}))
"""


@dataclass
class Case:
    key: str
    label: str
    stmt: str
    python: str
    times: list[float] = field(default_factory=list)
    heavy: list[str] = field(default_factory=list)
    new_modules: int = 0
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def child_env(home: str) -> dict[str, str]:
    """The caller's environment without Prefect settings, with a throwaway PREFECT_HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.pop("VIRTUAL_ENV", None)
    env["PREFECT_HOME"] = home
    env["PREFECT_API_URL"] = DUMMY_API_URL
    return env


def run_once(case: Case, env: dict[str, str]) -> None:
    code = CHILD.format(stmt=case.stmt, heavy=HEAVY)
    done = subprocess.run(
        [case.python, "-E", "-s", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        case.error = " | ".join(tail) or f"exit code {done.returncode}"
        return
    data = json.loads(line[len("BENCH ") :])
    case.times.append(float(data["s"]))
    case.heavy = list(data["heavy"])
    case.new_modules = int(data["new"])


def cases(python: str, prefect_python: str | None) -> list[Case]:
    found = [
        Case(
            "deps",
            "baseline: httpx, anyio, pluggy, pydantic",
            "import httpx, anyio, pluggy; from pydantic import BaseModel",
            python,
        ),
        Case(
            "import",
            "from prefect_sdk.client import get_client",
            "from prefect_sdk.client import get_client",
            python,
        ),
        Case(
            "construct",
            "... + c = get_client()",
            "from prefect_sdk.client import get_client; c = get_client()",
            python,
        ),
        Case(
            "open",
            "... + open/close a sync client (SSL, plugins)",
            "from prefect_sdk.client import get_client\n"
            "with get_client(sync_client=True) as c: pass",
            python,
        ),
        Case("filters", "import prefect_sdk.filters", "import prefect_sdk.filters", python),
        Case("schemas", "import prefect_sdk.schemas", "import prefect_sdk.schemas", python),
    ]
    if prefect_python:
        found += [
            Case(
                "prefect-import",
                "prefect: from prefect.client.orchestration import get_client",
                "from prefect.client.orchestration import get_client",
                prefect_python,
            ),
            Case(
                "prefect-construct",
                "prefect: ... + c = get_client()",
                "from prefect.client.orchestration import get_client; c = get_client()",
                prefect_python,
            ),
        ]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="runs per statement (15)")
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter with prefect-sdk (this one)"
    )
    parser.add_argument(
        "--prefect-python",
        metavar="PATH",
        help="an interpreter with prefect (or prefect-client) installed, for comparison",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    home = tempfile.mkdtemp(prefix="prefect-sdk-bench-")
    try:
        env = child_env(home)
        todo = cases(args.python, args.prefect_python)
        for case in todo:  # warm-up: byte-compile caches, OS file cache
            run_once(case, env)
            case.times.clear()
        for _ in range(args.runs):
            for case in todo:
                if case.error is None:
                    run_once(case, env)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    by_key = {c.key: c for c in todo}
    base = by_key["deps"]
    if base.error or not base.times:
        print(f"baseline failed: {base.error}", file=sys.stderr)
        return 1
    width = max(len(c.label) for c in todo)
    print(f"python: {args.python}")
    if args.prefect_python:
        print(f"prefect python: {args.prefect_python}")
    print(f"median of {args.runs} fresh interpreters per statement\n")
    print(f"{'statement'.ljust(width)}  {'median ms':>9}  {'x deps':>6}  {'modules':>7}  heavy")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 6}  {'-' * 7}  -----")
    for case in todo:
        if case.error is not None or not case.times:
            print(f"{case.label.ljust(width)}  failed: {case.error}")
            continue
        ratio = case.median / base.median
        heavy = ", ".join(case.heavy) or "-"
        print(
            f"{case.label.ljust(width)}  {case.median * 1000:9.1f}  {ratio:6.2f}  "
            f"{case.new_modules:7d}  {heavy}"
        )
    print()
    imp = by_key["import"]
    if imp.times:
        print(
            f"import ratio (get_client / deps): {imp.median / base.median:.2f} "
            f"(target <= {TARGET_RATIO:.2f})"
        )
        print(
            "heavy modules loaded by `from prefect_sdk.client import get_client`: "
            f"{', '.join(imp.heavy) or 'none'}"
        )
    con = by_key["construct"]
    if con.times:
        print(f"first-use ratio (get_client() / deps): {con.median / base.median:.2f}")
    pre = by_key.get("prefect-import")
    if pre is not None and pre.times and imp.times:
        print(
            f"prefect import / prefect-sdk import: {pre.median / imp.median:.1f}x "
            f"({pre.median * 1000:.0f} ms vs {imp.median * 1000:.0f} ms)"
        )
    if "click" in base.heavy or "pygments" in base.heavy:
        print(
            "note: httpx imports click and pygments (its CLI) and httpcore imports trio when "
            "they are installed; the dev venv has them (mkdocs, tests), a plain install does not."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
