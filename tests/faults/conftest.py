"""Fault-suite fixtures: the fault proxy in front of the session's server, direct access to
that server, and the matrix report (printed at the end of the session; written as JSON to
``PREFECT_SDK_FAULT_MATRIX`` when that variable names a file)."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.faults._harness import Direct, Result, counts, proxy_in_front_of, render_text
from tests.faults._harness import server_gate as make_gate
from tests.faults._proxy import FaultProxy, ServerGate

MATRIX_ENV = "PREFECT_SDK_FAULT_MATRIX"


@dataclass
class MatrixReport:
    """What the fault suite found this session: the matrix's cases (with the outcomes each
    one accepts) and the server-restart loop's tallies."""

    results: list[Result] = field(default_factory=list)
    expected: dict[str, list[str]] = field(default_factory=dict)  # case id -> accepted outcomes
    restart: dict[str, Any] = field(default_factory=dict)
    matrix_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)

    def as_json(self) -> dict[str, Any]:
        from importlib.metadata import version

        rows = []
        for r in self.results:
            row = r.to_json()
            accepted = self.expected.get(r.case.id, [])
            row["expected"] = accepted
            row["as_expected"] = r.outcome in accepted
            rows.append(row)
        return {
            "client": "prefect-sdk",
            "client_version": version("prefect-sdk-client-core"),
            "python": platform.python_version(),
            "counts": counts(self.results),
            "not_as_expected": sum(1 for row in rows if not row["as_expected"]),
            "matrix_seconds": round(self.matrix_seconds, 1),
            "cases": rows,
            "restart": self.restart,
        }


REPORT = MatrixReport()


@pytest.fixture(scope="session")
def fault_report() -> MatrixReport:
    return REPORT


# Requests the fault matrix lets be with the server at once (see _harness.server_gate).
SERVER_CONCURRENCY = int(os.environ.get("PREFECT_SDK_FAULT_SERVER_CONCURRENCY", "1"))


@pytest.fixture(scope="session")
def server_gate() -> ServerGate | None:
    return make_gate(SERVER_CONCURRENCY)


@pytest.fixture(scope="session")
def fault_proxy(api_url: str, server_gate: ServerGate | None) -> Iterator[FaultProxy]:
    """The fault-injecting proxy in front of the session's server."""
    with proxy_in_front_of(api_url, server_gate) as proxy:
        yield proxy


@pytest.fixture(scope="session")
def direct(api_url: str, server_gate: ServerGate | None) -> Iterator[Direct]:
    """Plain HTTP straight to the session's server (set-up, and the effects counted)."""
    d = Direct(api_url, server_gate)
    try:
        yield d
    finally:
        d.close()


@pytest.fixture(scope="session")
def restart_scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The server-restart scenario (tests/faults/_restart.py), started in the background on a
    server of its own (fixed port, persistent home): the fault matrix asks for it first, so
    the server's start-up overlaps the matrix's run."""
    from tests.faults._restart import restart_scenario as scenario

    with scenario(tmp_path_factory.mktemp("restart-server")) as running:
        yield running


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if REPORT.results:
        terminalreporter.write_sep("=", "fault matrix (prefect-sdk)")
        title = f"{len(REPORT.results)} cases in {REPORT.matrix_seconds:.1f}s"
        terminalreporter.write_line(render_text(REPORT.results, title))
        wrong = [r for r in REPORT.results if r.outcome not in REPORT.expected.get(r.case.id, [])]
        terminalreporter.write_line(f"not as expected: {len(wrong)}")
    if REPORT.restart:
        terminalreporter.write_sep("=", "server restart loop (prefect-sdk)")
        for kind, tally in REPORT.restart.get("clients", {}).items():
            terminalreporter.write_line(f"{kind}: {json.dumps(tally)}")
        if "restart_seconds" in REPORT.restart:
            terminalreporter.write_line(
                f"server down for {REPORT.restart['down_seconds']}s "
                f"(restart took {REPORT.restart['restart_seconds']}s)"
            )


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get(MATRIX_ENV)
    if target and (REPORT.results or REPORT.restart):
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(REPORT.as_json(), indent=1) + "\n")
