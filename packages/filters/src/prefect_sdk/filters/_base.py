"""The common base of every filter model, and the shorthand expansion it performs."""

import enum
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Final, TypeVar
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic_core import PydanticUndefined

__all__ = ["UNSET", "FilterModel", "OptionalStrList", "typed_init"]

_F = TypeVar("_F")


class _Unset:
    """Marker for "argument not given" in the generated ``__init__`` signatures."""

    def __repr__(self) -> str:
        return "<default>"

    def __bool__(self) -> bool:
        return False


# Typed as Any so it can be the default of a parameter of any type.
UNSET: Final[Any] = _Unset()


def typed_init(init: _F) -> _F:
    """Mark a generated ``__init__`` as a plain keyword front end.

    pydantic then keeps validating dicts (``model_validate``, nested values) without
    calling it; the shorthand is expanded by the model validator either way.
    """
    init.__pydantic_base_init__ = True  # type: ignore[attr-defined]
    return init


class FilterModel(BaseModel):
    """Base of all generated filter models.

    Plain values given for a sub-filter field are expanded into the nested form
    (see :mod:`prefect_sdk.filters` and ``docs/filters.md``), and :meth:`to_wire`
    returns the JSON body fragment the server expects.
    """

    model_config: ClassVar[ConfigDict] = ConfigDict(extra="forbid", defer_build=True)

    # Old keyword -> field it negates (a bool). Only DeploymentFilter uses it.
    _negated_aliases: ClassVar[Mapping[str, str]] = {}

    def to_wire(self) -> dict[str, Any]:
        """Return the JSON-ready dict the server's schema expects.

        ``None`` values are left out (the server reads a missing key as "no
        constraint"), except for fields whose server-side default is not null:
        there an explicit ``None`` is kept, because leaving it out would bring the
        server's default back.
        """
        dumped = self.model_dump(mode="json", by_alias=True)
        return _prune(self, dumped)

    @classmethod
    def _given(cls, values: dict[str, Any]) -> dict[str, Any]:
        """Keep the arguments a caller actually passed to a generated ``__init__``."""
        keep = _nullable_defaults(cls)
        return {k: v for k, v in values.items() if v is not UNSET and (v is not None or k in keep)}

    @model_validator(mode="before")
    @classmethod
    def _expand_shorthand(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        plans = _plans(cls)
        if not plans and not cls._negated_aliases:
            return data
        out: dict[str, Any] = dict(data)
        for old, target in cls._negated_aliases.items():
            if old not in out:
                continue
            value = out.pop(old)
            if value is None:
                continue
            if not isinstance(value, bool):
                raise ValueError(f"{cls.__name__}.{old}: expected a bool, got {value!r}")
            if out.get(target) is not None:
                raise ValueError(
                    f"{cls.__name__}: pass either {old}= or {target}=, not both "
                    f"({old}={value} means {target}={not value})"
                )
            out[target] = not value
        for name, value in list(out.items()):
            plan = plans.get(name)
            if plan is None or value is None or isinstance(value, (dict, BaseModel)):
                continue
            out[name] = plan.expand(cls.__name__, name, value)
        return out


# --------------------------------------------------------------------------- wire form


def _prune(model: BaseModel, dumped: dict[str, Any]) -> dict[str, Any]:
    keep = _nullable_defaults(type(model))
    out: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        key = info.alias or name
        if key not in dumped:  # excluded field
            continue
        value = getattr(model, name)
        if value is None:
            if name in keep:
                out[key] = None
            continue
        out[key] = _prune_value(value, dumped[key])
    return out


def _prune_value(value: Any, dumped: Any) -> Any:
    if isinstance(value, BaseModel):
        return _prune(value, dumped)
    if isinstance(value, (list, tuple)) and isinstance(dumped, list):
        return [_prune_value(v, d) for v, d in zip(value, dumped, strict=True)]
    return dumped


_NULLABLE_DEFAULTS: dict[type[BaseModel], frozenset[str]] = {}


def _nullable_defaults(cls: type[BaseModel]) -> frozenset[str]:
    """Fields whose default is not None (an explicit None there means something)."""
    found = _NULLABLE_DEFAULTS.get(cls)
    if found is None:
        found = frozenset(
            name
            for name, info in cls.model_fields.items()
            if info.default is not None
            and (info.default is not PydanticUndefined or info.default_factory is not None)
        )
        _NULLABLE_DEFAULTS[cls] = found
    return found


# --------------------------------------------------------------------------- shorthand


def _optional_inner(annotation: Any) -> Any:
    """``X | None`` -> ``X``; anything else -> ``None``."""
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        return None
    return annotation


def _list_item(annotation: Any) -> Any:
    inner = _optional_inner(annotation)
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner)
        return item
    return None


def _sub_filter(annotation: Any) -> type[FilterModel] | None:
    inner = _optional_inner(annotation)
    if isinstance(inner, type) and issubclass(inner, FilterModel):
        return inner
    return None


_SCALARS = (str, UUID, enum.Enum)


def _as_values(value: Any) -> list[Any] | None:
    """A scalar or a list/tuple/set of scalars -> list; anything else -> None."""
    if isinstance(value, _SCALARS):
        return [value]
    if isinstance(value, (list, tuple)):
        items = list(value)
    elif isinstance(value, (set, frozenset)):
        items = sorted(value, key=str)
    else:
        return None
    if all(isinstance(v, _SCALARS) for v in items):
        return items
    return None


def _fits(item_type: Any, value: Any) -> bool:
    if isinstance(item_type, type) and issubclass(item_type, enum.Enum):
        return isinstance(value, (str, item_type))
    if item_type is UUID:
        return isinstance(value, (str, UUID))
    if item_type is str:
        return isinstance(value, str) and (
            not isinstance(value, enum.Enum) or isinstance(value.value, str)
        )
    return False


def _normalise(item_type: Any, value: Any) -> Any:
    """Strings for enum items are matched to a member case-insensitively."""
    if isinstance(item_type, type) and issubclass(item_type, enum.Enum):
        if isinstance(value, item_type):
            return value
        for member in item_type:
            if str(member.value).lower() == str(value).lower():
                return member
        return value
    if isinstance(value, enum.Enum):
        return value.value
    return value


@dataclass(frozen=True)
class _Plan:
    """How a plain value given for one sub-filter field is expanded."""

    sub: type[FilterModel]
    list_op: str | None  # "all_" or "any_"
    list_item: Any
    bool_op: str | None  # "eq_" or "exists_"
    state_enum: type[enum.Enum] | None  # set for FlowRunFilter.state / TaskRunFilter.state

    def hint(self, owner: str, field: str, value: Any) -> str:
        ops = ", ".join(f"{op}=..." for op in self.sub.model_fields if op != "operator")
        return (
            f"{owner}.{field}: a {type(value).__name__} ({value!r}) has no shorthand meaning "
            f"here; pass {self.sub.__name__}({ops})"
        )

    def expand(self, owner: str, field: str, value: Any) -> Any:
        if isinstance(value, bool):
            if self.bool_op is None:
                raise ValueError(self.hint(owner, field, value))
            return {self.bool_op: value}
        values = _as_values(value)
        if values is None:
            raise ValueError(self.hint(owner, field, value))
        if self.state_enum is not None:
            return self._expand_state(owner, field, value, values)
        if self.list_op is None or not all(_fits(self.list_item, v) for v in values):
            raise ValueError(self.hint(owner, field, value))
        return {self.list_op: [_normalise(self.list_item, v) for v in values]}

    def _expand_state(self, owner: str, field: str, value: Any, values: list[Any]) -> Any:
        enum_cls = self.state_enum
        assert enum_cls is not None
        by_value = {str(m.value).lower(): m for m in enum_cls}
        if not all(isinstance(v, (str, enum_cls)) for v in values):
            raise ValueError(self.hint(owner, field, value))
        if all(isinstance(v, enum_cls) or str(v).lower() in by_value for v in values):
            types_ = [v if isinstance(v, enum_cls) else by_value[str(v).lower()] for v in values]
            return {"type": {"any_": types_}}
        names = [str(v.value).capitalize() if isinstance(v, enum_cls) else str(v) for v in values]
        return {"name": {"any_": names}}


_PLANS: dict[type[FilterModel], dict[str, _Plan]] = {}


def _plans(cls: type[FilterModel]) -> dict[str, _Plan]:
    found = _PLANS.get(cls)
    if found is None:
        found = {}
        for name, info in cls.model_fields.items():
            sub = _sub_filter(info.annotation)
            if sub is not None:
                found[name] = _plan_for(sub)
        _PLANS[cls] = found
    return found


def _plan_for(sub: type[FilterModel]) -> _Plan:
    fields = sub.model_fields
    list_op = "all_" if "all_" in fields else "any_" if "any_" in fields else None
    list_item = _list_item(fields[list_op].annotation) if list_op else None
    bool_op = "eq_" if "eq_" in fields else "exists_" if "exists_" in fields else None
    state_enum: type[enum.Enum] | None = None
    if list_op is None and "type" in fields and "name" in fields:
        type_sub = _sub_filter(fields["type"].annotation)
        name_sub = _sub_filter(fields["name"].annotation)
        if type_sub is not None and name_sub is not None and "any_" in name_sub.model_fields:
            item = _list_item(type_sub.model_fields["any_"].annotation)
            if isinstance(item, type) and issubclass(item, enum.Enum):
                state_enum = item
    return _Plan(sub, list_op, list_item, bool_op, state_enum)


def as_str_list(value: Any) -> Any:
    """Before-validator: a single string becomes a one-item list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (tuple, set, frozenset)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return value


OptionalStrList = Annotated[list[str] | None, BeforeValidator(as_str_list)]
"""``list[str] | None`` that also accepts a single string."""
