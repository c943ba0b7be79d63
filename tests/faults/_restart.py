"""The server-restart scenario: a loop of operations on each client while the server is
stopped and started again (same port, same database) in the middle.

It runs in a background thread (``RestartScenario.start``): starting a Prefect server takes
tens of seconds, during which the fault matrix can run; ``result()`` waits for it. What the
clients did is recorded per operation; what the server holds afterwards is read directly.

Per client, ``LOOP`` operations in turn: create a flow run, propose Running for it, read it
back. The server is stopped once both clients have made ``STOP_AT`` operations; the loops go on
while it is down and while it starts; operation ``RESUME_AT`` waits until it is up again. A
server that has just started may still answer its "busy" 503 for a while (its SQLite
database is busy with start-up work), so calls after the restart may fail cleanly too; the
last ``RECOVERED`` of each loop must not.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect_sdk.client import PrefectClient
from prefect_sdk.devserver import TEST_SETTINGS, PrefectServer
from prefect_sdk.states import Running
from prefect_sdk.sync import SyncPrefectClient
from tests.faults._harness import Blocking, Direct, run_blocking

LOOP = 100
STOP_AT = 30
RESUME_AT = 70
# The last operations of each loop, well after the restart, must all succeed.
RECOVERED = 10


@dataclass
class Op:
    index: int
    kind: str  # create / set_state / read / read_flow
    run_name: str | None = None
    run_id: str | None = None
    value: Any = None  # the run id created, the state type proposed or read
    error: BaseException | None = None
    phase: str = "up"  # up (before the stop), down (after it), restarted (after the restart)
    seconds: float = 0.0


@dataclass
class Loop:
    client: str
    ops: list[Op] = field(default_factory=list)
    reached_stop: threading.Event = field(default_factory=threading.Event)


class RestartScenario:
    def __init__(self, home: Path) -> None:
        self.server = PrefectServer(env=dict(TEST_SETTINGS), home=home)
        self.loops = {kind: Loop(kind) for kind in ("async", "sync")}
        self.down = threading.Event()
        self.up_again = threading.Event()
        self.error: BaseException | None = None
        self.flow_id = ""
        self.timings: dict[str, float] = {}
        self.server_runs: list[dict[str, Any]] = []
        self.server_states: dict[str, list[str]] = {}
        self._thread = threading.Thread(target=self._run, name="restart-scenario", daemon=True)
        self._done = threading.Event()

    def start(self) -> RestartScenario:
        self._thread.start()
        return self

    def result(self, timeout: float = 600.0) -> RestartScenario:
        if not self._done.wait(timeout):
            raise TimeoutError(f"the restart scenario did not finish in {timeout}s")
        if self.error is not None:
            raise self.error
        return self

    def close(self) -> None:
        self.down.set()
        self.up_again.set()
        self._thread.join(timeout=120)
        self.server.stop()

    # -- the scenario ---------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            started = time.monotonic()
            self.server.start()
            self.timings["first_start"] = time.monotonic() - started
            direct = Direct(self.server.api_url)
            try:
                self.flow_id = str(
                    direct.request("POST", "/flows/", {"name": "restart-loop"})["id"]
                )
                workers = [
                    threading.Thread(target=self._loop, args=(loop,), daemon=True)
                    for loop in self.loops.values()
                ]
                for worker in workers:
                    worker.start()
                for loop in self.loops.values():
                    loop.reached_stop.wait(timeout=300)
                stopping = time.monotonic()
                self.server.stop()
                self.down.set()
                stopped = time.monotonic()
                self.server.start()
                self.up_again.set()
                self.timings["stop"] = stopped - stopping
                self.timings["restart"] = time.monotonic() - stopped
                for worker in workers:
                    worker.join(timeout=600)
                self._read_back(direct)
            finally:
                direct.close()
                self.down.set()
                self.up_again.set()
                self.server.stop()
        except BaseException as exc:
            self.error = exc
        finally:
            self._done.set()

    def _loop(self, loop: Loop) -> None:
        try:
            if loop.client == "async":
                asyncio.run(self._ops_async(loop))
            else:
                with SyncPrefectClient(api=self.server.api_url) as client:
                    run_blocking(self._ops(loop, Blocking(client)))
        finally:
            loop.reached_stop.set()  # a loop that died early does not hold the scenario up

    async def _ops_async(self, loop: Loop) -> None:
        async with PrefectClient(api=self.server.api_url) as client:
            await self._ops(loop, client)

    async def _ops(self, loop: Loop, client: Any) -> None:
        # Awaits only client calls (run_blocking drives the blocking client's loop): no sleeps.
        created: str | None = None  # the run the next proposal and read are about
        for i in range(LOOP):
            if i == STOP_AT:
                loop.reached_stop.set()
                self._wait(self.down)
            if i == RESUME_AT:
                self._wait(self.up_again)
            phase = "up" if i < STOP_AT else ("down" if not self.up_again.is_set() else "restarted")
            step = i % 3
            if step == 0:
                op = Op(i, "create", run_name=f"{loop.client}-{i}")
            elif created is not None and step == 1:
                op = Op(i, "set_state", run_id=created, value="RUNNING")
            elif created is not None:
                op = Op(i, "read", run_id=created)
            else:  # the create before failed: read the flow instead
                op = Op(i, "read_flow")
            op.phase = phase
            began = time.monotonic()
            try:
                if op.kind == "create":
                    run = await client.create_flow_run(self.flow_id, name=op.run_name)
                    op.value = created = str(run.id)
                elif op.kind == "set_state":
                    result = await client.set_flow_run_state(op.run_id, Running())
                    op.value = f"{result.status.value}:{result.state.type.value}"
                elif op.kind == "read":
                    run = await client.read_flow_run(op.run_id)
                    op.value = run.state.type.value if run.state else None
                else:
                    op.value = str((await client.read_flow(self.flow_id)).id)
            except Exception as exc:
                op.error = exc
                if op.kind == "create":
                    created = None
            op.seconds = time.monotonic() - began
            loop.ops.append(op)

    @staticmethod
    def _wait(event: threading.Event) -> None:
        # The async loop blocks here on purpose: nothing else runs on it.
        event.wait(timeout=600)

    def _read_back(self, direct: Direct) -> None:
        body = {"flows": {"id": {"any_": [self.flow_id]}}, "limit": 200}
        self.server_runs = direct.request("POST", "/flow_runs/filter", body)
        for run in self.server_runs:
            history = direct.request("GET", "/flow_run_states/", flow_run_id=run["id"])
            self.server_states[str(run["id"])] = [s["type"] for s in history]


def check(scenario: RestartScenario) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Tallies per client and every problem found: a duplicate, a lost effect, an effect of a
    call that raised, an error that is neither a connection error nor the server's "busy"
    503, a failure before the stop or at the end of the loop, or a read that disagrees with
    what the calls reported."""
    from prefect_sdk.exceptions import APIConnectionError, PrefectHTTPStatusError

    def clean(error: BaseException) -> bool:
        # No answer (the server is down), or the server's own 503 while it starts: its
        # database is busy and the request was rolled back.
        if isinstance(error, PrefectHTTPStatusError):
            return error.status_code == 503
        return isinstance(error, APIConnectionError)

    problems: list[str] = []
    by_name: dict[str, list[dict[str, Any]]] = {}
    for run in scenario.server_runs:
        by_name.setdefault(run["name"], []).append(run)
    tallies: dict[str, dict[str, int]] = {}
    for loop in scenario.loops.values():
        tally = {"calls": 0, "ok": 0, "raised-clean": 0, "raised-but-done": 0, "duplicate": 0}
        tally.update({"lost": 0, "while-down": 0, "ok-while-down": 0, "failed-after-restart": 0})
        accepted: set[str] = set()
        for op in loop.ops:
            tally["calls"] += 1
            where = f"{loop.client} op {op.index} ({op.kind}, server {op.phase})"
            if op.phase == "down":
                tally["while-down"] += 1
            if op.error is not None and not clean(op.error):
                problems.append(f"{where} raised {type(op.error).__name__}: {op.error}")
            if op.error is not None and op.phase == "up":
                problems.append(f"{where} failed before the server was stopped: {op.error!r}")
            if op.error is not None and op.phase == "restarted":
                tally["failed-after-restart"] += 1
            outcome = "ok" if op.error is None else "raised-clean"
            if op.kind == "create":
                found = by_name.get(op.run_name or "", [])
                if len(found) > 1:
                    outcome = "duplicate"
                elif op.error is None and (not found or str(found[0]["id"]) != op.value):
                    outcome = "lost"
                elif op.error is not None and found:
                    outcome = "raised-but-done"
            elif op.kind == "set_state" and op.run_id is not None:
                running = scenario.server_states.get(op.run_id, []).count("RUNNING")
                if running > 1:
                    outcome = "duplicate"
                elif op.error is None and running == 0:
                    outcome = "lost"
                elif op.error is not None and running == 1:
                    outcome = "raised-but-done"
                if op.error is None:
                    accepted.add(op.run_id)
            elif op.kind == "read" and op.error is None and op.run_id is not None:
                expected = "RUNNING" if op.run_id in accepted else "PENDING"
                if op.value != expected:
                    problems.append(f"{where} read {op.value}, the calls reported {expected}")
            if outcome in ("duplicate", "lost", "raised-but-done"):
                problems.append(f"{where}: {outcome}")
            tally[outcome] += 1
            if op.phase == "down" and op.error is None:
                tally["ok-while-down"] += 1
        tallies[loop.client] = tally
        tail = [op for op in loop.ops[-RECOVERED:] if op.error is not None]
        if tail:
            problems.append(
                f"{loop.client}: did not recover: {len(tail)} of the last {RECOVERED} calls "
                f"failed, e.g. {tail[0].error!r}"
            )
    return tallies, problems


@contextlib.contextmanager
def restart_scenario(home: Path) -> Any:
    scenario = RestartScenario(home).start()
    try:
        yield scenario
    finally:
        scenario.close()
