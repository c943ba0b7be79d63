"""Every filter/sort model's wire JSON validates against the LIVE server's OpenAPI schemas.

The models are generated from the newest server's document. On an older server, everything the
client would send must exist there but what ``NEWER`` lists: the filters, fields and sort
values that server lacks (a user who sets one gets the server's 422, naming it). Anything else
missing, or anything the table lists that the server does have, fails.
"""

from __future__ import annotations

from typing import Any

import pytest

from prefect_sdk.filters import FilterModel
from tests._support import server_version, version_tuple

try:
    from tests import _filter_samples as samples
except ImportError:  # tests/ itself is on sys.path (pytest's rootdir conftest insertion)
    import _filter_samples as samples  # type: ignore[import-not-found, no-redef]

pytestmark = pytest.mark.integration

# Filter schemas, fields (``Schema.field``, as sent) and sort values (``Sort.VALUE``) newer
# than some server of the matrix, by the first version of the matrix that has them (3.0.11,
# 3.2.15, 3.4.25, 3.6.29, 3.8.8, 3.9.1: a release between two of them may have them already).
# A new filter schema's own fields come with it; ``Schema.field[]`` is a list given to a field
# that took one filter before.
NEWER: dict[str, str] = {
    "DeploymentFilterTags.any_": "3.2.15",
    "FlowRunFilterTags.any_": "3.2.15",
    "AutomationFilter.tags": "3.4.25",
    "AutomationFilterTags": "3.4.25",
    "DeploymentFilterId.not_any_": "3.4.25",
    "EventFilter.any_resource[]": "3.4.25",
    "EventFilter.related[]": "3.4.25",
    "EventFilter.text": "3.4.25",
    "EventTextFilter": "3.4.25",
    "LogFilter.text": "3.4.25",
    "LogFilterTextSearch": "3.4.25",
    "FlowFilterId.not_any_": "3.6.29",
    "FlowRunFilter.created_by": "3.6.29",
    "FlowRunFilterCreatedBy": "3.6.29",
    "TaskRunFilter.end_time": "3.6.29",
    "TaskRunFilterEndTime": "3.6.29",
    "AutomationFilter.id": "3.8.8",
    "AutomationFilterId": "3.8.8",
    "ObservedStateSort": "3.9.1",  # GET /observed-states
    "TaskRunSort.DURATION_ASC": "3.9.1",
    "TaskRunSort.DURATION_DESC": "3.9.1",
}

# Filter schemas older servers have and the client does not send, by the first version of the
# matrix without them (flow run notification policies left with 3.4: automations replace them).
REMOVED: dict[str, str] = {
    "FlowRunNotificationPolicyFilter": "3.4.25",
    "FlowRunNotificationPolicyFilterIsActive": "3.4.25",
}


def lacking(version: str) -> set[str]:
    """What NEWER says a server of ``version`` lacks."""
    return {item for item, since in NEWER.items() if version_tuple(version) < version_tuple(since)}


def still_there(version: str) -> set[str]:
    """What REMOVED says a server of ``version`` still has."""
    return {name for name, gone in REMOVED.items() if version_tuple(version) < version_tuple(gone)}


def without(instance: FilterModel, drop: set[str]) -> dict[str, Any]:
    """The wire JSON of ``instance`` without the fields (``Schema.field``) in ``drop``, at any
    depth."""
    wire = instance.to_wire()
    for name, info in type(instance).model_fields.items():
        key = info.alias or name
        if key not in wire:
            continue
        if f"{type(instance).__name__}.{key}" in drop:
            del wire[key]
            continue
        value = getattr(instance, name)
        if isinstance(value, FilterModel):
            wire[key] = without(value, drop)
        elif isinstance(value, list) and f"{type(instance).__name__}.{key}[]" in drop:
            del wire[key]
        elif isinstance(value, list) and all(isinstance(v, FilterModel) for v in value):
            wire[key] = [without(v, drop) for v in value]
    return wire


def test_the_table_names_what_the_client_sends() -> None:
    """NEWER and REMOVED name real schemas, fields and values (a typo would hide nothing)."""
    models, sorts = samples.filter_models(), samples.sort_classes()
    known: set[str] = {*models, *sorts}
    for name, cls in models.items():
        known |= {f"{name}.{info.alias or field}" for field, info in cls.model_fields.items()}
    for name, sort in sorts.items():
        known |= {f"{name}.{member.value}" for member in sort.members()}
    assert {item.removesuffix("[]") for item in NEWER} - known == set()
    assert set(REMOVED) & known == set()


def test_server_has_the_same_filter_schemas(api_url: str, server_openapi: dict[str, Any]) -> None:
    version = server_version(api_url)
    generated = {*samples.filter_models(), *samples.sort_classes()}
    on_server = samples.filter_schema_names(server_openapi)
    assert generated - on_server == {name for name in lacking(version) if "." not in name}
    assert on_server - generated == still_there(version)


@pytest.mark.parametrize("name", samples.all_generated_names())
def test_wire_json_matches_live_schema(
    api_url: str, server_openapi: dict[str, Any], name: str
) -> None:
    version = server_version(api_url)
    missing = lacking(version)
    schemas = server_openapi["components"]["schemas"]
    if name in missing:  # a filter the server lacks as a whole
        assert name not in schemas
        return
    models, sorts = samples.filter_models(), samples.sort_classes()
    if not missing:
        assert samples.model_wire_errors(server_openapi, name) == []
    elif name in models:
        validator = samples.schema_validator(server_openapi, name)
        problems = []
        for label, instance in samples.samples(models[name]):
            for error in validator.iter_errors(without(instance, missing)):
                problems.append(f"{name} ({label}) {list(error.absolute_path)}: {error.message}")
        assert problems == []
        # The fields the table says the server lacks, it does lack.
        properties = schemas[name].get("properties", {})
        assert {f"{name}.{key}" for key in properties} & missing == set()
        for key, field in properties.items():
            if f"{name}.{key}[]" in missing:
                assert "array" not in str(field), f"{name}.{key} takes a list on {version}"
    elif name in sorts:
        values = {member.value for member in sorts[name].members()}
        expected = {v for v in values if f"{name}.{v}" not in missing}
        assert set(schemas[name]["enum"]) == expected
    else:
        assert samples.model_wire_errors(server_openapi, name) == []
