"""The whole suite runs with leaked resources as errors.

``error::ResourceWarning`` alone is not enough: an unclosed socket or transport warns from its
``__del__``, where the raised warning can only reach ``sys.unraisablehook``, which pytest turns
into a ``PytestUnraisableExceptionWarning``; that one must be an error too.
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]


def test_pytest_turns_leaked_resources_into_errors() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    filters = config["tool"]["pytest"]["ini_options"].get("filterwarnings", [])
    assert "error::ResourceWarning" in filters, filters
    assert "error::pytest.PytestUnraisableExceptionWarning" in filters, filters


LEAKY_TEST = """
import gc
import socket


def test_leaks_a_socket():
    sock = socket.socket()
    del sock
    gc.collect()
"""


def test_a_test_leaking_a_socket_fails_under_the_suites_settings(tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "test_leaky.py").write_text(LEAKY_TEST)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_leaky.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout and "ResourceWarning" in done.stdout, done.stdout
