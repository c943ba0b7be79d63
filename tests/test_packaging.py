"""Packaging: each distribution builds its own wheel, ships py.typed, shares the PEP 420
namespace (no prefect_sdk/__init__.py anywhere), and installs and imports on its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from prefect_sdk.devserver import uv_command

ROOT = Path(__file__).resolve().parent.parent

# distribution -> the modules it must provide when installed alone (with its dependencies)
DISTRIBUTIONS = {
    "prefect_sdk_filters": ["prefect_sdk.filters"],
    "prefect_sdk_client_core": [
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
    ],
    "prefect_sdk_client_sync": ["prefect_sdk.sync"],
    "prefect_sdk_client_cloud": ["prefect_sdk.cloud"],
    "prefect_sdk": ["prefect_sdk.quickstart", "prefect_sdk.devserver", "prefect_sdk.cli"],
    "prefect_sdk_otel": ["prefect_sdk.otel"],
    "prefect_sdk_example_headers": ["prefect_sdk_example_headers"],
    "pytest_prefect_sdk": ["prefect_sdk_pytest"],
}


@pytest.fixture(scope="module")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run(
        [*uv_command(), "build", "--all-packages", "--wheel", "-q", "-o", str(out)],
        cwd=ROOT,
        check=True,
    )
    return {p.name.split("-")[0]: p for p in out.glob("*.whl")}


def test_every_distribution_builds_a_wheel(wheels: dict[str, Path]) -> None:
    assert set(wheels) == set(DISTRIBUTIONS)


@pytest.mark.parametrize("dist", sorted(DISTRIBUTIONS))
def test_wheel_layout(wheels: dict[str, Path], dist: str) -> None:
    names = zipfile.ZipFile(wheels[dist]).namelist()
    assert "prefect_sdk/__init__.py" not in names  # one PEP 420 namespace
    packages = {n.rsplit("/", 1)[0] for n in names if n.endswith("/__init__.py")}
    assert packages, names
    for package in packages:
        assert f"{package}/py.typed" in names, f"{dist}: {package} has no py.typed"
    for module in DISTRIBUTIONS[dist]:
        assert f"{module.replace('.', '/')}/__init__.py" in names


@pytest.mark.parametrize("dist", ["prefect_sdk_client_core", "prefect_sdk_client_sync"])
def test_wheel_installs_alone_and_imports(
    wheels: dict[str, Path], dist: str, tmp_path: Path
) -> None:
    uv = uv_command()
    venv = tmp_path / "venv"
    subprocess.run([*uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [
            *uv,
            "pip",
            "install",
            "-q",
            "--python",
            str(python),
            "--find-links",
            str(wheels[dist].parent),
            dist.replace("_", "-"),
        ],
        check=True,
    )
    modules = DISTRIBUTIONS[dist]
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "assert 'prefect' not in sys.modules\n"
    subprocess.run([str(python), "-c", code], check=True)
    if dist == "prefect_sdk_client_core":
        # Without client-sync, asking for the sync client names the extra to install.
        probe = (
            "import os; os.environ['PREFECT_API_URL'] = 'http://x.test/api'\n"
            "from prefect_sdk.client import get_client\n"
            "try:\n    get_client(sync_client=True)\n"
            "except ImportError as e:\n    print(e)\n"
        )
        out = subprocess.run(
            [str(python), "-c", probe], check=True, capture_output=True, text=True
        ).stdout
        assert 'pip install "prefect-sdk[sync]"' in out
