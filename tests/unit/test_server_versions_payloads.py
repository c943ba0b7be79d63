"""Responses of the oldest and the newest server of the version matrix parse into the models.

``tests/data/server_payloads/<version>.json`` holds one recorded response per operation (lists
cut to one item), saved from the integration suite's run against that server by
``python tools/test_servers.py --record tests/data/server_payloads 3.0.11 3.9.1``, with the
name of the type the client parsed it into (``model``). Each is parsed here into that type, the
way the client parses it (``TypeAdapter(...).validate_json``).

A field an older server does not send must not fail a response: ``KNOWN_FAILURES`` lists the
ones that still do (strict xfail: fixing one turns its entry into a failure to remove).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import typing
import uuid
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from prefect_sdk.client import PrefectClient

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "server_payloads"
RECORDINGS = {path.stem: json.loads(path.read_text()) for path in sorted(PAYLOADS.glob("*.json"))}

# (server version, operation) -> what fails, until the model accepts that server's answer.
KNOWN_FAILURES: dict[tuple[str, str], str] = {}


def _namespace() -> dict[str, Any]:
    """Every class of prefect_sdk's schemas and client modules by name, for the recorded names."""
    import prefect_sdk.client
    import prefect_sdk.schemas

    found: dict[str, Any] = {"uuid": uuid, "typing": typing}
    for package in (prefect_sdk.schemas, prefect_sdk.client):
        modules = [package.__name__]
        modules += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
        for name in modules:
            module = importlib.import_module(name)
            found.update({k: v for k, v in vars(module).items() if isinstance(v, type)})
    return found


NAMESPACE = _namespace()


def model(version: str, operation: str) -> Any:
    """The type the client parsed this recorded answer into."""
    name = RECORDINGS[version]["operations"][operation]["model"]
    return eval(name, dict(NAMESPACE))


def cases() -> list[Any]:
    found = []
    for version, recording in RECORDINGS.items():
        for operation in sorted(recording["operations"]):
            marks = []
            reason = KNOWN_FAILURES.get((version, operation))
            if reason:
                marks.append(pytest.mark.xfail(reason=reason, strict=True, raises=ValidationError))
            found.append(pytest.param(version, operation, id=f"{version}-{operation}", marks=marks))
    return found


def test_both_ends_of_the_matrix_are_recorded() -> None:
    from tools.test_servers import MATRIX

    assert {MATRIX[0], MATRIX[-1]} <= set(RECORDINGS)


def test_every_recorded_operation_is_one_of_the_client() -> None:
    for recording in RECORDINGS.values():
        assert set(recording["operations"]) <= set(PrefectClient._operations)


@pytest.mark.parametrize(("version", "operation"), cases())
def test_a_recorded_answer_parses(version: str, operation: str) -> None:
    entry = RECORDINGS[version]["operations"][operation]
    TypeAdapter(model(version, operation)).validate_json(json.dumps(entry["json"]))
