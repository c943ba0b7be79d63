"""A loop of operations on both clients while the server is stopped and started again.

Each client (the async one on asyncio, the blocking one) runs ``LOOP`` operations (create a
flow run, propose Running for it, read it back) against a server of the test's own, which is
stopped after ``STOP_AT`` operations and started again on the same port and database. Read
directly afterwards, the server must hold every run a call returned, once; no run or state
of a call that raised; calls may fail only once the server is stopped, with an
``APIConnectionError`` (``APITimeoutError``), or the 503 a starting server answers while its
database is busy (its "nothing was done" answer, which the client repeats a few times); and
the last calls of each loop must succeed again.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.faults._restart import LOOP, RestartScenario, check

pytestmark = pytest.mark.integration


def test_server_restart_mid_loop(restart_scenario: RestartScenario, fault_report: Any) -> None:
    scenario = restart_scenario.result()
    tallies, problems = check(scenario)
    fault_report.restart = {
        "clients": tallies,
        "restart_seconds": round(scenario.timings.get("restart", 0.0), 1),
        "down_seconds": round(
            scenario.timings.get("stop", 0.0) + scenario.timings.get("restart", 0.0), 1
        ),
        "first_start_seconds": round(scenario.timings.get("first_start", 0.0), 1),
        "problems": problems,
    }
    assert all(t["calls"] == LOOP for t in tallies.values()), tallies
    assert any(t["while-down"] for t in tallies.values()), "no call was made while it was down"
    assert not problems, "\n".join(problems)
