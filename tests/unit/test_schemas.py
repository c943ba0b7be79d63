"""Response models: tolerant of what servers add, strict about what users send."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from prefect_sdk.schemas import (
    CronSchedule,
    DeploymentSchedule,
    Flow,
    IntervalSchedule,
    OrchestrationResult,
    RRuleSchedule,
    SetStateStatus,
)


def schedule(payload: dict[str, object]) -> object:
    return DeploymentSchedule.model_validate(
        {"id": str(uuid.uuid4()), "created": None, "updated": None, "schedule": payload}
    ).schedule


@pytest.mark.parametrize("interval", [3600, 3600.0, "PT1H", "01:00:00"])
def test_interval_in_any_form_the_server_writes(interval: object) -> None:
    parsed = schedule({"interval": interval, "anchor_date": "2026-01-01T00:00:00Z"})
    assert isinstance(parsed, IntervalSchedule)
    assert parsed.interval == dt.timedelta(hours=1)
    assert parsed.anchor_date == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def test_each_kind_is_recognised_and_new_fields_are_ignored() -> None:
    assert schedule({"cron": "0 9 * * *", "day_or": True, "new": 1}) == CronSchedule(
        cron="0 9 * * *"
    )
    assert schedule({"rrule": "FREQ=DAILY", "timezone": "UTC"}) == RRuleSchedule(rrule="FREQ=DAILY")


def test_request_models_reject_typos() -> None:
    with pytest.raises(ValueError, match="cronn"):
        CronSchedule(cron="* * * * *", cronn="x")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="positive"):
        IntervalSchedule(interval=dt.timedelta(0))


def test_interval_is_sent_as_an_iso_duration() -> None:
    wire = IntervalSchedule(interval=dt.timedelta(minutes=90)).model_dump(mode="json")
    assert wire["interval"] == "PT1H30M"


def test_response_models_ignore_unknown_fields() -> None:
    flow = Flow.model_validate_json(
        b'{"id": "%s", "name": "f", "created": null, "updated": null, "brand_new": 1}'
        % str(uuid.uuid4()).encode()
    )
    assert flow.name == "f"


def test_orchestration_details_carry_the_run_ids() -> None:
    run_id = uuid.uuid4()
    result = OrchestrationResult.model_validate(
        {
            "status": "WAIT",
            "details": {"type": "wait_details", "delay_seconds": 5, "reason": "busy"},
            "state": {
                "id": str(uuid.uuid4()),
                "type": "RUNNING",
                "state_details": {"flow_run_id": str(run_id)},
            },
        }
    )
    assert result.status is SetStateStatus.WAIT
    assert result.details.delay_seconds == 5 and result.details.reason == "busy"
    assert result.details.flow_run_id == run_id
