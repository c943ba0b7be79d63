"""Where the CA bundle comes from: ``PREFECT_API_SSL_CERT_FILE`` (environment, then profile), else
``SSL_CERT_FILE``, as in Prefect. tests/integration/test_tls.py checks the bundle is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from prefect_sdk.settings import load_settings


@pytest.fixture(autouse=True)
def no_ssl_cert_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)


def test_no_ca_setting_means_none() -> None:
    assert load_settings().ssl_cert_file is None


def test_ssl_cert_file_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/corp/ca.pem")
    assert load_settings().ssl_cert_file == "/etc/corp/ca.pem"
    # An explicit environment mapping is read the same way.
    assert load_settings({"SSL_CERT_FILE": "/given/ca.pem"}).ssl_cert_file == "/given/ca.pem"
    assert load_settings({"SSL_CERT_FILE": ""}).ssl_cert_file is None


def test_prefect_api_ssl_cert_file_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/corp/ca.pem")
    monkeypatch.setenv("PREFECT_API_SSL_CERT_FILE", "/prefect/ca.pem")
    assert load_settings().ssl_cert_file == "/prefect/ca.pem"


def test_an_empty_prefect_api_ssl_cert_file_turns_the_fallback_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As in Prefect, where SSL_CERT_FILE is only the setting's default: an empty value set on
    # purpose means the default bundle (certifi's).
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/corp/ca.pem")
    monkeypatch.setenv("PREFECT_API_SSL_CERT_FILE", "")
    assert load_settings().ssl_cert_file is None


def test_the_profile_wins_over_ssl_cert_file(
    isolated_prefect_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated_prefect_env / "profiles.toml").write_text(
        'active = "corp"\n[profiles.corp]\nPREFECT_API_SSL_CERT_FILE = "/profile/ca.pem"\n'
    )
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/corp/ca.pem")
    assert load_settings().ssl_cert_file == "/profile/ca.pem"


def test_an_override_wins_over_ssl_cert_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/corp/ca.pem")
    assert load_settings(ssl_cert_file="/arg/ca.pem").ssl_cert_file == "/arg/ca.pem"
