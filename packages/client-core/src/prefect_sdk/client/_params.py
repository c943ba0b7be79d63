"""Checking and converting operation arguments, before any network I/O.

Every helper raises :class:`~prefect_sdk.exceptions.ValidationError` naming the argument and
the fix, so bad input never reaches the server.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol
from uuid import UUID

from prefect_sdk.exceptions import ValidationError

SERVER_PAGE_LIMIT = 200
"""The most rows the server returns for one filtered read (it answers 422 above)."""


class HasName(Protocol):
    """Anything with a ``name``: a ``prefect.Flow``, a dataclass, our own ``Flow``."""

    @property
    def name(self) -> str: ...


class HasTaskKey(Protocol):
    """Anything with a ``task_key``: a ``prefect.Task``, a ``TaskRun``."""

    @property
    def task_key(self) -> str: ...


class HasId(Protocol):
    """Anything with a UUID ``id``: every object the server returns (``Flow``, ``FlowRun`` ...)."""

    @property
    def id(self) -> UUID: ...


def as_uuid(value: Any, argument: str) -> UUID:
    """``value`` as a UUID, or a ValidationError naming ``argument``."""
    if isinstance(value, UUID):
        return value
    if isinstance(value, str):
        try:
            return UUID(value)
        except ValueError:
            pass
    raise ValidationError(f"{argument} must be a UUID (or its string form), got {value!r}")


def as_id(value: Any, argument: str) -> UUID:
    """A UUID, its string form, or any object with a UUID ``id`` (a ``Flow``, a ``FlowRun``)."""
    if isinstance(value, UUID):
        return value
    if isinstance(value, str):
        return as_uuid(value, argument)
    inner = getattr(value, "id", None)
    if isinstance(inner, UUID):
        return inner
    raise ValidationError(
        f"{argument} must be a UUID, its string form or an object with a UUID .id "
        f"(e.g. the Flow that create_flow returned), got {value!r}"
    )


def as_ids(values: Any, argument: str) -> list[UUID]:
    """A list of ids (see :func:`as_id`); a lone id or a string is not taken for a list."""
    if isinstance(values, str | UUID) or not isinstance(values, Sequence | set | frozenset):
        raise ValidationError(f"{argument} must be a list of ids, got {values!r}")
    return [as_id(v, f"{argument}[{i}]") for i, v in enumerate(values)]


def looks_like_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def segment(value: str) -> str:
    """``value`` quoted for use as one URL path segment (names may hold ``/``, spaces ...)."""
    from urllib.parse import quote

    return quote(value, safe="")


def path_segment(value: Any, argument: str) -> str:
    """A name that goes into the URL path: one non-empty segment, quoted.

    ``.`` and ``..`` are refused: a client normalising the path would otherwise send the
    request to another route (``read_deployment_by_name("../<id>")`` reading by id).
    """
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{argument} must be a non-empty string, got {value!r}")
    if "/" in value:
        raise ValidationError(
            f"{argument}={value!r} cannot be used: the server decodes %2F before routing, so a "
            "name with '/' would address another route"
        )
    if value in (".", ".."):
        raise ValidationError(
            f"{argument}={value!r} cannot be used: '.' and '..' are not names the server can "
            "address in a URL path"
        )
    return segment(value)


def tag_list(tags: Any, argument: str) -> list[str] | None:
    """A list of tags, or ``None``; a lone string is refused (it would be split into letters)."""
    if tags is None:
        return None
    if isinstance(tags, str | bytes) or not isinstance(tags, Iterable):
        raise ValidationError(f"{argument} must be a list of strings, e.g. ['prod'], got {tags!r}")
    found = list(tags)
    if not all(isinstance(tag, str) for tag in found):
        raise ValidationError(f"{argument} must be a list of strings, got {tags!r}")
    return found


def non_empty(value: Any, argument: str) -> str:
    """A required, non-empty string argument (a name that goes into the body)."""
    if not isinstance(value, str) or not value:
        raise ValidationError(f"{argument} must be a non-empty string, got {value!r}")
    return value


def non_negative(value: Any, argument: str) -> int | None:
    """``None`` or an int >= 0 (limits, counts, priorities)."""
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValidationError(f"{argument} must be a non-negative int or None, got {value!r}")
    return value


def check_limit(limit: int | None, offset: int | None) -> None:
    """Reject impossible paging values before any network I/O."""
    non_negative(limit, "limit")
    non_negative(offset, "offset")


def check_page_size(page_size: int) -> None:
    if (
        not isinstance(page_size, int)
        or isinstance(page_size, bool)
        or not 0 < page_size <= SERVER_PAGE_LIMIT
    ):
        raise ValidationError(
            f"page_size must be an int between 1 and {SERVER_PAGE_LIMIT}, got {page_size!r}"
        )


def page_sizes(limit: int | None, offset: int | None) -> list[tuple[int, int | None]]:
    """Split a ``limit``/``offset`` read into server-sized pages: ``[(offset, limit), ...]``.

    ``limit=None`` reads one page at the server's default size, as the server would.
    """
    start = offset or 0
    if limit is None or limit <= SERVER_PAGE_LIMIT:
        return [(start, limit)]
    pages: list[tuple[int, int | None]] = []
    remaining = limit
    while remaining > 0:
        size = min(remaining, SERVER_PAGE_LIMIT)
        pages.append((start, size))
        start += size
        remaining -= size
    return pages


def sort_value(sort: Any, sort_type: Any, argument: str = "sort") -> str | None:
    """A sort member or its name (``"NAME_ASC"``) as the string the server takes."""
    if sort is None:
        return None
    try:
        value = sort if isinstance(sort, sort_type) else sort_type(str(sort))
    except ValueError as exc:
        raise ValidationError(f"{argument}: {exc}") from exc
    return str(value)


def build_filter_body(**filters: Any) -> dict[str, Any]:
    """The JSON body of a filtered read; bad filters become a ValidationError before any I/O."""
    from prefect_sdk.filters import filter_body

    try:
        return filter_body(**filters)
    except (TypeError, ValueError) as exc:
        raise ValidationError(str(exc)) from exc


def filtered_body(sort: Any, sort_type: Any, **filters: Any) -> dict[str, Any]:
    """The body of a filtered read: the filters under the server's keys, and the sort."""
    body = build_filter_body(**filters)
    value = sort_value(sort, sort_type)
    if value:
        body["sort"] = value
    return body


def run_filters(
    flow_filter: Any = None,
    flow_run_filter: Any = None,
    task_run_filter: Any = None,
    deployment_filter: Any = None,
    work_pool_filter: Any = None,
    work_queue_filter: Any = None,
) -> dict[str, Any]:
    """The filters of the run-orchestration reads, under the body keys the server takes."""
    return {
        "flows": flow_filter,
        "flow_runs": flow_run_filter,
        "task_runs": task_run_filter,
        "deployments": deployment_filter,
        "work_pools": work_pool_filter,
        "work_pool_queues": work_queue_filter,
    }


def dump(model: Any, argument: str, model_type: Any, **updates: Any) -> dict[str, Any]:
    """A request model as its JSON body, accepting the model itself or a dict of its fields.

    Only fields that were set are sent (``exclude_unset``), so an update changes just what
    the caller named. Invalid values become a ValidationError naming ``argument``.
    """
    from pydantic import ValidationError as PydanticError

    try:
        if isinstance(model, model_type):
            value = model.model_copy(update=updates) if updates else model
        elif isinstance(model, dict):
            value = model_type.model_validate({**model, **updates})
        else:
            raise ValidationError(
                f"{argument} must be a {model_type.__name__} (or a dict of its fields), "
                f"got {type(model).__name__}"
            )
    except PydanticError as exc:
        # ``from None``: pydantic's error quotes the input, which may hold secrets.
        raise ValidationError(f"{argument}: {first_error(exc)}") from None
    result: dict[str, Any] = value.model_dump(mode="json", exclude_unset=True)
    return result


def build(model_type: Any, argument: str, **fields: Any) -> dict[str, Any]:
    """A request model built from keyword arguments (``None`` means "not given") as JSON."""
    from pydantic import ValidationError as PydanticError

    try:
        value = model_type(**{k: v for k, v in fields.items() if v is not None})
    except PydanticError as exc:
        raise ValidationError(f"{argument}: {first_error(exc)}") from None
    result: dict[str, Any] = value.model_dump(mode="json", exclude_unset=True)
    return result


def first_error(exc: Any) -> str:
    errors = exc.errors()
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"]) or "value"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}"


def holds(obj: Any, sent: Mapping[str, Any]) -> bool:
    """Whether ``obj`` (a model read back, or a plain value) has every field of the request
    body ``sent`` with the value sent; fields the model does not show are not compared."""
    if not hasattr(obj, "model_dump"):
        return True  # a plain value the caller has already checked
    shown = obj.model_dump(mode="json", by_alias=True)
    return all(shown[key] == value for key, value in sent.items() if key in shown)


# What FlowRunCreate keeps as it is, by field: exact types (a subclass, a tuple, a str-keyed
# mapping that is not a dict ... go through the model, which converts or refuses them).
_PLAIN_STR = frozenset({"name", "idempotency_key", "work_pool_name", "work_queue_name"})
_PLAIN_JSON = frozenset({"parameters", "context", "job_variables", "state", "labels"})
_LABEL_TYPES = (bool, int, float, str)


def plain_create_body(fields: dict[str, Any]) -> dict[str, Any] | None:
    """``FlowRunCreate(flow_id=..., **fields).model_dump(mode="json", exclude_none=True)``
    without ``flow_id`` and without the model, when every value is of a type the model takes
    as it is; ``None`` otherwise (the model then checks and converts, and names what is wrong).

    Building and dumping the model is most of a create's own CPU; a unit test holds the two
    bodies equal.
    """
    from pydantic_core import to_jsonable_python

    body: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            continue
        kind = type(value)
        if key in _PLAIN_STR:
            if kind is not str:
                return None
        elif key in _PLAIN_JSON:
            if kind is not dict or not all(type(k) is str for k in value):
                return None
            if key == "labels" and not all(type(v) in _LABEL_TYPES for v in value.values()):
                return None
            try:
                # What the model's dump does: None left out of models nested in its Any
                # fields, which send inf and NaN as null (the labels' typed floats as they are).
                value = to_jsonable_python(
                    value,
                    exclude_none=True,
                    inf_nan_mode="constants" if key == "labels" else "null",
                )
            except Exception:
                return None  # the model's dump raises the same, after its own checks
        elif key == "tags":
            if kind is not list or not all(type(tag) is str for tag in value):
                return None
            value = list(value)
        elif key == "parent_task_run_id":
            if kind is not UUID:
                return None
            value = str(value)
        else:
            return None
        body[key] = value
    return body


def pending_state_wire() -> dict[str, Any]:
    """What ``Pending().to_wire()`` sends, a new run's default state (a copy of one made once:
    it has no timestamp, so it never changes)."""
    wire = _pending_state_wire_once()
    return {**wire, "state_details": dict(wire["state_details"])}


@functools.cache
def _pending_state_wire_once() -> dict[str, Any]:
    from prefect_sdk.states import Pending

    return Pending().to_wire()
