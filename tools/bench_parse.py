#!/usr/bin/env python3
"""Measure the CPU cost of turning a bulk-read response into objects, against prefect-client.

    .venv/bin/python tools/bench_parse.py                   # server at 127.0.0.1:4299
    .venv/bin/python tools/bench_parse.py --api http://127.0.0.1:4200/api -n 50 -r 9
    .venv/bin/python tools/bench_parse.py --tag bench-parse # runs with parameters (see below)
    .venv/bin/python tools/bench_parse.py --no-official     # skip the prefect-client child

One payload is fetched once, as raw bytes, from a running Prefect server
(``POST /flow_runs/filter`` with ``{"limit": 200}``; if the server has fewer than 200 flow
runs, the missing ones are created first with ``SyncPrefectClient``, with parameters and
tags) and saved to a temporary file.  With ``--tag TAG`` the read is restricted to runs
tagged ``TAG`` (``flow_runs.tags.all_``), and runs with that tag are created (and left on
the server for the next time) until there are 200: a payload whose runs all carry
parameters, whatever else the server holds.  Then the same bytes are parsed, ``-n`` times per repeat
and ``-r`` repeats, cases interleaved, timing CPU with ``time.process_time``:

* ``json.loads``: the floor, plain JSON into dicts and lists;
* ``prefect-sdk``: what our client does with a response body,
  ``adapter(list[FlowRun]).validate_json(data)`` (pydantic-core parses JSON straight into
  models);
* ``json then validate``: our models the two-step way,
  ``TypeAdapter(list[FlowRun]).validate_python(json.loads(data))``;
* ``prefect-client``, in a child process with ``prefect-client==3.8.8`` installed by
  ``uv run --no-project --with ...`` (same Python, and by default the same pydantic version
  as this interpreter): what its ``read_flow_runs`` does, ``FlowRun.model_validate_list(
  response.json())`` on an ``httpx.Response`` holding the bytes, plus the same JSON floor and
  two variants (``TypeAdapter(list[FlowRun])`` with ``validate_python(json.loads(...))`` and
  with ``validate_json``) so model cost and parse route can be told apart.

Ratios against ``json.loads`` use the floor measured in the same process.  Peak memory of one
parse is taken with ``tracemalloc`` (it sees the Python heap only: the objects built, not
pydantic-core's own buffers).  Finally, end to end against the server: ``-c`` calls of
``SyncPrefectClient.read_flow_runs(limit=200)`` and of a bare ``httpx.Client.post(...).json()``
(interleaved), and in the child prefect-client's sync ``read_flow_runs(limit=200)`` with its
own bare-httpx reference; median wall time and client CPU per call.  The server runs on the
same machine, so wall times include its work.

Nothing is asserted; the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import httpx
from pydantic import TypeAdapter

from prefect_sdk.client._base import adapter
from prefect_sdk.filters import FlowRunFilter, FlowRunFilterTags
from prefect_sdk.schemas import FlowRun
from prefect_sdk.sync import SyncPrefectClient

DEFAULT_API = "http://127.0.0.1:4299/api"
PREFECT_VERSION = "3.8.8"
LIMIT = 200


# --- measuring (standard library only: the child process runs the same source) -------------


def measure_cpu(
    cases: dict[str, Callable[[], object]], iterations: int, repeats: int
) -> dict[str, list[float]]:
    """CPU seconds per call of each case, one value per repeat; cases interleaved per repeat."""
    import gc
    import time

    for fn in cases.values():
        fn()  # warm-up: builds validators, fills caches
    out: dict[str, list[float]] = {key: [] for key in cases}
    for _ in range(repeats):
        for key, fn in cases.items():
            gc.collect()
            start = time.process_time()
            for _ in range(iterations):
                fn()
            out[key].append((time.process_time() - start) / iterations)
    return out


def measure_calls(
    cases: dict[str, Callable[[], object]], calls: int
) -> dict[str, dict[str, list[float]]]:
    """Wall and CPU seconds of each call; cases round-robin, one warm-up call each."""
    import time

    for fn in cases.values():
        fn()
    out: dict[str, dict[str, list[float]]] = {key: {"wall": [], "cpu": []} for key in cases}
    for _ in range(calls):
        for key, fn in cases.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            out[key]["cpu"].append(time.process_time() - cpu)
            out[key]["wall"].append(time.perf_counter() - wall)
    return out


def peak_bytes(fn: Callable[[], object]) -> dict[str, int]:
    """Python-heap bytes at the peak of one call, and still held by its result afterwards."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return {"peak": peak, "retained": current}


CHILD_BODY = """
import json, os, sys
import httpx, pydantic
from pydantic import TypeAdapter
from prefect.client.schemas.objects import FlowRun

mode, path, n, r, calls, api, limit, tag = sys.argv[1:9]
with open(path, "rb") as f:
    data = f.read()
report = {"pydantic": pydantic.__version__, "python": sys.version.split()[0]}
if mode == "parse":
    response = httpx.Response(
        200, content=data, headers={"content-type": "application/json"}
    )
    ta = TypeAdapter(list[FlowRun])
    cases = {
        "json.loads": lambda: json.loads(data),
        "read_flow_runs": lambda: FlowRun.model_validate_list(response.json()),
        "json then validate": lambda: ta.validate_python(json.loads(data)),
        "validate_json": lambda: ta.validate_json(data),
    }
    report["count"] = len(cases["read_flow_runs"]())
    report["cpu"] = measure_cpu(cases, int(n), int(r))
    report["mem"] = {key: peak_bytes(fn) for key, fn in cases.items()}
else:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags

    body = {"limit": int(limit)}
    run_filter = None
    if tag:
        body["flow_runs"] = {"tags": {"all_": [tag]}}
        run_filter = FlowRunFilter(tags=FlowRunFilterTags(all_=[tag]))
    with get_client(sync_client=True) as client, httpx.Client(base_url=api) as bare:
        cases = {
            "read_flow_runs": lambda: client.read_flow_runs(
                limit=int(limit), flow_run_filter=run_filter
            ),
            "httpx": lambda: bare.post("/flow_runs/filter", json=body).json(),
        }
        report["count"] = len(cases["read_flow_runs"]())
        report["calls"] = measure_calls(cases, int(calls))
print("BENCH " + json.dumps(report))
"""


def child_source() -> str:
    helpers = "\n\n".join(inspect.getsource(f) for f in (measure_cpu, measure_calls, peak_bytes))
    return "from __future__ import annotations\nfrom typing import Any, Callable\n\n" + (
        helpers + CHILD_BODY
    )


# --- the payload -----------------------------------------------------------------------------


def run_filter(tag: str) -> dict[str, Any]:
    return {"flow_runs": {"tags": {"all_": [tag]}}} if tag else {}


def count_runs(http: httpx.Client, tag: str) -> int:
    response = http.post("/flow_runs/count", json=run_filter(tag))
    response.raise_for_status()
    return int(response.json())


def seed_runs(api: str, missing: int, tag: str) -> None:
    """Create ``missing`` flow runs with parameters and tags, so the payload has 200 runs."""
    print(f"fewer than {LIMIT} flow runs to read: creating {missing} ...", flush=True)
    batch = uuid.uuid4().hex[:8]
    with SyncPrefectClient(api) as client:
        flow = client.create_flow("bench-parse")
        for i in range(missing):
            client.create_flow_run(
                flow,
                parameters={
                    "index": i,
                    "source": f"s3://bench/{batch}/part-{i:04d}.parquet",
                    "options": {"overwrite": i % 2 == 0, "retries": i % 4, "ratio": i / 7},
                    "columns": ["id", "name", "created", "amount"],
                },
                tags=[tag or "bench-parse", f"batch-{batch}", f"shard-{i % 8}"],
            )


def fetch_payload(api: str, body: dict[str, Any], tag: str) -> bytes:
    with httpx.Client(base_url=api, timeout=60) as http:
        have = count_runs(http, tag)
        if have < LIMIT:
            seed_runs(api, LIMIT - have, tag)
        response = http.post("/flow_runs/filter", json=body)
        response.raise_for_status()
        return response.content


# --- the prefect-client child ----------------------------------------------------------------


def run_child(args: argparse.Namespace, mode: str, path: str, workdir: str) -> dict[str, Any] | str:
    """Run the child with prefect-client; its report, or why there is none."""
    uv = shutil.which("uv")
    if uv is None:
        return "uv is not on PATH"
    command = [uv, "run", "--no-project", "--quiet", "--with", f"prefect-client=={args.prefect}"]
    if args.child_pydantic != "any":
        command += ["--with", f"pydantic=={args.child_pydantic}"]
    command += ["python", "-c", child_source(), mode, path]
    command += [str(args.iterations), str(args.repeats), str(args.calls), args.api, str(LIMIT)]
    command += [args.tag]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "VIRTUAL_ENV"))}
    env.update(
        PREFECT_API_URL=args.api,
        PREFECT_HOME=os.path.join(workdir, "prefect-home"),
        PREFECT_SERVER_ALLOW_EPHEMERAL_MODE="false",
    )
    env.setdefault("UV_PYTHON", sys.executable)
    # cwd is the temp dir, so nothing in the checkout can shadow an import in the child.
    proc = subprocess.run(command, capture_output=True, text=True, env=env, cwd=workdir)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            report: dict[str, Any] = json.loads(line[len("BENCH ") :])
            return report
    tail = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-5:]
    return f"exit {proc.returncode}: " + " | ".join(tail)


# --- reporting -------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f}"


def kib(n: int) -> str:
    return f"{n / 1024:8.0f}"


def print_cpu_table(rows: list[tuple[str, list[float], float]]) -> None:
    print(f"{'case':<52} {'median ms':>9} {'best ms':>8} {'x json.loads':>12}")
    for label, times, floor in rows:
        median = statistics.median(times)
        print(f"{label:<52} {ms(median):>9} {ms(min(times)):>8} {median / floor:>11.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api", default=DEFAULT_API, help=f"server API URL ({DEFAULT_API})")
    parser.add_argument("-n", "--iterations", type=int, default=20, help="parses per repeat")
    parser.add_argument("-r", "--repeats", type=int, default=7, help="repeats per case")
    parser.add_argument("-c", "--calls", type=int, default=30, help="end-to-end calls per case")
    parser.add_argument("--tag", default="", help="read (and create) runs with this tag only")
    parser.add_argument("--prefect", default=PREFECT_VERSION, help="prefect-client version")
    parser.add_argument(
        "--child-pydantic",
        default=version("pydantic"),
        help="pydantic version for the child ('any': let uv choose); default: this one's",
    )
    parser.add_argument("--no-official", action="store_true", help="skip prefect-client")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end calls")
    args = parser.parse_args()
    args.api = args.api.rstrip("/")

    body = {"limit": LIMIT, **run_filter(args.tag)}
    data = fetch_payload(args.api, body, args.tag)
    runs = json.loads(data)
    with_params = sum(1 for run in runs if run.get("parameters"))
    with_tags = sum(1 for run in runs if run.get("tags"))
    print(
        f"payload: POST {args.api}/flow_runs/filter {json.dumps(body)} -> {len(data)} bytes, "
        f"{len(runs)} flow runs ({with_params} with parameters, {with_tags} with tags)"
    )
    print(
        f"python {sys.version.split()[0]}, pydantic {version('pydantic')}, "
        f"{os.cpu_count()} CPUs; {args.iterations} parses x {args.repeats} repeats, "
        "CPU time (process_time) per parse"
    )

    with tempfile.TemporaryDirectory(prefix="bench-parse-") as workdir:
        path = os.path.join(workdir, "flow_runs.json")
        with open(path, "wb") as f:
            f.write(data)
        with open(path, "rb") as f:
            data = f.read()

        ours = adapter(list[FlowRun])
        two_step = TypeAdapter(list[FlowRun])
        cases: dict[str, Callable[[], object]] = {
            "json.loads": lambda: json.loads(data),
            "prefect-sdk": lambda: ours.validate_json(data),
            "json then validate": lambda: two_step.validate_python(json.loads(data)),
        }
        cpu = measure_cpu(cases, args.iterations, args.repeats)
        mem = {key: peak_bytes(fn) for key, fn in cases.items()}

        official: dict[str, Any] | str = "skipped (--no-official)"
        if not args.no_official:
            print(f"running prefect-client {args.prefect} in a child (uv run) ...", flush=True)
            official = run_child(args, "parse", path, workdir)

        floor = statistics.median(cpu["json.loads"])
        print()
        rows = [
            ("json.loads(data)", cpu["json.loads"], floor),
            ("prefect-sdk: adapter(list[FlowRun]).validate_json", cpu["prefect-sdk"], floor),
            ("prefect-sdk models: validate_python(json.loads)", cpu["json then validate"], floor),
        ]
        if isinstance(official, dict):
            ocpu = official["cpu"]
            ofloor = statistics.median(ocpu["json.loads"])
            rows += [
                ("prefect-client child: json.loads(data)", ocpu["json.loads"], ofloor),
                (
                    "prefect-client: model_validate_list(resp.json())",
                    ocpu["read_flow_runs"],
                    ofloor,
                ),
                (
                    "prefect-client models: validate_python(json.loads)",
                    ocpu["json then validate"],
                    ofloor,
                ),
                ("prefect-client models: validate_json", ocpu["validate_json"], ofloor),
            ]
        print_cpu_table(rows)
        print("(ratios use the json.loads floor measured in the same process)")
        print()
        ours_median = statistics.median(cpu["prefect-sdk"])
        print(
            "prefect-sdk parse vs json-then-validate (same models): "
            f"{statistics.median(cpu['json then validate']) / ours_median:.1f}x less CPU"
        )
        if isinstance(official, dict):
            theirs = statistics.median(official["cpu"]["read_flow_runs"])
            print(
                f"prefect-sdk parse vs prefect-client parse: {theirs / ours_median:.1f}x less CPU"
            )
            print(
                f"  (child: prefect-client {args.prefect}, python {official['python']}, "
                f"pydantic {official['pydantic']}, {official['count']} runs parsed)"
            )
        else:
            print(f"prefect-client: not measured ({official})")

        print()
        print(f"{'tracemalloc, one parse':<52} {'peak KiB':>9} {'kept KiB':>8}")
        mem_rows = [(f"prefect-sdk: {key}", value) for key, value in mem.items()]
        if isinstance(official, dict):
            mem_rows += [(f"prefect-client: {k}", v) for k, v in official["mem"].items()]
        for label, value in mem_rows:
            print(f"{label:<52} {kib(value['peak']):>9} {kib(value['retained']):>8}")

        if args.no_e2e:
            return
        print()
        print(f"end to end, {args.calls} calls each, median per call (server on this machine):")
        flow_run_filter = (
            FlowRunFilter(tags=FlowRunFilterTags(all_=[args.tag])) if args.tag else None
        )
        with SyncPrefectClient(args.api) as client, httpx.Client(base_url=args.api) as bare:
            calls = measure_calls(
                {
                    "prefect-sdk read_flow_runs(limit=200)": lambda: client.read_flow_runs(
                        limit=LIMIT, flow_run_filter=flow_run_filter
                    ),
                    "httpx post().json()": lambda: bare.post("/flow_runs/filter", json=body).json(),
                },
                args.calls,
            )
        if not args.no_official:
            e2e = run_child(args, "e2e", path, workdir)
            if isinstance(e2e, dict):
                calls["prefect-client read_flow_runs(limit=200) [child]"] = e2e["calls"][
                    "read_flow_runs"
                ]
                calls["httpx post().json() [child]"] = e2e["calls"]["httpx"]
            else:
                print(f"prefect-client end to end: not measured ({e2e})")
        print(f"{'case':<52} {'wall ms':>9} {'CPU ms':>8}")
        for label, timings in calls.items():
            wall, cpu_s = statistics.median(timings["wall"]), statistics.median(timings["cpu"])
            print(f"{label:<52} {ms(wall):>9} {ms(cpu_s):>8}")


if __name__ == "__main__":
    main()
