"""Importing prefect-sdk stays light: checked in fresh interpreters, by module, never by time.

Each test runs its statements in a new ``python`` process and looks at ``sys.modules``
afterwards, so nothing imported by pytest or by other tests can hide or fake a result.
(``tools/bench.py`` measures the times; these tests only pin the behaviour.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._support import fresh_python

HEAVY = ("click", "rich", "typer", "prefect")
PUBLIC_MODULES = (
    "prefect_sdk.client",
    "prefect_sdk.schemas",
    "prefect_sdk.states",
    "prefect_sdk.exceptions",
    "prefect_sdk.settings",
    "prefect_sdk.concurrency",
    "prefect_sdk.deployments",
    "prefect_sdk.events",
    "prefect_sdk.flow_runs",
    "prefect_sdk.variables",
    "prefect_sdk.filters",
    "prefect_sdk.sync",
    "prefect_sdk.cloud",
)

REPORT = """
import json, sys
print("MODULES " + json.dumps(sorted(sys.modules)))
"""


def loaded_after(code: str, prefect_home: Path) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    # PREFECT_API_URL: nothing is sent.
    out = fresh_python(code + REPORT, prefect_home, PREFECT_API_URL="http://127.0.0.1:1/api")
    line = next(ln for ln in out.splitlines() if ln.startswith("MODULES "))
    return set(json.loads(line[len("MODULES ") :]))


def under(modules: set[str], package: str) -> list[str]:
    """``package`` and its submodules among ``modules`` (``prefect_sdk`` is not ``prefect``)."""
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


def test_get_client_import_loads_no_heavy_module(tmp_path: Path) -> None:
    modules = loaded_after("from prefect_sdk.client import get_client", tmp_path)
    assert "prefect_sdk.client" in modules
    for package in HEAVY:
        assert under(modules, package) == [], f"{package} was imported"


def test_a_client_loads_no_models_until_an_operation_needs_them(tmp_path: Path) -> None:
    # Making a client loads the request path and every resource's operations, but not the
    # models (pydantic), the filters or the websocket library: those come with the first call.
    modules = loaded_after(
        "import os; os.environ['PREFECT_API_URL'] = 'http://x.test/api'\n"
        "from prefect_sdk.client import get_client; get_client()",
        tmp_path,
    )
    assert "prefect_sdk.client._resources.flow_runs" in modules
    for package in ("pydantic", "prefect_sdk.filters", "prefect_sdk.schemas", "httpx_ws"):
        assert under(modules, package) == [], f"{package} was imported"


def test_get_client_import_defers_http_and_models(tmp_path: Path) -> None:
    # The client, its models and the filters load on first use, not on import.
    modules = loaded_after("from prefect_sdk.client import get_client", tmp_path)
    for package in ("httpx", "pydantic", "prefect_sdk.filters", "prefect_sdk.schemas"):
        assert under(modules, package) == [], f"{package} was imported"


@pytest.mark.parametrize(
    "code",
    [
        "from prefect_sdk.client import get_client; get_client()",
        "from prefect_sdk.client import get_client; get_client(sync_client=True)",
        "from prefect_sdk.client import PrefectClient; PrefectClient()",
        "from prefect_sdk.sync import SyncPrefectClient\nwith SyncPrefectClient() as client: pass",
        "import prefect_sdk.states as s; s.Completed(message='done').model_dump()",
        "from prefect_sdk.cloud import get_cloud_client; get_cloud_client()",
    ],
    ids=["get_client", "get_client-sync", "PrefectClient", "sync-open", "states", "cloud"],
)
def test_prefect_is_never_imported(code: str, tmp_path: Path) -> None:
    modules = loaded_after(code, tmp_path)
    assert under(modules, "prefect") == []


def test_every_public_module_imports_without_prefect(tmp_path: Path) -> None:
    modules = loaded_after("import " + ", ".join(PUBLIC_MODULES), tmp_path)
    assert set(PUBLIC_MODULES) <= modules
    assert under(modules, "prefect") == []


def test_prefect_is_not_installed(tmp_path: Path) -> None:
    out = fresh_python(
        "import importlib.util; print(importlib.util.find_spec('prefect') is None)", tmp_path
    )
    assert out == "True", "prefect is installed in the SDK environment"
