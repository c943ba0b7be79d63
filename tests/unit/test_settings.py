"""Settings: Prefect's names and files; precedence constructor > environment > profile > default."""

from __future__ import annotations

from pathlib import Path

import pytest

from prefect_sdk.client import PrefectClient
from prefect_sdk.exceptions import ValidationError
from prefect_sdk.settings import Secret, load_settings

PROFILES = """
active = "work"

[profiles.work]
PREFECT_API_URL = "http://profile.test/api"
PREFECT_API_KEY = "pnu_from_profile"
PREFECT_API_REQUEST_TIMEOUT = "12"

[profiles.other]
PREFECT_API_URL = "http://other.test/api"
PREFECT_CLIENT_MAX_RETRIES = 1
"""


def write_profiles(home: Path) -> Path:
    path = home / "profiles.toml"
    path.write_text(PROFILES)
    return path


def test_defaults() -> None:
    s = load_settings()
    assert s.api_url is None and s.api_key is None
    assert s.request_timeout == 60.0
    assert s.max_retries == 5 and s.retry_jitter_factor == 0.2
    assert s.tls_insecure_skip_verify is False and s.enable_http2 is False
    assert s.cloud_api_url == "https://api.prefect.cloud/api"


def test_active_profile_from_prefect_home(isolated_prefect_env: Path) -> None:
    write_profiles(isolated_prefect_env)
    s = load_settings()
    assert s.profile == "work"
    assert s.api_url == "http://profile.test/api"
    assert s.api_key == Secret("pnu_from_profile")
    assert s.request_timeout == 12.0


def test_prefect_profile_selects_another(
    isolated_prefect_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profiles(isolated_prefect_env)
    monkeypatch.setenv("PREFECT_PROFILE", "other")
    s = load_settings()
    assert s.api_url == "http://other.test/api" and s.max_retries == 1 and s.api_key is None


def test_unknown_prefect_profile_is_an_error(
    isolated_prefect_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profiles(isolated_prefect_env)
    monkeypatch.setenv("PREFECT_PROFILE", "nope")
    with pytest.raises(ValidationError, match="known profiles: other, work"):
        load_settings()


def test_profiles_path_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_profiles(tmp_path)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(path))
    assert load_settings().api_url == "http://profile.test/api"


def test_environment_beats_profile_and_arguments_beat_both(
    isolated_prefect_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_profiles(isolated_prefect_env)
    monkeypatch.setenv("PREFECT_API_URL", "http://env.test/api/")
    monkeypatch.setenv("PREFECT_API_REQUEST_TIMEOUT", "5")
    s = load_settings()
    assert s.api_url == "http://env.test/api" and s.request_timeout == 5.0
    assert s.api_key == Secret("pnu_from_profile")  # not overridden by env
    client = PrefectClient(api="http://arg.test/api", api_key="pnu_arg")
    assert client.api_url == "http://arg.test/api"
    assert client.settings.api_key == Secret("pnu_arg")
    assert client._client_kwargs()["timeout"].read == 5.0


def test_env_parsing_errors_name_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in [
        ("PREFECT_API_REQUEST_TIMEOUT", "soon"),
        ("PREFECT_CLIENT_MAX_RETRIES", "many"),
        ("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "perhaps"),
        ("PREFECT_CLIENT_RETRY_EXTRA_CODES", "500,abc"),
        ("PREFECT_CLIENT_CUSTOM_HEADERS", "not json"),
    ]:
        monkeypatch.setenv(name, value)
        with pytest.raises(ValidationError, match=name):
            load_settings()
        monkeypatch.delenv(name)


def test_parsed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_RETRY_EXTRA_CODES", "500, 504")
    monkeypatch.setenv("PREFECT_CLIENT_CUSTOM_HEADERS", '{"X-Team": "data"}')
    monkeypatch.setenv("PREFECT_API_TLS_INSECURE_SKIP_VERIFY", "true")
    monkeypatch.setenv("PREFECT_API_AUTH_STRING", "admin:secret")
    s = load_settings()
    assert s.retry_extra_codes == frozenset({500, 504})
    assert dict(s.custom_headers) == {"X-Team": "data"}
    assert s.tls_insecure_skip_verify is True
    assert "secret" not in repr(s) and "secret" not in str(s)
    assert s.api_auth_string is not None
    assert s.api_auth_string.get_secret_value() == "admin:secret"


def test_explicit_settings_replace_environment_and_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect_sdk.settings import Settings
    from prefect_sdk.sync import SyncPrefectClient

    monkeypatch.setenv("PREFECT_API_URL", "http://env.test/api")
    monkeypatch.setenv("PREFECT_API_REQUEST_TIMEOUT", "5")
    given = Settings(api_url="http://given.test/api", request_timeout=7)
    client = SyncPrefectClient(settings=given)
    assert client.api_url == "http://given.test/api"
    assert client._client_kwargs()["timeout"].read == 7
    assert SyncPrefectClient(api="http://arg.test/api", settings=given).api_url == (
        "http://arg.test/api"
    )


def test_get_client_takes_settings_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect_sdk.client import get_client
    from prefect_sdk.settings import Settings

    monkeypatch.setenv("PREFECT_API_URL", "http://env.test/api")
    given = Settings(api_url="http://given.test/api")
    assert get_client(settings=given).api_url == "http://given.test/api"
    assert get_client(sync_client=True, settings=given).api_url == "http://given.test/api"


def test_settings_repr_hides_header_values_and_url_credentials() -> None:
    from prefect_sdk.settings import Settings

    shown = repr(
        Settings(
            api_url="https://user:url-secret@prefect.test/api",
            custom_headers={"CF-Access-Client-Secret": "header-secret"},
        )
    )
    assert "header-secret" not in shown and "url-secret" not in shown
    assert "CF-Access-Client-Secret" in shown and "prefect.test/api" in shown
