"""Start a throwaway local Prefect server (for the quickstart, the tests and local hacking).

The server runs in an environment of its own, built by ``uv tool run`` (``uvx``) from
``prefect==3.8.8`` — never inside the SDK's environment — on a free loopback port, with a
temporary ``PREFECT_HOME`` (SQLite).  Standard library only.

    with PrefectServer() as server:
        print(server.api_url)   # http://127.0.0.1:<port>/api
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

__all__ = [
    "DEFAULT_PREFECT_VERSION",
    "QUIET_SERVICES",
    "TEST_SETTINGS",
    "PrefectServer",
    "ServerStartError",
    "uv_command",
]

DEFAULT_PREFECT_VERSION = "3.8.8"
# The 3.8.8 server does not start with FastAPI 0.150 or newer, and with SQLAlchemy 2.1 its
# scheduler code fails ("Can't evaluate bulk DML statement": POST /deployments/{id}/schedule
# answers 503 for ever).
SERVER_EXTRA_REQUIREMENTS = ("fastapi<0.150", "sqlalchemy<2.1")

# Server settings for a deterministic server (the test session's): no scheduler creating runs
# behind a caller's back, no late-run marker changing states, and none of the background
# services whose writes compete for SQLite's single writer lock (the server answers 503 when a
# request loses that race). The event persister and the automation triggers stay on.
QUIET_SERVICES = {
    f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false"
    for name in (
        "SCHEDULER",
        "LATE_RUNS",
        "CANCELLATION_CLEANUP",
        "CLEANUP_RECONCILER",
        "EVENT_LOGGER",
        "FOREMAN",
        "PAUSE_EXPIRATIONS",
        "REPOSSESSOR",
        "TASK_RUN_RECORDER",
    )
}

# The test session's server: QUIET_SERVICES, and log lines streamed to websocket subscribers
# (off by default on a Prefect server: /logs/out then accepts subscriptions and sends nothing).
TEST_SETTINGS = {
    **QUIET_SERVICES,
    "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "true",
    "PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED": "true",
}


class ServerStartError(RuntimeError):
    """The server did not come up; the message holds the end of its log."""


def uv_command() -> list[str]:
    """How to run uv here: the ``uv`` on PATH, else ``python -m uv`` if the package is installed."""
    found = os.environ.get("PREFECT_SDK_UV") or shutil.which("uv")
    if found:
        return [found]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    raise ServerStartError(
        "uv is needed to run the embedded Prefect server in its own environment: "
        "`python -m pip install uv` (or set PREFECT_SDK_UV to its path)"
    )


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class PrefectServer:
    """A Prefect server process on loopback with a throwaway home; stop it with :meth:`stop`."""

    def __init__(
        self,
        version: str = DEFAULT_PREFECT_VERSION,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        env: Mapping[str, str] | None = None,
        home: str | os.PathLike[str] | None = None,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the embedded server listens on loopback only (127.0.0.1 or ::1)")
        self.version = version
        self.host = host
        self.port = port
        self.extra_env = dict(env or {})
        self._home_given = home is not None
        self.home = Path(home) if home is not None else None
        self.process: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None

    @property
    def api_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the server is not started")
        return f"http://{self.host}:{self.port}/api"

    def command(self) -> list[str]:
        cmd = [*uv_command(), "tool", "run", "--python", sys.executable]
        cmd += ["--from", f"prefect=={self.version}"]
        for requirement in SERVER_EXTRA_REQUIREMENTS:
            cmd += ["--with", requirement]
        cmd += ["prefect", "server", "start", "--host", self.host, "--port", str(self.port)]
        return cmd

    def _environment(self) -> dict[str, str]:
        # The server must not see the caller's Prefect settings or virtualenv.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("PREFECT_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")
        }
        env.update(
            {
                "PREFECT_HOME": str(self.home),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_UI_ENABLED": "false",
                "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
                "PREFECT_LOGGING_LEVEL": "WARNING",
            }
        )
        env.setdefault("UV_PYTHON_DOWNLOADS", "never")
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 240.0) -> str:
        """Start the server and wait until ``/api/health`` answers; return the API URL."""
        if self.process is not None:
            return self.api_url
        if self.home is None:
            self.home = Path(tempfile.mkdtemp(prefix="prefect-sdk-server-"))
        self.home.mkdir(parents=True, exist_ok=True)
        if self.port is None:
            self.port = _free_port(self.host)
        self._log = self.home / "server.log"
        with open(self._log, "wb") as log:
            self.process = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._environment(),
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        health = f"{self.api_url}/health"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log_tail()
                self.stop()
                raise ServerStartError(f"the Prefect server exited while starting:\n{tail}")
            try:
                with urllib.request.urlopen(health, timeout=2) as response:
                    if response.status == 200:
                        return self.api_url
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        tail = self.log_tail()
        self.stop()
        raise ServerStartError(f"the Prefect server did not answer {health} in {timeout}s:\n{tail}")

    def log_tail(self, lines: int = 40) -> str:
        if self._log is None or not self._log.exists():
            return ""
        return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s) and remove its temporary home."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if self.home is not None and not self._home_given:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> PrefectServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
