"""The commands of ``prefect-sdk`` (click).

Only click, the standard library and this package's small helpers load to parse the command
line; each command imports the client, the filters and anyio in its body.  Every command
returns its exit code; :func:`run` turns errors into one-line messages and exit codes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import click

from prefect_sdk.cli import (
    EXIT_API,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUN_NOT_COMPLETED,
    EXIT_TIMEOUT,
)
from prefect_sdk.cli._output import (
    Cell,
    colour_enabled,
    echo_json,
    format_table,
    level_colour,
    paint,
    short_time,
    state_colour,
    when,
)
from prefect_sdk.cli._parse import parse_param, parse_value, parse_when, state_filter_values

if TYPE_CHECKING:
    from uuid import UUID

    from prefect_sdk.client import PrefectClient
    from prefect_sdk.schemas import Deployment, FlowRun, Log, ReceivedEvent

__all__ = ["CLIError", "cli", "run"]

# After a followed run reaches a final state, how long its last log lines may take to arrive.
FOLLOW_GRACE = 1.0
# How far before the newest line printed a follow by polling reads again.
LOG_LOOKBACK = dt.timedelta(seconds=60)


class CLIError(Exception):
    """An error to report as one line on stderr, with the exit code to return."""

    def __init__(self, message: str, code: int = EXIT_API) -> None:
        super().__init__(message)
        self.code = code


class Options:
    """What the group's options say, for the subcommands (``ctx.obj``)."""

    def __init__(self, api_url: str | None = None) -> None:
        self.api_url = api_url


# -- running commands ----------------------------------------------------------------------


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (see ``prefect_sdk.cli``)."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="prefect-sdk",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except BaseException as raised:
        error = _leaf(raised)
        if isinstance(error, KeyboardInterrupt):
            return EXIT_INTERRUPTED
        if isinstance(error, CLIError):
            _error(str(error))
            return error.code
        from prefect_sdk.exceptions import PrefectSDKError

        if isinstance(error, PrefectSDKError):
            _error(str(error))
            return EXIT_API
        raise
    return result if isinstance(result, int) else EXIT_OK


def _leaf(exc: BaseException) -> BaseException:
    """The one error inside (nested) exception groups of one error; else ``exc``."""
    while True:
        inner = getattr(exc, "exceptions", None)
        if not isinstance(inner, tuple) or len(inner) != 1:
            return exc
        exc = inner[0]


def _error(message: str) -> None:
    """``error: <message>`` on stderr, on one line."""
    text = "; ".join(line.strip() for line in message.splitlines() if line.strip())
    prefix = "error:"
    if colour_enabled(sys.stderr):
        prefix = click.style(prefix, fg="red", bold=True)
    click.echo(f"{prefix} {text}", err=True)


def _note(message: str) -> None:
    """A remark on stderr (kept out of stdout, which scripts read)."""
    if colour_enabled(sys.stderr):
        message = click.style(message, dim=True)
    click.echo(message, err=True)


def _with_client(body: Callable[[PrefectClient], Awaitable[int]]) -> int:
    """Run ``body`` with a client for the API of the command line, in a new event loop."""
    import anyio

    options = click.get_current_context().find_object(Options)
    api = options.api_url if options is not None else None

    if api is None:
        from prefect_sdk.settings import load_settings

        if load_settings().api_url is None:
            raise CLIError(
                "no Prefect API URL: set PREFECT_API_URL (in the environment or the active "
                "profile), or pass --api-url, e.g. prefect-sdk --api-url "
                "http://127.0.0.1:4200/api ..."
            )

    async def main() -> int:
        from prefect_sdk.client import PrefectClient

        async with PrefectClient(api=api) as client:
            return await body(client)

    try:
        return anyio.run(main)
    except BaseException as raised:
        if not isinstance(_leaf(raised), BrokenPipeError):
            raise
    # The reader went away (``| head``): that is the end, not an error. stdout goes to
    # /dev/null, so that flushing it at exit does not fail again.
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def _to_time(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    """``--since`` / ``--until``: an ISO 8601 time or a time ago (``1h``, ``2d``)."""
    if value is None:
        return None
    try:
        return parse_when(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from None


def _to_params(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, Any]:
    """``--param KEY=VALUE`` (repeated) as a dict, each value read as JSON if it parses."""
    params: dict[str, Any] = {}
    for value in values:
        try:
            key, parsed = parse_param(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param=param) from None
        params[key] = parsed
    return params


def _json_flag(help: str = "Print JSON instead of a table.") -> Callable[[Any], Any]:
    return click.option("--json", "as_json", is_flag=True, help=help)


def _is_final(run: FlowRun) -> bool:
    return run.state is not None and run.state.is_final()


def _state_cell(run: FlowRun) -> Cell:
    return Cell(run.state_name or "-", fg=state_colour(run.state_type))


def _tags(tags: Sequence[str]) -> str:
    return ", ".join(tags) if tags else "-"


# -- the command line ------------------------------------------------------------------------


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--api-url",
    metavar="URL",
    help="The Prefect API, e.g. http://127.0.0.1:4200/api (default: PREFECT_API_URL from "
    "the environment or the active profile).",
)
@click.version_option(package_name="prefect-sdk", prog_name="prefect-sdk")
@click.pass_context
def cli(ctx: click.Context, api_url: str | None) -> None:
    """Work with a Prefect server: flow runs, deployments, work pools, variables, events.

    \b
    Exit codes: 0 success; 1 a waited-for run ended Failed, Crashed or Cancelled;
    2 bad arguments; 3 --timeout passed while waiting; 4 the API answered with an
    error, the object does not exist, or the server could not be reached.
    """
    ctx.obj = Options(api_url=api_url)


@cli.command()
@click.option(
    "--keep",
    is_flag=True,
    help="Do not delete what the scenario created (on a server given by PREFECT_API_URL).",
)
def quickstart(keep: bool) -> int:
    """Run the quickstart scenario against a Prefect server.

    Without PREFECT_API_URL it starts a throwaway embedded server, runs the scenario and stops
    it; with PREFECT_API_URL it uses that server and cleans up after itself.
    """
    from prefect_sdk.quickstart._cli import quickstart as run_quickstart

    return run_quickstart(keep=keep)


# -- flow runs ---------------------------------------------------------------------------------


@cli.group("flow-runs")
def flow_runs() -> None:
    """List flow runs, inspect one, read or follow its logs."""


@flow_runs.command("ls")
@click.option(
    "--state",
    "states",
    multiple=True,
    metavar="STATE",
    help="A state type (COMPLETED, FAILED, RUNNING, ... any case) or a state name (Late, "
    "AwaitingRetry, ...). Repeat for runs in any of them.",
)
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Repeat for runs with all of the tags."
)
@click.option(
    "--flow", "flows", multiple=True, metavar="NAME", help="Runs of this flow (repeatable)."
)
@click.option(
    "--deployment",
    "deployments",
    multiple=True,
    metavar="NAME",
    help="Runs of this deployment: DEPLOYMENT or FLOW/DEPLOYMENT (repeatable).",
)
@click.option(
    "--since",
    callback=_to_time,
    metavar="TIME",
    help="Runs expected to start at or after TIME: ISO 8601 (2024-05-01, 2024-05-01T12:00Z; "
    "local time without an offset) or a time ago (30m, 1h, 2d, 1w).",
)
@click.option(
    "--until",
    callback=_to_time,
    metavar="TIME",
    help="Runs expected to start at or before TIME (as --since).",
)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@_json_flag()
def flow_runs_ls(
    states: tuple[str, ...],
    tags: tuple[str, ...],
    flows: tuple[str, ...],
    deployments: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime | None,
    limit: int,
    as_json: bool,
) -> int:
    """List flow runs, most recent expected start first."""

    async def body(client: PrefectClient) -> int:
        from prefect_sdk.filters import (
            DeploymentFilter,
            FlowFilter,
            FlowRunFilter,
            FlowRunFilterExpectedStartTime,
            FlowRunSort,
        )

        runs: list[FlowRun] = []
        deployment_ids = await _deployment_ids(client, deployments) if deployments else None
        if deployment_ids != []:
            window = (
                FlowRunFilterExpectedStartTime(after_=since, before_=until)
                if since is not None or until is not None
                else None
            )
            runs = await client.read_flow_runs(
                limit=limit,
                sort=FlowRunSort.EXPECTED_START_TIME_DESC,
                flow_filter=FlowFilter(name=list(flows)) if flows else None,
                flow_run_filter=FlowRunFilter(
                    state=state_filter_values(states) or None,
                    tags=list(tags) or None,
                    deployment_id=deployment_ids,
                    expected_start_time=window,
                ),
            )
        if as_json:
            echo_json([run.model_dump(mode="json") for run in runs])
            return EXIT_OK
        if not runs:
            _note("no flow runs match")
            return EXIT_OK
        flow_names = await _flow_names(client, {run.flow_id for run in runs})
        ids = {run.deployment_id for run in runs if run.deployment_id is not None}
        deployment_names: dict[UUID, str] = {}
        if ids:
            found = await client.read_deployments(deployment_filter=DeploymentFilter(id=list(ids)))
            deployment_names = {d.id: d.name for d in found}
        rows: list[list[Cell | str]] = [
            [
                str(run.id),
                run.name,
                flow_names.get(run.flow_id, "-"),
                deployment_names.get(run.deployment_id, "-") if run.deployment_id else "-",
                _state_cell(run),
                when(run.start_time or run.expected_start_time),
                _tags(run.tags),
            ]
            for run in runs
        ]
        headers = ["ID", "NAME", "FLOW", "DEPLOYMENT", "STATE", "START", "TAGS"]
        for line in format_table(headers, rows, colour=colour_enabled()):
            click.echo(line)
        return EXIT_OK

    return _with_client(body)


async def _deployment_ids(client: PrefectClient, names: Sequence[str]) -> list[UUID]:
    """The ids of the deployments named ``DEPLOYMENT`` or ``FLOW/DEPLOYMENT`` (unknown: none)."""
    from prefect_sdk.exceptions import ObjectNotFound
    from prefect_sdk.filters import DeploymentFilter

    ids: list[UUID] = []
    plain = [name for name in names if "/" not in name]
    if plain:
        found = await client.read_deployments(deployment_filter=DeploymentFilter(name=plain))
        ids += [deployment.id for deployment in found]
    for name in names:
        if "/" in name:
            with contextlib.suppress(ObjectNotFound):
                ids.append((await client.read_deployment_by_name(name)).id)
    return ids


async def _flow_names(client: PrefectClient, flow_ids: set[UUID]) -> dict[UUID, str]:
    from prefect_sdk.filters import FlowFilter

    if not flow_ids:
        return {}
    flows = await client.read_flows(flow_filter=FlowFilter(id=list(flow_ids)))
    return {flow.id: flow.name for flow in flows}


async def _read_run(client: PrefectClient, flow_run_id: UUID) -> FlowRun:
    from prefect_sdk.exceptions import ObjectNotFound, safe_url

    try:
        return await client.read_flow_run(flow_run_id)
    except ObjectNotFound:
        raise CLIError(
            f"no flow run {flow_run_id} on the server at {safe_url(client.api_url)}"
        ) from None


@flow_runs.command("inspect")
@click.argument("flow_run_id", metavar="ID", type=click.UUID)
@_json_flag("Print the flow run as JSON.")
def flow_runs_inspect(flow_run_id: UUID, as_json: bool) -> int:
    """Show one flow run."""

    async def body(client: PrefectClient) -> int:
        import json

        run = await _read_run(client, flow_run_id)
        if as_json:
            echo_json(run.model_dump(mode="json"))
            return EXIT_OK
        flow = (await _flow_names(client, {run.flow_id})).get(run.flow_id, str(run.flow_id))
        deployment = "-"
        if run.deployment_id is not None:
            found: Deployment = await client.read_deployment(run.deployment_id)
            deployment = f"{flow}/{found.name} ({found.id})"
        colour = colour_enabled()
        state = _state_cell(run)
        message = run.state.message if run.state is not None and run.state.message else None
        fields: list[tuple[str, Cell | str]] = [
            ("id", str(run.id)),
            ("name", run.name),
            ("flow", f"{flow} ({run.flow_id})"),
            ("deployment", deployment),
            ("state", state._replace(text=state.text + (f": {message}" if message else ""))),
            ("tags", _tags(run.tags)),
            ("parameters", json.dumps(run.parameters, ensure_ascii=False)),
            ("expected start", when(run.expected_start_time)),
            ("start", when(run.start_time)),
            ("end", when(run.end_time)),
            ("run time", short_time(run.total_run_time)),
            ("run count", str(run.run_count)),
            ("work pool", run.work_pool_name or "-"),
            ("work queue", run.work_queue_name or "-"),
            ("created", when(run.created)),
        ]
        width = max(len(label) for label, _ in fields)
        for label, value in fields:
            key = Cell(label.ljust(width), bold=True)
            shown = value if isinstance(value, Cell) else Cell(value)
            click.echo(f"{paint(key, colour)}  {paint(shown, colour)}")
        return EXIT_OK

    return _with_client(body)


@flow_runs.command("logs")
@click.argument("flow_run_id", metavar="ID", type=click.UUID)
@click.option(
    "--follow",
    "-f",
    is_flag=True,
    help="Keep printing new lines until the run reaches a final state.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds between reads of the run's state (and of its logs, on a server that does "
    "not stream them).",
)
@click.option(
    "--no-stream",
    is_flag=True,
    help="With --follow, read new lines by polling instead of over the server's log stream "
    "(e.g. behind a proxy that does not pass websockets).",
)
@_json_flag("Print one JSON object per line.")
def flow_runs_logs(
    flow_run_id: UUID, follow: bool, poll_interval: float, no_stream: bool, as_json: bool
) -> int:
    """Print the logs of a flow run, oldest first.

    With --follow, new lines are printed as they are stored (over the server's log stream, or
    by polling if the server does not stream logs) until the run is Completed, Failed, Crashed
    or Cancelled.
    """
    colour = colour_enabled()

    def show(line: Log) -> None:
        if as_json:
            echo_json(line.model_dump(mode="json"), lines=True)
            return
        level = _level_name(line.level)
        stamp = when(line.timestamp, millis=True)
        head = paint(Cell(f"{level:<8}", fg=level_colour(line.level)), colour)
        click.echo(f"{stamp} | {head} | {line.name} - {line.message}")

    async def body(client: PrefectClient) -> int:
        run = await _read_run(client, flow_run_id)
        following = follow and not _is_final(run)
        await _print_logs(client, run, following, not no_stream, poll_interval, show)
        return EXIT_OK

    return _with_client(body)


async def _print_logs(
    client: PrefectClient,
    run: FlowRun,
    follow: bool,
    stream_logs: bool,
    poll_interval: float,
    show: Callable[[Log], None],
) -> None:
    """Print the run's stored lines, then (``follow``) the new ones until it is final: over
    the server's log stream (``stream_logs``, if the server streams them), else by polling."""
    import anyio

    from prefect_sdk.exceptions import NotSupportedByServer
    from prefect_sdk.filters import LogFilter, LogFilterTimestamp

    seen: set[UUID] = set()
    latest: list[dt.datetime] = []

    def once(line: Log) -> None:
        if line.id not in seen:
            seen.add(line.id)
            if not latest or line.timestamp > latest[0]:
                latest[:] = [line.timestamp]
            show(line)

    async def stored() -> None:
        # From a while before the newest line printed: a line can be stored after lines
        # stamped later than it (the runner sends them in batches); ids tell repeats apart.
        after = LogFilterTimestamp(after_=latest[0] - LOG_LOOKBACK) if latest else None
        async for line in client.iter_logs(LogFilter(flow_run_id=run.id, timestamp=after)):
            once(line)

    if not follow:
        await stored()
        return
    async with contextlib.AsyncExitStack() as stack:
        stream = None
        try:
            # Subscribed before the stored lines are read, so no line falls in between.
            if stream_logs:
                stream = await stack.enter_async_context(
                    client.subscribe_logs(LogFilter(flow_run_id=run.id))
                )
        except NotSupportedByServer:
            _note(f"(the server does not stream logs: reading them every {poll_interval:g}s)")
        if stream is not None:
            await stored()
            async with anyio.create_task_group() as group:

                async def until_final() -> None:
                    await client.wait_for_flow_run(
                        run.id, timeout=None, poll_interval=poll_interval
                    )
                    await anyio.sleep(FOLLOW_GRACE)
                    group.cancel_scope.cancel()

                group.start_soon(until_final)
                async for line in stream:
                    once(line)
            await stored()  # anything a reconnect missed
            return
    while True:
        current = await client.read_flow_run(run.id)  # before the logs: none written after
        await stored()
        if _is_final(current):
            return
        await anyio.sleep(poll_interval)


# -- deployments -------------------------------------------------------------------------------


@cli.group()
def deployments() -> None:
    """List deployments and run them."""


@deployments.command("ls")
@click.option("--flow", "flows", multiple=True, metavar="NAME", help="Deployments of this flow.")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@_json_flag()
def deployments_ls(flows: tuple[str, ...], limit: int, as_json: bool) -> int:
    """List deployments, by name."""

    async def body(client: PrefectClient) -> int:
        from prefect_sdk.filters import DeploymentSort, FlowFilter

        found = await client.read_deployments(
            limit=limit,
            sort=DeploymentSort.NAME_ASC,
            flow_filter=FlowFilter(name=list(flows)) if flows else None,
        )
        flow_names = await _flow_names(client, {d.flow_id for d in found})

        def full_name(deployment: Deployment) -> str:
            return f"{flow_names.get(deployment.flow_id, '?')}/{deployment.name}"

        found.sort(key=full_name)
        if as_json:
            echo_json([deployment.model_dump(mode="json") for deployment in found])
            return EXIT_OK
        if not found:
            _note("no deployments match")
            return EXIT_OK
        rows: list[list[Cell | str]] = []
        for deployment in found:
            status = "paused" if deployment.paused else (deployment.status or "-").lower()
            status_fg = "yellow" if deployment.paused else None
            if deployment.status == "READY" and not deployment.paused:
                status_fg = "green"
            rows.append(
                [
                    full_name(deployment),
                    str(deployment.id),
                    Cell(status, fg=status_fg),
                    deployment.work_pool_name or "-",
                    str(len(deployment.schedules)),
                    _tags(deployment.tags),
                ]
            )
        headers = ["NAME", "ID", "STATUS", "WORK POOL", "SCHEDULES", "TAGS"]
        for line in format_table(headers, rows, colour=colour_enabled()):
            click.echo(line)
        return EXIT_OK

    return _with_client(body)


@deployments.command("run")
@click.argument("name")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    callback=_to_params,
    help="A parameter of the run, KEY=VALUE; VALUE is read as JSON (3, true, [1,2], "
    '{"a":1}, "text") if it parses, else taken as text. Repeatable.',
)
@click.option("--wait", is_flag=True, help="Wait until the run reaches a final state.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Stop waiting after SECONDS (exit code 3). Implies --wait.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds between reads of the run's state while waiting.",
)
@_json_flag("Print the flow run (as created, or as it ended) as JSON.")
def deployments_run(
    name: str,
    params: dict[str, Any],
    wait: bool,
    timeout: float | None,
    poll_interval: float,
    as_json: bool,
) -> int:
    """Create a run of deployment NAME (FLOW/DEPLOYMENT, or its id).

    The run is scheduled for now; a worker must pick it up. With --wait the command returns
    when the run is final: exit code 0 if it Completed, 1 if it ended otherwise, 3 if
    --timeout passed first.
    """
    if "/" not in name and not _is_uuid(name):
        raise click.BadParameter(
            "give FLOW/DEPLOYMENT (e.g. etl/nightly) or the deployment's id",
            param_hint="'NAME'",
        )
    waiting = wait or timeout is not None

    async def body(client: PrefectClient) -> int:
        from prefect_sdk.exceptions import FlowRunWaitTimeout, ObjectNotFound, safe_url

        try:
            run = await client.run_deployment(name, parameters=params, timeout=0)
        except ObjectNotFound:
            raise CLIError(
                f"no deployment {name} on the server at {safe_url(client.api_url)}"
            ) from None
        label = f"flow run '{run.name}' ({run.id})"
        if not as_json:
            click.echo(f"created {label} of {name}: {run.state_name}")
        if not waiting:
            if as_json:
                echo_json(run.model_dump(mode="json"))
            return EXIT_OK
        from prefect_sdk.cli._progress import progress, wait

        try:
            with progress(label, run.state_name or "?") as shown:
                ended = await wait(client, run, timeout, poll_interval, shown)
        except FlowRunWaitTimeout as exc:
            last: FlowRun = exc.flow_run if exc.flow_run is not None else run
            if as_json:
                echo_json(last.model_dump(mode="json"))
            _error(f"timed out after {timeout:g}s: {label} is still {last.state_name}")
            return EXIT_TIMEOUT
        if as_json:
            echo_json(ended.model_dump(mode="json"))
        else:
            message = ended.state.message if ended.state is not None else None
            state = paint(_state_cell(ended), colour_enabled())
            click.echo(f"{label} ended {state}" + (f": {message}" if message else ""))
        completed = ended.state is not None and ended.state.is_completed()
        return EXIT_OK if completed else EXIT_RUN_NOT_COMPLETED

    return _with_client(body)


def _level_name(level: int) -> str:
    import logging

    return logging.getLevelName(level)


def _is_uuid(text: str) -> bool:
    from uuid import UUID

    try:
        UUID(text)
    except ValueError:
        return False
    return True


# -- work pools --------------------------------------------------------------------------------


@cli.group("work-pools")
def work_pools() -> None:
    """List work pools."""


@work_pools.command("ls")
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@_json_flag()
def work_pools_ls(limit: int, as_json: bool) -> int:
    """List work pools."""

    async def body(client: PrefectClient) -> int:
        pools = await client.read_work_pools(limit=limit)
        if as_json:
            echo_json([pool.model_dump(mode="json") for pool in pools])
            return EXIT_OK
        if not pools:
            _note("no work pools")
            return EXIT_OK
        colours = {"READY": "green", "NOT_READY": "yellow", "PAUSED": "yellow"}
        rows: list[list[Cell | str]] = [
            [
                pool.name,
                pool.type,
                Cell((pool.status or "-").lower(), fg=colours.get(pool.status or "")),
                "-" if pool.concurrency_limit is None else str(pool.concurrency_limit),
                "yes" if pool.is_paused else "no",
                str(pool.id),
            ]
            for pool in sorted(pools, key=lambda pool: pool.name)
        ]
        headers = ["NAME", "TYPE", "STATUS", "CONCURRENCY", "PAUSED", "ID"]
        for line in format_table(headers, rows, colour=colour_enabled()):
            click.echo(line)
        return EXIT_OK

    return _with_client(body)


# -- variables ---------------------------------------------------------------------------------


@cli.group()
def variables() -> None:
    """Read and write variables."""


@variables.command("get")
@click.argument("name")
@click.option(
    "--default",
    metavar="VALUE",
    help="Print VALUE (read as JSON if it parses) when there is no such variable, instead of "
    "failing.",
)
@_json_flag("Print the value as JSON (strings quoted).")
def variables_get(name: str, default: str | None, as_json: bool) -> int:
    """Print the value of variable NAME: text as it is, anything else as JSON."""

    async def body(client: PrefectClient) -> int:
        import json

        from prefect_sdk.exceptions import safe_url

        variable = await client.read_variable_by_name(name)
        if variable is None:
            if default is None:
                raise CLIError(f"no variable {name!r} on the server at {safe_url(client.api_url)}")
            value = parse_value(default)
        else:
            value = variable.value
        if isinstance(value, str) and not as_json:
            click.echo(value)
        else:
            click.echo(json.dumps(value, ensure_ascii=False))
        return EXIT_OK

    return _with_client(body)


@variables.command("set")
@click.argument("name")
@click.argument("value")
@click.option("--overwrite", is_flag=True, help="Replace the value of an existing variable.")
@click.option(
    "--string", "as_string", is_flag=True, help="Store VALUE as text, even if it parses as JSON."
)
def variables_set(name: str, value: str, overwrite: bool, as_string: bool) -> int:
    """Store VALUE under variable NAME.

    VALUE is read as JSON (500, true, [1,2], {"a":1}, "text") if it parses, else taken as text.
    """

    async def body(client: PrefectClient) -> int:
        import json

        from prefect_sdk.exceptions import ObjectAlreadyExists

        stored = value if as_string else parse_value(value)
        try:
            variable = await client.set_variable(name, stored, overwrite=overwrite)
        except ObjectAlreadyExists:
            raise CLIError(
                f"variable {name!r} already exists: pass --overwrite to replace its value"
            ) from None
        click.echo(f"{variable.name} = {json.dumps(variable.value, ensure_ascii=False)}")
        return EXIT_OK

    return _with_client(body)


# -- events ------------------------------------------------------------------------------------


@cli.group()
def events() -> None:
    """Follow events as the server receives them."""


@events.command("stream")
@click.option(
    "--event",
    "prefixes",
    multiple=True,
    metavar="PREFIX",
    help="Events whose name starts with PREFIX, e.g. prefect.flow-run. (repeatable).",
)
@click.option(
    "--resource",
    "resources",
    multiple=True,
    metavar="ID",
    help="Events about the resource ID, e.g. prefect.flow-run.<uuid>; a trailing * matches "
    "a prefix (repeatable).",
)
@click.option("--backfill", is_flag=True, help="Start with the recent stored events that match.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Stop after this many events (default: run until interrupted).",
)
@_json_flag("Print one JSON object per line.")
def events_stream(
    prefixes: tuple[str, ...],
    resources: tuple[str, ...],
    backfill: bool,
    limit: int | None,
    as_json: bool,
) -> int:
    """Print events as they happen, until interrupted (Ctrl-C) or --limit."""
    colour = colour_enabled()

    def show(event: ReceivedEvent) -> None:
        if as_json:
            echo_json(event.model_dump(mode="json"), lines=True)
            return
        name = paint(Cell(event.event, fg="cyan"), colour)
        click.echo(f"{when(event.occurred, millis=True)}  {name}  {event.resource.id}")

    async def body(client: PrefectClient) -> int:
        from prefect_sdk.filters import EventFilter, EventNameFilter, EventResourceFilter

        exact = [r for r in resources if not r.endswith("*")]
        prefix = [r[:-1] for r in resources if r.endswith("*")]
        event_filter = EventFilter(
            event=EventNameFilter(prefix=list(prefixes)) if prefixes else None,
            resource=(
                EventResourceFilter(id=exact or None, id_prefix=prefix or None)
                if resources
                else None
            ),
        )
        count = 0
        async with client.subscribe_events(event_filter, backfill=backfill) as stream:
            async for event in stream:
                show(event)
                count += 1
                if limit is not None and count >= limit:
                    break
        return EXIT_OK

    return _with_client(body)
