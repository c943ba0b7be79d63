"""The write operations of the fault matrix, as the server sees them: route, set-up, effect.

Standard library and httpx only (shared with the prefect-client run). Set-up and counting go
straight to the server (:class:`Direct`), never through the proxy or a client under test.

Adding an operation: a :class:`Target` here (its route, what it needs on the server, how to
count its effect) and a ``Call`` in each client's table (``tests/faults/test_faults.py``,
``tools/_fault_matrix_prefect_client.py``).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from tests.faults._harness import Ctx, Direct, Target

__all__ = ["TARGETS", "automation_body", "now"]


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


# -- shared set-up -------------------------------------------------------------------------


def shared_flow(d: Direct) -> str:
    """The flow the cases' runs and deployments belong to (their names tell them apart)."""
    return str(
        d.cached("flow", lambda: d.request("POST", "/flows/", {"name": "fault-matrix"})["id"])
    )


def new_flow_run(d: Direct, uid: str, state: str = "PENDING") -> str:
    body = {"flow_id": shared_flow(d), "name": f"fault-run-{uid}", "state": {"type": state}}
    return str(d.request("POST", "/flow_runs/", body)["id"])


def new_deployment(d: Direct, uid: str) -> str:
    body = {"flow_id": shared_flow(d), "name": f"fault-dep-{uid}", "description": "before"}
    return str(d.request("POST", "/deployments/", body)["id"])


def new_block_schema(d: Direct, uid: str) -> tuple[str, str]:
    slug = f"fault-bt-{uid}"
    block_type = d.request("POST", "/block_types/", {"name": slug, "slug": slug})
    fields = {
        "title": slug,
        "type": "object",
        "properties": {"x": {"type": "integer"}},
        "block_schema_references": {},
    }
    schema = d.request(
        "POST", "/block_schemas/", {"block_type_id": block_type["id"], "fields": fields}
    )
    return str(block_type["id"]), str(schema["id"])


def automation_body(name: str, description: str = "") -> dict[str, Any]:
    """A disabled automation that watches an event nobody emits."""
    return {
        "name": name,
        "description": description,
        "enabled": False,
        "trigger": {
            "type": "event",
            "posture": "Reactive",
            "expect": [f"{name}.never"],
            "match": {"prefect.resource.id": f"{name}.*"},
            "threshold": 1,
            "within": 0,
        },
        "actions": [{"type": "do-nothing"}],
    }


def states(d: Direct, kind: str, run_id: str, state_type: str) -> int:
    """How many ``state_type`` states the run's history holds (``kind``: flow_run/task_run)."""
    history = d.request("GET", f"/{kind}_states/", **{f"{kind}_id": run_id})
    return sum(1 for s in history if s["type"] == state_type)


def found(ctx: Ctx, items: list[dict[str, Any]]) -> int:
    ctx["found"] = [str(item["id"]) for item in items]
    return len(items)


def one_if(ctx: Ctx, response_json: Any | None) -> int:
    """1 with the object found (its id kept in ``ctx["found"]``), 0 without."""
    if response_json is None:
        ctx["found"] = []
        return 0
    ctx["found"] = [str(response_json["id"])]
    return 1


def get_or_none(d: Direct, path: str) -> Any | None:
    response = d.send("GET", path)
    if response.status_code == 404:
        return None
    if response.is_error:
        raise AssertionError(f"direct GET {path} -> {response.status_code}")
    return response.json()


# -- creates and state changes ---------------------------------------------------------------


def _flow_run_setup(d: Direct, uid: str) -> Ctx:
    name = f"fault-run-{uid}"
    return {"flow_id": shared_flow(d), "name": name, "marker": name}


def _flow_run_count(d: Direct, ctx: Ctx) -> int:
    runs = d.request("POST", "/flow_runs/filter", {"flow_runs": {"name": {"any_": [ctx["name"]]}}})
    return found(ctx, runs)


def _flow_setup(d: Direct, uid: str) -> Ctx:
    return {"name": f"fault-flow-{uid}", "marker": f"fault-flow-{uid}"}


def _flow_count(d: Direct, ctx: Ctx) -> int:
    flows = d.request("POST", "/flows/filter", {"flows": {"name": {"any_": [ctx["name"]]}}})
    return found(ctx, flows)


def _deployment_setup(d: Direct, uid: str) -> Ctx:
    name = f"fault-dep-{uid}"
    return {"flow_id": shared_flow(d), "name": name, "marker": name}


def _deployment_count(d: Direct, ctx: Ctx) -> int:
    body = {"deployments": {"name": {"any_": [ctx["name"]]}}}
    return found(ctx, d.request("POST", "/deployments/filter", body))


def _named(prefix: str) -> Any:
    def setup(d: Direct, uid: str) -> Ctx:
        return {"name": f"{prefix}-{uid}", "marker": f"{prefix}-{uid}"}

    return setup


def _work_pool_count(d: Direct, ctx: Ctx) -> int:
    return one_if(ctx, get_or_none(d, f"/work_pools/{ctx['name']}"))


def _set_flow_run_state_setup(d: Direct, uid: str) -> Ctx:
    run_id = new_flow_run(d, uid)
    return {"run_id": run_id, "marker": run_id}


def _work_queue_count(d: Direct, ctx: Ctx) -> int:
    return one_if(ctx, get_or_none(d, f"/work_queues/name/{ctx['name']}"))


def _variable_setup(d: Direct, uid: str) -> Ctx:
    return {"name": f"fault_var_{uid}", "marker": f"fault_var_{uid}"}


def _variable_count(d: Direct, ctx: Ctx) -> int:
    return one_if(ctx, get_or_none(d, f"/variables/name/{ctx['name']}"))


def _block_type_count(d: Direct, ctx: Ctx) -> int:
    return one_if(ctx, get_or_none(d, f"/block_types/slug/{ctx['name']}"))


def _block_document_setup(d: Direct, uid: str) -> Ctx:
    block_type_id, schema_id = new_block_schema(d, uid)
    name = f"fault-doc-{uid}"
    return {"block_type_id": block_type_id, "schema_id": schema_id, "name": name, "marker": name}


def _block_document_count(d: Direct, ctx: Ctx) -> int:
    body = {"block_documents": {"name": {"any_": [ctx["name"]]}}}
    return found(ctx, d.request("POST", "/block_documents/filter", body))


def _gcl_count(d: Direct, ctx: Ctx) -> int:
    return one_if(ctx, get_or_none(d, f"/v2/concurrency_limits/{ctx['name']}"))


def _saved_search_count(d: Direct, ctx: Ctx) -> int:
    matching: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = d.request("POST", "/saved_searches/filter", {"offset": offset, "limit": 200})
        matching += [s for s in page if s["name"] == ctx["name"]]
        if len(page) < 200:
            return found(ctx, matching)
        offset += 200


def _tag_limit_count(d: Direct, ctx: Ctx) -> int:
    return one_if(ctx, get_or_none(d, f"/concurrency_limits/tag/{ctx['name']}"))


def _set_task_run_state_setup(d: Direct, uid: str) -> Ctx:
    # The flow run is Running: a task run may not start in a flow run that is not.
    run_id = new_flow_run(d, uid, "RUNNING")
    body = {
        "flow_run_id": run_id,
        "task_key": f"fault-task-{uid}",
        "dynamic_key": "0",
        "state": {"type": "PENDING"},
    }
    task_run_id = str(d.request("POST", "/task_runs/", body)["id"])
    return {"task_run_id": task_run_id, "marker": task_run_id}


def _create_task_run_setup(d: Direct, uid: str) -> Ctx:
    run_id = new_flow_run(d, uid, "RUNNING")
    key = f"fault-task-{uid}"
    return {"flow_run_id": run_id, "task_key": key, "marker": key}


def _create_task_run_count(d: Direct, ctx: Ctx) -> int:
    body = {"task_runs": {"flow_run_id": {"any_": [ctx["flow_run_id"]]}}}
    return found(ctx, d.request("POST", "/task_runs/filter", body))


def _artifact_count(d: Direct, ctx: Ctx) -> int:
    body = {"artifacts": {"key": {"any_": [ctx["name"]]}}}
    return found(ctx, d.request("POST", "/artifacts/filter", body))


def _logs_setup(d: Direct, uid: str) -> Ctx:
    # Log lines have no name or id to look them up by: a run id of their own (the server does
    # not check that the run exists) makes them countable.
    import uuid

    return {"flow_run_id": str(uuid.uuid4()), "message": f"fault-log-{uid}", "marker": uid}


def _logs_count(d: Direct, ctx: Ctx) -> int:
    body = {"logs": {"flow_run_id": {"any_": [ctx["flow_run_id"]]}}}
    return found(ctx, d.request("POST", "/logs/filter", body))


def _automation_count(d: Direct, ctx: Ctx) -> int:
    body = {"automations": {"name": {"any_": [ctx["name"]]}}}
    return found(ctx, d.request("POST", "/automations/filter", body))


def _events_setup(d: Direct, uid: str) -> Ctx:
    name = f"fault.event.{uid}"
    return {"name": name, "resource": f"fault.resource.{uid}", "marker": name}


# The server stores events in batches (its event persister flushes every few seconds): wait
# for the first, then once more for a second copy a later batch might bring.
EVENT_WAIT_SECONDS = 12.0
EVENT_SETTLE_SECONDS = 3.0


def _events_count(d: Direct, ctx: Ctx) -> int:
    def total() -> int:
        body = {"filter": {"event": {"name": [ctx["name"]]}}, "limit": 10}
        page = d.request("POST", "/events/filter", body)
        ctx["found"] = [str(e["id"]) for e in page["events"]]
        return int(page["total"])

    deadline = time.monotonic() + EVENT_WAIT_SECONDS
    while (n := total()) == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    if n == 0:
        return 0
    time.sleep(EVENT_SETTLE_SECONDS)
    return total()


# -- updates and deletes ------------------------------------------------------------------------
# The effect of an update is the new value being there (1) or not (0); of a delete, the object
# being gone (1) or not (0). Neither can happen twice; what the matrix checks is the call's
# outcome against the server's state. Flow runs and deployments are updated but not deleted
# here: deleting them starts server-side clean-up jobs (a flow run's logs) that compete for
# SQLite's write lock and stall the other cases for up to a minute.


def _pool_setup(d: Direct, uid: str) -> Ctx:
    name = f"fault-pool-{uid}"
    d.request("POST", "/work_pools/", {"name": name, "type": "process", "description": "before"})
    return {"name": name, "marker": name}


def _pool_updated(d: Direct, ctx: Ctx) -> int:
    return int(d.request("GET", f"/work_pools/{ctx['name']}")["description"] == "after")


def _pool_deleted(d: Direct, ctx: Ctx) -> int:
    return int(not d.exists(f"/work_pools/{ctx['name']}"))


def _var_setup(d: Direct, uid: str) -> Ctx:
    name = f"fault_var_{uid}"
    d.request("POST", "/variables/", {"name": name, "value": "before"})
    return {"name": name, "marker": name}


def _var_updated(d: Direct, ctx: Ctx) -> int:
    return int(d.request("GET", f"/variables/name/{ctx['name']}")["value"] == "after")


def _var_deleted(d: Direct, ctx: Ctx) -> int:
    return int(not d.exists(f"/variables/name/{ctx['name']}"))


def _run_setup(d: Direct, uid: str) -> Ctx:
    run_id = new_flow_run(d, uid)
    return {"run_id": run_id, "name": f"fault-renamed-{uid}", "marker": run_id}


def _run_updated(d: Direct, ctx: Ctx) -> int:
    return int(d.request("GET", f"/flow_runs/{ctx['run_id']}")["name"] == ctx["name"])


def _dep_setup(d: Direct, uid: str) -> Ctx:
    deployment_id = new_deployment(d, uid)
    return {"deployment_id": deployment_id, "marker": deployment_id}


def _dep_updated(d: Direct, ctx: Ctx) -> int:
    got = d.request("GET", f"/deployments/{ctx['deployment_id']}")
    return int(got["description"] == "after")


def _auto_setup(d: Direct, uid: str) -> Ctx:
    name = f"fault-auto-{uid}"
    automation_id = str(d.request("POST", "/automations/", automation_body(name, "before"))["id"])
    return {"automation_id": automation_id, "name": name, "marker": automation_id}


def _auto_updated(d: Direct, ctx: Ctx) -> int:
    got = d.request("GET", f"/automations/{ctx['automation_id']}")
    return int(got["description"] == "after")


def _auto_deleted(d: Direct, ctx: Ctx) -> int:
    return int(not d.exists(f"/automations/{ctx['automation_id']}"))


def _art_setup(d: Direct, uid: str) -> Ctx:
    body = {"key": f"fault-art-{uid}", "type": "markdown", "data": "x", "description": "before"}
    artifact_id = str(d.request("POST", "/artifacts/", body)["id"])
    return {"artifact_id": artifact_id, "marker": artifact_id}


def _art_updated(d: Direct, ctx: Ctx) -> int:
    got = d.request("GET", f"/artifacts/{ctx['artifact_id']}")
    return int(got["description"] == "after")


def _art_deleted(d: Direct, ctx: Ctx) -> int:
    return int(not d.exists(f"/artifacts/{ctx['artifact_id']}"))


_ID = r"[0-9a-f-]{36}"

TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        # The five operations of issue 11.
        Target("create_flow_run", "POST", r"/flow_runs/$", _flow_run_setup, _flow_run_count),
        Target("create_flow", "POST", r"/flows/$", _flow_setup, _flow_count),
        Target(
            "create_deployment", "POST", r"/deployments/$", _deployment_setup, _deployment_count
        ),
        Target(
            "create_work_pool", "POST", r"/work_pools/$", _named("fault-pool"), _work_pool_count
        ),
        Target(
            "set_flow_run_state",
            "POST",
            rf"/flow_runs/{_ID}/set_state$",
            _set_flow_run_state_setup,
            lambda d, ctx: states(d, "flow_run", ctx["run_id"], "RUNNING"),
        ),
        # Creates of objects whose name is unique on the server.
        Target(
            "create_work_queue",
            "POST",
            r"/work_queues/$|/work_pools/[^/]+/queues$",
            _named("fault-queue"),
            _work_queue_count,
        ),
        Target("create_variable", "POST", r"/variables/$", _variable_setup, _variable_count),
        Target(
            "create_block_type", "POST", r"/block_types/$", _named("fault-bt"), _block_type_count
        ),
        Target(
            "create_block_document",
            "POST",
            r"/block_documents/$",
            _block_document_setup,
            _block_document_count,
        ),
        Target(
            "create_global_concurrency_limit",
            "POST",
            r"/v2/concurrency_limits/$",
            _named("fault-gcl"),
            _gcl_count,
        ),
        Target(
            "create_saved_search",
            "PUT",
            r"/saved_searches/$",
            _named("fault-search"),
            _saved_search_count,
        ),
        Target(
            "create_concurrency_limit",
            "POST",
            r"/concurrency_limits/$",
            _named("fault-tag"),
            _tag_limit_count,
        ),
        # Task runs: a create the server deduplicates, a state change it does not guard.
        Target(
            "set_task_run_state",
            "POST",
            rf"/task_runs/{_ID}/set_state$",
            _set_task_run_state_setup,
            lambda d, ctx: states(d, "task_run", ctx["task_run_id"], "RUNNING"),
        ),
        Target(
            "create_task_run",
            "POST",
            r"/task_runs/$",
            _create_task_run_setup,
            _create_task_run_count,
        ),
        # Creates with no server-side deduplication, and events (deduplicated by their id).
        Target("create_artifact", "POST", r"/artifacts/$", _named("fault-art"), _artifact_count),
        Target("create_logs", "POST", r"/logs/$", _logs_setup, _logs_count),
        Target(
            "create_automation", "POST", r"/automations/$", _named("fault-auto"), _automation_count
        ),
        Target("emit_events", "POST", r"/events$", _events_setup, _events_count, slow_count=True),
        # Updates and deletes.
        Target("update_work_pool", "PATCH", r"/work_pools/[^/]+$", _pool_setup, _pool_updated),
        Target("delete_work_pool", "DELETE", r"/work_pools/[^/]+$", _pool_setup, _pool_deleted),
        Target("update_variable", "PATCH", r"/variables/name/[^/]+$", _var_setup, _var_updated),
        Target(
            "delete_variable_by_name",
            "DELETE",
            r"/variables/name/[^/]+$",
            _var_setup,
            _var_deleted,
        ),
        Target("update_flow_run", "PATCH", rf"/flow_runs/{_ID}$", _run_setup, _run_updated),
        Target("update_deployment", "PATCH", rf"/deployments/{_ID}$", _dep_setup, _dep_updated),
        Target("update_automation", "PUT", rf"/automations/{_ID}$", _auto_setup, _auto_updated),
        Target("delete_automation", "DELETE", rf"/automations/{_ID}$", _auto_setup, _auto_deleted),
        Target("update_artifact", "PATCH", rf"/artifacts/{_ID}$", _art_setup, _art_updated),
        Target("delete_artifact", "DELETE", rf"/artifacts/{_ID}$", _art_setup, _art_deleted),
    ]
}
