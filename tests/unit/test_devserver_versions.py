"""The embedded server's version and its dependency pins (``prefect_sdk.devserver``)."""

from __future__ import annotations

import itertools

import pytest

from prefect_sdk.devserver import (
    DEFAULT_PREFECT_VERSION,
    SERVER_EXTRA_REQUIREMENTS,
    SERVER_PINS,
    VERSION_ENV,
    PrefectServer,
    server_requirements,
)
from tools.test_servers import MATRIX


@pytest.mark.parametrize("version", MATRIX)
def test_every_version_of_the_matrix_has_pins(version: str) -> None:
    requirements = server_requirements(version)
    assert requirements[0] == f"prefect=={version}"
    assert "sqlalchemy<2.1" in requirements  # the scheduler breaks with SQLAlchemy 2.1


def test_the_ranges_do_not_overlap() -> None:
    ranges = sorted((low, high) for low, high, _ in SERVER_PINS)
    for (_, high), (low, _) in itertools.pairwise(ranges):
        assert high <= low


def test_pins_by_range() -> None:
    assert "fastapi<0.150" in server_requirements("3.9.1")
    assert "fastapi<0.137" in server_requirements("3.6.29")
    assert "importlib_metadata" in server_requirements("3.4.25")
    assert "pydantic<2.10" in server_requirements("3.0.11")
    assert server_requirements("2.20.0") == ["prefect==2.20.0"]  # no known pins: none
    assert tuple(server_requirements(DEFAULT_PREFECT_VERSION)[1:]) == SERVER_EXTRA_REQUIREMENTS


def test_the_version_started_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VERSION_ENV, raising=False)
    assert PrefectServer().version == DEFAULT_PREFECT_VERSION
    monkeypatch.setenv(VERSION_ENV, "3.0.11")
    assert PrefectServer().version == "3.0.11"
    assert PrefectServer("3.9.1").version == "3.9.1"
