#!/usr/bin/env python3
"""A loopback stand-in for the Prefect server that answers the benchmark's routes instantly.

    python tools/benchmarks/stub_server.py [--port 0] [--rows 20000] [--fail-every 50]

Prints ``READY <port>`` on stdout once it listens, then serves until it is terminated.

The answers are real Prefect 3.8.8 responses recorded once (``stub_responses.json``, written
by ``tools/bench.py --record``) and replayed with the ids a request names: a flow run created
gets a fresh id, a flow run read or a state set answers for the id in the path. Filtered reads
(``/flow_runs/filter`` by offset and limit, ``/flow_runs/paginate`` by page) come from a table
of ``--rows`` runs made from the recorded run, each with its own id, name and parameters.
Request bodies are not parsed (beyond the paging fields of the two read routes), so the stub
spends its CPU on little more than writing bytes; it runs in its own process, so none of its
CPU is counted as the client's.

Under the path prefix ``/flaky`` (``http://127.0.0.1:<port>/flaky/api``) the same routes
answer every ``--fail-every``-th POST on a connection with the server's transient
``503 Service Unavailable`` (what Prefect answers when SQLite's write lock is taken), so a
client's retry waits can be measured without a loaded server's noise.

Standard library only: asyncio protocols and a minimal HTTP/1.1 parser (keep-alive,
``Content-Length`` bodies; no chunked requests, no pipelining beyond what arrives in order).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESPONSES = HERE / "stub_responses.json"

REASONS = {200: b"OK", 201: b"Created", 404: b"Not Found", 422: b"Unprocessable Entity"}
REASONS[503] = b"Service Unavailable"
UNAVAILABLE = json.dumps({"exception_message": "Service Unavailable"}).encode()
NOT_FOUND = json.dumps({"detail": "Not Found"}).encode()
# The id the recorded objects are rewritten to carry, so that a response for any id is one
# bytes.replace away.
PLACEHOLDER = "00000000-0000-4000-8000-00000000beef"
FLOW_RUN_PATH = re.compile(rb"^/flow_runs/([0-9a-fA-F-]{36})(/set_state)?$")
FLOW_PATH = re.compile(rb"^/flows/([0-9a-fA-F-]{36})$")
PAGE_FIELD = re.compile(rb'"(limit|offset|page)"\s*:\s*(\d+)')


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


class Canned:
    """The recorded answers, ready to send."""

    def __init__(self, rows: int) -> None:
        recorded = json.loads(RESPONSES.read_text())
        self.version = _dumps(recorded["version"])
        self.csrf_status = int(recorded["csrf"]["status"])
        self.csrf = _dumps(recorded["csrf"]["body"])
        self.flow = _dumps(recorded["flow"])
        self.flow_id = recorded["flow"]["id"].encode()

        created = dict(recorded["flow_run_created"])
        self.created = _dumps(self._with_placeholder(created)).split(PLACEHOLDER.encode())
        read = dict(recorded["flow_run_read"])
        self.read = _dumps(self._with_placeholder(read)).split(PLACEHOLDER.encode())
        result = json.loads(json.dumps(recorded["set_state"]))
        run_id = result["state"]["state_details"]["flow_run_id"]
        self.set_state = _dumps(result).replace(run_id.encode(), PLACEHOLDER.encode())
        self.set_state_parts = self.set_state.split(PLACEHOLDER.encode())

        template = recorded["flow_run_row"]
        self.rows = [_dumps(self._row(template, i)) for i in range(rows)]

    @staticmethod
    def _with_placeholder(run: dict[str, Any]) -> dict[str, Any]:
        old = run["id"]
        text = json.dumps(run).replace(old, PLACEHOLDER)
        return dict(json.loads(text))

    @staticmethod
    def _row(template: dict[str, Any], i: int) -> dict[str, Any]:
        row = json.loads(json.dumps(template))
        row["id"] = str(uuid.UUID(int=(0x5EED << 96) + i, version=4))
        row["name"] = f"bench-run-{i:05d}"
        if isinstance(row.get("parameters"), dict):
            row["parameters"]["n"] = i
        if isinstance(row.get("state"), dict):
            row["state"]["id"] = str(uuid.UUID(int=(0xF00D << 96) + i, version=4))
            details = row["state"].get("state_details")
            if isinstance(details, dict):
                details["flow_run_id"] = row["id"]
        return row

    def page(self, offset: int, limit: int) -> bytes:
        return b"[" + b",".join(self.rows[offset : offset + limit]) + b"]"

    def paginate(self, page: int, limit: int) -> bytes:
        count = len(self.rows)
        pages = (count + limit - 1) // limit if limit else 0
        results = self.page((page - 1) * limit, limit)
        return (
            b'{"results":'
            + results
            + b',"count":%d,"limit":%d,"pages":%d,"page":%d}' % (count, limit, pages, page)
        )


def _paging(body: bytes) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, value in PAGE_FIELD.findall(body):
        found[key.decode()] = int(value)
    return found


class StubProtocol(asyncio.Protocol):
    def __init__(self, canned: Canned, fail_every: int) -> None:
        self.canned = canned
        self.fail_every = fail_every
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.flaky_posts = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            lines = head.split(b"\r\n")
            try:
                method, target, _ = lines[0].split(b" ", 2)
            except ValueError:
                self._write(400, b'{"detail":"bad request"}', close=True)
                return
            length = 0
            close = False
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value.strip())
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            status, payload = self.answer(method, target, body)
            self._write(status, payload, close)
            if close:
                return

    def _write(self, status: int, payload: bytes, close: bool) -> None:
        assert self.transport is not None
        head = b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n" % (
            status,
            REASONS.get(status, b"OK"),
            len(payload),
        )
        if close:
            head += b"connection: close\r\n"
        self.transport.write(head + b"server: prefect-sdk-bench-stub\r\n\r\n" + payload)
        if close:
            self.transport.close()

    def answer(self, method: bytes, target: bytes, body: bytes) -> tuple[int, bytes]:
        path = target.split(b"?", 1)[0]
        flaky = path.startswith(b"/flaky/")
        if flaky:
            path = path[len(b"/flaky") :]
        if not path.startswith(b"/api/"):
            return 404, NOT_FOUND
        path = path[4:]
        if flaky and method == b"POST" and self.fail_every > 0:
            self.flaky_posts += 1
            if self.flaky_posts % self.fail_every == 0:
                return 503, UNAVAILABLE
        c = self.canned
        if method == b"GET":
            match = FLOW_RUN_PATH.match(path)
            if match and not match.group(2):
                return 200, match.group(1).join(c.read)
            if path == b"/health":
                return 200, b"true"
            if path == b"/admin/version":
                return 200, c.version
            if path == b"/csrf-token":
                return c.csrf_status, c.csrf
            if FLOW_PATH.match(path):
                return 200, c.flow
            return 404, NOT_FOUND
        if method == b"POST":
            if path == b"/flow_runs/":
                return 201, str(uuid.uuid4()).encode().join(c.created)
            match = FLOW_RUN_PATH.match(path)
            if match and match.group(2):
                return 201, match.group(1).join(c.set_state_parts)
            if path == b"/flow_runs/filter":
                paging = _paging(body)
                return 200, c.page(paging.get("offset", 0), min(paging.get("limit", 200), 200))
            if path == b"/flow_runs/paginate":
                paging = _paging(body)
                limit = min(paging.get("limit", 200), 200)
                return 200, c.paginate(max(paging.get("page", 1), 1), limit)
            if path == b"/flow_runs/count":
                return 200, b"%d" % len(c.rows)
            if path == b"/flows/":
                return 200, c.flow
            if path == b"/logs/":
                return 201, b"null"
            return 404, NOT_FOUND
        return 404, NOT_FOUND


async def serve(port: int, rows: int, fail_every: int) -> None:
    canned = Canned(rows)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: StubProtocol(canned, fail_every), "127.0.0.1", port, backlog=1024
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"READY {bound}", flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--port", type=int, default=0, help="port (0: a free one)")
    parser.add_argument("--rows", type=int, default=20_000, help="flow runs in the table")
    parser.add_argument(
        "--fail-every", type=int, default=50, help="under /flaky: every N-th POST answers 503"
    )
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.port, args.rows, args.fail_every))
    return 0


if __name__ == "__main__":
    sys.exit(main())
