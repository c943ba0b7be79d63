"""``create_flow_run`` builds its body without the request model when the arguments are plain
(``plain_create_body``): that body must be the one the model would have sent, and anything the
model would convert or refuse must go through the model."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import math
import uuid
from typing import Any

import pytest

from prefect_sdk.client._params import plain_create_body
from prefect_sdk.schemas import FlowRunCreate
from prefect_sdk.states import Completed, Pending, Scheduled

FLOW_ID = uuid.UUID("6f9619ff-8b86-d011-b42d-00cf4fc964ff")


class Colour(str, enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Point:
    x: int
    y: int


def fields(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": None,
        "parameters": {},
        "context": {},
        "tags": [],
        "parent_task_run_id": None,
        "state": Pending().to_wire(),
        "idempotency_key": "key-1",
        "work_pool_name": None,
        "work_queue_name": None,
        "job_variables": None,
        "labels": None,
    }
    return {**base, **changes}


def model_body(given: dict[str, Any]) -> dict[str, Any]:
    dumped = FlowRunCreate(flow_id=FLOW_ID, **given).model_dump(mode="json", exclude_none=True)
    assert dumped.pop("flow_id") == str(FLOW_ID)
    return dumped


PLAIN = [
    fields(),
    fields(name="run-1", tags=["a", "b"], work_pool_name="pool", work_queue_name="q"),
    fields(parent_task_run_id=uuid.uuid4(), job_variables={"image": "x", "n": 2}),
    fields(
        parameters={
            "when": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc),
            "day": dt.date(2026, 1, 2),
            "id": uuid.UUID(int=7),
            "money": decimal.Decimal("1.50"),
            "set": {3},
            "tuple": (1, "a"),
            "bytes": b"raw",
            "colour": Colour.RED,
            "nested": {"none": None, "inf": math.inf, "list": [dt.timedelta(seconds=90)]},
            "model": Completed(message="m"),
            "dataclass": Point(1, 2),
            "nan": [math.nan],
        },
        context={"k": [1, 2.5, None, True]},
    ),
    fields(labels={"team": "data", "n": 3, "x": 1.5, "on": True, "nan": math.nan}),
    fields(state=Completed(message="done", data={"rows": 3}).to_wire()),
    fields(state=Scheduled(dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)).to_wire()),
]


@pytest.mark.parametrize("given", PLAIN)
def test_a_plain_body_is_the_one_the_model_sends(given: dict[str, Any]) -> None:
    body = plain_create_body(given)
    assert body is not None
    expected = model_body(given)
    assert list(body) == list(expected)  # the same keys in the same order ...
    assert repr(body) == repr(expected)  # ... and values (repr: NaN is not equal to itself)


NOT_PLAIN = [
    fields(tags=("a", "b")),  # the model takes any sequence and makes a list
    fields(tags=["a", Colour.RED]),
    fields(name=Colour.RED),
    fields(parent_task_run_id=str(uuid.uuid4())),
    fields(parameters={1: "int key"}),
    fields(labels={"bad": None}),
    fields(labels={"bad": [1]}),
    fields(job_variables={"x": object()}),  # the model's dump raises for it
    fields(name=3),  # refused by the model, with its message
]


@pytest.mark.parametrize("given", NOT_PLAIN)
def test_anything_else_goes_through_the_model(given: dict[str, Any]) -> None:
    assert plain_create_body(given) is None
