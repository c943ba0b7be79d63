"""Shared helpers: sample every filter model and validate its wire JSON against an OpenAPI doc.

Used by tests/unit/test_filters.py (committed snapshot) and
tests/integration/test_filter_schemas.py (the live server's document).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

import jsonschema  # type: ignore[import-untyped]

from prefect_sdk.filters import FilterModel, SortBase
from prefect_sdk.filters import _generated as generated

SAMPLE_UUID = UUID("5c2f6a3e-7f7c-4c47-9a3f-1d2b3c4d5e6f")
SAMPLE_TIME = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)


def is_filter_schema_name(name: str) -> bool:
    return "Filter" in name or "Sort" in name


def filter_schema_names(document: dict[str, Any]) -> set[str]:
    """Names of the document's Filter/Sort component schemas."""
    return {n for n in document["components"]["schemas"] if is_filter_schema_name(n)}


def filter_models() -> dict[str, type[FilterModel]]:
    return {
        name: obj
        for name, obj in vars(generated).items()
        if isinstance(obj, type) and issubclass(obj, FilterModel) and obj is not FilterModel
    }


def sort_classes() -> dict[str, type[SortBase]]:
    return {
        name: obj
        for name, obj in vars(generated).items()
        if isinstance(obj, type) and issubclass(obj, SortBase) and obj is not SortBase
    }


def enum_classes() -> dict[str, type[enum.Enum]]:
    return {
        name: obj
        for name, obj in vars(generated).items()
        if isinstance(obj, type) and issubclass(obj, enum.Enum) and obj is not enum.Enum
    }


# --------------------------------------------------------------------------- samples


def _alternatives(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return [a for a in typing.get_args(annotation) if a is not type(None)]
    return [annotation]


def sample_value(annotation: Any, variant: int = 0) -> Any:
    """A plausible value of ``annotation``; ``variant`` picks among union alternatives."""
    if typing.get_origin(annotation) is typing.Annotated:
        return sample_value(typing.get_args(annotation)[0], variant)
    options = _alternatives(annotation)
    if len(options) > 1:
        return sample_value(options[min(variant, len(options) - 1)], variant)
    tp = options[0]
    origin = typing.get_origin(tp)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [sample_value(item, variant)]
    if origin is tuple:
        return tuple(sample_value(a, variant) for a in typing.get_args(tp))
    if origin is dict:
        _, value = typing.get_args(tp)
        return {"prefect.resource.id": sample_value(value, variant)}
    if tp is Any:
        return "some-value"
    if isinstance(tp, type):
        if issubclass(tp, FilterModel):
            return sample_model(tp, variant)
        if issubclass(tp, enum.Enum):
            members = list(tp)
            return members[variant % len(members)]
        if tp is bool:
            return variant == 0
        if tp is int:
            return 10
        if tp is float:
            return 1.5
        if tp is str:
            return "sample"
        if tp is UUID:
            return SAMPLE_UUID
        if tp is datetime:
            return SAMPLE_TIME
    raise AssertionError(f"no sample for annotation {annotation!r}")


def sample_model(cls: type[FilterModel], variant: int = 0) -> FilterModel:
    """An instance of ``cls`` with every field given a value."""
    values = {
        info.alias or name: sample_value(info.annotation, variant)
        for name, info in cls.model_fields.items()
    }
    return cls.model_validate(values)


def null_model(cls: type[FilterModel]) -> FilterModel:
    """An instance with every nullable field explicitly None (the others sampled)."""
    values = {
        info.alias or name: (
            None
            if type(None) in typing.get_args(info.annotation)
            else sample_value(info.annotation)
        )
        for name, info in cls.model_fields.items()
    }
    return cls.model_validate(values)


def samples(cls: type[FilterModel]) -> Iterator[tuple[str, FilterModel]]:
    yield "first-alternatives", sample_model(cls, 0)
    yield "last-alternatives", sample_model(cls, 1)
    yield "explicit-nulls", null_model(cls)
    yield "defaults", cls.model_validate({}) if _all_optional(cls) else sample_model(cls)


def _all_optional(cls: type[FilterModel]) -> bool:
    return all(not info.is_required() for info in cls.model_fields.values())


# --------------------------------------------------------------------------- validation


def schema_validator(document: dict[str, Any], name: str) -> Any:
    """A Draft 2020-12 validator for ``#/components/schemas/<name>`` of ``document``."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def model_wire_errors(document: dict[str, Any], name: str) -> list[str]:
    """Problems with the wire JSON of the generated model or sort ``name``."""
    schemas = document["components"]["schemas"]
    if name not in schemas:
        return [f"{name}: no such schema in the document"]
    validator = schema_validator(document, name)
    problems: list[str] = []
    models = filter_models()
    sorts = sort_classes()
    if name in models:
        for label, instance in samples(models[name]):
            for error in validator.iter_errors(instance.to_wire()):
                problems.append(f"{name} ({label}) {list(error.absolute_path)}: {error.message}")
    elif name in sorts:
        for member in sorts[name].members():
            for error in validator.iter_errors(member.value):
                problems.append(f"{name}.{member.value}: {error.message}")
        if set(schemas[name]["enum"]) != {m.value for m in sorts[name]}:
            problems.append(f"{name}: members differ from the document's enum")
    else:
        enum_cls = enum_classes()[name]
        if set(schemas[name]["enum"]) != {m.value for m in enum_cls}:
            problems.append(f"{name}: enum values differ from the document")
    return problems


def all_generated_names() -> list[str]:
    return sorted({*filter_models(), *sort_classes(), *enum_classes()})
