"""The ``prefect-sdk`` command line: everyday work against a Prefect server, fast to start.

    prefect-sdk flow-runs ls --state FAILED --since 1d
    prefect-sdk flow-runs logs <id> --follow
    prefect-sdk deployments run etl/nightly --param day=2024-01-01 --wait --timeout 600
    prefect-sdk variables set batch-size 500 --overwrite
    prefect-sdk quickstart

The server is ``--api-url`` or ``PREFECT_API_URL`` (environment, then the active profile), as
for ``get_client()``.  Only this module is imported to start; click and the command
definitions load in :func:`main`, the client and its models inside the command that needs
them, so ``import prefect_sdk.client`` never loads click.  See docs/cli.md.

Exit codes: :data:`EXIT_OK` (0), :data:`EXIT_RUN_NOT_COMPLETED` (1: a waited-for run ended
Failed, Crashed or Cancelled), :data:`EXIT_USAGE` (2: bad arguments), :data:`EXIT_TIMEOUT`
(3: ``--timeout`` passed while waiting), :data:`EXIT_API` (4: the API answered with an error,
the object does not exist, or the server could not be reached), :data:`EXIT_INTERRUPTED`
(130: Ctrl-C).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "EXIT_API",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RUN_NOT_COMPLETED",
    "EXIT_TIMEOUT",
    "EXIT_USAGE",
    "main",
]

EXIT_OK = 0
EXIT_RUN_NOT_COMPLETED = 1
EXIT_USAGE = 2
EXIT_TIMEOUT = 3
EXIT_API = 4
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    from prefect_sdk.cli._app import run

    return run(argv)
