"""Large response bodies are parsed with the cyclic garbage collector paused, and its state is
put back afterwards (see ``prefect_sdk.client._base._parse``)."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator

import pytest
from pydantic import BaseModel, TypeAdapter, field_validator

from prefect_sdk.client._base import _GC_PAUSE_BYTES, _parse

SEEN: list[bool] = []


class Row(BaseModel):
    name: str

    @field_validator("name")
    @classmethod
    def _record(cls, value: str) -> str:
        SEEN.append(gc.isenabled())
        return value


def body(rows: int) -> bytes:
    return json.dumps([{"name": f"row-{i:06d}"} for i in range(rows)]).encode()


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    SEEN.clear()
    yield
    if not was:
        gc.disable()


def test_a_large_body_is_parsed_with_the_collector_paused_and_it_is_back_on_after() -> None:
    large = body(_GC_PAUSE_BYTES // 10)
    assert len(large) >= _GC_PAUSE_BYTES
    rows = _parse(TypeAdapter(list[Row]), large)
    assert len(rows) == _GC_PAUSE_BYTES // 10
    assert set(SEEN) == {False}
    assert gc.isenabled()


def test_a_small_body_leaves_the_collector_alone() -> None:
    _parse(TypeAdapter(list[Row]), body(3))
    assert SEEN == [True, True, True]
    assert gc.isenabled()


def test_a_collector_the_program_switched_off_stays_off() -> None:
    gc.disable()
    _parse(TypeAdapter(list[Row]), body(_GC_PAUSE_BYTES // 10))
    assert not gc.isenabled()


def test_the_collector_is_back_on_when_the_parse_fails() -> None:
    bad = b"[" + b'{"name": 1},' * (_GC_PAUSE_BYTES // 10) + b'{"name": 2}]'
    with pytest.raises(ValueError):
        _parse(TypeAdapter(list[Row]), bad)
    assert gc.isenabled()
