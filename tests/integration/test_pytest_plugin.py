"""The pytest plugin (pytest-prefect-sdk) as a user meets it: a test project of their own, run
by pytest in a new process (pytester), with the plugin loaded from its entry point.

Most runs are given this session's server (``PREFECT_SDK_TEST_API_URL``), so they start
nothing; one starts a real server through the plugin and checks it is gone afterwards.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

USERS_TESTS = """
import uuid

import pytest

from prefect_sdk.client import PrefectClient, get_client
from prefect_sdk.sync import SyncPrefectClient
from prefect_sdk_pytest import PrefectTestServer


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_async_client(prefect_client, prefect_server):
    assert isinstance(prefect_client, PrefectClient)
    assert isinstance(prefect_server, PrefectTestServer) and not prefect_server.started
    assert prefect_client.api_url == prefect_server.api_url
    name = f"plugin-flow-{uuid.uuid4().hex[:10]}"
    flow = await prefect_client.create_flow(name)
    assert (await prefect_client.read_flow_by_name(name)).id == flow.id


def test_sync_client(sync_prefect_client, prefect_server):
    assert isinstance(sync_prefect_client, SyncPrefectClient)
    assert sync_prefect_client.api_url == prefect_server.api_url
    name = f"plugin-var-{uuid.uuid4().hex[:10]}"
    sync_prefect_client.set_variable(name, {"n": 1})
    assert sync_prefect_client.get_variable(name) == {"n": 1}


def test_code_that_makes_its_own_client(prefect_api_url, prefect_server):
    assert prefect_api_url == prefect_server.api_url
    with get_client(sync_client=True) as client:  # as the user's automation would
        assert client.api_url == prefect_server.api_url
        client.read_flows(limit=1)
"""


@pytest.fixture
def given_server(api_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The user's runs get this session's server through the environment variable, and a
    PREFECT_API_URL that leads nowhere (the clients of the fixtures must not read it)."""
    monkeypatch.setenv("PREFECT_SDK_TEST_API_URL", api_url)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    return api_url


def test_a_users_tests_use_the_given_server(given_server: str, pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_users=USERS_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_a_failing_users_test_fails(given_server: str, pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_users="""
        import pytest
        from prefect_sdk.exceptions import ObjectNotFound

        def test_reads_a_flow_that_is_not_there(sync_prefect_client):
            sync_prefect_client.read_flow_by_name("plugin-no-such-flow-7d1e")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ObjectNotFound*"])


def test_the_ini_option_and_the_command_line_give_the_server(
    api_url: str, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREFECT_SDK_TEST_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SDK_UV", "/nonexistent/uv")  # starting a server would fail
    pytester.makeini(f"[pytest]\nprefect_sdk_api_url = {api_url}/\n")
    pytester.makepyfile(
        test_users=f"""
        def test_given(prefect_server, sync_prefect_client):
            assert prefect_server.api_url == {api_url!r}  # the trailing / is dropped
            assert not prefect_server.started and prefect_server.version is None
            sync_prefect_client.read_flows(limit=1)
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
    # The command-line option wins over the ini option.
    pytester.makeini("[pytest]\nprefect_sdk_api_url = http://127.0.0.1:1/api\n")
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--prefect-sdk-api-url={api_url}"
    )
    result.assert_outcomes(passed=1)


def test_a_given_server_that_does_not_answer_fails_clearly(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFECT_SDK_TEST_API_URL", "http://127.0.0.1:1/api")
    pytester.makepyfile(test_users="def test_it(sync_prefect_client): pass")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*the Prefect server given (http://127.0.0.1:1/api*does not answer*"]
    )


def test_the_plugin_starts_nothing_unless_its_fixtures_are_used(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREFECT_SDK_TEST_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SDK_UV", "/nonexistent/uv")  # starting a server would fail
    pytester.makepyfile(
        test_users="""
        import sys

        def test_plain(request):
            assert request.config.pluginmanager.has_plugin("prefect_sdk")
            # Loading the plugin loaded neither the server machinery nor a client.
            assert "prefect_sdk.devserver" not in sys.modules
            assert "prefect_sdk.client" not in sys.modules
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


@pytest.fixture(scope="session")
def cache_home() -> str:
    """The user cache folder as this session sees it: pytester gives the user's runs another
    HOME, and the server's environment (uv's, or the one made with pip) is cached here."""
    return os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")


def test_the_plugin_starts_a_real_server_once_and_stops_it(
    cache_home: str, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PREFECT_SDK_TEST_API_URL", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", cache_home)
    seen = tmp_path / "urls"
    pytester.makeini("[pytest]\nprefect_sdk_server_version = 3.8.8\n")
    pytester.makepyfile(
        test_users=f"""
        import pytest

        def record(url):
            with open({str(seen)!r}, "a") as out:
                out.write(url + "\\n")

        def test_started(prefect_server, sync_prefect_client):
            assert prefect_server.started and prefect_server.version == "3.8.8"
            assert prefect_server.api_url.startswith("http://127.0.0.1:")
            flow = sync_prefect_client.create_flow("made-in-the-users-session")
            assert sync_prefect_client.read_flow(flow.id).name == flow.name
            record(prefect_server.api_url)

        @pytest.mark.anyio
        @pytest.mark.parametrize("anyio_backend", ["asyncio"])
        async def test_same_server(prefect_client, prefect_server):
            flow = await prefect_client.read_flow_by_name("made-in-the-users-session")
            assert flow.name == "made-in-the-users-session"
            record(prefect_server.api_url)
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=300)
    result.assert_outcomes(passed=2)
    urls = seen.read_text().split()
    assert len(urls) == 2 and urls[0] == urls[1]  # one server for the session
    with pytest.raises((urllib.error.URLError, OSError)):  # stopped with the session
        urllib.request.urlopen(f"{urls[0]}/health", timeout=5)
