# mypy: disable-error-code="import-not-found"
# (prefect-client is installed only where this runs, not where the project is type-checked)
"""The fault matrix for prefect-client (Prefect's own client), run by ``tools/fault_matrix.py``.

Run by an interpreter that has ``prefect-client`` installed and not prefect-sdk (an isolated
environment: never the project's lock). It drives the same cases as the prefect-sdk suite
(``tests/faults``: the same proxy, the same faults, the same set-up and effect counts, read
directly from the server) through prefect-client's ``get_client()`` (async, on asyncio) and
``get_client(sync_client=True)``, with ``PREFECT_API_URL`` pointed at the proxy, and writes
the results as JSON::

    <python with prefect-client> tools/_fault_matrix_prefect_client.py \\
        --api http://127.0.0.1:4200/api --out /tmp/prefect-client-faults.json

Operations prefect-client has no HTTP call for are left out: ``create_saved_search`` (no
method) and ``emit_events`` (it sends events over a websocket, which the proxy does not carry).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import types
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults._harness import (  # noqa: E402
    CLIENT_KINDS,
    FAULTS,
    Call,
    Case,
    Clients,
    Ctx,
    Direct,
    counts,
    proxy_in_front_of,
    render_text,
    run_matrix,
    server_gate,
)
from tests.faults._targets import TARGETS, automation_body, now  # noqa: E402

LEFT_OUT = {
    "create_saved_search": "prefect-client has no method for it",
    "emit_events": "prefect-client emits events over a websocket (/events/in), not HTTP",
}


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


def _anything(value: Any, ctx: Ctx) -> bool:
    # Updates and deletes: prefect-client returns None, or the httpx.Response
    # (update_flow_run); the effect, read from the server, is what counts.
    return True


def calls() -> dict[str, Call]:
    """prefect-client's side of each operation (its own models, as its users pass them)."""
    from prefect.client.schemas.actions import (
        ArtifactCreate,
        ArtifactUpdate,
        BlockDocumentCreate,
        BlockTypeCreate,
        DeploymentUpdate,
        GlobalConcurrencyLimitCreate,
        LogCreate,
        VariableCreate,
        VariableUpdate,
        WorkPoolCreate,
        WorkPoolUpdate,
    )
    from prefect.events.schemas.automations import AutomationCore
    from prefect.states import Running

    def flow(name: str) -> Any:  # what create_flow_run reads of a Flow
        return types.SimpleNamespace(
            name=name, version=None, retries=None, retry_delay_seconds=None
        )

    def task(key: str) -> Any:  # what create_task_run reads of a Task
        return types.SimpleNamespace(
            task_key=key,
            tags=[],
            version=None,
            retries=0,
            retry_delay_seconds=0,
            retry_jitter_factor=None,
        )

    def uid(value: str) -> uuid.UUID:
        return uuid.UUID(value)

    def automation(name: str, description: str = "") -> Any:
        return AutomationCore.model_validate(automation_body(name, description))

    table: dict[str, tuple[Callable[[Any, Ctx], Any], Callable[[Any, Ctx], bool]]] = {
        "create_flow_run": (
            lambda c, x: c.create_flow_run(flow("fault-matrix"), name=x["name"]),
            _named,
        ),
        "create_flow": (lambda c, x: c.create_flow_from_name(x["name"]), _is_id),
        "create_deployment": (
            lambda c, x: c.create_deployment(flow_id=uid(x["flow_id"]), name=x["name"]),
            _is_id,
        ),
        "create_work_pool": (
            lambda c, x: c.create_work_pool(WorkPoolCreate(name=x["name"], type="process")),
            _named,
        ),
        "set_flow_run_state": (
            lambda c, x: c.set_flow_run_state(uid(x["run_id"]), Running()),
            _accepted,
        ),
        "create_work_queue": (lambda c, x: c.create_work_queue(name=x["name"]), _named),
        "create_variable": (
            lambda c, x: c.create_variable(VariableCreate(name=x["name"], value=1)),
            _named,
        ),
        "create_block_type": (
            lambda c, x: c.create_block_type(BlockTypeCreate(name=x["name"], slug=x["name"])),
            lambda v, x: v.slug == x["name"] and _ids(v, x),
        ),
        "create_block_document": (
            lambda c, x: c.create_block_document(
                BlockDocumentCreate(
                    name=x["name"],
                    block_type_id=uid(x["block_type_id"]),
                    block_schema_id=uid(x["schema_id"]),
                    data={"x": 1},
                )
            ),
            _named,
        ),
        "create_global_concurrency_limit": (
            lambda c, x: c.create_global_concurrency_limit(
                GlobalConcurrencyLimitCreate(name=x["name"], limit=1)
            ),
            _is_id,
        ),
        "create_concurrency_limit": (
            lambda c, x: c.create_concurrency_limit(x["name"], 1),
            _is_id,
        ),
        "set_task_run_state": (
            lambda c, x: c.set_task_run_state(uid(x["task_run_id"]), Running()),
            _accepted,
        ),
        "create_task_run": (
            lambda c, x: c.create_task_run(task(x["task_key"]), uid(x["flow_run_id"]), "0"),
            lambda v, x: v.task_key == x["task_key"] and _ids(v, x),
        ),
        "create_artifact": (
            lambda c, x: c.create_artifact(
                ArtifactCreate(key=x["name"], type="markdown", data="x")
            ),
            _ids,
        ),
        "create_logs": (
            lambda c, x: c.create_logs(
                [
                    LogCreate(
                        name="fault",
                        level=20,
                        message=x["message"],
                        timestamp=now(),
                        flow_run_id=uid(x["flow_run_id"]),
                    )
                ]
            ),
            _none,
        ),
        "create_automation": (lambda c, x: c.create_automation(automation(x["name"])), _is_id),
        "update_work_pool": (
            lambda c, x: c.update_work_pool(x["name"], WorkPoolUpdate(description="after")),
            _anything,
        ),
        "delete_work_pool": (lambda c, x: c.delete_work_pool(x["name"]), _anything),
        "update_variable": (
            lambda c, x: c.update_variable(VariableUpdate(name=x["name"], value="after")),
            _anything,
        ),
        "delete_variable_by_name": (lambda c, x: c.delete_variable_by_name(x["name"]), _anything),
        "update_flow_run": (
            lambda c, x: c.update_flow_run(uid(x["run_id"]), name=x["name"]),
            _anything,
        ),
        "update_deployment": (
            lambda c, x: c.update_deployment(
                uid(x["deployment_id"]), DeploymentUpdate(description="after")
            ),
            _anything,
        ),
        "update_automation": (
            lambda c, x: c.update_automation(
                uid(x["automation_id"]), automation(x["name"], "after")
            ),
            _anything,
        ),
        "delete_automation": (lambda c, x: c.delete_automation(uid(x["automation_id"])), _anything),
        "update_artifact": (
            lambda c, x: c.update_artifact(
                uid(x["artifact_id"]), ArtifactUpdate(description="after")
            ),
            _anything,
        ),
        "delete_artifact": (lambda c, x: c.delete_artifact(uid(x["artifact_id"])), _anything),
    }
    missing = set(TARGETS) - set(table) - set(LEFT_OUT)
    assert not missing, f"no prefect-client call for {sorted(missing)}"
    return {name: Call(call, check) for name, (call, check) in table.items()}


def clients() -> Clients:
    """prefect-client's ``get_client()``, on the ``PREFECT_API_URL`` set (the proxy)."""
    import httpx
    from prefect.client.orchestration import get_client
    from prefect.exceptions import PrefectException

    def settings(timeout: float | None) -> dict[str, Any] | None:
        return None if timeout is None else {"timeout": timeout}

    def open_async(timeout: float | None) -> AbstractAsyncContextManager[Any]:
        client: AbstractAsyncContextManager[Any] = get_client(httpx_settings=settings(timeout))
        return client

    def open_sync(timeout: float | None) -> AbstractContextManager[Any]:
        client: AbstractContextManager[Any] = get_client(
            httpx_settings=settings(timeout), sync_client=True
        )
        return client

    # What prefect-client raises on purpose: its own errors and httpx's (its
    # PrefectHTTPStatusError is an httpx.HTTPStatusError). Anything else is a crash.
    return Clients(open_async, open_sync, (PrefectException, httpx.HTTPError))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--api", required=True, help="the server's API URL (not the proxy's)")
    parser.add_argument("--out", required=True, help="where to write the results (JSON)")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--server-concurrency", type=int, default=1)
    parser.add_argument("-k", "--only", default="", help="run the operations containing this")
    args = parser.parse_args()

    gate = server_gate(args.server_concurrency)
    direct = Direct(args.api, gate)
    with tempfile.TemporaryDirectory() as home, proxy_in_front_of(args.api, gate) as proxy:
        for name in list(os.environ):
            if name.startswith("PREFECT_"):
                del os.environ[name]
        os.environ.update(
            PREFECT_API_URL=proxy.api_url,
            PREFECT_HOME=home,
            PREFECT_SERVER_ALLOW_EPHEMERAL_MODE="false",
            PREFECT_LOGGING_LEVEL="ERROR",
        )
        table = calls()
        cases = [
            Case(op, fault, kind)
            for op in table
            if args.only in op
            for fault in FAULTS
            for kind in CLIENT_KINDS
        ]
        started = time.monotonic()
        results = run_matrix(cases, TARGETS, table, direct, proxy, clients(), workers=args.workers)
        seconds = time.monotonic() - started
    direct.close()

    from importlib.metadata import version

    report = {
        "client": "prefect-client",
        "client_version": version("prefect-client"),
        "python": platform.python_version(),
        "counts": counts(results),
        "matrix_seconds": round(seconds, 1),
        "left_out": LEFT_OUT,
        "cases": [r.to_json() for r in results],
    }
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n")
    print(render_text(results, f"prefect-client {report['client_version']}: {len(results)} cases"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
