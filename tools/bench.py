#!/usr/bin/env python3
"""prefect-sdk side by side with raw httpx + json and prefect-client 3.8.8, with targets.

    .venv/bin/python tools/bench.py                    # a real Prefect 3.8.8 server of its own
    .venv/bin/python tools/bench.py --stub             # a loopback stub answering instantly
    .venv/bin/python tools/bench.py --server URL       # a running server (e.g. .../api)
    .venv/bin/python tools/bench.py --quick            # fewer rounds, to check it works
    .venv/bin/python tools/bench.py --write-docs       # also docs/benchmarks.md + .svg
    .venv/bin/python tools/bench.py --json run.json    # keep every measurement ...
    .venv/bin/python tools/bench.py --from-json run.json --write-docs   # ... and render it later
    .venv/bin/python tools/bench.py --stub --profile loop --profile-diff  # where the CPU goes
    .venv/bin/python tools/bench.py --hooks            # the per-request cost of the plugins

Three contenders run the same workload, each in a fresh interpreter per round, rounds
alternating between them (the first to run rotates): raw httpx + json (the floor,
``tools/benchmarks/worker_raw.py``), prefect-client 3.8.8 in an isolated environment of its
own (``.bench/prefect-client-3.8.8``, made with uv on first use) and prefect-sdk. It prints a
table of medians with min-max over rounds, each contender's ratio to raw measured in the same
run, and PASS/FAIL against the targets of issue 12. Nothing here is a test: CI never runs it.
See docs/benchmarks.md (which ``--write-docs`` regenerates) for what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "tools" / "benchmarks"
CACHE = ROOT / ".bench"
DOCS = ROOT / "docs" / "benchmarks.md"
CHART = ROOT / "docs" / "benchmarks.svg"
# The last run of each mode written to the docs ("stub.json", "server.json"): the page shows both.
RESULTS = HERE / "results"
SERVER_HOME = CACHE / "server-3.8.8"
BIN = "Scripts" if os.name == "nt" else "bin"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
from _common import (  # noqa: E402
    FLOW_NAME,
    LOAD_TAG,
    LOOP_TAG,
    PARSE_TAG,
    RAW_RETRY_WAIT,
    new_key,
    parse_parameters,
)

from tools import _isolated  # noqa: E402
from tools._isolated import (  # noqa: E402
    PREFECT_CLIENT_VERSION,
    installed_version,
)

ITER_DEPLOYMENT = "prefect-sdk-bench-iter"
ITER_TAG = "prefect-sdk-bench-iter"
PARSE_ROWS = 200
LOAD_RATE = 3.0  # background writes a second on a real server during the loaded loop

CONTENDERS = ("raw", "prefect-client", "prefect-sdk")
WORKERS = {
    "raw": "worker_raw.py",
    "prefect-client": "worker_prefect_client.py",
    "prefect-sdk": "worker_sdk.py",
}
HEAVY = ("click", "rich", "typer", "pygments", "prefect", "pydantic", "httpx", "anyio")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- statistics ------------------------------------------------------------------------------


@dataclass
class Stat:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


def stat(values: list[float | None]) -> Stat | None:
    found = [v for v in values if v is not None]
    return Stat(found) if found else None


def paired_ratios(top: list[float | None], bottom: list[float | None]) -> Stat | None:
    """Ratios round by round (rounds are paired: same machine state), where both exist."""
    pairs = zip(top, bottom, strict=False)
    found = [t / b for t, b in pairs if t is not None and b is not None and b > 0]
    return Stat(found) if found else None


# -- figures and targets ---------------------------------------------------------------------


@dataclass
class Figure:
    key: str
    label: str
    unit: str  # "s" or "MB"
    target: str = ""  # what the target says, as printed
    check: Callable[[Stat | None, Stat | None, Stat | None], bool | None] | None = None
    chart: bool = True  # a ratio worth drawing
    values: dict[str, list[float | None]] = field(default_factory=dict)
    note: str = ""

    def stats(self, contender: str) -> Stat | None:
        return stat(self.values.get(contender, []))

    def ratio(self, contender: str) -> Stat | None:
        return paired_ratios(self.values.get(contender, []), self.values.get("raw", []))

    def verdict(self) -> str:
        if self.check is None:
            return ""
        ok = self.check(self.stats("raw"), self.stats("prefect-sdk"), self.ratio("prefect-sdk"))
        if ok is None:
            return "n/a"
        return "PASS" if ok else "FAIL"


def ratio_at_most(limit: float) -> Callable[[Stat | None, Stat | None, Stat | None], bool | None]:
    def check(raw: Stat | None, sdk: Stat | None, ratio: Stat | None) -> bool | None:
        return None if ratio is None else ratio.median <= limit

    return check


def above_raw_at_most(mb: float) -> Callable[[Stat | None, Stat | None, Stat | None], bool | None]:
    def check(raw: Stat | None, sdk: Stat | None, ratio: Stat | None) -> bool | None:
        return None if raw is None or sdk is None else sdk.median - raw.median <= mb

    return check


def at_most(limit: float) -> Callable[[Stat | None, Stat | None, Stat | None], bool | None]:
    def check(raw: Stat | None, sdk: Stat | None, ratio: Stat | None) -> bool | None:
        return None if sdk is None else sdk.median <= limit

    return check


def make_figures(args: argparse.Namespace, mode: str) -> list[Figure]:
    loop = f"{args.loop} x (create run, set state, read run)"
    if mode == "stub":
        faults = (
            f"wall, {args.faults_loop} x same loop, 1 in {args.fail_every} POSTs answered 503 "
            "(stub)"
        )
    elif args.load:
        faults = (
            f"wall, {args.faults_loop} x same loop, SQLite server under {args.load:g} "
            "background writes/s"
        )
    else:
        faults = f"wall, {args.faults_loop} x same loop, server not loaded (--load 0)"
    rows = args.iter_rows
    return [
        Figure(
            "import",
            "import (sdk: client + states; raw: `import httpx`)",
            "s",
            "≤ 1.05x",
            ratio_at_most(1.05),
        ),
        Figure(
            "cli",
            "CLI start-up, `prefect-sdk --help` (raw: `python -c 'import httpx'`)",
            "s",
            "≤ 0.3 s",
            at_most(0.3),
            chart=False,
        ),
        Figure("rss", "peak RSS after the workload", "MB", "≤ raw + 5 MB", above_raw_at_most(5)),
        Figure("cold_cpu", "client CPU, first loop iteration (cold)", "s"),
        Figure("loop_cpu", f"client CPU, {loop}", "s", "≤ 1.05x", ratio_at_most(1.05)),
        Figure("loop_wall", "wall, same loop", "s"),
        Figure("faults_wall", faults, "s", "≤ 1.15x", ratio_at_most(1.15)),
        Figure(
            "sync_cpu",
            "sync client CPU, same loop (raw: `httpx.Client`)",
            "s",
            "≤ 1.05x",
            ratio_at_most(1.05),
        ),
        Figure("sync_wall", "sync client wall, same loop", "s"),
        Figure(
            "bulk_cpu",
            f"client CPU, {args.bulk} x read_flow_runs(limit=200)",
            "s",
            "≤ 1.5x",
            ratio_at_most(1.5),
        ),
        Figure("parse_only_cpu", "CPU, parse one 200-row page (no HTTP)", "s"),
        Figure(
            "conc_cpu",
            f"client CPU, {args.conc} concurrent read_flow_run",
            "s",
            "≤ 1.05x",
            ratio_at_most(1.05),
        ),
        Figure(
            "conc_wall",
            f"wall, {args.conc} concurrent read_flow_run",
            "s",
            "≤ 1.05x",
            ratio_at_most(1.05),
        ),
        Figure(
            "iter_growth",
            f"RSS growth, iterating {rows:,} runs (sdk: iter_flow_runs)",
            "MB",
            "≤ 10 MB",
            at_most(10),
            chart=False,
        ),
        Figure(
            "all_growth",
            f"RSS growth, reading {rows:,} runs at once (sdk: read_flow_runs)",
            "MB",
            chart=False,
        ),
    ]


# -- formatting ------------------------------------------------------------------------------


def _digits(value: float) -> str:
    """Three significant digits, at most two decimals."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def fmt_stat(s: Stat | None, unit: str) -> str:
    """``median unit (min-max)``; times under a second in milliseconds."""
    if s is None:
        return "—"
    scale, suffix = 1.0, " MB"
    if unit == "s":
        scale, suffix = (1000.0, " ms") if s.median < 1 else (1.0, " s")
    text = _digits(s.median * scale) + suffix
    if len(s.values) > 1:
        text += f" ({_digits(s.low * scale)}-{_digits(s.high * scale)})"
    return text


def fmt_ratio(s: Stat | None) -> str:
    if s is None:
        return "—"
    text = f"{s.median:.2f}"
    if len(s.values) > 1:
        text += f" ({s.low:.2f}-{s.high:.2f})"
    return text


def table(figures: list[Figure]) -> str:
    head = "| figure | raw httpx | prefect-client | prefect-sdk | sdk / raw | target | result |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for fig in figures:
        if not any(fig.values.get(c) for c in CONTENDERS):
            continue
        cells = [fig.label] + [fmt_stat(fig.stats(c), fig.unit) for c in CONTENDERS]
        cells += [fmt_ratio(fig.ratio("prefect-sdk")), fig.target or "—", fig.verdict() or "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# -- environments ----------------------------------------------------------------------------


def prefect_client_python(args: argparse.Namespace) -> str | None:
    """The interpreter of prefect-client's isolated environment (``tools/_isolated.py``), or
    the one given, or none."""
    if args.no_prefect_client:
        return None
    if args.prefect_python:
        return str(args.prefect_python)
    return _isolated.prefect_client_python(sys.executable, log)


def worker_env(api: str, home: Path, installed_plugins: bool) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PREFECT_")
        and k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")
    }
    home.mkdir(parents=True, exist_ok=True)
    env["PREFECT_HOME"] = str(home)
    env["PREFECT_API_URL"] = api
    env["PREFECT_SERVER_ALLOW_EPHEMERAL_MODE"] = "false"
    if not installed_plugins:
        # A `pip install prefect-sdk` has the built-in plugins only; the development
        # environment also installs the OpenTelemetry and example-headers plugins.
        env["PREFECT_SDK_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


# -- servers ---------------------------------------------------------------------------------


class Stub:
    """The stub server (tools/benchmarks/stub_server.py) in a process of its own."""

    def __init__(self, rows: int, fail_every: int) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(HERE / "stub_server.py"),
                "--rows",
                str(rows),
                "--fail-every",
                str(fail_every),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("READY "):
            self.stop()
            raise SystemExit("the stub server did not start")
        self.port = int(line.split()[1])
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.flaky_api = f"http://127.0.0.1:{self.port}/flaky/api"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@contextlib.contextmanager
def own_server(fresh: bool) -> Iterator[str]:
    """A Prefect 3.8.8 server with the test session's settings, its SQLite database kept in
    .bench/server-3.8.8 (so the data sets are made once)."""
    from prefect_sdk.devserver import TEST_SETTINGS, PrefectServer

    if fresh:
        shutil.rmtree(SERVER_HOME, ignore_errors=True)
    SERVER_HOME.mkdir(parents=True, exist_ok=True)
    server = PrefectServer(env=dict(TEST_SETTINGS), home=SERVER_HOME)
    log(f"starting a Prefect 3.8.8 server (home {SERVER_HOME}) ...")
    server.start()
    log(f"server at {server.api_url}")
    try:
        yield server.api_url
    finally:
        server.stop()


class Load:
    """Background writes on the server (tools/benchmarks/load.py) while the loaded loop runs."""

    def __init__(self, api: str, rate: float) -> None:
        import selectors

        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "load.py"), api, str(rate)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:  # READY, once a write went through
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=60):
                log("  ! the background load wrote nothing in 60 s; going on")
        time.sleep(1.0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Api:
    """Plain HTTP to the server for setting up data sets (503s repeated)."""

    def __init__(self, api: str) -> None:
        import httpx

        self.http = httpx.Client(base_url=api, timeout=300)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        for attempt in range(60):
            response = self.http.request(method, path, json=body)
            if response.status_code in (429, 503):
                time.sleep(min(0.2 * (attempt + 1), 2))
                continue
            response.raise_for_status()
            return response.json() if response.content else None
        raise SystemExit(f"{method} {path}: the server kept answering 503")

    def close(self) -> None:
        self.http.close()


@dataclass
class Target:
    mode: str  # "stub" or "server"
    api: str
    faults_api: str
    flow_id: str
    iter_deployment: str | None
    description: str


def prepare_server(api: str, iter_rows: int, need_iter: bool) -> tuple[str, str | None]:
    """Make (once per server) the flow, the 200 tagged runs with parameters that the bulk
    reads read (created, set Running, then Completed, like most runs a user lists), and the
    runs of the iteration deployment (the server's bulk route, 100 runs a request)."""
    server = Api(api)
    try:
        flow_id = server.call("POST", "/flows/", {"name": FLOW_NAME})["id"]
        parse_filter = {"flow_runs": {"tags": {"all_": [PARSE_TAG]}}}
        have = server.call("POST", "/flow_runs/count", parse_filter)
        if have < PARSE_ROWS:
            log(f"creating {PARSE_ROWS - have} flow runs tagged {PARSE_TAG} ...")
        for i in range(have, PARSE_ROWS):
            run = server.call(
                "POST",
                "/flow_runs/",
                {
                    "flow_id": flow_id,
                    "name": f"bench-parse-{i:03d}",
                    "parameters": parse_parameters(i),
                    "tags": [PARSE_TAG, "team-data"],
                    "state": {"type": "PENDING", "name": "Pending"},
                    "idempotency_key": new_key(),
                },
            )
            for state in ("RUNNING", "COMPLETED"):
                body = {"state": {"type": state, "name": state.title()}, "force": False}
                server.call("POST", f"/flow_runs/{run['id']}/set_state", body)
        if not need_iter:
            return flow_id, None
        deployment = server.call(
            "POST",
            "/deployments/",
            {
                "name": ITER_DEPLOYMENT,
                "flow_id": flow_id,
                "parameters": parse_parameters(0),
                "tags": [ITER_TAG],
            },
        )["id"]
        iter_filter = {"flow_runs": {"deployment_id": {"any_": [deployment]}}}
        have = server.call("POST", "/flow_runs/count", iter_filter)
        if have < iter_rows:
            log(f"creating {iter_rows - have} flow runs of deployment {ITER_DEPLOYMENT} (once)")
        started = time.monotonic()
        while have < iter_rows:
            size = min(100, iter_rows - have)
            answer = server.call(
                "POST",
                f"/deployments/{deployment}/create_flow_run/bulk",
                [
                    {"parameters": parse_parameters(have + i), "tags": [ITER_TAG]}
                    for i in range(size)
                ],
            )
            made = sum(1 for r in answer["results"] if r["status"] == "CREATED")
            have += made
            if made < size:
                time.sleep(0.5)  # SQLite's writer lock was taken: let the server catch up
            if have % 2000 < 100 and made:
                log(f"  {have:,} / {iter_rows:,} ({time.monotonic() - started:.0f} s)")
        return flow_id, deployment
    finally:
        server.close()


def clean_up(api: str) -> None:
    """Delete the runs the loops made (and the load's), 50 a request (the server's limit)."""
    server = Api(api)
    try:
        body = {"flow_runs": {"tags": {"any_": [LOOP_TAG, LOAD_TAG]}}, "limit": 50}
        total = server.call("POST", "/flow_runs/count", {"flow_runs": body["flow_runs"]})
        if total:
            log(f"deleting the {total:,} flow runs the loops made (--keep-runs keeps them) ...")
        deleted = 0
        while True:
            answer = server.call("POST", "/flow_runs/bulk_delete", body)
            gone = len(answer.get("deleted", []))
            deleted += gone
            if not gone:
                break
    finally:
        server.close()


def record(api: str) -> None:
    """Record the answers the stub replays (tools/benchmarks/stub_responses.json)."""
    import uuid

    flow_id, _ = prepare_server(api, 0, need_iter=False)
    server = Api(api)
    http = server.http
    try:
        csrf = http.get("/csrf-token", params={"client": "prefect-sdk-bench"})
        flow = server.call("POST", "/flows/", {"name": FLOW_NAME})
        created = server.call(
            "POST",
            "/flow_runs/",
            {
                "flow_id": flow_id,
                "parameters": {},
                "context": {},
                "tags": [LOOP_TAG],
                "state": {"type": "PENDING", "name": "Pending"},
                "idempotency_key": new_key(),
            },
        )
        transition = {"transition_id": str(uuid.uuid4())}
        body = {"state": {"type": "RUNNING", "name": "Running", "state_details": transition}}
        set_state = server.call("POST", f"/flow_runs/{created['id']}/set_state", body)
        read = server.call("GET", f"/flow_runs/{created['id']}")
        row = server.call(
            "POST", "/flow_runs/filter", {"flow_runs": {"tags": {"all_": [PARSE_TAG]}}, "limit": 1}
        )[0]
        recorded = {
            "recorded_from": f"Prefect {server.call('GET', '/admin/version')} server",
            "version": server.call("GET", "/admin/version"),
            "csrf": {"status": csrf.status_code, "body": csrf.json()},
            "flow": flow,
            "flow_run_created": created,
            "set_state": set_state,
            "flow_run_read": read,
            "flow_run_row": row,
        }
    finally:
        server.close()
    path = HERE / "stub_responses.json"
    path.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    log(f"recorded {path.relative_to(ROOT)}")


# -- running workers -------------------------------------------------------------------------


@dataclass
class Runner:
    args: argparse.Namespace
    target: Target
    pythons: dict[str, str]
    home: Path
    errors: list[str] = field(default_factory=list)

    def config(self, phase: str, **extra: Any) -> dict[str, Any]:
        args = self.args
        return {
            "phase": phase,
            "api": self.target.api,
            "faults_api": self.target.faults_api,
            "flow_id": self.target.flow_id,
            "iter_deployment": self.target.iter_deployment,
            "iter_rows": args.iter_rows,
            "loop": args.loop,
            "warmup": 3,
            "bulk": args.bulk,
            "bulk_limit": PARSE_ROWS,
            "conc": args.conc,
            "conc_batches": args.conc_batches,
            "faults_loop": args.faults_loop,
            "parse_only": 20,
            **extra,
        }

    def run(self, contender: str, phase: str, **extra: Any) -> dict[str, Any] | None:
        python = self.pythons.get(contender)
        if python is None:
            return None
        cfg = self.config(phase, **extra)
        api = self.target.faults_api if phase == "faults" else self.target.api
        env = worker_env(api, self.home / contender, self.args.installed_plugins)
        done = subprocess.run(
            [python, "-E", "-s", str(HERE / WORKERS[contender]), json.dumps(cfg)],
            env=env,
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=self.args.worker_timeout,
        )
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
        if done.returncode != 0 or line is None:
            tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-4:])
            message = f"{contender} {phase}: exit {done.returncode}: {tail}"
            self.errors.append(message)
            log("  ! " + message)
            return None
        return dict(json.loads(line[len("BENCH ") :]))


# -- import time and CLI start-up ------------------------------------------------------------

IMPORT_CHILD = """\
import sys, time
_t = time.perf_counter()
{stmt}
_dt = time.perf_counter() - _t
import json
_heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))
print("BENCH " + json.dumps({{"s": _dt, "heavy": _heavy, "modules": len(sys.modules)}}))
"""


@dataclass
class Statement:
    key: str
    contender: str
    label: str
    code: str
    times: list[float | None] = field(default_factory=list)
    heavy: list[str] = field(default_factory=list)
    modules: int = 0
    error: str | None = None


def import_statements(details: bool) -> list[Statement]:
    found = [
        Statement("import", "raw", "`import httpx`", "import httpx"),
        Statement(
            "import",
            "prefect-client",
            "`from prefect.client.orchestration import get_client; import prefect.states`",
            "from prefect.client.orchestration import get_client\nimport prefect.states",
        ),
        Statement(
            "import",
            "prefect-sdk",
            "`from prefect_sdk.client import get_client; import prefect_sdk.states`",
            "from prefect_sdk.client import get_client\nimport prefect_sdk.states",
        ),
    ]
    if details:
        found += [
            Statement(
                "deps",
                "prefect-sdk",
                "our dependencies bare: `import httpx, anyio, pluggy; from pydantic import "
                "BaseModel`",
                "import httpx, anyio, pluggy\nfrom pydantic import BaseModel",
            ),
            Statement(
                "construct",
                "prefect-sdk",
                "prefect-sdk: … and `c = get_client()`",
                "from prefect_sdk.client import get_client\nc = get_client()",
            ),
            Statement(
                "open-sync",
                "prefect-sdk",
                "prefect-sdk: … and open/close a sync client",
                "from prefect_sdk.client import get_client\n"
                "with get_client(sync_client=True) as c: pass",
            ),
            Statement(
                "filters",
                "prefect-sdk",
                "`import prefect_sdk.filters`",
                "import prefect_sdk.filters",
            ),
            Statement(
                "schemas",
                "prefect-sdk",
                "`import prefect_sdk.schemas`",
                "import prefect_sdk.schemas",
            ),
            Statement(
                "construct",
                "prefect-client",
                "prefect-client: … and `c = get_client()`",
                "from prefect.client.orchestration import get_client\nc = get_client()",
            ),
        ]
    return found


def run_import(runner: Runner, statement: Statement) -> None:
    python = runner.pythons.get(statement.contender)
    if python is None:
        return
    env = worker_env("http://127.0.0.1:1/api", runner.home / statement.contender, True)
    code = IMPORT_CHILD.format(stmt=statement.code, heavy=HEAVY)
    done = subprocess.run(
        [python, "-E", "-s", "-c", code], env=env, capture_output=True, text=True, check=False
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        statement.error = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        statement.times.append(None)
        return
    data = json.loads(line[len("BENCH ") :])
    statement.times.append(float(data["s"]))
    statement.heavy = list(data["heavy"])
    statement.modules = int(data["modules"])


def cli_command() -> list[str] | None:
    script = ROOT / ".venv" / BIN / "prefect-sdk"
    return [str(script), "--help"] if script.exists() else None


def run_cli(runner: Runner, contender: str) -> float | None:
    if contender == "prefect-sdk":
        cmd = cli_command()
    elif contender == "raw":
        cmd = [runner.pythons["raw"], "-c", "import httpx"]
    else:
        return None  # prefect-client ships no command-line tool
    if cmd is None:
        return None
    env = worker_env("http://127.0.0.1:1/api", runner.home / contender, False)
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        message = f"{' '.join(cmd)}: exit {done.returncode}: {done.stderr.strip()[-200:]}"
        if message not in runner.errors:
            runner.errors.append(message)
        return None
    return elapsed


def measure_imports(
    runner: Runner, figures: dict[str, Figure], runs: int, details: bool
) -> list[Statement]:
    statements = import_statements(details)
    log(f"import time: {len(statements)} statements x {runs} fresh interpreters (+1 warm-up)")
    for s in statements:  # warm-up: byte-code caches, the OS's file cache
        run_import(runner, s)
        s.times.clear()
    cli = {c: [] for c in CONTENDERS}  # type: dict[str, list[float | None]]
    run_cli(runner, "prefect-sdk")
    for _ in range(runs):
        for s in statements:
            if s.error is None:
                run_import(runner, s)
        for contender in ("raw", "prefect-sdk"):
            cli[contender].append(run_cli(runner, contender))
    for s in statements:
        if s.key == "import":
            figures["import"].values[s.contender] = list(s.times)
    if any(v is not None for v in cli["prefect-sdk"]):
        figures["cli"].values = {c: v for c, v in cli.items() if v}
    else:
        figures["cli"].note = "prefect-sdk --help did not run (see errors)"
    return statements


# -- rounds ----------------------------------------------------------------------------------


PHASE_FIGURES = {
    "async": {
        "rss": "peak_rss_mb",
        "cold_cpu": "cold_cpu",
        "loop_cpu": "loop_cpu",
        "loop_wall": "loop_wall",
        "bulk_cpu": "bulk_cpu",
        "parse_only_cpu": "parse_only_cpu",
        "conc_cpu": "conc_cpu",
        "conc_wall": "conc_wall",
    },
    "sync": {"sync_cpu": "sync_cpu", "sync_wall": "sync_wall"},
    "faults": {"faults_wall": "faults_wall"},
    "iter": {"iter_growth": "rss_growth_mb"},
    "all": {"all_growth": "rss_growth_mb"},
}


@dataclass
class Counts:
    """Requests and retries per contender and phase, round by round."""

    found: dict[tuple[str, str], list[tuple[int, int, int]]] = field(default_factory=dict)

    def add(self, contender: str, phase: str, requests: int, retries: int, failed: int) -> None:
        self.found.setdefault((contender, phase), []).append((requests, retries, failed))

    def failures(self, part: str) -> dict[str, int]:
        """Calls that failed after their retries, per contender (all rounds)."""
        found = {}
        for (contender, name), rows in self.found.items():
            failed = sum(f for _, _, f in rows)
            if name == part and failed:
                found[contender] = failed
        return found


def run_rounds(
    runner: Runner, figures: dict[str, Figure], counts: Counts, extras: dict[str, Any]
) -> None:
    args = runner.args
    phases = [p for p in ("async", "sync", "faults", "iter", "all") if p not in args.skip]
    if "iter" in args.skip:
        phases = [p for p in phases if p != "all"]
    contenders = [c for c in CONTENDERS if c in runner.pythons]
    for key in figures:
        for c in contenders:
            figures[key].values.setdefault(c, [])
    for rnd in range(args.rounds):
        order = contenders[rnd % len(contenders) :] + contenders[: rnd % len(contenders)]
        log(f"round {rnd + 1}/{args.rounds} (order: {', '.join(order)})")
        for phase in phases:
            if phase in ("iter", "all") and rnd >= args.iter_rounds:
                continue
            load = None
            if phase == "faults" and runner.target.mode == "server" and args.load:
                load = Load(runner.target.api, args.load)
            try:
                for contender in order:
                    started = time.monotonic()
                    result = runner.run(contender, phase)
                    took = time.monotonic() - started
                    for fig_key, result_key in PHASE_FIGURES[phase].items():
                        value = None if result is None else result.get(result_key)
                        figures[fig_key].values[contender].append(value)
                    if result is None:
                        continue
                    for part in ("loop", "sync", "conc", "faults"):
                        if f"{part}_requests" in result:
                            counts.add(
                                contender,
                                part,
                                result[f"{part}_requests"],
                                result[f"{part}_retries"],
                                result.get(f"{part}_failures", 0),
                            )
                    if phase in ("iter", "all"):
                        extras.setdefault(f"{phase}_rows", {})[contender] = result.get("rows")
                    if phase == "async":
                        extras.setdefault("bulk_rows", {})[contender] = result.get("bulk_rows")
                    log(f"  {phase:<6} {contender:<15} {took:6.1f} s")
            finally:
                if load is not None:
                    load.stop()


def counts_table(counts: Counts, args: argparse.Namespace) -> str:
    per = {
        "loop": args.loop,
        "sync": args.loop,
        "faults": args.faults_loop,
        "conc": args.conc * args.conc_batches,
    }
    names = {
        "loop": "call loop (async)",
        "sync": "call loop (sync)",
        "faults": "loop with transient 503s",
        "conc": "concurrent reads",
    }
    lines = [
        "| workload | " + " | ".join(CONTENDERS) + " |",
        "|---|" + "---|" * len(CONTENDERS),
    ]
    for part in ("loop", "sync", "faults", "conc"):
        cells = []
        for contender in CONTENDERS:
            found = counts.found.get((contender, part))
            if not found:
                cells.append("—")
                continue
            requests = statistics.median(r for r, _, _ in found)
            retries = [t for _, t, _ in found]
            failed = sum(f for _, _, f in found)
            cells.append(
                f"{requests / per[part]:.2f} req/op, retries {statistics.median(retries):g}"
                f" ({min(retries)}-{max(retries)})" + (f", **{failed} failed**" if failed else "")
            )
        if any(c != "—" for c in cells):
            lines.append(f"| {names[part]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def import_table(statements: list[Statement]) -> str:
    lines = [
        "| statement | median | min-max | modules | heavy modules loaded |",
        "|---|---|---|---|---|",
    ]
    for s in statements:
        st = stat(s.times)
        if st is None:
            lines.append(f"| {s.label} | failed: {s.error} | | | |")
            continue
        lines.append(
            f"| {s.label} | {st.median * 1000:.0f} ms | {st.low * 1000:.0f}-{st.high * 1000:.0f}"
            f" ms | {s.modules} | {', '.join(s.heavy) or '—'} |"
        )
    return "\n".join(lines)


# -- the chart -------------------------------------------------------------------------------


def xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "")


def svg_chart(figures: list[Figure], title: str) -> str:
    """A horizontal bar chart of the ratios to raw (log scale), one group per figure, with the
    target of each figure marked. Dependency-free SVG."""
    rows = []
    for fig in figures:
        if not fig.chart:
            continue
        sdk, pc = fig.ratio("prefect-sdk"), fig.ratio("prefect-client")
        if sdk is None and pc is None:
            continue
        limit = None
        if fig.target.startswith("≤ ") and fig.target.endswith("x"):
            limit = float(fig.target[2:-1])
        elif fig.target.startswith("≤ raw + ") and fig.target.endswith(" MB"):
            raw = fig.stats("raw")
            if raw is not None and raw.median > 0:
                limit = (raw.median + float(fig.target[8:-3])) / raw.median
        rows.append((fig.label, sdk, pc, limit))
    label_w, plot_w, right, row_h, top = 360, 420, 70, 44, 58
    height = top + row_h * len(rows) + 40
    width = label_w + plot_w + right
    ratios = [r.median for _, s, p, _ in rows for r in (s, p) if r is not None]
    hi = max([2.0, *ratios])
    lo = min([0.5, *ratios])
    x_lo, x_hi = math.floor(math.log2(lo)), math.ceil(math.log2(hi * 1.05))

    def x(value: float) -> float:
        value = min(max(value, 2.0**x_lo), 2.0**x_hi)
        return label_w + (math.log2(value) - x_lo) / (x_hi - x_lo) * plot_w

    colors = {"prefect-sdk": "#2a9d8f", "prefect-client": "#e9a23b"}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" '
        'font-size="12">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{xml(title)}</text>',
        f'<rect x="{label_w}" y="30" width="12" height="12" fill="{colors["prefect-sdk"]}"/>',
        f'<text x="{label_w + 18}" y="40">prefect-sdk / raw</text>',
        f'<rect x="{label_w + 140}" y="30" width="12" height="12" '
        f'fill="{colors["prefect-client"]}"/>',
        f'<text x="{label_w + 158}" y="40">prefect-client / raw</text>',
        f'<line x1="{label_w + 300}" y1="36" x2="{label_w + 316}" y2="36" stroke="#c1121f" '
        'stroke-width="2"/>',
        f'<text x="{label_w + 320}" y="40">target</text>',
    ]
    for power in range(x_lo, x_hi + 1):
        value = 2.0**power
        gx = x(value)
        out.append(
            f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{top + row_h * len(rows)}" '
            f'stroke="{"#333" if power == 0 else "#ddd"}" '
            f'stroke-width="{1.5 if power == 0 else 1}"/>'
        )
        text = f"{value:g}x"
        out.append(
            f'<text x="{gx:.1f}" y="{top + row_h * len(rows) + 16}" text-anchor="middle" '
            f'fill="#555">{text}</text>'
        )
    out.append(
        f'<text x="{x(1.0):.1f}" y="{top + row_h * len(rows) + 32}" text-anchor="middle" '
        'fill="#333">raw httpx = 1x  (log scale; shorter is better)</text>'
    )
    for i, (label, sdk, pc, limit) in enumerate(rows):
        y0 = top + i * row_h
        short = label if len(label) <= 58 else label[:56] + "…"
        out.append(f'<text x="10" y="{y0 + 24}">{xml(short)}</text>')
        for j, (name, ratio) in enumerate((("prefect-sdk", sdk), ("prefect-client", pc))):
            if ratio is None:
                continue
            by = y0 + 6 + j * 16
            bx = x(2.0**x_lo)
            out.append(
                f'<rect x="{bx:.1f}" y="{by}" width="{max(x(ratio.median) - bx, 1):.1f}" '
                f'height="14" fill="{colors[name]}"/>'
            )
            out.append(
                f'<text x="{x(ratio.median) + 4:.1f}" y="{by + 11}" fill="#222">'
                f"{ratio.median:.2f}x</text>"
            )
        if limit is not None:
            tx = x(limit)
            out.append(
                f'<line x1="{tx:.1f}" y1="{y0 + 2}" x2="{tx:.1f}" y2="{y0 + 40}" '
                'stroke="#c1121f" stroke-width="2"/>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"


# -- docs ------------------------------------------------------------------------------------


def machine_facts() -> dict[str, str]:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": f"{os.cpu_count()} x {model}",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "httpx": installed_version("httpx") or "?",
        "pydantic": installed_version("pydantic") or "?",
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
        "load": " / ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


def throughput_block() -> str:
    """The throughput table of tools/test_servers.py, between the markers it rewrites."""
    from tools.test_servers import (
        THROUGHPUT_BEGIN,
        THROUGHPUT_END,
        load_results,
        render_throughput,
    )

    return f"{THROUGHPUT_BEGIN}\n\n{render_throughput(load_results())}\n\n{THROUGHPUT_END}"


def other_mode_section(other: tuple[dict[str, Any], argparse.Namespace] | None) -> str:
    """The page's section for the last written run of the other mode (stub / real server)."""
    if other is None:
        return ""
    report, args = other
    facts = report["facts"]
    where = "a real server" if report["mode"] == "server" else "the stub"
    notes = "".join(f"- {note}\n" for note in report["notes"])
    if report["errors"]:
        notes += "".join(f"- error: `{e}`\n" for e in report["errors"])
    if notes:
        notes = "\nNotes:\n\n" + notes
    return f"""
## Results against {where}

The last run against {where} written to this page
(`tools/benchmarks/results/{report["mode"]}.json`): measured {facts["date"]} against
{report["target"]}, {args.rounds} rounds (iteration memory:
{min(args.iter_rounds, args.rounds)}), prefect-sdk at commit {facts["commit"]}, load average
{facts["load"]} at the start.

{report["table"]}
{notes}
{report["counts"]}
"""


def write_docs(
    report: dict[str, Any],
    args: argparse.Namespace,
    other: tuple[dict[str, Any], argparse.Namespace] | None = None,
) -> None:
    facts = report["facts"]
    CHART.write_text(report["chart"])
    quick = (
        "\n!!! note\n    These numbers come from a `--quick` run (fewer rounds); "
        "take them as a check that the benchmark runs, not as a measurement.\n"
        if args.quick
        else ""
    )
    errors = ""
    if report["notes"]:
        errors += "\nNotes:\n\n" + "".join(f"- {note}\n" for note in report["notes"])
    if report["errors"]:
        errors += "\nErrors during this run (their figures are missing):\n\n" + "\n".join(
            f"- `{e}`" for e in report["errors"]
        )
    text = f"""# Benchmarks

prefect-sdk measured side by side with the floor (hand-written httpx + json calls on the same
routes) and with prefect-client {PREFECT_CLIENT_VERSION}, by `tools/bench.py`, which also wrote
this page and its chart. Each figure is the median over rounds, with the lowest and highest in
brackets; **sdk / raw** is the median of the per-round ratios (each round measures every
contender on the same machine state). The targets are the floor plus a margin (issue 12): a
figure passes when its median meets the target.
{quick}
![Ratios to raw httpx per figure](benchmarks.svg)

## Results

Measured {facts["date"]} against {report["target"]}, {args.rounds} rounds
(iteration memory: {min(args.iter_rounds, args.rounds)}).

{report["table"]}
{errors}

Requests made per operation of each workload and the retries each contender made (median per
round, min-max in brackets). prefect-client's `create_flow_run` registers the flow before
creating the run, so its loop makes four requests per iteration where the others make three.

{report["counts"]}

### Reading the results

- **Below the floor.** prefect-sdk's call loops can take less CPU than raw httpx: the client
  avoids two costs httpx pays on every request, for raw httpx's users too (the second URL
  parse of a path joined to `base_url`, and the cookie jar's work on answers that set no
  cookie; see [Architecture](architecture.md#the-request-path)). They outweigh what the client
  adds: hooks, retry bookkeeping, parsing into models.
- **Peak RSS** cannot meet "raw + 5 MB" while responses are pydantic models. In a process
  with an httpx client, importing pydantic's `BaseModel` and `TypeAdapter` adds about 7 MB by
  itself (32.3 to 39.2 MB, measured on 2026-12-01). The client's code and the loop's models
  and adapters add about 7 MB more, and a page of 200 models holds more memory than a page of
  200 dicts.
- **Concurrency** at 200 calls, twice the connection pool, sits at the target's edge: on the
  stub, runs on 2026-12-01 gave 1.02 to 1.11; against a real server the client's CPU is
  0.5-0.6x raw's and the wall time (the server's) 1.00-1.05x. The client keeps at most
  its pool's size of calls in flight: that costs a few per cent here, and pays at 1,000
  concurrent calls (1.04x raw on the stub, against 1.35x with twice the pool's size in
  flight).
- **Iteration memory** is under half of raw httpx's (4.4 MB against 9.6 MB on the stub on
  2026-12-01): the client breaks the reference cycle httpx leaves in each response, so a
  page and its body are freed when the next is read. Left to the garbage collector (as
  raw httpx's are), they wait for a full collection; before the client did this, its
  figure was 9.6 MB.
{other_mode_section(other)}
### Import statements

Each statement timed in a fresh interpreter (`python -E -s`), the statement only (interpreter
start-up is not counted), {args.import_runs} runs interleaved after a discarded warm-up, with
the modules loaded and which of the heavy ones ({", ".join(HEAVY)}) among them.

{report["imports"]}

## Machine

| | |
|---|---|
| CPUs | {facts["cpus"]} |
| OS | {facts["os"]} |
| Python | {facts["python"]} (all three contenders) |
| httpx, pydantic | {facts["httpx"]}, {facts["pydantic"]} (the same in prefect-client's) |
| prefect-sdk | commit {facts["commit"]} |
| load average at the start | {facts["load"]} |

Numbers depend on the machine and on what else it is doing: compare the ratios of one run,
not times across runs.

## How to reproduce

```console
$ python3 tools/dev.py sync                    # the development environment (uv, .venv)
$ python3 tools/dev.py bench                   # = .venv/bin/python tools/bench.py
$ .venv/bin/python tools/bench.py              # a Prefect 3.8.8 server of its own
$ .venv/bin/python tools/bench.py --stub       # the stub: client CPU without a server's noise
$ .venv/bin/python tools/bench.py --server http://127.0.0.1:4200/api
$ .venv/bin/python tools/bench.py --quick      # 2 rounds: a check that it runs
$ .venv/bin/python tools/bench.py --write-docs --json run.json   # rewrite this page
$ .venv/bin/python tools/bench.py --from-json run.json --write-docs  # again, from the file
```

`--write-docs` also keeps the run in `tools/benchmarks/results/` (`stub.json` or
`server.json`): the page shows the run it was written from, and below it the last written run
of the other mode.

The first run makes prefect-client's isolated environment in `.bench/prefect-client-3.8.8`
(with uv: prefect-client {PREFECT_CLIENT_VERSION} and this environment's httpx and pydantic
versions) and, without `--server`, keeps its own server's SQLite database in
`.bench/server-3.8.8`, so that the data sets are made once: 200 runs with parameters for the
bulk reads, and the {args.iter_rows:,} runs of the iteration figures (made with the server's
bulk route, 100 a request: 15-20 minutes on a busy 2-core machine). With `--server`, the same
data sets are made on that server the first time (`--skip iter` leaves out the big one); the
runs the loops make are deleted at the end (`--keep-runs` keeps them). A full run on a real
server takes about half an hour, a `--stub` run about ten minutes. `--help` lists the knobs:
rounds, loop sizes, `--load`, `--fail-every`, `--skip`, `--installed-plugins`.

### Where the time goes

```console
$ .venv/bin/python tools/bench.py --stub --profile loop --profile-diff   # also bulk, conc, sync ...
$ .venv/bin/python tools/bench.py --hooks      # the per-request cost of each plugin set
```

`--profile BLOCK` runs one timed block of a contender's worker (`--profile-contender`,
prefect-sdk by default) under cProfile, with CPU time as its clock, and prints the own time by
package, the top functions by own and by cumulative time, and prefect-sdk's own functions;
`--profile-diff` profiles raw httpx's same block too and prints what the contender spends beyond
it, by package and by function. `--hooks` (`tools/benchmarks/hooks.py`) compares the plugin
sets on an `httpx.MockTransport`: installed, built-ins only, without CSRF, OpenTelemetry on real
SDK providers, none, and a bare httpx client.

## Throughput against a real server, by database

One async prefect-sdk client against a real Prefect server, backed by SQLite (the default) or
by PostgreSQL (production's database): calls per second of 1,000 concurrent reads (half
`read_flow_run`, half `read_flows(limit=1)`) and of 200 concurrent `create_flow_run`, the
median of three bursts after a warm-up burst. Here the server is what is measured, not the
client: SQLite serialises writes, and a write that loses its lock is answered 503. Measured by
`python3 tools/test_servers.py --throughput-only [--postgres]` (see
[Server compatibility](compatibility.md#throughput)), which writes this table.

{throughput_block()}

## What is measured

Three contenders, each run by a small worker script in a fresh interpreter per round
(`tools/benchmarks/worker_*.py`), rounds alternating and the first contender rotating:

- **raw httpx**: `httpx.AsyncClient` / `httpx.Client` and `json.loads`, sending what
  prefect-sdk sends on the same routes (an idempotency key on a create, a transition id on a
  state change) and repeating a 503 or 429 answer after a fixed {RAW_RETRY_WAIT:g} s wait: the
  least a user would write.
- **prefect-client {PREFECT_CLIENT_VERSION}**: `from prefect.client.orchestration import
  get_client`, in its own environment, never in the project's lock. Its retries are counted by
  an httpx response hook.
- **prefect-sdk**: `from prefect_sdk.client import get_client` (and `sync_client=True`), with
  the built-in plugins only, as `pip install prefect-sdk` has them (`--installed-plugins` adds
  the development environment's OpenTelemetry and example-headers plugins). Its retries are
  counted by a plugin on `prefect_sdk_request_finished` (`call.attempt`).

The workloads, per contender and round:

- **import**: the statements above, in fresh interpreters. **CLI start-up**: the wall time of
  `prefect-sdk --help` as a new process, next to `python -c 'import httpx'` (prefect-client has
  no command-line tool).
- **call loop** (one process: its peak RSS is the **peak RSS** figure): one cold iteration
  (timed apart: first-use costs such as building models), 3 warm-up iterations, then
  {args.loop} x (create a flow run, set it Running, read it back), client CPU
  (`time.process_time`) and wall; then {args.bulk} x `read_flow_runs(limit=200)` of 200 runs
  with parameters (client CPU); then batches of {args.conc} concurrent `read_flow_run` (CPU and
  wall per batch, after a warm-up batch that opens the connections); then the CPU of parsing
  one 200-row page's bytes alone (raw: `json.loads`; prefect-sdk:
  `TypeAdapter(list[FlowRun]).validate_json`; prefect-client: `FlowRun.model_validate_list(
  json.loads(...))`, what its `read_flow_runs` does). prefect-sdk's figure is pydantic's bare
  parse, with the cyclic garbage collector on; the client itself parses a body of 64 KiB or
  more with the collector paused (`read_flow_runs` and the page iterators), which the bulk
  figure includes.
- **sync loop**: the same loop with the blocking clients.
- **loop with transient 503s**: {args.faults_loop} iterations, wall time: against the stub,
  1 in {args.fail_every} POSTs on a connection is answered 503 (the same for every contender);
  against a real server, `--load RATE` background writes a second (`tools/benchmarks/load.py`,
  {LOAD_RATE:g} by default: each creates a flow run and sets it Running) keep SQLite's writer
  lock busy so that some requests are answered 503, as on a loaded server. The figure is
  about how long each client waits before repeating; a call that fails after its retries is
  counted (and noted under the table), and the loop goes on.
- **iteration memory**: in a process of its own, the rise of the resident set (peak RSS,
  reset before the read) while reading {args.iter_rows:,} flow runs page by page and dropping
  them (prefect-sdk: `iter_flow_runs`; raw: `/flow_runs/paginate` pages; prefect-client, which
  has no iterator: `read_flow_runs` with offsets), and while reading them all into one list.

**Stub mode** (`--stub`): `tools/benchmarks/stub_server.py`, a loopback HTTP/1.1 server in a
process of its own, answers every route instantly with real Prefect 3.8.8 responses recorded
once (`tools/benchmarks/stub_responses.json`, refreshed by `--record`), each with the ids the
request names; list reads come from a table of {args.iter_rows:,} runs made from the recorded
one. Client CPU is then measured without the server's noise; wall times are mostly the
client's own.

**HTTP/2** is not measured: neither the Prefect server (uvicorn) nor the stub speaks it, and
httpx speaks it only over TLS with `h2` installed; measuring it needs a TLS-terminating HTTP/2
proxy in front of the server.
"""
    DOCS.write_text(text)
    log(f"wrote {DOCS.relative_to(ROOT)} and {CHART.relative_to(ROOT)}")


# -- profiling and the hooks diagnostic ------------------------------------------------------


PACKAGES = (
    ("/prefect_sdk/", "prefect-sdk"),
    ("/tools/benchmarks/", "benchmark worker"),
    ("/httpx/", "httpx"),
    ("/httpcore/", "httpcore"),
    ("/h11/", "h11"),
    ("/anyio/", "anyio"),
    ("/sniffio/", "anyio"),
    ("/pydantic/", "pydantic"),
    ("/pydantic_core/", "pydantic"),
    ("/pluggy/", "pluggy"),
    ("/prefect/", "prefect-client"),
    ("/asyncio/", "asyncio"),
)


def package_of(filename: str, function: str) -> str:
    if filename == "~":  # a built-in: classify by what it is a method of
        if "pydantic_core" in function:
            return "pydantic"
        if any(word in function for word in ("_socket", "epoll", "select", "_ssl")):
            return "system calls (socket, epoll)"
        return "builtins"
    for part, name in PACKAGES:
        if part in filename:
            return name
    return "stdlib / other"


def run_profile(runner: Runner, contender: str, block: str) -> tuple[Any, Any]:
    """Two copies of the cProfile statistics of ``block`` run by ``contender``'s worker."""
    import pstats

    phase = {"sync": "sync", "faults": "faults", "iter": "iter", "all": "all"}.get(block, "async")
    with tempfile.TemporaryDirectory(prefix="prefect-sdk-bench-prof-") as folder:
        out = str(Path(folder) / "profile.out")
        result = runner.run(contender, phase, profile=block, profile_out=out)
        if result is None or not Path(out).exists():
            raise SystemExit(f"profiling failed: {runner.errors}")
        return pstats.Stats(out), pstats.Stats(out)


def by_package(stats: Any) -> dict[str, float]:
    groups: dict[str, float] = {}
    for (filename, _, function), (_, _, own, _, _) in stats.stats.items():
        name = package_of(filename, function)
        groups[name] = groups.get(name, 0.0) + own
    return groups


def short(key: tuple[str, int, str]) -> str:
    filename, line, function = key
    if filename == "~":
        return function
    parts = Path(filename).parts
    for anchor in ("site-packages", "src", "lib"):
        if anchor in parts:
            parts = parts[len(parts) - parts[::-1].index(anchor) :]
            break
    return f"{'/'.join(parts[-3:])}:{line}({function})"


def profile(runner: Runner, contender: str, block: str, top: int, diff: bool) -> None:
    """Run one block of a contender's workload under cProfile and print where its time goes:
    own time by package, the top functions by own and by cumulative time, and prefect-sdk's
    own functions. With ``diff``, raw httpx's same block too, and what the contender spends
    beyond it, by package and by function (own time)."""
    stats, own_stats = run_profile(runner, contender, block)
    total = sum(v[2] for v in stats.stats.values())
    groups = by_package(stats)
    print(
        f"\n{contender}, block {block!r}: {total:.3f} s of profiled CPU time (cProfile inflates it)"
    )
    print("\nown time by package:")
    for name, own in sorted(groups.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<30} {own:8.3f} s  {own / total:6.1%}")
    stats.strip_dirs()
    for order in ("tottime", "cumulative"):
        print(f"\n== top {top} by {order} ==")
        stats.sort_stats(order).print_stats(top)
    for order in ("tottime", "cumulative"):
        print(f"\n== prefect-sdk's own functions, top {top} by {order} ==")
        own_stats.sort_stats(order).print_stats("/prefect_sdk/", top)
    if not diff or contender == "raw":
        return
    raw, _ = run_profile(runner, "raw", block)
    raw_total = sum(v[2] for v in raw.stats.values())
    raw_groups = by_package(raw)
    print(f"\n== {contender} vs raw httpx, block {block!r}: own time by package ==")
    print(f"  {'package':<30} {'raw':>8} {contender:>14} {'difference':>11}")
    for name in sorted(set(groups) | set(raw_groups), key=lambda n: -groups.get(n, 0.0)):
        ours, theirs = groups.get(name, 0.0), raw_groups.get(name, 0.0)
        print(f"  {name:<30} {theirs:8.3f} {ours:14.3f} {ours - theirs:+11.3f}")
    print(f"  {'total':<30} {raw_total:8.3f} {total:14.3f} {total - raw_total:+11.3f}")
    print(f"\n== {contender} vs raw httpx: top {top} functions by extra own time ==")
    print(f"  {'extra s':>8} {'calls':>8} {'raw calls':>9}  function")
    raw_own = dict(raw.stats)
    extra = []
    for key, (_, calls, own, _, _) in own_stats.stats.items():
        if package_of(key[0], key[2]) == "benchmark worker":
            continue  # the two workers' own functions differ by name: not comparable
        theirs = raw_own.get(key)
        extra.append((own - (theirs[2] if theirs else 0.0), calls, theirs[1] if theirs else 0, key))
    for more, calls, raw_calls, key in sorted(extra, key=lambda e: -e[0])[:top]:
        print(f"  {more:8.3f} {calls:8d} {raw_calls:9d}  {short(key)}")


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--stub", action="store_true", help="a loopback stub instead of a server")
    where.add_argument("--server", metavar="URL", help="a running Prefect 3.8.8 server's API URL")
    parser.add_argument("--quick", action="store_true", help="2 rounds, fewer import runs")
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/benchmarks.md")
    parser.add_argument("--rounds", type=int, help="rounds (5; --quick: 2)")
    parser.add_argument("--loop", type=int, default=300, help="call-loop iterations (300)")
    parser.add_argument("--bulk", type=int, default=10, help="bulk reads of 200 runs (10)")
    parser.add_argument("--conc", type=int, default=200, help="concurrent reads a batch (200)")
    parser.add_argument("--conc-batches", type=int, default=3, help="timed batches (3)")
    parser.add_argument(
        "--faults-loop", type=int, default=100, help="iterations of the loop with 503s (100)"
    )
    parser.add_argument(
        "--fail-every", type=int, default=50, help="stub: every N-th POST answers 503 (50)"
    )
    parser.add_argument(
        "--load",
        type=float,
        default=LOAD_RATE,
        help=f"server: background writes a second during the loaded loop ({LOAD_RATE:g})",
    )
    parser.add_argument("--iter-rows", type=int, default=20_000, help="runs iterated (20000)")
    parser.add_argument(
        "--iter-rounds", type=int, help="rounds of the iteration figures (stub: 3, server: 1)"
    )
    parser.add_argument("--import-runs", type=int, help="fresh interpreters a statement (20)")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to skip: import,async,sync,faults,iter",
    )
    parser.add_argument("--prefect-python", help="prefect-client's interpreter (made if absent)")
    parser.add_argument("--no-prefect-client", action="store_true", help="leave it out")
    parser.add_argument(
        "--installed-plugins",
        action="store_true",
        help="prefect-sdk with every installed plugin (default: the built-ins, as a core install)",
    )
    parser.add_argument("--fresh-server", action="store_true", help="own server: new database")
    parser.add_argument("--keep-runs", action="store_true", help="leave the loops' runs behind")
    parser.add_argument("--worker-timeout", type=float, default=1800, help="seconds (1800)")
    parser.add_argument("--json", metavar="PATH", help="also write every measurement as JSON")
    parser.add_argument(
        "--from-json",
        metavar="PATH",
        help="print (and with --write-docs, write) the results saved by --json, and exit",
    )
    parser.add_argument(
        "--profile",
        choices=["cold", "loop", "bulk", "conc", "parse", "sync", "faults", "iter", "all"],
        help="profile one block of a contender with cProfile instead of benchmarking",
    )
    parser.add_argument("--profile-contender", default="prefect-sdk", choices=CONTENDERS)
    parser.add_argument(
        "--profile-diff",
        action="store_true",
        help="also profile raw httpx and print what the contender spends beyond it",
    )
    parser.add_argument("--top", type=int, default=25, help="rows of the profile (25)")
    parser.add_argument(
        "--hooks", action="store_true", help="the per-request cost of the plugin hooks, and exit"
    )
    parser.add_argument(
        "--record", action="store_true", help="record the stub's answers from a server, and exit"
    )
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - {"import", "async", "sync", "faults", "iter"}
    if unknown:
        parser.error(f"--skip: unknown {sorted(unknown)}")
    if args.rounds is None:
        args.rounds = 2 if args.quick else 5
    if args.iter_rounds is None:
        # Reading 20,000 runs from a SQLite server takes minutes a process; the RSS growth
        # moves little between rounds.
        args.iter_rounds = 1 if args.quick or not args.stub else 3
    if args.import_runs is None:
        args.import_runs = 8 if args.quick else 20
    return args


@contextlib.contextmanager
def target_for(args: argparse.Namespace) -> Iterator[Target]:
    need_iter = "iter" not in args.skip
    if args.stub:
        stub = Stub(args.iter_rows, args.fail_every)
        try:
            recorded = json.loads((HERE / "stub_responses.json").read_text())
            yield Target(
                "stub",
                stub.api,
                stub.flaky_api,
                recorded["flow"]["id"],
                None,
                "the loopback stub server (`--stub`)",
            )
        finally:
            stub.stop()
        return
    with contextlib.ExitStack() as stack:
        if args.server:
            api = args.server.rstrip("/")
            description = f"the Prefect server at {api}"
        else:
            api = stack.enter_context(own_server(args.fresh_server))
            description = "a Prefect 3.8.8 server on loopback (SQLite, the test settings)"
        flow_id, deployment = prepare_server(api, args.iter_rows, need_iter)
        try:
            yield Target("server", api, api, flow_id, deployment, description)
        finally:
            if not args.keep_runs:
                clean_up(api)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        render(json.loads(Path(args.from_json).read_text()), write=args.write_docs)
        return 0
    if args.hooks:
        hooks = [sys.executable, str(HERE / "hooks.py")]
        return subprocess.call(hooks + (["-n", "5000", "-r", "3"] if args.quick else []))
    if args.record:
        if args.stub:
            raise SystemExit("--record needs a real server (--server URL, or none for our own)")
        if args.server:
            record(args.server.rstrip("/"))
        else:
            with own_server(False) as api:
                record(api)
        return 0
    pythons = {"raw": sys.executable, "prefect-sdk": sys.executable}
    if args.profile and args.profile_contender != "prefect-client":
        args.no_prefect_client = True
    pc = prefect_client_python(args)
    if pc:
        pythons["prefect-client"] = pc
    facts = machine_facts()
    with (
        tempfile.TemporaryDirectory(prefix="prefect-sdk-bench-") as home,
        target_for(args) as target,
    ):
        runner = Runner(args, target, pythons, Path(home))
        if args.profile:
            profile(runner, args.profile_contender, args.profile, args.top, args.profile_diff)
            return 0
        figures_list = make_figures(args, target.mode)
        figures = {f.key: f for f in figures_list}
        counts = Counts()
        extras: dict[str, Any] = {}
        statements: list[Statement] = []
        if "import" not in args.skip:
            statements = measure_imports(runner, figures, args.import_runs, details=True)
        run_rounds(runner, figures, counts, extras)
    saved = {
        "facts": facts,
        "facts_after": machine_facts(),
        "mode": target.mode,
        "target": target.description,
        "args": {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(args).items()},
        "figures": {f.key: f.values for f in figures_list},
        "notes": {f.key: f.note for f in figures_list if f.note},
        "counts": {f"{c}/{p}": v for (c, p), v in counts.found.items()},
        "imports": [
            {
                "label": s.label,
                "contender": s.contender,
                "key": s.key,
                "times": s.times,
                "heavy": s.heavy,
                "modules": s.modules,
                "error": s.error,
            }
            for s in statements
        ],
        "extras": extras,
        "errors": runner.errors,
    }
    if args.json:
        Path(args.json).write_text(json.dumps(saved, indent=1) + "\n")
    render(saved, write=args.write_docs)
    return 0


def build_report(saved: dict[str, Any]) -> tuple[dict[str, Any], argparse.Namespace]:
    """The tables of a saved run, and its arguments."""
    args = argparse.Namespace(**saved["args"])
    figures_list = make_figures(args, saved["mode"])
    for fig in figures_list:
        fig.values = saved["figures"].get(fig.key, {})
        fig.note = saved.get("notes", {}).get(fig.key, "")
    counts = Counts()
    for key, found in saved["counts"].items():
        contender, part = key.split("/")
        counts.found[(contender, part)] = [
            (int(row[0]), int(row[1]), int(row[2]) if len(row) > 2 else 0) for row in found
        ]
    failed = counts.failures("faults")
    if failed:
        figures_by_key = {f.key: f for f in figures_list}
        figures_by_key["faults_wall"].note = (
            "calls that failed after their retries (all rounds; their wall time is counted): "
            + ", ".join(f"{c} {n}" for c, n in failed.items())
        )
    statements = [
        Statement(
            s["key"],
            s["contender"],
            s["label"],
            "",
            s["times"],
            s["heavy"],
            s["modules"],
            s["error"],
        )
        for s in saved["imports"]
    ]
    facts = saved["facts"]
    report = {
        "facts": facts,
        "target": saved["target"],
        "table": table(figures_list),
        "counts": counts_table(counts, args),
        "imports": import_table(statements) if statements else "(not measured)",
        "errors": saved["errors"],
        "notes": [f"{f.label}: {f.note}" for f in figures_list if f.note],
        "chart": svg_chart(
            figures_list, f"prefect-sdk and prefect-client, ratio to raw httpx ({saved['mode']})"
        ),
        "statements": statements,
        "extras": saved["extras"],
        "mode": saved["mode"],
    }
    return report, args


def render(saved: dict[str, Any], write: bool) -> None:
    """Print the tables of a run (measured now, or loaded by --from-json) and, with ``write``,
    rewrite docs/benchmarks.md and docs/benchmarks.svg (with the last written run of the other
    mode, from tools/benchmarks/results/, below this one's) and keep this run there."""
    report, args = build_report(saved)
    facts = report["facts"]
    statements = report["statements"]
    print()
    print(f"{saved['target']}; {args.rounds} rounds; {facts['cpus']}; Python {facts['python']}")
    after = saved.get("facts_after", {}).get("load", "?")
    print(f"load average at the start: {facts['load']}; at the end: {after}")
    print()
    print(report["table"])
    print()
    print(report["counts"])
    if statements:
        print()
        print(report["imports"])
    for key in ("bulk_rows", "iter_rows", "all_rows"):
        if key in saved["extras"]:
            print(f"rows read, {key.split('_')[0]}: {saved['extras'][key]}")
    for note in report["notes"]:
        print(f"note: {note}")
    if saved["errors"]:
        print("\nerrors:")
        for error in saved["errors"]:
            print(f"  {error}")
    if write:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{saved['mode']}.json").write_text(json.dumps(saved, indent=1) + "\n")
        other_file = RESULTS / f"{'server' if saved['mode'] == 'stub' else 'stub'}.json"
        other = build_report(json.loads(other_file.read_text())) if other_file.exists() else None
        write_docs(report, args, other)


if __name__ == "__main__":
    raise SystemExit(main())
