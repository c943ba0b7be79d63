"""What every benchmark worker shares: its configuration, clocks, memory readings, its report.

Standard library only: the prefect-client worker imports this in prefect-client's own
environment. A worker is run as ``python worker_X.py '<json config>'`` and prints one line
``BENCH {json}`` with its measurements (anything else on stdout is ignored).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The flow every benchmark run belongs to, and the tags of the data sets (see tools/bench.py).
FLOW_NAME = "prefect-sdk-bench"
LOOP_TAG = "prefect-sdk-bench-loop"
PARSE_TAG = "prefect-sdk-bench-parse"
LOAD_TAG = "prefect-sdk-bench-load"
RAW_RETRY_WAIT = 0.1  # the raw contender's fixed wait before repeating a 503/429 answer
RAW_MAX_RETRIES = 10


# Set from the configuration: profile the Timer block of this name into this file.
PROFILE: dict[str, str] = {}


def config() -> dict[str, Any]:
    cfg = dict(json.loads(sys.argv[1]))
    if cfg.get("profile"):
        PROFILE.update(block=cfg["profile"], out=cfg["profile_out"])
    return cfg


def emit(result: dict[str, Any]) -> None:
    result["peak_rss_mb"] = peak_rss_mb()
    print("BENCH " + json.dumps(result), flush=True)


def peak_rss_mb() -> float:
    """The process's peak resident set so far (``ru_maxrss``; kB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_mb() -> float:
    """The resident set now (Linux: /proc/self/statm), else the peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def reset_peak_rss() -> bool:
    """Reset the peak-RSS high-water mark (Linux >= 4.0: ``echo 5 > /proc/self/clear_refs``)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


@contextmanager
def growth() -> Iterator[dict[str, float]]:
    """Measure how far the resident set rises above its level at the start of the block."""
    gc.collect()
    base = rss_mb()
    if not reset_peak_rss():
        base = max(base, peak_rss_mb())
    found: dict[str, float] = {}
    yield found
    found["rss_growth_mb"] = max(peak_rss_mb() - base, 0.0)
    found["rss_base_mb"] = base


class Timer:
    """Client CPU (``process_time``: all threads of this process) and wall time of a block.

    With ``--profile NAME`` (tools/bench.py), the block called NAME also runs under cProfile.
    """

    cpu = 0.0
    wall = 0.0

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._profiler: Any = None

    def __enter__(self) -> Timer:
        if self.name and PROFILE.get("block") == self.name:
            import cProfile

            # CPU time, so that waiting for the server (epoll) is not counted as work.
            self._profiler = cProfile.Profile(time.process_time)
            self._profiler.enable()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.process_time() - self._cpu
        self.wall = time.perf_counter() - self._wall
        if self._profiler is not None:
            self._profiler.disable()
            self._profiler.dump_stats(PROFILE["out"])


class Counter:
    """Requests sent and retries made (requests repeated after a 503/429 or a lost answer)."""

    def __init__(self) -> None:
        self.requests = 0
        self.retries = 0

    def take(self) -> tuple[int, int]:
        found = (self.requests, self.retries)
        self.requests = self.retries = 0
        return found


def parse_parameters(i: int) -> dict[str, Any]:
    """The parameters of the data sets' runs: a few scalars, a list and a nested mapping."""
    return {
        "n": i,
        "region": "eu-west-1",
        "dry_run": False,
        "batch": {"size": 500, "retries": 3, "sources": ["s3://bench/a.parquet", "s3://bench/b"]},
    }


def new_key() -> str:
    return f"bench-{uuid.uuid4()}"
