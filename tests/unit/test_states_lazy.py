"""``prefect_sdk.states`` loads the models (pydantic) on first use, not on import, and first use
gives the same objects as ever. Checked in fresh interpreters (see test_import_light.py)."""

from __future__ import annotations

from pathlib import Path

from tests._support import fresh_python as run


def test_importing_the_states_loads_no_model(tmp_path: Path) -> None:
    out = run(
        "import sys\n"
        "from prefect_sdk.client import get_client\n"
        "import prefect_sdk.states\n"
        "print(sorted(m for m in sys.modules if m == 'pydantic' or m.startswith(("
        "'pydantic.', 'prefect_sdk.schemas', 'prefect_sdk.filters'))))",
        tmp_path,
    )
    assert out == "[]"


def test_first_use_gives_the_models(tmp_path: Path) -> None:
    out = run(
        "import prefect_sdk.states as s\n"
        "from prefect_sdk.schemas import State\n"
        "from prefect_sdk.filters import StateType\n"
        "done = s.Completed(message='done')\n"
        "print(s.State is State, s.StateType is StateType, type(done) is State,\n"
        "      done.type is StateType.COMPLETED, s.Paused(timeout_seconds=5).type.value,\n"
        "      'State' in dir(s))",
        tmp_path,
    )
    assert out == "True True True True PAUSED True"
