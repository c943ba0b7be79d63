#!/usr/bin/env python3
"""Which server operations the client covers, derived from the operation declarations.

    python tools/coverage.py            # write docs/coverage.md
    python tools/coverage.py --json     # print {operationId: method name or null}
    python tools/coverage.py --check    # exit 1 if an operation has neither a method nor a reason,
                                        # or docs/coverage.md is stale

The server's operations come from the running server's ``/api/openapi.json``
(``PREFECT_API_URL``), or from an embedded server started for the purpose when it is unset
(``--snapshot`` reads the committed ``tools/openapi-prefect-3.8.8.json`` instead).  The client's
side comes from the ``@operation`` declarations of ``PrefectClient`` (no source parsing), its
blocking twin, prefect-client 3.8.8's method list (``tests/data``), and the integration tests
that call each method.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs/coverage.md"
SNAPSHOT = ROOT / "tools/openapi-prefect-3.8.8.json"
# Newer servers' snapshots: the operations they added are covered the same way.
NEWER = (("3.9.1", ROOT / "tools/openapi-prefect-3.9.1.json"),)
PREFECT_CLIENT = ROOT / "tests/data/prefect_client_3.8.8_methods.json"
TESTS = ROOT / "tests/integration"

# Server operations deliberately without a method, and why (operationId -> reason).
REASONS: dict[str, str] = {}

# prefect-client 3.8.8 methods that have no counterpart here, and why.
PREFECT_CLIENT_REASONS: dict[str, str] = {
    "apply_slas_for_deployment": (
        "Prefect Cloud only: the SLA routes (`/slas/...`) are not part of the open-source "
        "server's API"
    ),
    "create_deployment_branch": (
        "Prefect Cloud only: `/deployments/{id}/branch` is not part of the open-source server's API"
    ),
    "request": (
        "prefect-client's untyped escape hatch; every route has a typed method here, and "
        "plugins see every request through the hooks"
    ),
}


def server_operations(snapshot: bool) -> list[dict[str, str]]:
    """Every operation of the 3.8.8 server (live, or its snapshot), then those the NEWER
    servers added (``since`` names the first version with each)."""
    found = _operations(_openapi(snapshot), "")
    keys = {op["key"] for op in found}
    for version, path in NEWER:
        for op in _operations(json.loads(path.read_text(encoding="utf-8")), version):
            if op["key"] not in keys:
                found.append(op)
                keys.add(op["key"])
    return sorted(found, key=lambda op: (op["tags"], op["path"], op["method"]))


def _operations(document: dict[str, Any], since: str) -> list[dict[str, str]]:
    found = []
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            found.append(
                {
                    "operationId": spec.get("operationId", f"{method}_{path}"),
                    "method": method.upper(),
                    "path": path,
                    "key": f"{method.upper()} {re.sub(r'{[^}]+}', '{}', path)}",
                    "tags": ", ".join(dict.fromkeys(spec.get("tags") or [])) or "—",
                    "since": since,
                }
            )
    return found


def _openapi(snapshot: bool) -> dict[str, Any]:
    if snapshot:
        document: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        return document
    import httpx

    url = os.environ.get("PREFECT_API_URL")
    if url:
        return dict(httpx.get(f"{url.rstrip('/')}/openapi.json", timeout=60).json())
    from prefect_sdk.devserver import PrefectServer

    with PrefectServer() as server:
        return dict(httpx.get(f"{server.api_url}/openapi.json", timeout=60).json())


def declared() -> dict[str, list[str]]:
    """``"METHOD /path/{}"`` -> the client methods declared to send it."""
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._operation import collect

    routes: dict[str, list[str]] = {}
    for op in collect(PrefectClient).values():
        for route in op.all_routes:
            routes.setdefault(f"{route.method} {route.server_path}", []).append(op.name)
    return routes


def exercising_tests() -> dict[str, list[str]]:
    """Method name -> the integration tests that call it (``client.<name>(...)``)."""
    found: dict[str, list[str]] = {}
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            where = f"{path.relative_to(ROOT).as_posix()}::{node.name}"
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
                    found.setdefault(inner.func.attr, [])
                    if where not in found[inner.func.attr]:
                        found[inner.func.attr].append(where)
    return found


def report(snapshot: bool) -> dict[str, Any]:
    from prefect_sdk.sync import SyncPrefectClient

    ops = server_operations(snapshot)
    routes = declared()
    tests = exercising_tests()
    prefect = json.loads(PREFECT_CLIENT.read_text(encoding="utf-8"))
    rows = []
    for op in ops:
        methods = routes.get(op["key"], [])
        rows.append(
            {
                **op,
                "methods": methods,
                "sync": [m for m in methods if hasattr(SyncPrefectClient, m)],
                "prefect_client": [m for m in methods if m in prefect],
                "tests": sorted({t for m in methods for t in tests.get(m, [])}),
                "reason": REASONS.get(op["operationId"]),
            }
        )
    return {"rows": rows, "prefect": prefect, "tests": tests}


def render(data: dict[str, Any]) -> str:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    rows = data["rows"]
    covered = sum(1 for r in rows if r["methods"])
    newer = [r for r in rows if r.get("since")]
    lines = [
        "# API coverage",
        "",
        "<!-- GENERATED by tools/coverage.py: do not edit -->",
        "",
        f"**{covered}/{len(rows)}** operations of the Prefect server's REST API have a method on "
        f"both clients: the {len(rows) - len(newer)} of Prefect 3.8.8"
        + "".join(
            f", and {sum(1 for r in newer if r['since'] == v)} that Prefect {v} added"
            for v in dict.fromkeys(r["since"] for r in newer)
        )
        + ". The table is derived from the operations' declarations (`@operation`), "
        "the servers' OpenAPI documents and the integration tests; "
        "`python3 tools/coverage.py --check` fails CI when a server operation has neither a "
        "method nor a written reason.",
        "",
        "| tags | request | `PrefectClient` / `SyncPrefectClient` | prefect-client 3.8.8 "
        "| tested by |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        request = f"`{r['method']} {r['path']}`"
        if r.get("since"):
            request += f" (Prefect {r['since']} and newer)"
        if r["methods"]:
            names = ", ".join(f"`{m}`" for m in r["methods"])
            if r["sync"] != r["methods"]:
                names += " (**sync twin missing**)"
        else:
            names = f"— {r['reason']}" if r["reason"] else "— **missing**"
        theirs = ", ".join(f"`{m}`" for m in r["prefect_client"]) or "—"
        tested = "<br>".join(f"`{t}`" for t in r["tests"][:2]) or "—"
        lines.append(f"| {r['tags']} | {request} | {names} | {theirs} | {tested} |")
    lines += [
        "",
        "## prefect-client 3.8.8 methods",
        "",
        "Every public method of prefect-client 3.8.8's `PrefectClient`, and its counterpart "
        "here (the same name, taking the same parameter names).",
        "",
        "| prefect-client | here |",
        "|---|---|",
    ]
    for name in sorted(data["prefect"]):
        if hasattr(PrefectClient, name) and hasattr(SyncPrefectClient, name):
            here = f"`{name}`"
        elif name in PREFECT_CLIENT_REASONS:
            here = f"— {PREFECT_CLIENT_REASONS[name]}"
        else:
            here = "— **missing**"
        lines.append(f"| `{name}` | {here} |")
    return "\n".join(lines) + "\n"


def problems(data: dict[str, Any]) -> list[str]:
    from prefect_sdk.client import PrefectClient

    found = []
    for r in data["rows"]:
        if not r["methods"] and not r["reason"]:
            found.append(f"{r['method']} {r['path']} ({r['operationId']}) has no method")
        elif r["sync"] != r["methods"]:
            found.append(f"{r['method']} {r['path']}: no blocking twin of {r['methods']}")
    for name in sorted(data["prefect"]):
        if not hasattr(PrefectClient, name) and name not in PREFECT_CLIENT_REASONS:
            found.append(f"prefect-client's {name} has no counterpart and no written reason")
    return found


def main(argv: list[str]) -> int:
    data = report("--snapshot" in argv)
    if "--json" in argv:
        print(
            json.dumps(
                {
                    r["operationId"]: (r["methods"][0] if r["methods"] else None)
                    for r in data["rows"]
                },
                indent=2,
                sort_keys=True,
            )
        )
        return 0
    text = render(data)
    if "--check" in argv:
        found = problems(data)
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            found.append(f"{TARGET.relative_to(ROOT)} is stale: run `python tools/coverage.py`")
        for problem in found:
            print(problem, file=sys.stderr)
        covered = sum(1 for r in data["rows"] if r["methods"])
        print(f"coverage: {covered}/{len(data['rows'])} server operations have a method")
        return 1 if found else 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
