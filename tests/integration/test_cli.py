"""The ``prefect-sdk`` command line against the real server.

Exit codes, streams and terminals are checked on the installed console script in a
subprocess, as a user's shell runs it (``PREFECT_API_URL`` in its environment); the output of
the listing commands in-process through ``prefect_sdk.cli.main`` (``--api-url``), which is the
same code without an interpreter start per call.  Objects are made with the client in set-up,
with unique names, so tests sharing the session's server never see each other's objects.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pty
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from prefect_sdk.cli import main
from prefect_sdk.filters import DeploymentFilter
from prefect_sdk.schemas import Deployment, Flow, FlowRun
from prefect_sdk.states import Completed, Failed, Running, Scheduled
from prefect_sdk.sync import SyncPrefectClient

SCRIPT = str(Path(sys.executable).parent / "prefect-sdk")


@pytest.fixture
def sync_client(api_url: str) -> Iterator[SyncPrefectClient]:
    with SyncPrefectClient(api=api_url) as client:
        yield client


def shell_env(api_url: str, **extra: str) -> dict[str, str]:
    """A user's shell: the test's environment (no Prefect settings) plus PREFECT_API_URL."""
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def shell(
    api_url: str, *args: str, timeout: float = 60, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SCRIPT, *args],
        env=shell_env(api_url, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def cli(capsys: pytest.CaptureFixture[str], api_url: str, *args: str) -> tuple[int, str, str]:
    """``prefect-sdk --api-url api_url args`` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(["--api-url", api_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_clean_error_line(err: str, *expected: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert "Traceback" not in err
    for text in expected:
        assert text in lines[0], err


# -- set-up --------------------------------------------------------------------------------


class Scene:
    """A flow with three runs (Completed and tagged, Failed, and a Scheduled run of a
    deployment) and that deployment (with a tag of its own)."""

    def __init__(self, client: SyncPrefectClient, unique: Callable[[str], str]) -> None:
        self.tag = unique("tag")
        self.deployment_tag = unique("dep-tag")  # its runs get it too
        self.flow: Flow = client.create_flow(unique("cli-flow"))
        self.deployment: Deployment = client.create_deployment(
            self.flow.id, unique("dep"), tags=[self.deployment_tag]
        )
        self.completed: FlowRun = client.create_flow_run(
            self.flow, tags=[self.tag, "extra"], state=Completed(), parameters={"x": 1}
        )
        self.failed: FlowRun = client.create_flow_run(self.flow, state=Failed(message="it broke"))
        self.scheduled: FlowRun = client.create_flow_run_from_deployment(
            self.deployment.id, state=Scheduled()
        )

    @property
    def deployment_name(self) -> str:
        return f"{self.flow.name}/{self.deployment.name}"


@pytest.fixture
def scene(sync_client: SyncPrefectClient, unique: Callable[[str], str]) -> Scene:
    return Scene(sync_client, unique)


# -- flow runs -----------------------------------------------------------------------------


def test_flow_runs_ls_prints_an_aligned_table(
    scene: Scene, api_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, api_url, "flow-runs", "ls", "--flow", scene.flow.name)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "NAME", "FLOW", "DEPLOYMENT", "STATE", "START", "TAGS"]
    assert len(lines) == 4
    by_id = {line.split()[0]: line for line in lines[1:]}
    assert set(by_id) == {str(scene.completed.id), str(scene.failed.id), str(scene.scheduled.id)}
    assert "Completed" in by_id[str(scene.completed.id)]
    assert f"{scene.tag}, extra" in by_id[str(scene.completed.id)]
    assert "Failed" in by_id[str(scene.failed.id)]
    assert scene.deployment.name in by_id[str(scene.scheduled.id)]
    # Columns line up: every row has its state where the header has STATE.
    column = lines[0].index("STATE")
    for run, state in ((scene.completed, "Completed"), (scene.failed, "Failed")):
        assert by_id[str(run.id)][column:].startswith(state)
    assert "\x1b[" not in out  # no colour into a pipe


def test_flow_runs_ls_filters(
    scene: Scene, api_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def ids(*args: str) -> set[str]:
        code, out, err = cli(capsys, api_url, "flow-runs", "ls", "--json", *args)
        assert code == 0, err
        return {run["id"] for run in json.loads(out)}

    flow = ("--flow", scene.flow.name)
    assert ids(*flow, "--state", "failed") == {str(scene.failed.id)}
    assert ids(*flow, "--state", "Completed", "--state", "SCHEDULED") == {
        str(scene.completed.id),
        str(scene.scheduled.id),
    }
    assert ids(*flow, "--tag", scene.tag) == {str(scene.completed.id)}
    assert ids(*flow, "--tag", scene.tag, "--tag", "not-there") == set()
    assert ids("--deployment", scene.deployment_name) == {str(scene.scheduled.id)}
    assert ids("--deployment", scene.deployment.name) == {str(scene.scheduled.id)}
    assert ids("--deployment", f"{scene.flow.name}/no-such-deployment") == set()
    assert len(ids(*flow, "--since", "1h")) == 3
    assert ids(*flow, "--until", "2001-01-01") == set()
    assert ids(*flow, "--since", "2001-01-01T00:00:00Z", "--limit", "1") != set()
    assert len(ids(*flow, "--limit", "2")) == 2


def test_flow_runs_ls_says_when_nothing_matches(
    scene: Scene, api_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys, api_url, "flow-runs", "ls", "--flow", scene.flow.name, "--until", "2001-01-01"
    )
    assert (code, out) == (0, "")
    assert "no flow runs match" in err


def test_flow_runs_inspect(scene: Scene, api_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, api_url, "flow-runs", "inspect", str(scene.failed.id))
    assert code == 0, err
    fields = dict(line.split(None, 1) for line in out.splitlines() if " " in line.strip())
    assert fields["id"].strip() == str(scene.failed.id)
    assert fields["name"].strip() == scene.failed.name
    assert scene.flow.name in fields["flow"]
    assert "Failed: it broke" in out
    code, out, err = cli(capsys, api_url, "flow-runs", "inspect", str(scene.completed.id), "--json")
    assert code == 0, err
    run = json.loads(out)
    assert run["id"] == str(scene.completed.id)
    assert run["parameters"] == {"x": 1}
    assert run["state_type"] == "COMPLETED"


def test_flow_runs_logs_prints_the_stored_lines_in_order(
    scene: Scene, sync_client: SyncPrefectClient, api_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log_lines(
        sync_client, scene.completed.id, [(20, "first line"), (40, "second line"), (10, "third")]
    )
    code, out, err = cli(capsys, api_url, "flow-runs", "logs", str(scene.completed.id))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 3, out
    assert "INFO" in lines[0] and lines[0].endswith("cli-test - first line")
    assert "ERROR" in lines[1] and lines[1].endswith("second line")
    assert "DEBUG" in lines[2] and lines[2].endswith("third")
    code, out, err = cli(capsys, api_url, "flow-runs", "logs", str(scene.completed.id), "--json")
    assert code == 0, err
    assert [json.loads(line)["message"] for line in out.splitlines()] == [
        "first line",
        "second line",
        "third",
    ]


def log_lines(
    client: SyncPrefectClient,
    run_id: uuid.UUID,
    lines: list[tuple[int, str]],
    ago: dt.timedelta = dt.timedelta(0),
) -> None:
    start = dt.datetime.now(dt.timezone.utc) - ago
    client.create_logs(
        [
            {
                "name": "cli-test",
                "level": level,
                "message": message,
                "timestamp": start + dt.timedelta(milliseconds=index),
                "flow_run_id": run_id,
            }
            for index, (level, message) in enumerate(lines)
        ]
    )


@pytest.mark.parametrize("how", ["stream", "no-stream"])
def test_flow_runs_logs_follow_prints_new_lines_until_the_run_is_final(
    scene: Scene, sync_client: SyncPrefectClient, api_url: str, how: str
) -> None:
    # The session's server streams log lines; --no-stream polls, as against one that does not.
    run = sync_client.create_flow_run(scene.flow, state=Running())
    log_lines(sync_client, run.id, [(20, "before the follow")])
    follower = subprocess.Popen(
        [SCRIPT, "flow-runs", "logs", str(run.id), "--follow", "--poll-interval", "0.3"]
        + (["--no-stream"] if how == "no-stream" else []),
        env=shell_env(api_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert follower.stdout is not None
        first = follower.stdout.readline()  # the stored line: the follower is running
        assert first.rstrip().endswith("before the follow"), first
        log_lines(sync_client, run.id, [(30, "while following")])
        second = follower.stdout.readline()  # printed while the run goes on
        assert "WARNING" in second and second.rstrip().endswith("while following"), second
        # A line stored after it but stamped before it (lines are sent in batches).
        log_lines(sync_client, run.id, [(20, "stamped earlier")], ago=dt.timedelta(seconds=5))
        time.sleep(1)
        sync_client.set_flow_run_state(run.id, Completed())
        out, err = follower.communicate(timeout=30)
    finally:
        if follower.poll() is None:
            follower.kill()
            follower.wait()
    assert follower.returncode == 0, err
    # The rest: the late line, once, and nothing printed twice.
    rest = out.splitlines()
    assert len(rest) == 1 and rest[0].endswith("stamped earlier"), out


def test_flow_runs_logs_of_a_finished_run_does_not_wait_with_follow(
    scene: Scene, sync_client: SyncPrefectClient, api_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log_lines(sync_client, scene.failed.id, [(40, "the end")])
    code, out, err = cli(capsys, api_url, "flow-runs", "logs", str(scene.failed.id), "-f")
    assert code == 0, err
    assert out.rstrip().endswith("the end")


# -- deployments ---------------------------------------------------------------------------


def test_deployments_ls(scene: Scene, api_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, api_url, "deployments", "ls", "--flow", scene.flow.name)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["NAME", "ID", "STATUS"]
    assert len(lines) == 2
    assert lines[1].split()[:2] == [scene.deployment_name, str(scene.deployment.id)]
    assert scene.deployment_tag in lines[1]
    code, out, err = cli(capsys, api_url, "deployments", "ls", "--flow", scene.flow.name, "--json")
    assert [d["id"] for d in json.loads(out)] == [str(scene.deployment.id)]


def runs_of(client: SyncPrefectClient, deployment: Deployment) -> list[FlowRun]:
    return client.read_flow_runs(deployment_filter=DeploymentFilter(id=deployment.id))


def test_deployments_run_without_wait_creates_a_run_with_the_parameters(
    scene: Scene, sync_client: SyncPrefectClient, api_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys,
        api_url,
        "deployments",
        "run",
        scene.deployment_name,
        "--param",
        "n=3",
        "--param",
        'items=["a", 2]',
        "--param",
        "day=2024-05-01",
        "--param",
        'quoted="7"',
        "--json",
    )
    assert code == 0, err
    printed = json.loads(out)
    assert printed["state_type"] == "SCHEDULED"
    created = sync_client.read_flow_run(printed["id"])
    assert created.deployment_id == scene.deployment.id
    assert created.parameters == {"n": 3, "items": ["a", 2], "day": "2024-05-01", "quoted": "7"}


def test_deployments_run_wait_times_out_with_exit_code_3(scene: Scene, api_url: str) -> None:
    # Nobody executes the run: it stays Scheduled.
    started = time.monotonic()
    done = shell(
        api_url,
        "deployments", "run", scene.deployment_name, "--timeout", "1.5", "--poll-interval", "0.3",
    )  # fmt: skip
    assert done.returncode == 3, done.stdout + done.stderr
    assert time.monotonic() - started < 30
    assert "created flow run" in done.stdout
    assert "waiting for flow run" in done.stderr  # the progress, on stderr
    assert "error: timed out after 1.5s" in done.stderr and "still Scheduled" in done.stderr
    assert "Traceback" not in done.stderr


def finish_runs_of(
    client: SyncPrefectClient, deployment: Deployment, before: set[uuid.UUID], final: Any
) -> threading.Thread:
    """In the background: wait for a new run of ``deployment``, then run it to ``final``."""

    def work() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            new = [run for run in runs_of(client, deployment) if run.id not in before]
            if new:
                time.sleep(0.5)  # the command is now waiting
                client.set_flow_run_state(new[0].id, Running())
                time.sleep(0.5)
                client.set_flow_run_state(new[0].id, final)
                return
            time.sleep(0.2)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(
    ("final", "exit_code", "state"),
    [(Completed, 0, "Completed"), (Failed, 1, "Failed")],
    ids=["completed", "failed"],
)
def test_deployments_run_wait_exit_code_follows_the_final_state(
    scene: Scene,
    sync_client: SyncPrefectClient,
    api_url: str,
    final: Callable[..., Any],
    exit_code: int,
    state: str,
) -> None:
    before = {run.id for run in runs_of(sync_client, scene.deployment)}
    worker = finish_runs_of(sync_client, scene.deployment, before, final(message="by the test"))
    done = shell(
        api_url,
        "deployments", "run", scene.deployment_name, "--wait", "--poll-interval", "0.3",
        "--timeout", "40",
    )  # fmt: skip
    worker.join(timeout=5)
    assert done.returncode == exit_code, done.stdout + done.stderr
    assert f"ended {state}: by the test" in done.stdout
    assert ": Running" in done.stderr  # a state seen while waiting, on stderr


# -- work pools, variables, events ---------------------------------------------------------


def test_work_pools_ls(
    sync_client: SyncPrefectClient,
    unique: Callable[[str], str],
    api_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pool = sync_client.create_work_pool(unique("cli-pool"), type="process", concurrency_limit=7)
    try:
        code, out, err = cli(capsys, api_url, "work-pools", "ls", "--limit", "200")
        assert code == 0, err
        row = next(line for line in out.splitlines() if line.startswith(pool.name + " "))
        assert row.split()[:2] == [pool.name, "process"]
        assert row.split()[3:] == ["7", "no", str(pool.id)]
        code, out, err = cli(capsys, api_url, "work-pools", "ls", "--limit", "200", "--json")
        assert pool.name in {p["name"] for p in json.loads(out)}
    finally:
        sync_client.delete_work_pool(pool.name)


def test_variables_set_and_get(
    sync_client: SyncPrefectClient,
    unique: Callable[[str], str],
    api_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = unique("cli_var").replace("-", "_")
    code, out, err = cli(capsys, api_url, "variables", "set", name, '{"rows": [1, 2]}')
    assert code == 0, err
    assert sync_client.get_variable(name) == {"rows": [1, 2]}
    code, out, err = cli(capsys, api_url, "variables", "get", name)
    assert (code, json.loads(out)) == (0, {"rows": [1, 2]})

    done = shell(api_url, "variables", "set", name, "500")
    assert done.returncode == 4
    assert_one_clean_error_line(done.stderr, "already exists", "--overwrite")
    assert sync_client.get_variable(name) == {"rows": [1, 2]}

    assert cli(capsys, api_url, "variables", "set", name, "500", "--overwrite")[0] == 0
    assert sync_client.get_variable(name) == 500
    assert cli(capsys, api_url, "variables", "set", name, "500", "--overwrite", "--string")[0] == 0
    assert sync_client.get_variable(name) == "500"
    assert cli(capsys, api_url, "variables", "get", name)[1] == "500\n"
    assert cli(capsys, api_url, "variables", "get", name, "--json")[1] == '"500"\n'

    missing = unique("missing").replace("-", "_")
    code, out, err = cli(capsys, api_url, "variables", "get", missing)
    assert code == 4
    assert_one_clean_error_line(err, f"no variable '{missing}'")
    code, out, err = cli(capsys, api_url, "variables", "get", missing, "--default", "fallback")
    assert (code, out) == (0, "fallback\n")


def test_events_stream_prints_the_matching_events(
    sync_client: SyncPrefectClient, unique: Callable[[str], str], api_url: str
) -> None:
    prefix = unique("cli.test")
    resource = f"cli.test.resource.{uuid.uuid4().hex}"
    stream = subprocess.Popen(
        [
            SCRIPT,
            "events",
            "stream",
            "--event",
            prefix + ".",
            "--resource",
            resource,
            "--limit",
            "2",
            "--json",
        ],
        env=shell_env(api_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while stream.poll() is None and time.monotonic() < deadline:
            # Until the stream has its two: it may not be subscribed yet when the first go out.
            sync_client.emit_event(
                f"{prefix}.other-resource", {"prefect.resource.id": resource + "x"}
            )
            sync_client.emit_event(f"{prefix}.happened", {"prefect.resource.id": resource})
            time.sleep(0.3)
        out, err = stream.communicate(timeout=10)
    finally:
        if stream.poll() is None:
            stream.kill()
            stream.wait()
    assert stream.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert len(events) == 2
    assert {e["event"] for e in events} == {f"{prefix}.happened"}
    assert {e["resource"]["prefect.resource.id"] for e in events} == {resource}


# -- errors, exit codes, terminals ---------------------------------------------------------


def test_help_and_usage_errors(api_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    done = shell(api_url, "--help")
    assert done.returncode == 0
    for command in ("flow-runs", "deployments", "work-pools", "variables", "events", "quickstart"):
        assert command in done.stdout
    assert "Exit codes" in done.stdout
    done = shell(api_url, "flow-runs", "ls", "--since", "yesterday")
    assert done.returncode == 2
    assert "'yesterday' is not a time" in done.stderr
    for args in (
        ("deployments", "run", "no-slash"),
        ("deployments", "run", "a/b", "--param", "novalue"),
        ("deployments", "run", "a/b", "--timeout", "0"),
        ("flow-runs", "inspect", "not-a-uuid"),
        ("flow-runs", "ls", "--limit", "0"),
        ("no-such-command",),
    ):
        code, _out, err = cli(capsys, api_url, *args)
        assert code == 2, args
        assert "Usage:" in err, args


def test_unknown_objects_are_one_clear_line_with_exit_code_4(
    api_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(uuid.uuid4())
    done = shell(api_url, "flow-runs", "inspect", missing)
    assert done.returncode == 4
    assert_one_clean_error_line(done.stderr, f"no flow run {missing}", api_url)
    code, _out, err = cli(capsys, api_url, "flow-runs", "logs", missing, "--follow")
    assert code == 4
    assert_one_clean_error_line(err, f"no flow run {missing}")
    code, _out, err = cli(capsys, api_url, "deployments", "run", "no-such/deployment", "--wait")
    assert code == 4
    assert_one_clean_error_line(err, "no deployment no-such/deployment")


def test_unreachable_server_is_one_clear_line_with_exit_code_4(api_url: str) -> None:
    done = shell("http://127.0.0.1:1/api", "work-pools", "ls", PREFECT_CLIENT_MAX_RETRIES="0")
    assert done.returncode == 4
    assert_one_clean_error_line(done.stderr, "http://127.0.0.1:1/api")


def test_no_server_configured_is_one_clear_line_with_exit_code_4(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # No PREFECT_API_URL in this test's environment, and no profile.
    assert "PREFECT_API_URL" not in os.environ
    assert main(["flow-runs", "ls"]) == 4
    assert_one_clean_error_line(capsys.readouterr().err, "PREFECT_API_URL", "--api-url")


def run_on_a_terminal(api_url: str, *args: str, **extra: str) -> tuple[int, str]:
    """Run the command with a pseudo-terminal as stdout and stderr: (exit code, output)."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [SCRIPT, *args],
            env=shell_env(api_url, **extra),
            stdin=subprocess.DEVNULL,
            stdout=follower,
            stderr=follower,
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=60)
    finally:
        os.close(leader)
    return code, b"".join(chunks).decode(errors="replace")


def test_colour_only_on_a_terminal_and_never_with_no_color(scene: Scene, api_url: str) -> None:
    args = ("flow-runs", "ls", "--flow", scene.flow.name)
    code, out = run_on_a_terminal(api_url, *args)
    assert code == 0, out
    assert "\x1b[31m" in out  # Failed, in red
    assert "\x1b[32m" in out  # Completed, in green
    code, out = run_on_a_terminal(api_url, *args, NO_COLOR="1")
    assert code == 0, out
    assert "\x1b[" not in out
    assert "Failed" in out and "Completed" in out
