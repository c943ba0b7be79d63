"""Every write operation x every fault kind x both clients, through the fault proxy.

Each case (see ``_harness.run_case``) sets up fresh objects on the real server, arms one fault
for the first attempt of its own request, makes the call through the proxy with a fresh client
(async on asyncio, or the blocking client), then reads the server directly and classifies:
``ok``, ``raised-clean``, ``raised-but-done``, ``duplicate``, ``lost`` (and ``wrong``,
``crashed`` for a wrong return value or a stray exception type).

The cases run concurrently, once per session, in a session fixture (``sdk_matrix``): most of a
case's time is spent waiting (a ``Retry-After``, a read timeout, the event persister), and one
after the other they would take several minutes. Each parametrized test then asserts its own
case's outcome against the table below, so a failure names its operation, fault and client.

The goal (issue 11): every case ``ok``; a malformed 2xx body raises ``UnexpectedResponseError``
naming the operation (when the operation reads the body at all); and where the server has no
way to recognise a repeat, never a duplicate (see ``not_deduped``). The faults are issue 11's
ten plus ``delayed_request`` and ``reset_in_flight`` (the first attempt reaches the server after
the client has given up on it).

Environment: ``PREFECT_SDK_FAULT_MATRIX`` (write the matrix as JSON there),
``PREFECT_SDK_FAULT_WORKERS`` (cases at once, default 16),
``PREFECT_SDK_FAULT_SERVER_CONCURRENCY`` (requests the server sees at once, default 1).
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any

import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import PrefectSDKError, UnexpectedResponseError
from prefect_sdk.states import Running
from prefect_sdk.sync import SyncPrefectClient
from tests.faults._harness import (
    CLIENT_KINDS,
    FAULTS,
    Call,
    Case,
    Clients,
    Ctx,
    Direct,
    Result,
    run_matrix,
)
from tests.faults._proxy import FaultProxy
from tests.faults._targets import TARGETS, automation_body, now

pytestmark = pytest.mark.integration

Expected = dict[str, frozenset[str]]


def expect(*, reads_body: bool = True, override: Expected | None = None) -> Expected:
    """Every fault ``ok``, except a malformed 2xx body, which raises (the server did commit:
    ``raised-but-done``) when the operation reads the body. An operation that returns nothing
    does not look at the body, so it is ``ok`` there too."""
    expected = {fault: frozenset({"ok"}) for fault in FAULTS}
    if reads_body:
        expected["malformed_2xx"] = frozenset({"raised-but-done"})
    expected.update(override or {})
    return expected


RAISED = frozenset({"raised-clean", "raised-but-done"})


def not_deduped(*, reads_body: bool = True) -> Expected:
    """An operation the server has no way to recognise a repeat of: a retry could make the
    effect twice. It may be retried only when the request provably never reached the server
    (a 429: refused unprocessed). After any other fault the call must raise, with the effect
    there or not depending on whether the request got through (``raised-clean`` /
    ``raised-but-done``), and never twice. A proxy's 503 or 502 proves nothing: a gateway
    may answer so after forwarding."""
    expected = {fault: RAISED for fault in FAULTS}
    expected["429"] = frozenset({"ok"})
    if not reads_body:
        expected["malformed_2xx"] = frozenset({"ok"})
    return expected


def _ids(value: Any, ctx: Ctx) -> bool:
    return str(value.id) in ctx["found"]


def _named(value: Any, ctx: Ctx) -> bool:
    return bool(value.name == ctx["name"]) and _ids(value, ctx)


def _is_id(value: Any, ctx: Ctx) -> bool:
    return str(value) in ctx["found"]


def _accepted(value: Any, ctx: Ctx) -> bool:
    state = value.state
    return bool(
        value.status.value == "ACCEPT" and state is not None and state.type.value == "RUNNING"
    )


def _none(value: Any, ctx: Ctx) -> bool:
    return value is None


# operation -> (call, check of the value returned, outcomes accepted per fault)
SDK: dict[str, tuple[Call, Expected]] = {
    # Issue 11's five. create_flow_run carries an idempotency key; flows and deployments are
    # upserted by the server; a work pool's name is unique (a retry's 409 is read back);
    # a state change carries a transition id the server refuses to apply twice.
    "create_flow_run": (
        Call(lambda c, x: c.create_flow_run(x["flow_id"], name=x["name"]), _named),
        expect(),
    ),
    "create_flow": (Call(lambda c, x: c.create_flow(x["name"]), _named), expect()),
    "create_deployment": (
        Call(lambda c, x: c.create_deployment(x["flow_id"], x["name"]), _named),
        expect(),
    ),
    "create_work_pool": (Call(lambda c, x: c.create_work_pool(x["name"]), _named), expect()),
    "set_flow_run_state": (
        Call(lambda c, x: c.set_flow_run_state(x["run_id"], Running()), _accepted),
        expect(),
    ),
    # Name-unique creates: after a fault, a retry's 409 Conflict is read back.
    "create_work_queue": (Call(lambda c, x: c.create_work_queue(x["name"]), _named), expect()),
    "create_variable": (
        Call(lambda c, x: c.create_variable({"name": x["name"], "value": 1}), _named),
        expect(),
    ),
    "create_block_type": (
        Call(
            lambda c, x: c.create_block_type({"name": x["name"], "slug": x["name"]}),
            lambda v, x: v.slug == x["name"] and _ids(v, x),
        ),
        expect(),
    ),
    "create_block_document": (
        Call(
            lambda c, x: c.create_block_document(
                {
                    "name": x["name"],
                    "block_type_id": x["block_type_id"],
                    "block_schema_id": x["schema_id"],
                    "data": {"x": 1},
                }
            ),
            _named,
        ),
        expect(),
    ),
    "create_global_concurrency_limit": (
        Call(
            lambda c, x: c.create_global_concurrency_limit({"name": x["name"], "limit": 1}),
            _is_id,
        ),
        expect(),
    ),
    # Upserted by the server: PUT by name, and a tag's limit by tag.
    "create_saved_search": (
        Call(lambda c, x: c.create_saved_search(x["name"], []), _named),
        expect(),
    ),
    "create_concurrency_limit": (
        Call(lambda c, x: c.create_concurrency_limit(x["name"], 1), _is_id),
        expect(),
    ),
    # Task runs. The 3.8.8 server's task-run policy has no PreventDuplicateTransitions rule: a
    # repeated Running proposal is accepted again (a second RUNNING state), whatever its
    # transition id. So the client may repeat a proposal only where it can tell the first
    # one had no effect: `ok` or a clean raise are both right after a fault that may have
    # reached the server, a duplicate (two RUNNING states) never.
    "set_task_run_state": (
        Call(lambda c, x: c.set_task_run_state(x["task_run_id"], Running()), _accepted),
        expect(override={f: RAISED | {"ok"} for f in FAULTS if f not in ("429", "malformed_2xx")}),
    ),
    # The server returns the existing task run of (flow run, task key, dynamic key).
    "create_task_run": (
        Call(
            lambda c, x: c.create_task_run(x["task_key"], x["flow_run_id"], "0"),
            lambda v, x: v.task_key == x["task_key"] and _ids(v, x),
        ),
        expect(),
    ),
    # No server-side deduplication at all: artifacts (a key holds many versions), log lines,
    # automations (names are not unique).
    "create_artifact": (
        Call(
            lambda c, x: c.create_artifact({"key": x["name"], "type": "markdown", "data": "x"}),
            _ids,
        ),
        not_deduped(),
    ),
    "create_logs": (
        Call(
            lambda c, x: c.create_logs(
                [
                    {
                        "name": "fault",
                        "level": 20,
                        "message": x["message"],
                        "timestamp": now(),
                        "flow_run_id": x["flow_run_id"],
                    }
                ]
            ),
            _none,
        ),
        not_deduped(reads_body=False),
    ),
    "create_automation": (
        Call(lambda c, x: c.create_automation(automation_body(x["name"])), _is_id),
        not_deduped(),
    ),
    # Events carry their id; the server keeps one event per id. The call returns the events
    # it built, not a server answer: a malformed body is not looked at.
    "emit_events": (
        Call(
            lambda c, x: c.emit_events(
                [{"event": x["name"], "resource": {"prefect.resource.id": x["resource"]}}]
            ),
            lambda v, x: len(v) == 1 and str(v[0].id) in x["found"],
        ),
        expect(reads_body=False),
    ),
    # Updates and deletes: idempotent, and they return nothing. A delete whose answer was lost
    # finds the object gone on its retry (404): that is its success.
    "update_work_pool": (
        Call(lambda c, x: c.update_work_pool(x["name"], {"description": "after"}), _none),
        expect(reads_body=False),
    ),
    "delete_work_pool": (
        Call(lambda c, x: c.delete_work_pool(x["name"]), _none),
        expect(reads_body=False),
    ),
    "update_variable": (
        Call(lambda c, x: c.update_variable({"name": x["name"], "value": "after"}), _none),
        expect(reads_body=False),
    ),
    "delete_variable_by_name": (
        Call(lambda c, x: c.delete_variable_by_name(x["name"]), _none),
        expect(reads_body=False),
    ),
    "update_flow_run": (
        Call(lambda c, x: c.update_flow_run(x["run_id"], name=x["name"]), _none),
        expect(reads_body=False),
    ),
    "update_deployment": (
        Call(
            lambda c, x: c.update_deployment(x["deployment_id"], {"description": "after"}),
            _none,
        ),
        expect(reads_body=False),
    ),
    "update_automation": (
        Call(
            lambda c, x: c.update_automation(
                x["automation_id"], automation_body(x["name"], "after")
            ),
            _none,
        ),
        expect(reads_body=False),
    ),
    "delete_automation": (
        Call(lambda c, x: c.delete_automation(x["automation_id"]), _none),
        expect(reads_body=False),
    ),
    "update_artifact": (
        Call(lambda c, x: c.update_artifact(x["artifact_id"], {"description": "after"}), _none),
        expect(reads_body=False),
    ),
    "delete_artifact": (
        Call(lambda c, x: c.delete_artifact(x["artifact_id"]), _none),
        expect(reads_body=False),
    ),
}

assert set(SDK) == set(TARGETS), set(SDK) ^ set(TARGETS)

CASES = [
    Case(operation, fault, kind) for operation in SDK for fault in FAULTS for kind in CLIENT_KINDS
]
WORKERS = int(os.environ.get("PREFECT_SDK_FAULT_WORKERS", "16"))


def sdk_clients(api_url: str) -> Clients:
    def settings(timeout: float | None) -> dict[str, Any] | None:
        return None if timeout is None else {"timeout": timeout}

    def open_async(timeout: float | None) -> AbstractAsyncContextManager[Any]:
        return PrefectClient(api=api_url, httpx_settings=settings(timeout))

    def open_sync(timeout: float | None) -> AbstractContextManager[Any]:
        return SyncPrefectClient(api=api_url, httpx_settings=settings(timeout))

    return Clients(open_async, open_sync, (PrefectSDKError,))


@pytest.fixture(scope="session")
def sdk_matrix(request: pytest.FixtureRequest, fault_report: Any) -> dict[Case, Result]:
    """Run every selected case at once; their results by case."""
    if any("restart_scenario" in getattr(i, "fixturenames", ()) for i in request.session.items):
        # The restart scenario's server starts in the background first: it comes up while
        # the session's server starts and the matrix runs.
        request.getfixturevalue("restart_scenario")
    fault_proxy: FaultProxy = request.getfixturevalue("fault_proxy")
    direct: Direct = request.getfixturevalue("direct")
    selected = [
        item.callspec.params["fault_case"]
        for item in request.session.items
        if hasattr(item, "callspec") and "fault_case" in item.callspec.params
    ]
    with pytest.MonkeyPatch.context() as env, tempfile.TemporaryDirectory() as home:
        # As the suite's isolated_prefect_env (a function fixture, not active yet here): the
        # clients see none of the developer's Prefect settings.
        for name in list(os.environ):
            if name.startswith("PREFECT_") and not name.startswith("PREFECT_SDK_"):
                env.delenv(name)
        env.setenv("PREFECT_HOME", home)
        started = time.monotonic()
        calls = {name: call for name, (call, _) in SDK.items()}
        results = run_matrix(
            selected,
            TARGETS,
            calls,
            direct,
            fault_proxy,
            sdk_clients(fault_proxy.api_url),
            workers=WORKERS,
        )
        fault_report.matrix_seconds += time.monotonic() - started
    for result in results:
        fault_report.results.append(result)
        accepted = SDK[result.case.operation][1][result.case.fault]
        fault_report.expected[result.case.id] = sorted(accepted)
    return {r.case: r for r in results}


def describe(result: Result) -> str:
    parts = [
        f"outcome {result.outcome}",
        f"effects on the server: {result.effects}",
        f"attempts that reached the server: {result.forwarded}",
    ]
    if result.error_type:
        parts.append(f"raised {result.error_type}: {result.error}")
    else:
        parts.append(f"returned {result.returned}")
    if result.detail:
        parts.append(result.detail)
    return "; ".join(parts)


@pytest.mark.parametrize("fault_case", CASES, ids=[c.id for c in CASES])
def test_fault(fault_case: Case, sdk_matrix: dict[Case, Result]) -> None:
    result = sdk_matrix[fault_case]
    accepted = SDK[fault_case.operation][1][fault_case.fault]
    assert result.outcome != "harness-error", describe(result)
    assert result.outcome in accepted, f"expected {sorted(accepted)}: {describe(result)}"
    if result.error_type is not None:
        assert PrefectSDKError.__name__ in result.error_classes, describe(result)
        if fault_case.fault == "malformed_2xx":
            assert UnexpectedResponseError.__name__ in result.error_classes, describe(result)
            assert f"{fault_case.operation}:" in (result.error or ""), describe(result)


def test_every_operation_is_a_method_of_both_clients() -> None:
    missing = [op for op in SDK if not hasattr(PrefectClient, op)]
    missing += [op for op in SDK if not hasattr(SyncPrefectClient, op)]
    assert not missing, missing
