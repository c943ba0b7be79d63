"""The schemas need only the server enums of ``prefect_sdk.filters``: importing them loads no
filter model, the enums are one class whichever path they come from, and every public name of
``prefect_sdk.filters`` still imports. Checked in fresh interpreters (see test_states_lazy.py)."""

from __future__ import annotations

from pathlib import Path

from tests._support import fresh_python as run


def test_the_flow_run_schemas_load_no_filter_model(tmp_path: Path) -> None:
    out = run(
        "import sys\n"
        "from prefect_sdk.schemas import FlowRun, State, TaskRun, Flow\n"
        "import prefect_sdk.states as s\n"
        "s.Running()\n"
        "print(sorted(m for m in sys.modules if m.startswith('prefect_sdk.filters')))",
        tmp_path,
    )
    assert out == "['prefect_sdk.filters', 'prefect_sdk.filters._enums']"


def test_one_class_from_every_path(tmp_path: Path) -> None:
    out = run(
        "from prefect_sdk.filters import StateType as A, WorkerStatus as W1\n"
        "from prefect_sdk.schemas import StateType as B, WorkerStatus as W2\n"
        "from prefect_sdk.filters._generated import FlowRunFilterStateType\n"
        "import prefect_sdk.states as s\n"
        "f = FlowRunFilterStateType(any_=['FAILED'])\n"
        "print(A is B is s.StateType, W1 is W2, f.any_[0] is A.FAILED)",
        tmp_path,
    )
    assert out == "True True True"


def test_every_public_name_imports(tmp_path: Path) -> None:
    out = run(
        "import prefect_sdk.filters as f\n"
        "from prefect_sdk.filters import *\n"
        "missing = [n for n in f.__all__ if n not in globals()]\n"
        "print(missing, set(f.__all__) <= set(dir(f)), f.FlowRunFilter(state='FAILED').to_wire())\n"
        "try:\n"
        "    f.NoSuchName\n"
        "except AttributeError as e:\n"
        "    print(e)",
        tmp_path,
    )
    lines = out.splitlines()
    assert lines[0].startswith("[] True {")
    assert "FAILED" in lines[0]
    assert lines[1] == "module 'prefect_sdk.filters' has no attribute 'NoSuchName'"
