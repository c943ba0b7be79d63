#!/usr/bin/env python3
"""Measure how long the ``prefect-sdk`` command takes to start, wall clock, in new processes.

    .venv/bin/python tools/bench_cli.py                     # 15 runs per command
    .venv/bin/python tools/bench_cli.py -n 31
    .venv/bin/python tools/bench_cli.py --api http://127.0.0.1:4200/api   # + commands that
                                                                          #   talk to a server

Each command runs as a user runs it: the installed console script (next to this Python), in a
fresh process, timed from spawn to exit.  Runs are interleaved (round-robin) after one
discarded warm-up run each; the median and the spread (min, max) are printed, with the
target: 0.3 s for ``--help`` and a subcommand's ``--help``.  A bare interpreter
(``python -c pass``) is the baseline.  Nothing here asserts on time; numbers depend on the
machine and its load.  Standard library only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 0.3


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=15, help="runs per command (default 15)")
    parser.add_argument(
        "--script",
        default=str(Path(sys.executable).parent / "prefect-sdk"),
        help="the prefect-sdk console script (default: next to this python)",
    )
    parser.add_argument(
        "--api",
        help="also time commands that talk to this server (flow-runs ls, work-pools ls)",
    )
    args = parser.parse_args()
    if not Path(args.script).exists():
        parser.error(f"no console script at {args.script}: install the prefect-sdk package")

    cases: dict[str, list[str]] = {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "prefect-sdk --help": [args.script, "--help"],
        "prefect-sdk flow-runs ls --help": [args.script, "flow-runs", "ls", "--help"],
        "prefect-sdk deployments run --help": [args.script, "deployments", "run", "--help"],
    }
    if args.api:
        cases["prefect-sdk flow-runs ls --limit 5"] = [
            args.script,
            "flow-runs",
            "ls",
            "--limit",
            "5",
        ]
        cases["prefect-sdk work-pools ls"] = [args.script, "work-pools", "ls"]

    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env["PREFECT_HOME"] = home
        env["PREFECT_API_URL"] = args.api or "http://127.0.0.1:1/api"  # --help sends nothing
        times: dict[str, list[float]] = {label: [] for label in cases}
        for label, command in cases.items():  # warm-up (file system cache, .pyc files)
            once(command, env, label)
        for _ in range(args.n):
            for label, command in cases.items():
                times[label].append(once(command, env, label))

    width = max(len(label) for label in cases)
    print(f"{'command':<{width}}  median    min      max      (n={args.n}, wall clock)")
    for label, samples in times.items():
        median = statistics.median(samples)
        mark = ""
        if "--help" in label:
            mark = "  ok" if median <= TARGET_SECONDS else f"  OVER {TARGET_SECONDS}s"
        print(
            f"{label:<{width}}  {median * 1000:6.1f}ms {min(samples) * 1000:6.1f}ms "
            f"{max(samples) * 1000:6.1f}ms{mark}"
        )
    return 0


def once(command: list[str], env: dict[str, str], label: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{label} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return elapsed


if __name__ == "__main__":
    raise SystemExit(main())
