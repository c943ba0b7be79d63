"""``prefect-sdk quickstart`` (the rest of the command line is :mod:`prefect_sdk.cli`).

    prefect-sdk quickstart            # embedded local server unless PREFECT_API_URL is set
    prefect-sdk quickstart --keep     # leave what it created on a server you pointed it at

Without ``PREFECT_API_URL`` (environment or active profile) it starts a throwaway Prefect
server on loopback (see :mod:`prefect_sdk.devserver`), runs the scenario and stops it.  With
``PREFECT_API_URL`` set it uses that server, gives everything it creates a unique name, and
deletes it all at the end.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """The whole ``prefect-sdk`` command line (:func:`prefect_sdk.cli.main`), kept here for
    installs whose console script still points at this function."""
    from prefect_sdk.cli import main as cli_main

    return cli_main(argv)


def quickstart(keep: bool = False) -> int:
    import anyio

    from prefect_sdk.exceptions import PrefectSDKError
    from prefect_sdk.quickstart._scenario import run_scenario
    from prefect_sdk.settings import load_settings

    settings = load_settings()
    server = None
    api_url = settings.api_url
    if api_url is None:
        from prefect_sdk.devserver import PrefectServer, ServerStartError

        print("PREFECT_API_URL is not set: starting an embedded Prefect server ...", flush=True)
        started = time.monotonic()
        server = PrefectServer()
        try:
            api_url = server.start()
        except ServerStartError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"server ready at {api_url} in {time.monotonic() - started:.1f}s\n", flush=True)
    else:
        print(f"using the Prefect server at {api_url} (PREFECT_API_URL)\n", flush=True)
    try:
        anyio.run(run_scenario, api_url, server is None and not keep)
    except PrefectSDKError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
    return 0
