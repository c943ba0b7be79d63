"""Automation operations refuse bad arguments before any network I/O, naming the argument;
the models read every automation the server holds and send back what it accepts."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ServerValidationError, ValidationError
from prefect_sdk.filters import AutomationFilter
from prefect_sdk.schemas import (
    Automation,
    AutomationCore,
    CompoundTrigger,
    DoNothing,
    EventTrigger,
    PauseDeployment,
    Posture,
    RunDeployment,
)
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio
flavour, anyio_backend, kind = flavour_fixtures()

AUTOMATION_ID = uuid.UUID("3f1e9a4e-1f0b-4a8e-9d57-8d3b0f0b6c11")
TRIGGER = {"type": "event", "posture": "Reactive", "expect": ["x"]}
CORE = {"name": "a", "trigger": TRIGGER, "actions": [{"type": "do-nothing"}]}
STORED = {
    "id": str(AUTOMATION_ID),
    "created": "2026-01-01T00:00:00Z",
    "updated": "2026-01-01T00:00:00Z",
    "name": "a",
    "description": "",
    "enabled": True,
    "tags": [],
    "trigger": {**TRIGGER, "id": str(uuid.uuid4()), "within": 30.0, "threshold": 1},
    "actions": [{"type": "do-nothing"}],
    "actions_on_trigger": [],
    "actions_on_resolve": [],
}


@pytest.fixture(autouse=True)
def no_csrf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_CLIENT_CSRF_SUPPORT_ENABLED", "false")


def ok(body: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=body) if body is not None else httpx.Response(204)


def body_of(request: Any) -> Any:
    return json.loads(request.content)


async def run(kind: str, handler: Any, op: str, *args: Any, **kwargs: Any) -> Any:
    """Like ``call_with``; an iterator's items are collected (as a list) inside the client."""
    if not op.startswith("iter_"):
        return await call_with(kind, handler, op, *args, **kwargs)
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
            return list(getattr(sync_client, op)(*args, **kwargs))
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        return [item async for item in getattr(client, op)(*args, **kwargs)]


@pytest.mark.parametrize(
    ("op", "args", "kwargs", "match"),
    [
        ("create_automation", ("a",), {}, "automation must be an AutomationCore"),
        ("create_automation", ({**CORE, "trigger": None},), {}, "automation.trigger"),
        ("create_automation", ({"name": "a", "trigger": TRIGGER},), {}, "automation.actions"),
        ("create_automation", ({**CORE, "name": ""},), {}, "automation.name"),
        ("create_automation", ({**CORE, "nmae": "typo"},), {}, "automation.nmae"),
        (
            "create_automation",
            ({**CORE, "trigger": {**TRIGGER, "posture": "Sideways"}},),
            {},
            r"automation\.trigger\.event\.posture",
        ),
        (
            "create_automation",
            ({**CORE, "trigger": {**TRIGGER, "expects": ["x"]}},),
            {},
            r"automation\.trigger\.event\.expects",
        ),
        (
            "create_automation",
            ({**CORE, "actions": [{"type": "pause-deployment", "deployment_id": "nope"}]},),
            {},
            r"automation\.actions\.0\.pause-deployment\.deployment_id",
        ),
        ("update_automation", ("nope", CORE), {}, "automation_id"),
        ("update_automation", (AUTOMATION_ID, [CORE]), {}, "automation must be"),
        ("read_automation", ("nope",), {}, "automation_id must be a UUID"),
        ("read_automations", (), {"limit": -1}, "limit"),
        ("read_automations", (), {"sort": "SOMETIMES"}, "sort"),
        ("read_automations", (), {"automations": {"name": "x"}}, "automations= takes a"),
        ("iter_automations", (), {"page_size": 0}, "page_size"),
        ("count_automations", (), {"automations": "x"}, "automations= takes a"),
        ("read_automations_by_name", ("",), {}, "name must be a non-empty string"),
        ("find_automation", ("",), {}, "id_or_name"),
        ("find_automation", (5,), {}, "id_or_name"),
        ("patch_automation", (AUTOMATION_ID,), {"enabled": "yes"}, "enabled must be True or"),
        ("pause_automation", (object(),), {}, "automation_id"),
        ("resume_automation", ("",), {}, "automation_id"),
        ("delete_automation", (None,), {}, "automation_id"),
        ("read_resource_related_automations", ("",), {}, "resource_id must be a non-empty"),
        ("read_resource_related_automations", ("..",), {}, "resource_id='..' cannot be"),
        ("delete_resource_owned_automations", (None,), {}, "resource_id"),
        ("validate_template", (b"{{ x }}",), {}, "template must be a string"),
        ("validate_automation_template", (None,), {}, "template must be a string"),
    ],
)
async def test_refuses_before_any_io(
    kind: str, op: str, args: Any, kwargs: Any, match: str
) -> None:
    handler, seen = respond(ok({}))
    with pytest.raises(ValidationError, match=match):
        await run(kind, handler, op, *args, **kwargs)
    assert seen == []


async def test_create_sends_every_field_and_returns_the_id(kind: str) -> None:
    handler, seen = respond(ok(STORED, 201))
    core = AutomationCore(
        name="a",
        trigger=EventTrigger(expect={"x"}, within=30),
        actions=[DoNothing(), {"type": "declare-incident", "note": "kept as given"}],
        owner_resource="prefect.deployment.1",
    )
    assert await call_with(kind, handler, "create_automation", core) == AUTOMATION_ID
    body = body_of(seen[0])
    assert body["trigger"]["posture"] == "Reactive" and body["trigger"]["within"] == 30.0
    assert body["actions"] == [
        {"type": "do-nothing"},
        {"type": "declare-incident", "note": "kept as given"},
    ]
    assert body["owner_resource"] == "prefect.deployment.1"
    assert seen[0].url.path == "/api/automations/"


async def test_update_replaces_without_the_owner_and_accepts_a_read_automation(kind: str) -> None:
    stored = Automation.model_validate(STORED)
    handler, seen = respond(ok())
    changed = stored.model_copy(update={"description": "new", "owner_resource": "x.y"})
    assert await call_with(kind, handler, "update_automation", stored, changed) is None
    body = body_of(seen[0])
    assert seen[0].method == "PUT" and seen[0].url.path == f"/api/automations/{AUTOMATION_ID}"
    assert body["description"] == "new" and body["trigger"]["within"] == 30.0
    assert not {"id", "created", "updated", "owner_resource"} & set(body)


@pytest.mark.parametrize(
    ("op", "kwargs", "enabled"),
    [
        ("pause_automation", {}, False),
        ("resume_automation", {}, True),
        ("patch_automation", {"enabled": False}, False),
    ],
)
async def test_pause_and_resume_patch_enabled(
    kind: str, op: str, kwargs: Any, enabled: bool
) -> None:
    handler, seen = respond(ok())
    await call_with(kind, handler, op, str(AUTOMATION_ID), **kwargs)
    assert seen[0].method == "PATCH" and body_of(seen[0]) == {"enabled": enabled}


async def test_resource_routes_quote_the_resource_id(kind: str) -> None:
    handler, seen = respond(ok([STORED]))
    found = await call_with(kind, handler, "read_resource_related_automations", "a:b c")
    assert found[0].id == AUTOMATION_ID
    assert seen[0].url.raw_path == b"/api/automations/related-to/a%3Ab%20c"
    handler, seen = respond(ok(None, 202))
    await call_with(kind, handler, "delete_resource_owned_automations", "prefect.flow.1")
    assert seen[0].method == "DELETE" and seen[0].url.path.endswith("/owned-by/prefect.flow.1")


async def test_find_automation_by_id_then_name_then_any_case(kind: str) -> None:
    other = {**STORED, "id": str(uuid.uuid4()), "name": "Nightly"}
    # An id that is not found is looked up as a name (and not found either).
    handler, seen = respond(ok({"detail": "nope"}, 404), ok([]), ok([other]))
    assert await call_with(kind, handler, "find_automation", str(AUTOMATION_ID)) is None
    assert [r.method for r in seen] == ["GET", "POST", "POST"]
    # Exact name first (newest first), then the names are walked ignoring case.
    handler, seen = respond(ok([]), ok([STORED, other]))
    found = await call_with(kind, handler, "find_automation", "NIGHTLY")
    assert found.name == "Nightly"
    assert body_of(seen[0])["automations"]["name"] == {"any_": ["NIGHTLY"]}
    assert body_of(seen[0])["sort"] == "UPDATED_DESC"
    handler, seen = respond(ok(STORED))
    assert (await call_with(kind, handler, "find_automation", AUTOMATION_ID)).name == "a"
    assert len(seen) == 1


async def test_template_errors_name_the_line(kind: str) -> None:
    problem = {"error": {"line": 3, "message": "unexpected end of template", "source": "..."}}
    handler, _ = respond(ok(problem, 422))
    with pytest.raises(ServerValidationError, match="does not parse: line 3: unexpected end"):
        await call_with(kind, handler, "validate_template", "{{ x ")
    handler, seen = respond(ok())
    assert await call_with(kind, handler, "validate_automation_template", "{{ x }}") is None
    assert body_of(seen[0]) == "{{ x }}"


async def test_reads_send_the_filter(kind: str) -> None:
    handler, seen = respond(ok([STORED]))
    await call_with(
        kind, handler, "read_automations", automations=AutomationFilter(name=["a"]), limit=3
    )
    assert body_of(seen[0]) == {
        "automations": {"name": {"any_": ["a"]}, "operator": "and_"},
        "offset": 0,
        "limit": 3,
    }
    handler, seen = respond(ok(4))
    assert await call_with(kind, handler, "count_automations") == 4
    assert seen[0].content == b""  # no filter, no body: servers before 3.8.1 take none
    handler, seen = respond(ok([STORED, STORED]), ok([STORED]))
    assert len(await run(kind, handler, "iter_automations", page_size=2)) == 3


@pytest.mark.parametrize(
    ("version", "counted_by"), [("3.6.29", "/automations/filter"), ("3.8.1", "/automations/count")]
)
async def test_a_filtered_count_is_right_on_servers_that_ignore_the_filter(
    kind: str, version: str, counted_by: str
) -> None:
    # Before 3.8.1 the server's count takes no filter (it counts every automation): the
    # client asks the version once, and there reads the matching automations and counts them.
    from prefect_sdk.client._base import SERVER_VERSIONS

    kept = dict(SERVER_VERSIONS)
    SERVER_VERSIONS.clear()  # the mock server's version is not known yet
    try:
        answer = ok([STORED, STORED]) if counted_by.endswith("filter") else ok(2)
        handler, seen = respond(ok(version), answer)
        count = await call_with(
            kind, handler, "count_automations", automations=AutomationFilter(name=["a"])
        )
    finally:
        SERVER_VERSIONS.clear()
        SERVER_VERSIONS.update(kept)
    assert count == 2
    assert [r.url.path for r in seen] == ["/api/admin/version", f"/api{counted_by}"]
    assert body_of(seen[1])["automations"] == {"name": {"any_": ["a"]}, "operator": "and_"}


def test_stored_automations_parse_whatever_the_server_adds() -> None:
    stored = {
        **STORED,
        "brand_new": 1,
        "trigger": {
            "type": "compound",
            "id": str(uuid.uuid4()),
            "require": "any",
            "within": 60.0,
            "triggers": [
                {**TRIGGER, "id": str(uuid.uuid4()), "new_trigger_field": 1},
                {"type": "metric", "metric": {"name": "lateness"}},
            ],
        },
        "actions": [
            {"type": "run-deployment", "source": "inferred", "schedule_after": 0.0, "later": 1},
            {"type": "pause-deployment", "deployment_id": str(AUTOMATION_ID)},
            {"type": "declare-incident"},
        ],
    }
    automation = Automation.model_validate(stored)
    trigger = automation.trigger
    assert isinstance(trigger, CompoundTrigger) and trigger.require == "any"
    first, second = trigger.triggers
    assert isinstance(first, EventTrigger) and first.posture is Posture.Reactive
    assert first.expect == {"x"}
    assert second == {"type": "metric", "metric": {"name": "lateness"}}
    run_action, pause, unknown = automation.actions
    assert isinstance(run_action, RunDeployment) and run_action.source == "inferred"
    assert isinstance(pause, PauseDeployment) and pause.deployment_id == AUTOMATION_ID
    assert unknown == {"type": "declare-incident"}


def test_request_models_refuse_typos() -> None:
    with pytest.raises(ValueError, match="expects"):
        EventTrigger(expects={"x"})  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="within"):
        EventTrigger(within=-1)
    with pytest.raises(ValueError, match="Proactive trigger needs within >= 10 seconds"):
        EventTrigger(posture="Proactive", within=5)
    # Durations are sent as seconds (the server fails on ISO 8601 for Proactive triggers).
    proactive = CompoundTrigger(
        triggers=[EventTrigger(posture=Posture.Proactive, within=60)], require=1, within=300
    )
    assert proactive.model_dump(mode="json")["within"] == 300.0
    assert proactive.model_dump(mode="json")["triggers"][0]["within"] == 60.0
    assert RunDeployment(schedule_after=90).model_dump(mode="json")["schedule_after"] == 90.0
