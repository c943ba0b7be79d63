"""Start a throwaway local Prefect server (for the quickstart, the tests and local hacking).

The server runs in an environment of its own, built by ``uv tool run`` (``uvx``) from
``prefect==3.8.8`` (or another version, with its known-good pins) — never inside the SDK's
environment — on a free loopback port, with a temporary ``PREFECT_HOME`` (SQLite). Without uv,
the environment is made once with ``venv`` and pip, and reused. Standard library only.

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
    "SERVER_PINS",
    "TEST_SETTINGS",
    "VERSION_ENV",
    "PrefectServer",
    "ServerStartError",
    "default_version",
    "find_uv",
    "pip_server_environment",
    "server_requirements",
    "uv_command",
]

DEFAULT_PREFECT_VERSION = "3.8.8"

# Known-good pins of a server's dependencies, by Prefect version (the newest releases of some
# of them break older servers: a Prefect release pins few upper bounds). First match wins;
# versions compare as (major, minor, patch). Each range was checked with its newest patch
# (`python3 tools/test_servers.py`: 3.0.11, 3.2.15, 3.4.25, 3.6.29, 3.8.8, 3.9.1 start and
# run the integration suite); other patches of a range share its pins untested.
# - SQLAlchemy 2.1 (every range): the scheduler code fails ("Can't evaluate bulk DML
#   statement": POST /deployments/{id}/schedule answers 503 for ever).
# - 3.8 and 3.9 do not start with FastAPI 0.150 or newer.
# - 3.6 and 3.7 with FastAPI 0.137 or newer start, then answer every API route 500
#   ("'PrefectRouter' object has no attribute 'routes'": they delete the routes of the routers
#   FastAPI >= 0.137 keeps using); /api/health still answers, so start() also asks
#   /api/admin/version.
# - 3.1 to 3.5 import importlib_metadata without requiring it (older opentelemetry-api
#   releases brought it). Their FastAPI and pydantic are pinned to releases of their time
#   (3.4: FastAPI < 0.119, pydantic < 2.12; 3.1 to 3.3: FastAPI < 0.116, pydantic < 2.11),
#   a combination checked to work; newer ones were not tried.
# - 3.0 fails with pydantic 2.10 or newer ("name 'ResultRecordMetadata' is not defined");
#   FastAPI < 0.116 is of its time.
SERVER_PINS: tuple[tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]], ...] = (
    # (from version, up to but excluding, requirements)
    ((3, 8, 0), (3, 10, 0), ("fastapi<0.150", "sqlalchemy<2.1")),
    ((3, 6, 0), (3, 8, 0), ("fastapi<0.137", "sqlalchemy<2.1")),
    (
        (3, 4, 0),
        (3, 6, 0),
        ("fastapi<0.119", "pydantic<2.12", "sqlalchemy<2.1", "importlib_metadata"),
    ),
    (
        (3, 1, 0),
        (3, 4, 0),
        ("fastapi<0.116", "pydantic<2.11", "sqlalchemy<2.1", "importlib_metadata"),
    ),
    ((3, 0, 0), (3, 1, 0), ("fastapi<0.116", "pydantic<2.10", "sqlalchemy<2.1")),
)

# The server version ``PrefectServer()`` starts when none is given: ``PREFECT_SDK_SERVER_VERSION``
# if set (the version matrix sets it, so a test session's second server, the secured one, is of
# the version under test), else DEFAULT_PREFECT_VERSION.
VERSION_ENV = "PREFECT_SDK_SERVER_VERSION"


def default_version() -> str:
    """The Prefect version a server starts with when none is given (see ``VERSION_ENV``)."""
    return os.environ.get(VERSION_ENV, "").strip() or DEFAULT_PREFECT_VERSION


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def server_requirements(version: str) -> list[str]:
    """What to install to run the Prefect server ``version``: it and its known-good pins."""
    wanted = _version_tuple(version)
    for low, high, pins in SERVER_PINS:
        if low <= wanted < high:
            return [f"prefect=={version}", *pins]
    return [f"prefect=={version}"]


# The default version's pins (kept for callers).
SERVER_EXTRA_REQUIREMENTS = tuple(server_requirements(DEFAULT_PREFECT_VERSION)[1:])


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


def find_uv() -> list[str] | None:
    """How to run uv here: ``PREFECT_SDK_UV``, the ``uv`` on PATH, else ``python -m uv`` if
    the package is installed; ``None`` when there is none."""
    found = os.environ.get("PREFECT_SDK_UV") or shutil.which("uv")
    if found:
        return [found]
    if importlib.util.find_spec("uv") is not None:
        return [sys.executable, "-m", "uv"]
    return None


def uv_command() -> list[str]:
    """How to run uv here (see :func:`find_uv`); raises if there is no uv."""
    found = find_uv()
    if found is None:
        raise ServerStartError(
            "uv is needed here: `python -m pip install uv` (or set PREFECT_SDK_UV to its path)"
        )
    return found


def _cache_dir() -> Path:
    """Where pip-made server environments are kept: ``PREFECT_SDK_CACHE_DIR``, else the user's
    cache folder."""
    given = os.environ.get("PREFECT_SDK_CACHE_DIR")
    if given:
        return Path(given) / "servers"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "prefect-sdk" / "servers"


def pip_server_environment(version: str, *, quiet: bool = False) -> Path:
    """A virtual environment with the Prefect server ``version``, made with ``venv`` and pip
    (the way without uv: slower the first time, ~1-3 minutes; reused afterwards). Returns the
    ``prefect`` executable in it."""
    tag = f"{version}-py{sys.version_info.major}{sys.version_info.minor}"
    where = _cache_dir() / tag
    bin_dir = where / ("Scripts" if os.name == "nt" else "bin")
    prefect = bin_dir / ("prefect.exe" if os.name == "nt" else "prefect")
    ready = where / ".ready"
    requirements = server_requirements(version)
    if ready.exists() and ready.read_text() == " ".join(requirements) and prefect.exists():
        return prefect
    if not quiet:
        print(
            f"uv not found: installing the Prefect {version} server with pip into {where} "
            "(once; this takes a few minutes; `pip install uv` makes it much faster)",
            file=sys.stderr,
            flush=True,
        )
    shutil.rmtree(where, ignore_errors=True)
    where.parent.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", str(where)],
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", *requirements],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            shutil.rmtree(where, ignore_errors=True)
            raise ServerStartError(
                f"could not install the Prefect {version} server with pip ({' '.join(step)}):"
                f"\n{(done.stderr or done.stdout)[-2000:]}"
            )
    ready.write_text(" ".join(requirements))
    return prefect


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class PrefectServer:
    """A Prefect server process on loopback with a throwaway home; stop it with :meth:`stop`."""

    def __init__(
        self,
        version: str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        env: Mapping[str, str] | None = None,
        home: str | os.PathLike[str] | None = None,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the embedded server listens on loopback only (127.0.0.1 or ::1)")
        self.version = version or default_version()
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
        """The server's command line: ``uv tool run`` (``uvx``) of the pinned requirements,
        or, without uv, ``prefect`` from a pip-made environment (``pip_server_environment``)."""
        start = ["server", "start", "--host", self.host, "--port", str(self.port)]
        requirements = server_requirements(self.version)
        uv = find_uv()
        if uv is None:
            return [str(pip_server_environment(self.version)), *start]
        cmd = [*uv, "tool", "run", "--python", sys.executable, "--from", requirements[0]]
        for requirement in requirements[1:]:
            cmd += ["--with", requirement]
        return [*cmd, "prefect", *start]

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
                    healthy = response.status == 200
            except (urllib.error.URLError, OSError):
                healthy = False
            if healthy:
                self._check_api()
                return self.api_url
            time.sleep(0.25)
        tail = self.log_tail()
        self.stop()
        raise ServerStartError(f"the Prefect server did not answer {health} in {timeout}s:\n{tail}")

    def _check_api(self) -> None:
        """Ask one API route beyond ``/health`` (which a server answers even when its API
        routers are broken by a dependency it does not support)."""
        url = f"{self.api_url}/admin/version"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code < 500:  # 401 from a server with an auth string: its routes work
                return
            error: Exception = exc
        except (urllib.error.URLError, OSError) as exc:
            error = exc
        else:
            return
        tail = self.log_tail()
        self.stop()
        raise ServerStartError(
            f"the Prefect {self.version} server answers /health but not {url} ({error}): a "
            "dependency it does not support? (see SERVER_PINS)\n" + tail
        ) from None

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
