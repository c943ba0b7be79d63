"""Sort values: plain strings on the wire, buildable from a member name or field + direction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import CoreSchema

__all__ = ["SortBase", "install_members"]

_S = TypeVar("_S", bound="SortBase")
_DIRECTIONS = ("asc", "desc")


class _SortMeta(type):
    """Lets a sort class be iterated, sized and tested like an Enum class."""

    _members: dict[str, Any]

    def __iter__(cls: type[_S]) -> Iterator[_S]:  # type: ignore[misc]
        return iter(cls.members())

    def __len__(cls) -> int:
        return len(cls._members)

    def __contains__(cls, value: object) -> bool:
        return isinstance(value, str) and value.upper() in cls._members


class SortBase(str, metaclass=_SortMeta):
    """A sort order offered by one filter route, e.g. ``FlowSort.NAME_ASC``.

    ``FlowSort("NAME_ASC")``, ``FlowSort("name", "asc")`` and
    ``FlowSort(field="name", direction="asc")`` all return the member
    ``FlowSort.NAME_ASC``, which is the ``str`` ``"NAME_ASC"``.
    """

    __slots__ = ()
    _members: ClassVar[dict[str, Any]] = {}

    def __new__(cls: type[_S], field: str, direction: str | None = None) -> _S:
        members: dict[str, _S] = cls._members
        if not members:
            raise TypeError(f"{cls.__name__} has no members")
        if not isinstance(field, str):
            raise TypeError(f"{cls.__name__}: field must be a str, got {field!r}")
        if direction is None:
            found = members.get(field.upper())
            if found is None:
                raise ValueError(
                    f"{field!r} is not a valid {cls.__name__}; allowed: {', '.join(members)}"
                )
            return found
        if not isinstance(direction, str) or direction.lower() not in _DIRECTIONS:
            raise ValueError(
                f"{cls.__name__}: direction must be 'asc' or 'desc', got {direction!r}"
            )
        fields = cls.fields()
        key_field = field.lower().replace("-", "_")
        if key_field not in fields:
            raise ValueError(
                f"{cls.__name__}: unknown sort field {field!r}; allowed fields: "
                f"{', '.join(fields)} (members: {', '.join(members)})"
            )
        key = f"{key_field}_{direction.lower()}".upper()
        found = members.get(key)
        if found is None:
            raise ValueError(
                f"{cls.__name__}: the server offers no {key} sort; allowed: {', '.join(members)}"
            )
        return found

    # Enum-like surface -------------------------------------------------------------------

    @property
    def value(self) -> str:
        """The wire string, e.g. ``"NAME_ASC"``."""
        return str.__str__(self)

    @property
    def name(self) -> str:
        """The member name (the same as :attr:`value`)."""
        return str.__str__(self)

    @property
    def field(self) -> str:
        """The sorted-on field in lower case, e.g. ``"name"``."""
        return self.value.rsplit("_", 1)[0].lower()

    @property
    def direction(self) -> str:
        """``"asc"`` or ``"desc"``."""
        return self.value.rsplit("_", 1)[1].lower()

    @classmethod
    def members(cls: type[_S]) -> tuple[_S, ...]:
        """All values the server accepts, in the server's order."""
        return tuple(cls._members.values())

    @classmethod
    def fields(cls) -> tuple[str, ...]:
        """The distinct sortable fields, lower case."""
        return tuple(dict.fromkeys(m.rsplit("_", 1)[0].lower() for m in cls._members))

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"

    def __str__(self) -> str:
        return self.value

    def __format__(self, format_spec: str) -> str:
        return format(self.value, format_spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.value,))

    def __copy__(self: _S) -> _S:
        return self

    def __deepcopy__(self: _S, memo: dict[int, Any]) -> _S:
        return self

    # pydantic integration ----------------------------------------------------------------

    @classmethod
    def _validate(cls: type[_S], value: Any) -> _S:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls(value)
        raise ValueError(f"expected a {cls.__name__} or one of: {', '.join(cls._members)}")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source_type: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls._validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                str.__str__, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": list(cls._members), "title": cls.__name__}


def install_members(cls: type[_S], values: Iterable[str]) -> None:
    """Create the members of a sort class and set them as class attributes."""
    members: dict[str, _S] = {}
    for value in values:
        member = str.__new__(cls, value)
        members[value] = member
        setattr(cls, value, member)
    cls._members = members
