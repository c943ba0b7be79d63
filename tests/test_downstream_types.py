"""Types that hold in users' projects: the downstream project of tests/downstream/, checked
against the built wheels (not the workspace) by ``mypy --strict`` and ``basedpyright`` (strict),
plus pyright's type-completeness check of the whole public API.

The steps live in ``tools/check_downstream_types.py`` (run it alone to see every output); here
they run once for the module -- the wheel build, a throwaway environment, then the three
checkers at the same time: about 25 s of CPU, 15-60 s on the clock with two busy cores -- and
each check is its own test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import check_downstream_types as downstream
from tools import gen_downstream_types


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> downstream.Result:
    return downstream.run(tmp_path_factory.mktemp("downstream"))


def test_all_methods_module_is_fresh() -> None:
    target = gen_downstream_types.TARGET
    assert target.read_text() == gen_downstream_types.generate(), (
        f"{target.relative_to(downstream.ROOT)} is stale: run python tools/gen_downstream_types.py"
    )


@pytest.mark.parametrize("step", ["install", "import", "mypy", "basedpyright", "completeness"])
def test_downstream_project(checked: downstream.Result, step: str) -> None:
    assert step in checked.steps, "an earlier step failed:\n" + checked.report()
    assert checked.steps[step].ok, checked.steps[step].report()


def test_the_project_uses_only_public_modules() -> None:
    """The hand-written modules import from public modules only (the generated one says which
    private types it needs, and why)."""
    src = Path(downstream.PROJECT, "src", "prefect_sdk_downstream")
    for path in src.glob("*.py"):
        if path.name == "all_methods.py":
            continue
        for line in path.read_text().splitlines():
            words = line.split()
            if len(words) > 1 and words[0] in ("from", "import"):
                parts = words[1].split(".")
                if parts[0] in ("prefect_sdk", "prefect_sdk_example_headers"):
                    assert not any(p.startswith("_") for p in parts), (path.name, line)
