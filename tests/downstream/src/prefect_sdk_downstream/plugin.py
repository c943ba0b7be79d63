"""A third-party plugin, as someone else would write and register one."""

import time
from collections.abc import Callable
from typing import Any

import httpx
from prefect_sdk_example_headers import ExampleHeadersPlugin
from prefect_sdk_example_headers import plugin as example_plugin

from prefect_sdk.client import Call, PrefectClient, get_client, hookimpl
from prefect_sdk.settings import Settings, load_settings
from prefect_sdk.sync import SyncPrefectClient
from prefect_sdk_downstream._compat import assert_type


class TimingPlugin:
    """Adds a header, times every call, and retries 429s a little sooner."""

    name = "timing"

    def __init__(self) -> None:
        self.durations: dict[str, float] = {}

    @hookimpl
    def prefect_sdk_headers(self, settings: Settings) -> dict[str, str] | None:
        return {"X-Team": "data"} if settings.api_url else None

    @hookimpl
    def prefect_sdk_request_started(self, call: Call, request: httpx.Request) -> None:
        call.state["timing.start"] = time.monotonic()
        assert_type(call.operation, str)
        assert_type(call.retry_safe, bool)
        assert_type(request.url, httpx.URL)

    @hookimpl
    def prefect_sdk_request(self, request: httpx.Request, call: Call) -> None:
        request.headers["X-Attempt"] = str(call.attempt)

    @hookimpl
    def prefect_sdk_retry(
        self,
        call: Call,
        response: httpx.Response | None,
        error: Exception | None,
    ) -> float | bool | None:
        if response is not None and response.status_code == 429 and call.retry_safe:
            return 0.5
        return None

    @hookimpl
    def prefect_sdk_request_finished(
        self,
        call: Call,
        response: httpx.Response | None,
        error: BaseException | None,
        duration: float,
    ) -> None:
        self.durations[call.operation] = duration

    @hookimpl(tryfirst=True)
    def prefect_sdk_auth(self, settings: Settings) -> httpx.Auth | None:
        return None


def register() -> tuple[PrefectClient, SyncPrefectClient]:
    timing = TimingPlugin()
    # The decorated methods keep their signatures.
    headers: Callable[[Settings], dict[str, str] | None] = timing.prefect_sdk_headers
    assert_type(timing.prefect_sdk_headers(load_settings()), dict[str, str] | None)
    print(headers)
    async_client = get_client(plugins=[timing], blocked_plugins=["example-headers"])
    sync_client = get_client(sync_client=True, plugins=[timing, ExampleHeadersPlugin("mine")])
    assert_type(example_plugin, ExampleHeadersPlugin)
    assert_type(example_plugin.calls, dict[str, int])
    assert_type(async_client.plugin_manager.get_plugins(), set[Any])  # pluggy's type
    return async_client, sync_client
