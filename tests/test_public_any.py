"""No ``Any`` leaks from public signatures.

Every parameter and return annotation of the public API (the four clients' methods and
constructors, ``get_client`` / ``get_cloud_client``, the helper modules, the states
constructors, the filter constructors and the plugin hooks) is resolved, and each ``Any`` in
it must be one of:

* a JSON payload by nature, allowed by parameter name (``JSON_PARAMETERS``) or by function for
  a return (``JSON_RETURNS``), each with its reason;
* the dict form of a request model: ``Model | dict[str, Any]`` (a method taking a model also
  takes a dict of its fields, validated into the model before anything is sent);
* a known leak awaiting its fix (``KNOWN_LEAKS``, with the proposed type).

A new ``Any`` fails, and so does an entry of these lists that no longer matches anything (so
a fix shortens the list).
"""

from __future__ import annotations

import importlib
import inspect
import types
import typing
from collections.abc import Callable, Iterator

import pytest
from pydantic import BaseModel

from tools.gen_downstream_types import public_members, type_hints

JSON_PARAMETERS: dict[str, str] = {
    "parameters": "a flow's parameters: the JSON values its function receives, typed by the flow",
    "job_variables": "overrides of a work pool's job template variables: JSON the pool defines",
    "context": "a flow run's free-form context: JSON kept with the run",
    "base_job_template": "a work pool's job template: JSON Schema plus job configuration",
    "storage_configuration": "a work pool's result storage settings: JSON the integration defines",
    "parameter_openapi_schema": "a JSON Schema document",
    "pull_steps": "prefect.yaml pull steps: [{step-function-path: {kwargs}}] JSON objects",
    "schema": "a JSON Schema document (validate_schema_values)",
    "values": "the JSON values validated against a JSON Schema (validate_schema_values)",
    "payload": "an event's payload: free-form JSON",
    "data": "a state's result data: any JSON-serialisable value",
    "value": "a variable's value: any JSON value",
    "default": "what get_variable returns when the variable does not exist: the caller's value",
    "run_input": "the input a paused flow run asked for: JSON checked by the run's own schema",
    "httpx_settings": "keyword arguments for httpx.Client / AsyncClient: heterogeneous by nature",
    "settings": "Prefect Cloud account settings: a JSON object whose keys Cloud defines",
    "state": "Call.state: the plugins' scratch space between hooks, any value a plugin keeps",
}

# function name (or, for a generic name, where it is) -> why its return is JSON by nature
JSON_RETURNS: dict[str, str] = {
    "to_wire": "a filter's JSON form, as sent to the server",
    "filter_body": "a request body: JSON",
    "get_variable": "a variable's value (or the caller's default): any JSON value",
    "read_account_settings": "Prefect Cloud account settings: a JSON object Cloud defines",
    "read_worker_metadata": "integrations' worker metadata: JSON the server aggregates",
    "read_collection_view": "Prefect's collection registry view: JSON from the registry",
    "decoded_value": "a flow run input's value parsed as JSON",
    "prefect_sdk.schemas.ServerSettings.get": "a server setting at a dotted path: JSON",
}

# "<where>(<parameter>)" or "<where>() -> return" -> the proposed type.  ``client.`` stands for
# PrefectClient and SyncPrefectClient (one is generated from the other).
KNOWN_LEAKS: dict[str, str] = {}

CLIENTS = {
    "client": [("prefect_sdk.client", "PrefectClient"), ("prefect_sdk.sync", "SyncPrefectClient")],
    "cloud_client": [
        ("prefect_sdk.cloud", "CloudClient"),
        ("prefect_sdk.cloud", "SyncCloudClient"),
    ],
}

# Modules whose ``__all__`` functions, and the ``__init__`` and own public methods of whose
# ``__all__`` classes, are public signatures.
MODULES = [
    "prefect_sdk.client",
    "prefect_sdk.cloud",
    "prefect_sdk.states",
    "prefect_sdk.schemas",
    "prefect_sdk.filters",
    "prefect_sdk.deployments",
    "prefect_sdk.flow_runs",
    "prefect_sdk.variables",
    "prefect_sdk.events",
    "prefect_sdk.concurrency.asyncio",
    "prefect_sdk.concurrency.sync",
    "prefect_sdk.settings",
    "prefect_sdk.exceptions",
]


def _is_union(annotation: object) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _is_model(annotation: object) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_json_object(annotation: object) -> bool:
    """``dict[str, Any]``."""
    args = typing.get_args(annotation)
    return typing.get_origin(annotation) is dict and args == (str, typing.Any)


def has_any(annotation: object) -> bool:
    """Whether ``annotation`` holds an ``Any`` that is not the dict form of a request model."""
    if annotation is typing.Any:
        return True
    args = typing.get_args(annotation)
    if _is_union(annotation) and any(_is_model(a) for a in args):
        args = tuple(a for a in args if not _is_json_object(a))
    return any(has_any(a) for a in args if not isinstance(a, str | int | bool | types.NoneType))


def _signatures() -> Iterator[tuple[str, str, Callable[..., object]]]:
    """(where, function name, function) of every public signature."""
    seen: set[object] = set()
    for short, classes in CLIENTS.items():
        for module, name in classes:
            cls = getattr(importlib.import_module(module), name)
            seen.add(cls)
            yield f"{short}.__init__", "__init__", cls.__init__
            for member in public_members(cls):
                yield f"{short}.{member.name}", member.name, member.func
    for module_name in MODULES:
        public = importlib.import_module(module_name)
        for name in public.__all__:
            obj = getattr(public, name)
            if obj in seen:
                continue
            seen.add(obj)
            if inspect.isfunction(obj):
                yield f"{module_name}.{name}", name, obj
            elif inspect.isclass(obj) and obj.__module__.startswith("prefect_sdk"):
                if "__init__" in vars(obj):  # its own constructor, not pydantic's
                    yield f"{module_name}.{name}.__init__", "__init__", obj.__init__
                for member in public_members(obj):
                    if member.func.__module__ and member.func.__module__.startswith("prefect_sdk"):
                        yield f"{module_name}.{name}.{member.name}", member.name, member.func
    hookspecs = importlib.import_module("prefect_sdk.client._hookspecs")
    for name, func in vars(hookspecs).items():
        if name.startswith("prefect_sdk_") and inspect.isfunction(func):
            yield f"hookspec {name}", name, func


def find_any() -> dict[str, str]:
    """{"<where>(<parameter>)" or "<where>() -> return": annotation} of every Any not allowed
    by JSON_PARAMETERS / JSON_RETURNS."""
    found: dict[str, str] = {}
    for where, name, func in _signatures():
        for parameter, annotation in type_hints(func).items():
            if not has_any(annotation):
                continue
            if parameter == "return":
                if name in JSON_RETURNS or where in JSON_RETURNS:
                    continue
                key = f"{where}() -> return"
            else:
                if parameter in JSON_PARAMETERS:
                    continue
                key = f"{where}({parameter})"
            found[key] = inspect.formatannotation(annotation)
    return found


def test_no_any_leaks_from_public_signatures() -> None:
    found = find_any()
    new = {k: v for k, v in found.items() if k not in KNOWN_LEAKS}
    assert not new, (
        "public signatures typed Any (give them a real type, or if the value is JSON by nature "
        "add its name with the reason to JSON_PARAMETERS / JSON_RETURNS):\n"
        + "\n".join(f"  {k}: {v}" for k, v in sorted(new.items()))
    )
    fixed = sorted(set(KNOWN_LEAKS) - set(found))
    assert not fixed, f"fixed (remove them from KNOWN_LEAKS): {fixed}"


def test_every_allowed_name_is_still_used() -> None:
    used_parameters: set[str] = set()
    used_returns: set[str] = set()
    for where, name, func in _signatures():
        for parameter, annotation in type_hints(func).items():
            if not has_any(annotation):
                continue
            if parameter == "return":
                used_returns |= {name, where}
            else:
                used_parameters.add(parameter)
    assert not set(JSON_PARAMETERS) - used_parameters, "JSON_PARAMETERS entries no longer used"
    assert not set(JSON_RETURNS) - used_returns, "JSON_RETURNS entries no longer used"


@pytest.mark.parametrize(
    ("annotation", "leaks"),
    [
        (typing.Any, True),
        (dict[str, typing.Any], True),
        (list[dict[str, typing.Any]] | None, True),
        (BaseModel | dict[str, typing.Any], False),
        (list[BaseModel | dict[str, typing.Any]] | None, False),
        (BaseModel | dict[str, typing.Any] | typing.Any, True),
        (dict[str, int] | None, False),
    ],
)
def test_has_any(annotation: object, leaks: bool) -> None:
    assert has_any(annotation) is leaks
