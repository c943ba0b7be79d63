"""The pytest plugin (entry point ``pytest11``): options and fixtures.

Only the standard library and pytest are imported when pytest loads the plugin; the server
machinery and the clients load in the fixtures, so a session that uses none of them starts
nothing and imports nothing of prefect-sdk.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from prefect_sdk_pytest._server import API_URL_ENV, PrefectTestServer

if TYPE_CHECKING:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

__all__ = [
    "prefect_api_url",
    "prefect_client",
    "prefect_server",
    "pytest_addoption",
    "sync_prefect_client",
]

URL_OPTION = "--prefect-sdk-api-url"
URL_INI = "prefect_sdk_api_url"
VERSION_INI = "prefect_sdk_server_version"
QUIET_INI = "prefect_sdk_quiet_server"
ENV_INI = "prefect_sdk_server_env"
TIMEOUT_INI = "prefect_sdk_server_start_timeout"
# The version when the ini option gives none (as for prefect_sdk.devserver.PrefectServer).
VERSION_ENV = "PREFECT_SDK_SERVER_VERSION"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("prefect-sdk", "prefect-sdk: the Prefect server of the session")
    group.addoption(
        URL_OPTION,
        dest="prefect_sdk_api_url",
        default=None,
        metavar="URL",
        help=f"Use the Prefect server at URL instead of starting one (also: {API_URL_ENV}, "
        f"or the {URL_INI} ini option).",
    )
    parser.addini(URL_INI, "The Prefect server to use instead of starting one.", default="")
    parser.addini(
        VERSION_INI,
        "The Prefect version of the server started for the session (default: "
        f"{VERSION_ENV}, else the version prefect-sdk targets).",
        default="",
    )
    parser.addini(
        QUIET_INI,
        "Start the server without its scheduler and background services, so nothing changes "
        "behind the tests' back (default: true).",
        type="bool",
        default=True,
    )
    parser.addini(
        ENV_INI,
        "Extra settings of the started server, one NAME=VALUE per line "
        "(e.g. PREFECT_SERVER_API_AUTH_STRING=admin:pass).",
        type="linelist",
        default=[],
    )
    parser.addini(
        TIMEOUT_INI,
        "Seconds to wait for the started server to answer (default: 240; the first start "
        "also installs Prefect into uv's cache).",
        default="240",
    )


def given_api_url(config: pytest.Config) -> str | None:
    """The server URL given to the session, if any: the command-line option, then the
    environment variable, then the ini option."""
    for value in (
        config.getoption("prefect_sdk_api_url"),
        os.environ.get(API_URL_ENV),
        config.getini(URL_INI),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip().rstrip("/")
    return None


def server_env(config: pytest.Config) -> dict[str, str]:
    """The started server's settings, from the ini options."""
    from prefect_sdk.devserver import QUIET_SERVICES, TEST_SETTINGS

    env = dict(TEST_SETTINGS)
    if not config.getini(QUIET_INI):
        env = {k: v for k, v in env.items() if k not in QUIET_SERVICES}
    for line in config.getini(ENV_INI):
        name, sep, value = str(line).partition("=")
        if not sep or not name.strip():
            raise pytest.UsageError(f"{ENV_INI}: {line!r} is not NAME=VALUE")
        env[name.strip()] = value.strip()
    return env


def _unreachable(api_url: str) -> str | None:
    """Why nothing answers at ``api_url`` (any HTTP answer, even an error, is an answer)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=10):
            return None
    except urllib.error.HTTPError:
        return None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return str(getattr(exc, "reason", exc))


@pytest.fixture(scope="session")
def prefect_server(request: pytest.FixtureRequest) -> Iterator[PrefectTestServer]:
    """The Prefect server of this test session.

    A real server (Prefect in its own environment, on a free loopback port, with a throwaway
    SQLite database) is started the first time a test asks for it and stopped when the
    session ends -- unless a URL is given (``--prefect-sdk-api-url``,
    ``PREFECT_SDK_TEST_API_URL`` or the ``prefect_sdk_api_url`` ini option): then that server
    is used as it is.
    """
    config = request.config
    given = given_api_url(config)
    if given is not None:
        problem = _unreachable(given)
        if problem is not None:
            pytest.fail(
                f"prefect_server: the Prefect server given ({given}, from {URL_OPTION}, "
                f"{API_URL_ENV} or the {URL_INI} ini option) does not answer: {problem}",
                pytrace=False,
            )
        yield PrefectTestServer(api_url=given, started=False)
        return
    from prefect_sdk.devserver import DEFAULT_PREFECT_VERSION, PrefectServer, ServerStartError

    version = (
        str(config.getini(VERSION_INI) or "").strip()
        or os.environ.get(VERSION_ENV, "").strip()
        or DEFAULT_PREFECT_VERSION
    )
    try:
        timeout = float(config.getini(TIMEOUT_INI))
    except ValueError:
        raise pytest.UsageError(f"{TIMEOUT_INI} must be a number of seconds") from None
    server = PrefectServer(version, env=server_env(config))
    try:
        server.start(timeout=timeout)
    except ServerStartError as exc:
        pytest.fail(
            f"prefect_server: the Prefect {version} server did not start: {exc}", pytrace=False
        )
    try:
        yield PrefectTestServer(api_url=server.api_url, started=True, version=version)
    finally:
        server.stop()


@pytest.fixture
def prefect_api_url(
    prefect_server: PrefectTestServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    """Point ``PREFECT_API_URL`` at the session's server for this test and return the URL.

    For code under test that makes its own client (``get_client()``): every other ``PREFECT_*``
    setting is removed for the test (``PREFECT_SDK_*`` switches stay), and ``PREFECT_HOME`` is
    a fresh directory, so no profile or credential of yours reaches the test server.
    """
    for name in list(os.environ):
        if name.startswith("PREFECT_") and not name.startswith("PREFECT_SDK_"):
            monkeypatch.delenv(name)
    home = tmp_path / "prefect-home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("PREFECT_HOME", str(home))
    monkeypatch.setenv("PREFECT_API_URL", prefect_server.api_url)
    return prefect_server.api_url


@pytest.fixture
async def prefect_client(
    prefect_server: PrefectTestServer, anyio_backend: object
) -> AsyncIterator[PrefectClient]:
    """An async ``PrefectClient`` for the session's server, entered for the test.

    Its settings are the defaults plus the server's URL: nothing is read from the environment
    or a profile.  Run by anyio's pytest plugin: mark the test ``@pytest.mark.anyio``.
    """
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.settings import Settings

    async with PrefectClient(settings=Settings(api_url=prefect_server.api_url)) as client:
        yield client


@pytest.fixture
def sync_prefect_client(prefect_server: PrefectTestServer) -> Iterator[SyncPrefectClient]:
    """A blocking ``SyncPrefectClient`` for the session's server, entered for the test.

    Its settings are the defaults plus the server's URL: nothing is read from the environment
    or a profile.
    """
    from prefect_sdk.settings import Settings
    from prefect_sdk.sync import SyncPrefectClient

    with SyncPrefectClient(settings=Settings(api_url=prefect_server.api_url)) as client:
        yield client
