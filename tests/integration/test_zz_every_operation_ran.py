"""Every declared operation was sent to the real server by both clients during this session,
and every body sent matches the server's own schema for its route.

It runs last (pytest runs modules in collection order) and only when the whole integration
suite ran: a ``-k`` selection or a single module would report gaps that are not there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests._support import (
    BODIES_SENT,
    OPERATIONS_SENT,
    NotAServerRoute,
    body_validator,
    document_has_route,
    newest_openapi,
    route_for_path,
    route_schema,
)

RESOURCES = Path(__file__).resolve().parent / "resources"


def whole_suite_ran(request: pytest.FixtureRequest) -> bool:
    config = request.config
    ran = {Path(str(item.fspath)).name for item in request.session.items}
    return not (
        config.option.keyword
        or config.option.markexpr
        or not {p.name for p in RESOURCES.glob("test_*.py")} <= ran
    )


# Fields the server's OpenAPI document describes one way and the server itself needs another:
# automation durations are ISO 8601 "duration" strings in the schema, but the 3.8.8 server
# fails (500) on a proactive trigger whose `within` is not a number of seconds, which is what
# prefect-client sends too. The server reads both as the same duration, so they are checked
# here in the schema's form.
DURATIONS = {"within", "schedule_after"}


def as_schema_durations(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (
                f"PT{v}S"
                if k in DURATIONS and isinstance(v, int | float) and not isinstance(v, bool)
                else as_schema_durations(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [as_schema_durations(v) for v in value]
    return value


def test_every_request_body_sent_matches_the_servers_schema(
    request: pytest.FixtureRequest, server_openapi: dict[str, Any]
) -> None:
    if not whole_suite_ran(request):
        pytest.skip("only meaningful when the whole integration suite runs")
    newest = newest_openapi()
    problems = []
    for operation, bodies in sorted(BODIES_SENT.items()):
        for method, path, body in bodies:
            if route_for_path(server_openapi, method, path) is None and route_for_path(
                newest, method, path
            ):
                # A route a newer server added (/flows/bulk_delete on 3.0): this one refused
                # the call, which the client raised as NotSupportedByServer (asserted by the
                # operation's own test). A route no server has is still reported below.
                continue
            try:
                schema = route_schema(server_openapi, method, path)
            except NotAServerRoute:
                continue  # the Cloud emulator's own routes (tests/integration/cloud)
            if schema is None:
                problems.append(f"{operation}: {method} {path} takes no body, one was sent")
                continue
            problems += body_problems(server_openapi, newest, schema, body, operation, method, path)
    assert not problems, "\n".join(problems)


# Body parameters with an alias (the name on the wire) that the OpenAPI document of servers
# before 3.6 lists by their Python name instead: the server reads the alias, which the client
# sends (/flow_runs/history's history_interval_seconds, /ui/schemas/validate's schema).
DOCUMENTED_BY_NAME = {"history_interval": "history_interval_seconds", "json_schema": "schema"}


def with_wire_names(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (a route's body) with DOCUMENTED_BY_NAME properties under their wire names."""
    ref = schema.get("$ref", "")
    resolved = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], schema)
    properties = resolved.get("properties", {})
    renamed = {DOCUMENTED_BY_NAME.get(k, k): v for k, v in properties.items()}
    if renamed.keys() == properties.keys():
        return schema
    required = [DOCUMENTED_BY_NAME.get(k, k) for k in resolved.get("required", [])]
    return {**resolved, "properties": renamed, "required": required}


def newer_fields(error: Any, newest: dict[str, Any]) -> bool:
    """Whether ``error`` is a body field this server does not know and a newer one does (the
    same schema, by title, of the newest document has it): sent because a test set it, refused
    by this server with a 422 naming it (asserted by the operation's own test)."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return False
    unexpected = set(error.instance) - set(error.schema.get("properties", {}))
    title = error.schema.get("title")
    known = newest["components"]["schemas"].get(title, {}).get("properties", {})
    return bool(unexpected) and unexpected <= set(known)


def body_problems(
    document: dict[str, Any],
    newest: dict[str, Any],
    schema: dict[str, Any],
    body: Any,
    operation: str,
    method: str,
    path: str,
) -> list[str]:
    """What is wrong with ``body`` for the route's ``schema`` on this server: the body as sent
    or its schema-duration form (the server reads both), whichever fares better."""
    validator = body_validator(document, with_wire_names(schema, document))
    errors = min(
        (
            [e for e in validator.iter_errors(form) if not newer_fields(e, newest)]
            for form in (body, as_schema_durations(body))
        ),
        key=len,
    )
    return [
        f"{operation} {method} {path} "
        f"{'.'.join(str(p) for p in e.absolute_path) or '(body)'}: {e.message[:200]}"
        for e in errors
    ]


def routes_the_server_lacks(server_openapi: dict[str, Any]) -> set[str]:
    """The operations whose route a newer server has and this one has not: their tests
    assert the client's NotSupportedByServer instead, and may send nothing."""
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._operation import collect

    newest = newest_openapi()
    return {
        name
        for name, operation in collect(PrefectClient).items()
        if document_has_route(newest, operation.route.method, operation.route.template)
        and not document_has_route(server_openapi, operation.route.method, operation.route.template)
    }


def test_every_operation_was_sent_by_both_clients(
    request: pytest.FixtureRequest, server_openapi: dict[str, Any]
) -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._operation import collect

    if not whole_suite_ran(request):
        pytest.skip("only meaningful when the whole integration suite runs")
    lacking = routes_the_server_lacks(server_openapi)
    missing = sorted(
        f"{name} ({kind})"
        for name in collect(PrefectClient)
        for kind in ("async", "sync")
        if (name, kind) not in OPERATIONS_SENT and name not in lacking
    )
    assert missing == [], "operations no integration test sent to the server"
