"""Automations against the real server, through both clients."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import NotSupportedByServer, ObjectNotFound, ServerValidationError
from prefect_sdk.filters import AutomationFilter, AutomationSort
from prefect_sdk.schemas import (
    Automation,
    AutomationCore,
    ChangeFlowRunState,
    CompoundTrigger,
    DoNothing,
    EventTrigger,
    PauseDeployment,
    Posture,
    RunDeployment,
)
from tests._support import server_older_than

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


def trigger(name: str, **more: Any) -> EventTrigger:
    return EventTrigger(
        expect={f"{name}.happened"}, match={"prefect.resource.id": f"{name}.*"}, **more
    )


async def test_automation_lifecycle(client: Any, unique: Unique, api_url: str) -> None:
    name = unique("automation")
    tag = unique("tag")
    deployment_id = uuid.uuid4()
    core = AutomationCore(
        name=name,
        description="watches",
        tags=[tag],
        trigger=trigger(name, threshold=2, within=dt.timedelta(minutes=1)),
        actions=[DoNothing()],
        actions_on_trigger=[PauseDeployment(deployment_id=deployment_id)],
        actions_on_resolve=[ChangeFlowRunState(state="FAILED", message="gave up")],
    )
    # Automation tags: not on 3.0 and 3.2 (3.4 has them). There the error names the field,
    # and the automations go without tags, read by their names instead.
    tagged = not server_older_than(api_url, "3.4.0")
    if not tagged:
        with pytest.raises(ServerValidationError, match=r"Prefect 3\.[0-3]\..*: tags\."):
            await client.create_automation(core)
        core = core.model_copy(update={"tags": []})
    automation_id = await client.create_automation(core)
    assert isinstance(automation_id, uuid.UUID)

    stored = await client.read_automation(automation_id)
    assert isinstance(stored, Automation) and stored.id == automation_id
    assert (stored.name, stored.description, stored.tags, stored.enabled) == (
        name,
        "watches",
        [tag] if tagged else [],
        True,
    )
    assert stored.trigger == core.trigger  # the server's 60.0 seconds is a minute again
    assert stored.actions == [DoNothing()]
    assert stored.actions_on_trigger == [PauseDeployment(deployment_id=deployment_id)]
    assert stored.actions_on_resolve == [ChangeFlowRunState(state="FAILED", message="gave up")]
    assert stored.created is not None and stored.updated is not None
    assert (await client.read_automation(str(automation_id))).name == name
    assert (await client.read_automation(stored)).name == name

    # A second automation of the same tag, given as a dict with a compound trigger.
    other_name = unique("automation")
    other_id = await client.create_automation(
        {
            "name": other_name,
            "tags": [tag] if tagged else [],
            "trigger": {
                "type": "compound",
                "require": "all",
                "within": 300,
                "triggers": [
                    trigger(name).model_dump(),
                    {"type": "event", "posture": "Proactive", "expect": ["b"], "within": 60},
                ],
            },
            "actions": [{"type": "run-deployment", "source": "inferred"}],
            "enabled": False,
        }
    )
    other = await client.read_automation(other_id)
    assert isinstance(other.trigger, CompoundTrigger) and other.trigger.require == "all"
    assert other.trigger.within == dt.timedelta(minutes=5)
    first, second = other.trigger.triggers
    assert isinstance(first, EventTrigger) and first.posture is Posture.Reactive
    assert isinstance(second, EventTrigger) and second.posture is Posture.Proactive
    assert (second.expect, second.within) == ({"b"}, dt.timedelta(minutes=1))
    assert other.actions == [RunDeployment(source="inferred")] and other.enabled is False

    # Before 3.8.1 a filtered count is counted by the client (the server's count takes no
    # filter): the same answer.
    of_tag = AutomationFilter(tags=[tag]) if tagged else AutomationFilter(name=[name, other_name])
    assert await client.count_automations(automations=of_tag) == 2
    # Without a filter, every automation of the server (no body: every version takes that).
    assert await client.count_automations() >= 2
    by_name_desc = await client.read_automations(automations=of_tag, sort=AutomationSort.NAME_DESC)
    assert [a.name for a in by_name_desc] == sorted([name, other_name], reverse=True)
    one = await client.read_automations(automations=of_tag, sort="NAME_ASC", limit=1, offset=1)
    assert [a.name for a in one] == [max(name, other_name)]
    walked = [a.id async for a in client.iter_automations(automations=of_tag, page_size=1)]
    assert sorted(walked) == sorted([automation_id, other_id])
    assert [a.id for a in await client.read_automations_by_name(name)] == [automation_id]

    # find_automation: by id, by exact name, by name in any case; None when nothing matches.
    assert (await client.find_automation(automation_id)).id == automation_id
    assert (await client.find_automation(str(other_id))).id == other_id
    assert (await client.find_automation(name)).id == automation_id
    assert (await client.find_automation(name.upper())).id == automation_id
    assert await client.find_automation(unique("missing")) is None
    assert await client.find_automation(uuid.uuid4()) is None

    # Pause, resume and patch change only the enabled flag.
    await client.pause_automation(automation_id)
    assert (await client.read_automation(automation_id)).enabled is False
    await client.resume_automation(str(automation_id))
    assert (await client.read_automation(automation_id)).enabled is True
    await client.patch_automation(stored, enabled=False)
    paused = await client.read_automation(automation_id)
    assert paused.enabled is False and paused.description == "watches"

    # An update replaces every field: here from the automation as read, changed.
    changed = paused.model_copy(
        update={
            "description": "changed",
            "tags": [tag, "more"] if tagged else [],
            "trigger": trigger(name, posture="Proactive", within=dt.timedelta(seconds=30)),
            "actions_on_resolve": [],
        }
    )
    await client.update_automation(automation_id, changed)
    updated = await client.read_automation(automation_id)
    assert (updated.description, updated.tags, updated.enabled) == (
        "changed",
        [tag, "more"] if tagged else [],
        False,
    )
    assert updated.trigger.posture is Posture.Proactive and updated.actions_on_resolve == []
    assert updated.trigger.within == dt.timedelta(seconds=30)

    await client.delete_automation(automation_id)
    with pytest.raises(ObjectNotFound):
        await client.read_automation(automation_id)
    with pytest.raises(ObjectNotFound):
        await client.delete_automation(automation_id)
    with pytest.raises(ObjectNotFound):
        await client.update_automation(automation_id, core)
    with pytest.raises(ObjectNotFound):
        await client.pause_automation(automation_id)
    assert await client.count_automations(automations=of_tag) == 1
    await client.delete_automation(other)
    assert await client.read_automations(automations=of_tag) == []


async def test_automations_owned_by_and_related_to_a_resource(client: Any, unique: Unique) -> None:
    owner = f"prefect.deployment.{uuid.uuid4()}"
    owned = [
        await client.create_automation(
            AutomationCore(
                name=unique("owned"),
                trigger=trigger(owner),
                actions=[DoNothing()],
                owner_resource=owner,
            )
        )
        for _ in range(2)
    ]
    # Naming the resource in an action does not relate the automation to it.
    bystander = await client.create_automation(
        AutomationCore(
            name=unique("bystander"),
            trigger=trigger(owner),
            actions=[PauseDeployment(deployment_id=owner.rsplit(".", 1)[1])],
        )
    )
    related = await client.read_resource_related_automations(owner)
    assert sorted(a.id for a in related) == sorted(owned)
    assert await client.read_resource_related_automations(f"prefect.flow.{uuid.uuid4()}") == []

    await client.delete_resource_owned_automations(owner)
    assert await client.read_resource_related_automations(owner) == []
    for automation_id in owned:
        with pytest.raises(ObjectNotFound):
            await client.read_automation(automation_id)
    assert (await client.read_automation(bystander)).id == bystander
    # Nothing owned by it: nothing to do, no error.
    await client.delete_resource_owned_automations(owner)
    await client.delete_automation(bystander)


async def test_templates_are_validated(client: Any, api_url: str) -> None:
    template = "Flow run {{ flow_run.name }} is {{ flow_run.state.name }}"
    assert await client.validate_template(template) is None
    assert await client.validate_template("") is None
    with pytest.raises(ServerValidationError, match="line 1: unexpected end of template") as info:
        await client.validate_template("{{ flow_run.name ")
    assert info.value.status_code == 422
    if server_older_than(api_url, "3.4.0"):  # its route came with 3.4
        with pytest.raises(NotSupportedByServer, match="validate_automation_template"):
            await client.validate_automation_template(template)
        return
    assert await client.validate_automation_template(template) is None
    with pytest.raises(ServerValidationError, match=r"line 2: .*expression"):
        await client.validate_automation_template("fine\n{% for %}")
