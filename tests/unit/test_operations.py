"""The operation declarations: names, routes against the server's OpenAPI document, coverage."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.client._operation import Operation, Route, collect
from prefect_sdk.exceptions import ValidationError
from prefect_sdk.sync import SyncPrefectClient

ROOT = Path(__file__).resolve().parents[2]
OPENAPI: dict[str, Any] = json.loads((ROOT / "tools/openapi-prefect-3.8.8.json").read_text())
# Routes newer servers added (the client offers them; older servers answer NotSupportedByServer).
NEWER: dict[str, Any] = json.loads((ROOT / "tools/openapi-prefect-3.9.1.json").read_text())
OPERATIONS = collect(PrefectClient)

# Tags whose every server operation the client offers (the run-orchestration half).
COVERED_TAGS = {
    "Flows",
    "Flow Runs",
    "Flow Run States",
    "Flow Run Graph",
    "Task Runs",
    "Task Run States",
    "Deployments",
    "Work Pools",
    "Work Queues",
    "Task Workers",
    "Root",
}


def server_operations(document: dict[str, Any] = OPENAPI) -> dict[tuple[str, str], set[str]]:
    """``(METHOD, /path/{}/with/{}/slots)`` -> the operation's tags, for every server route."""
    found = {}
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            key = (method.upper(), re.sub(r"\{[^}]+\}", "{}", path))
            found[key] = set(spec.get("tags") or ["(untagged)"])
    return found


def declared_routes() -> dict[tuple[str, str], list[str]]:
    routes: dict[tuple[str, str], list[str]] = {}
    for op in OPERATIONS.values():
        for route in op.all_routes:
            routes.setdefault((route.method, route.server_path), []).append(op.name)
    return routes


def test_every_declared_route_exists_on_the_server() -> None:
    server = server_operations() | server_operations(NEWER)
    unknown = {key: names for key, names in declared_routes().items() if key not in server}
    assert unknown == {}


@pytest.mark.parametrize("document", [OPENAPI, NEWER], ids=["3.8.8", "3.9.1"])
def test_every_server_operation_of_the_covered_tags_has_a_client_method(
    document: dict[str, Any],
) -> None:
    declared = declared_routes()
    missing = sorted(
        f"{method} {path}"
        for (method, path), tags in server_operations(document).items()
        if (tags & COVERED_TAGS or path == "/csrf-token") and (method, path) not in declared
    )
    assert missing == []


def test_every_route_of_the_newest_server_has_a_client_method() -> None:
    declared = declared_routes()
    assert sorted(f"{m} {p}" for m, p in server_operations(NEWER) if (m, p) not in declared) == (
        sorted(f"{m} {p}" for m, p in server_operations(OPENAPI) if (m, p) not in declared)
    )


@pytest.mark.parametrize("cls", [PrefectClient, SyncPrefectClient])
def test_operation_names_are_their_methods_names(cls: type) -> None:
    ops = collect(cls)
    assert set(ops) == set(OPERATIONS)
    for name, op in ops.items():
        method = getattr(cls, name)
        assert method.__prefect_sdk_operation__ is op
        source = inspect.getsource(method)
        # The body sends the operation under its own name (telemetry, retry policy).
        assert re.search(rf'_call\w*\(\s*(#[^\n]*\n\s*)?"{name}"', source), (
            f"{name} does not send itself"
        )


def test_placeholders_are_checked_before_any_io() -> None:
    route = Route.parse("GET /things/{thing_id:id}/parts/{part_name}")
    thing = "3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11"
    assert route.render({"thing_id": thing, "part_name": "a b:c"}) == (
        f"/things/{thing}/parts/a%20b%3Ac"
    )
    # '/' too: the server decodes %2F before routing, so "p/queues/q" would reach a queue.
    for bad in ("..", ".", "", "p/queues/q"):
        with pytest.raises(ValidationError, match="part_name"):
            route.render({"thing_id": thing, "part_name": bad})
    with pytest.raises(ValidationError, match="thing_id"):
        route.render({"thing_id": "not-a-uuid", "part_name": "x"})


@pytest.mark.parametrize("cls", [PrefectClient, SyncPrefectClient])
def test_every_name_in_a_path_stays_one_segment(cls: type) -> None:
    # Every route slot that takes user text, in every declared operation: '.', '..', '' and
    # '/' are refused naming the argument, before any I/O; anything else is one quoted segment.
    uuid_text = "3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11"
    checked = 0
    for name, op in cls._operations.items():
        for route in op.all_routes:
            slots = dict(route.params)
            for slot, kind in slots.items():
                if kind != "name":
                    continue
                fine = {s: (uuid_text if k == "id" else "ok") for s, k in slots.items()}
                for bad in ("..", ".", "", "a/../b"):
                    with pytest.raises(ValidationError, match=slot):
                        route.render({**fine, slot: bad})
                rendered = route.render({**fine, slot: "a b?#%"})
                assert "/a%20b%3F%23%25" in rendered, (name, rendered)
                checked += 1
    assert checked >= 30  # work pools, queues, workers, variables, blocks, limits, tags ...


def test_an_object_with_an_id_is_an_id() -> None:
    class Flowish:
        id = __import__("uuid").UUID("3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11")

    route = Route.parse("GET /flows/{flow_id:id}")
    assert route.render({"flow_id": Flowish()}) == f"/flows/{Flowish.id}"


def test_declarations_are_data() -> None:
    op = OPERATIONS["read_flow"]
    assert isinstance(op, Operation)
    assert (op.route.method, op.route.path, op.retry_safe) == ("GET", "/flows/{flow_id:id}", True)
    assert OPERATIONS["create_flow_run"].retry_safe  # sent with an idempotency key
