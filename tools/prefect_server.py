#!/usr/bin/env python3
"""Run a throwaway Prefect server on loopback until Ctrl-C.

    uv run python tools/prefect_server.py [--port 4200] [--version 3.8.8]

It prints ``PREFECT_API_URL=...``; export that in another shell to point the SDK at it.
The server runs in its own uv-built environment, with a temporary PREFECT_HOME.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from prefect_sdk.devserver import DEFAULT_PREFECT_VERSION, TEST_SETTINGS, PrefectServer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    parser.add_argument("--version", default=DEFAULT_PREFECT_VERSION, help="Prefect version")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a server setting, e.g. PREFECT_SERVER_CSRF_PROTECTION_ENABLED=true (repeatable)",
    )
    parser.add_argument(
        "--like-tests",
        action="store_true",
        help="the switches the test session uses (scheduler, late-run marker and the other "
        "background writers off, log streaming on)",
    )
    args = parser.parse_args()
    env = dict(item.split("=", 1) for item in args.env)
    if args.like_tests:
        env = {**TEST_SETTINGS, **env}
    server = PrefectServer(args.version, port=args.port, env=env)
    started = time.monotonic()
    print(f"starting Prefect {args.version} server ...", flush=True)
    try:
        server.start()
        print(f"ready in {time.monotonic() - started:.1f}s", flush=True)
        print(f"PREFECT_API_URL={server.api_url}", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
