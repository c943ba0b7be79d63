#!/usr/bin/env python3
"""Run the fault matrix for prefect-sdk and for prefect-client, and write docs/reliability.md.

    .venv/bin/python tools/fault_matrix.py                       # starts a Prefect 3.8.8 server
    .venv/bin/python tools/fault_matrix.py --api http://127.0.0.1:4200/api
    .venv/bin/python tools/fault_matrix.py --prefect-python /tmp/pc/.venv/bin/python
    .venv/bin/python tools/fault_matrix.py --from-json sdk.json pc.json   # just write the page

prefect-sdk: the fault suite (``tests/faults``, pytest) with ``PREFECT_SDK_FAULT_MATRIX``
naming a JSON file, against the server (``PREFECT_SDK_TEST_API_URL``). Failing cases are
expected while the client misses a goal; the page shows them.

prefect-client: ``tools/_fault_matrix_prefect_client.py``, run by an interpreter of an
isolated environment (never the project's lock): ``--prefect-python``, else the benchmarks'
``.bench/prefect-client-3.8.8``, made on first use with ``uv venv <dir> --python <this
Python>`` and ``uv pip install --python <dir>/bin/python prefect-client==3.8.8 "fastapi<0.150"
httpx==<this env's> pydantic==<this env's>``. It drives the same cases through the same proxy
with prefect-client's ``get_client()`` and writes JSON.

Both runs use the same server, one after the other; the page (``--out``, default
docs/reliability.md) puts the two matrices side by side with the counts per outcome.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults._harness import (  # noqa: E402
    FAULT_LABELS,
    FAULTS,
    OUTCOMES,
    SHORT,
)
from tools._isolated import PREFECT_CLIENT_VERSION, prefect_client_python  # noqa: E402

DRIVER = ROOT / "tools" / "_fault_matrix_prefect_client.py"


def log(message: str) -> None:
    print(f"[fault_matrix] {message}", file=sys.stderr, flush=True)


# -- the runs ----------------------------------------------------------------------------------


@contextlib.contextmanager
def server(api: str | None) -> Iterator[str]:
    if api:
        yield api.rstrip("/")
        return
    from prefect_sdk.devserver import TEST_SETTINGS, PrefectServer

    log("starting a Prefect 3.8.8 server (TEST_SETTINGS) ...")
    with PrefectServer(env=dict(TEST_SETTINGS)) as running:
        yield running.api_url


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PREFECT_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    # prefect-sdk's own switches stay (PREFECT_SDK_UV: where uv is).
    env.update({k: v for k, v in os.environ.items() if k.startswith("PREFECT_SDK_")})
    env.update(extra)
    return env


def run_sdk(api: str, out: Path) -> dict[str, Any]:
    log("prefect-sdk: pytest tests/faults ...")
    env = clean_env(PREFECT_SDK_TEST_API_URL=api, PREFECT_SDK_FAULT_MATRIX=str(out))
    command = [sys.executable, "-m", "pytest", "tests/faults", "-q", "-p", "no:cacheprovider"]
    started = time.monotonic()
    proc = subprocess.run(
        [*command, "--tb=no", "-rN"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    log(f"prefect-sdk: pytest exited {proc.returncode} in {time.monotonic() - started:.0f}s")
    if not out.exists():
        raise SystemExit(f"the fault suite wrote no matrix:\n{proc.stdout[-3000:]}{proc.stderr}")
    report: dict[str, Any] = json.loads(out.read_text())
    report["suite_seconds"] = round(time.monotonic() - started, 1)
    report["pytest_summary"] = (proc.stdout.strip().splitlines() or [""])[-1]
    return report


def run_prefect_client(api: str, interpreter: str, out: Path) -> dict[str, Any]:
    log(f"prefect-client: {interpreter} {DRIVER.name} ...")
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        # cwd is a temporary directory: nothing in the checkout shadows an import there.
        proc = subprocess.run(
            [interpreter, str(DRIVER), "--api", api, "--out", str(out)],
            cwd=workdir,
            env=clean_env(PREFECT_HOME=workdir),
            capture_output=True,
            text=True,
        )
    log(f"prefect-client: exited {proc.returncode} in {time.monotonic() - started:.0f}s")
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"the prefect-client run failed:\n{proc.stdout[-3000:]}{proc.stderr}")
    report: dict[str, Any] = json.loads(out.read_text())
    return report


# -- the page ----------------------------------------------------------------------------------


def grid(report: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    cells: dict[str, dict[str, dict[str, str]]] = {}
    for row in report["cases"]:
        by_fault = cells.setdefault(row["operation"], {})
        by_fault.setdefault(row["fault"], {})[row["client"]] = row["outcome"]
    return cells


def cell(by_client: dict[str, str] | None) -> str:
    if not by_client:
        return "n/a"
    names = [SHORT.get(by_client[k], by_client[k]) for k in ("async", "sync") if k in by_client]
    return names[0] if len(set(names)) == 1 else "/".join(names)


def side_by_side(sdk: dict[str, Any], pc: dict[str, Any]) -> str:
    a, b = grid(sdk), grid(pc)
    operations = list(a) + [op for op in b if op not in a]
    header = ["operation", *(FAULT_LABELS.get(f, f) for f in FAULTS)]
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " :---: |" * len(FAULTS)]
    for op in operations:
        cells = []
        for fault in FAULTS:
            ours = cell(a.get(op, {}).get(fault))
            theirs = cell(b.get(op, {}).get(fault))
            text = f"{ours} · {theirs}"
            bad = {"DUP", "LOST", "WRONG", "CRASH", "ERR"}
            if any(part in bad for part in ours.split("/")):
                text = f"**{ours}** · {theirs}"
            cells.append(text)
        lines.append(f"| `{op}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def count_table(sdk: dict[str, Any], pc: dict[str, Any]) -> str:
    def tally(report: dict[str, Any], faults: tuple[str, ...]) -> dict[str, int]:
        found = dict.fromkeys(OUTCOMES, 0)
        for row in report["cases"]:
            if row["fault"] in faults:
                found[row["outcome"]] = found.get(row["outcome"], 0) + 1
        return found

    ten = FAULTS[:10]
    columns = [
        ("prefect-sdk, issue's ten faults", tally(sdk, ten)),
        ("prefect-client, issue's ten faults", tally(pc, ten)),
        ("prefect-sdk, all", tally(sdk, FAULTS)),
        ("prefect-client, all", tally(pc, FAULTS)),
    ]
    lines = ["| outcome | " + " | ".join(name for name, _ in columns) + " |"]
    lines.append("| --- |" + " ---: |" * len(columns))
    for outcome in OUTCOMES:
        values = [counts.get(outcome, 0) for _, counts in columns]
        if any(values) or outcome in OUTCOMES[:5]:
            lines.append(f"| {outcome} | " + " | ".join(str(v) for v in values) + " |")
    totals = [sum(counts.values()) for _, counts in columns]
    lines.append("| **cases** | " + " | ".join(f"**{t}**" for t in totals) + " |")
    return "\n".join(lines)


def misses(sdk: dict[str, Any]) -> str:
    rows = [row for row in sdk["cases"] if not row.get("as_expected", True)]
    if not rows:
        return "Every prefect-sdk case had an expected outcome."
    lines = [
        f"{len(rows)} prefect-sdk case(s) missed the outcome the suite expects:",
        "",
        "| case | outcome | expected | what happened |",
        "| --- | --- | --- | --- |",
    ]
    for row in rows:
        what = (
            f"{row['error_type']}: {row['error']}"
            if row["error_type"]
            else f"returned; {row['effects']} effect(s) on the server"
        )
        what = what.replace("|", "\\|")[:300]
        case = f"`{row['operation']}` {row['fault']} ({row['client']})"
        lines.append(f"| {case} | {row['outcome']} | {', '.join(row['expected'])} | {what} |")
    return "\n".join(lines)


def restart_section(sdk: dict[str, Any]) -> str:
    restart = sdk.get("restart") or {}
    if not restart:
        return "The restart scenario did not run."
    lines = [
        "| client | calls | ok | raised-clean | raised-but-done | duplicate | lost | "
        "made while down | of those ok | failed after the restart |",
        "| --- |" + " ---: |" * 9,
    ]
    for kind, t in restart.get("clients", {}).items():
        values = [
            t["calls"],
            t["ok"],
            t["raised-clean"],
            t["raised-but-done"],
            t["duplicate"],
            t["lost"],
            t["while-down"],
            t["ok-while-down"],
            t.get("failed-after-restart", 0),
        ]
        lines.append(f"| {kind} | " + " | ".join(str(v) for v in values) + " |")
    lines.append("")
    lines.append(
        f"The server was down for {restart.get('down_seconds')} s (its restart took "
        f"{restart.get('restart_seconds')} s). Problems found: "
        + ("none." if not restart.get("problems") else "; ".join(restart["problems"]))
    )
    return "\n".join(lines)


PAGE = """# Reliability under faults

How the clients behave when a request or its answer goes wrong on the way: every write
operation, under every fault kind, on the async client (asyncio) and the blocking client,
against a real Prefect {server} server. prefect-sdk {sdk_version} beside prefect-client
{pc_version}, on the same cases, through the same fault-injecting proxy.

Generated by `tools/fault_matrix.py` on {date} (Python {python}; a 2-core VM shared with other
work: timings are indicative only).

## How a case is run and judged

The suite (`tests/faults/`) puts a fault-injecting HTTP/1.1 proxy (`tests/faults/_proxy.py`:
asyncio, real loopback sockets, keep-alive) between the client and the server. For each case
it sets up fresh objects on the server directly, arms one fault for the **first attempt** of the
case's own request (later attempts pass through), makes the call through the proxy with a fresh
client, then reads the server **directly** and classifies:

| outcome | meaning |
| --- | --- |
| ok | returned the right value, and the effect exists exactly once |
| raised-clean (RC) | raised the library's own error, and there is no effect |
| raised-but-done (RD) | raised the library's own error, although the effect happened (once) |
| duplicate (DUP) | the effect happened twice |
| lost (LOST) | returned success, but there is no effect |
| wrong (WRONG) | returned, the effect exists once, but the value returned is not it |
| crashed (CRASH) | raised an exception that is not one of the library's errors (see below) |

The library's errors: for prefect-sdk, `PrefectSDKError` and its subclasses; for
prefect-client, `PrefectException` and `httpx.HTTPError` (its `PrefectHTTPStatusError` is one).

The faults (the first ten are issue 11's; the last two make the first attempt reach the server
after the client gave up on it, so a retry gets there first):

| fault | what the proxy does |
| --- | --- |
| reset | reads the request, then resets the connection (RST); the server never sees it |
| drop | forwards; the server commits; the answer is dropped and the connection reset |
| 503 | answers 503 itself, no `Retry-After` |
| 503 RA s | answers 503 with `Retry-After: 1` |
| 503 RA date | answers 503 with `Retry-After` an HTTP date about a second ahead |
| 429 | answers 429 itself, no `Retry-After` |
| 502 html | answers 502 with a gateway's HTML page |
| bad 2xx | forwards; answers the server's 2xx status with a body that is not JSON |
| truncated | forwards; sends the real `Content-Length` but half the body, then closes |
| slow | forwards; holds the answer (3 s) longer than the client's timeout (2 s) |
| late req | holds the *request* past the client's timeout, then forwards it (after the retry) |
| reset busy | resets the connection at once, forwards the request 1.5 s later (after the retry) |

The goals (issue 11): no duplicate and nothing lost; every case `ok`, except a malformed 2xx
body, which must raise `UnexpectedResponseError` naming the operation (an operation that returns
nothing does not read the body, and is `ok`). Creates the server cannot recognise a repeat of
(artifacts, log lines, automations) are retried only when the request provably never reached
the server (a 429): after the other faults they raise (RC or RD), never duplicate.

## Counts

{counts}

## The matrix, side by side

Each cell is `prefect-sdk · prefect-client`; `a/b` is the async client / the blocking client
when they differ. **Bold**: a prefect-sdk cell with a duplicate, a lost effect, a wrong value or
a crash. `n/a`: the client has no HTTP call for the operation ({left_out}).

{matrix}

Reading the prefect-client column (3.8.8): it repeats every request after a transport error,
a read timeout, a 502, a 503 or a 429, whatever the method, with a backoff of 2 s and more.
So a create the server does not deduplicate is made twice when the first answer is lost
(drop, truncated, slow, late req, reset busy: flow runs, artifacts, log lines, automations, a
task run's state); a name-unique create gets 409 on the repeat and raises `ObjectAlreadyExists`
although its object was made (RD), and so does a delete (404); `set_flow_run_state` returns the
server's REJECT of its own repeated transition (WRONG: the run is in the proposed state, the
call says it was refused); a malformed body raises `json.JSONDecodeError` (CRASH).

Reading the prefect-sdk column: RC and RD for artifacts, log lines and automations are the
goal (they are not repeated after a fault that may have reached the server); a malformed 2xx
body raises `UnexpectedResponseError` naming the operation (RD: the server did commit).

### prefect-sdk cases that miss the suite's expectation

{misses}

## Server restart

A loop of 100 operations per client (create a flow run, propose Running for it, read it back)
against a server of its own, stopped after 30 operations and started again on the same port and
database (prefect-sdk only). Calls made while it is down must either succeed after retrying or
raise a connection error (or the starting server's "busy" 503) with no effect; nothing may be
duplicated or lost; the last calls must succeed again.

{restart}

## Reproduce

```bash
export PATH=$PWD/.tools-venv/bin:$PATH   # uv, if it is not on PATH
.venv/bin/python tools/fault_matrix.py [--api http://127.0.0.1:4200/api] \\
    [--prefect-python /path/to/venv-with-prefect-client/bin/python]
# prefect-sdk alone (pytest; prints the matrix at the end):
PREFECT_SDK_FAULT_MATRIX=/tmp/sdk.json .venv/bin/python -m pytest tests/faults
```

Without `--api` the tool starts a Prefect {server} server (in its own uv environment) and uses
it for both clients. Without `--prefect-python` it uses the benchmarks' environment for
prefect-client {pc_version}, `.bench/prefect-client-{pc_version}` (made on first use: `uv venv`,
then `uv pip install prefect-client=={pc_version} "fastapi<0.150"` with this environment's httpx
and pydantic versions); prefect-client never enters the project's environment.

The cases run concurrently (16 threads; most of a case is waiting), but the server sees their
writes one at a time: a Prefect 3.8.8 server on SQLite answers concurrent writes with its own
"busy" 503 and, with a few deployment writes at once, can hold its write lock for its full
60 s busy timeout. prefect-sdk: {sdk_cases} cases in {sdk_seconds} s (the whole suite, with the
restart scenario running beside the matrix: {suite_seconds} s); prefect-client: {pc_cases}
cases in {pc_seconds} s (its retries wait 2 s and more).
"""


def write_page(sdk: dict[str, Any], pc: dict[str, Any], out: Path) -> None:
    left_out = pc.get("left_out", {})
    text = PAGE.format(
        server="3.8.8",
        sdk_version=sdk.get("client_version", "?"),
        pc_version=pc.get("client_version", PREFECT_CLIENT_VERSION),
        date=dt.date.today().isoformat(),
        python=sdk.get("python", "?"),
        counts=count_table(sdk, pc),
        matrix=side_by_side(sdk, pc),
        left_out="; ".join(f"`{op}`: {why}" for op, why in left_out.items()) or "none",
        misses=misses(sdk),
        restart=restart_section(sdk),
        sdk_cases=len(sdk["cases"]),
        sdk_seconds=sdk.get("matrix_seconds", "?"),
        suite_seconds=sdk.get("suite_seconds", "?"),
        pc_cases=len(pc["cases"]),
        pc_seconds=pc.get("matrix_seconds", "?"),
    )
    out.write_text(text)
    log(f"wrote {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--api", help="a running Prefect 3.8.8 server (default: start one)")
    parser.add_argument("--prefect-python", help="an interpreter with prefect-client installed")
    parser.add_argument(
        "--python", default=sys.executable, help="Python for prefect-client's new environment"
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "reliability.md"))
    parser.add_argument("--keep", help="a directory to keep both runs' JSON in")
    parser.add_argument(
        "--from-json", nargs=2, metavar=("SDK_JSON", "PC_JSON"), help="just write the page"
    )
    args = parser.parse_args()

    if args.from_json:
        sdk, pc = (json.loads(Path(p).read_text()) for p in args.from_json)
        write_page(sdk, pc, Path(args.out))
        return 0
    interpreter = args.prefect_python or prefect_client_python(args.python, log)
    with tempfile.TemporaryDirectory() as scratch:
        where = Path(args.keep) if args.keep else Path(scratch)
        where.mkdir(parents=True, exist_ok=True)
        with server(args.api) as api:
            sdk = run_sdk(api, where / "prefect-sdk.json")
            pc = run_prefect_client(api, interpreter, where / "prefect-client.json")
        (where / "prefect-sdk.json").write_text(json.dumps(sdk, indent=1) + "\n")
        write_page(sdk, pc, Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
