"""Operation declarations: what each client method sends, in one place, as data.

Each operation is a method of a resource mixin, declared with :func:`operation`::

    @operation("GET /flows/{flow_id:id}")
    async def read_flow(self, flow_id: UUID | str | HasId) -> Flow:
        \"\"\"Read one flow by id.\"\"\"
        from prefect_sdk.schemas import Flow

        return await self._call("read_flow", Flow, flow_id=flow_id)

The declaration names the HTTP method and route; ``{name}`` placeholders are filled from the
method's arguments of that name by the request path (``{x:id}`` takes a UUID, its string form
or an object with a UUID ``.id``; a plain ``{x}`` takes a non-empty name that is quoted as one
path segment).  The registry of declarations is what the docs' operation table, the coverage
check against the server's OpenAPI document and telemetry names are derived from.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from prefect_sdk.client._params import as_id, path_segment

F = TypeVar("F", bound=Callable[..., Any])

HTTPMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
_READ_SUFFIXES = ("/filter", "/count", "/paginate", "/history")
_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")


@dataclass(frozen=True)
class Route:
    """One HTTP route: ``method`` and ``path`` with ``{argument}`` / ``{argument:id}`` slots.

    The slots are parsed on first use, not when the route is declared: a client declares
    about two hundred routes and uses a few.
    """

    method: HTTPMethod
    path: str

    @functools.cached_property
    def params(self) -> tuple[tuple[str, str], ...]:
        """``(argument, "id" | "name")`` for each slot, in order."""
        params = tuple((m[1], m[2] or "name") for m in _PLACEHOLDER.finditer(self.path))
        for _, kind in params:
            if kind not in ("id", "name"):
                raise ValueError(f"{self.path}: unknown placeholder kind {kind!r}")
        return params

    @functools.cached_property
    def template(self) -> str:
        """The path as a format string (``/flows/{flow_id}``)."""
        return _PLACEHOLDER.sub(r"{\1}", self.path)

    @classmethod
    def parse(cls, route: str) -> Route:
        method, _, path = route.partition(" ")
        if method not in ("GET", "POST", "PUT", "PATCH", "DELETE") or not path.startswith("/"):
            raise ValueError(f"route must look like 'GET /flows/{{flow_id:id}}', got {route!r}")
        return cls(method, path)  # type: ignore[arg-type]

    @property
    def server_path(self) -> str:
        """The path with anonymous slots (``/flows/{}``), to compare with the OpenAPI paths."""
        return _PLACEHOLDER.sub("{}", self.path)

    def render(self, arguments: Mapping[str, Any]) -> str:
        """The request path, each slot checked and quoted (a ValidationError names the argument)."""
        if not self.params:
            return self.path
        values: dict[str, str] = {}
        for name, kind in self.params:
            value = arguments.get(name)
            values[name] = str(as_id(value, name)) if kind == "id" else path_segment(value, name)
        return self.template.format_map(values)


@dataclass(frozen=True)
class Operation:
    """What one client method sends.

    ``retry_safe``: whether repeating the request can do no harm (reads, updates and deletes,
    creates the server deduplicates). ``read_back``: a create of an object whose name is unique
    on the server, retried like a safe one; a retry answered 409 Conflict reads the object back
    and returns it when it holds what was sent. ``why`` says what makes it safe, or what a
    retry could cause when it is not (the retry policy page lists it). ``routes`` maps a
    variant name to another route the same method uses in some cases
    (``read_work_queue_by_name`` with and without a work pool).
    """

    name: str
    route: Route
    retry_safe: bool
    routes: Mapping[str, Route] = field(default_factory=dict)
    summary: str = ""
    read_back: bool = False
    why: str = ""

    @property
    def retry_policy(self) -> str:
        """``"always"``, ``"read back on 409"`` or ``"only if never sent"``."""
        if self.read_back:
            return "read back on 409"
        return "always" if self.retry_safe else "only if never sent"

    def select(self, variant: str | None) -> Route:
        return self.route if variant is None else self.routes[variant]

    @property
    def all_routes(self) -> list[Route]:
        return [self.route, *self.routes.values()]


def default_retry_safe(method: str, path: str) -> bool:
    """Safe unless a write: GET, HEAD, OPTIONS, PUT, PATCH, DELETE and the POST reads
    (``/filter``, ``/count``, ``/paginate``, ``/history``) are; other POSTs are not."""
    return method in _IDEMPOTENT or (method == "POST" and path.endswith(_READ_SUFFIXES))


def operation(
    route: str,
    *,
    retry_safe: bool | None = None,
    read_back: bool = False,
    why: str = "",
    variants: Mapping[str, str] | None = None,
) -> Callable[[F], F]:
    """Declare the decorated client method as the operation sending ``route``.

    ``retry_safe`` defaults to: safe for GET, PUT, PATCH, DELETE and the POST reads
    (``/filter``, ``/count``, ``/paginate``, ``/history``), not safe for other POSTs.
    ``read_back=True`` declares a create of a name-unique object (retried; a 409 on a retry is
    resolved by reading the object back: see ``_call_unique``). ``why`` is required for a
    write whose policy is not its method's default: what makes it safe, or what a retry could
    cause. The method itself is returned unchanged (no wrapper, no per-call cost).
    """
    primary = Route.parse(route)
    others = {key: Route.parse(value) for key, value in (variants or {}).items()}
    default = default_retry_safe(primary.method, primary.path)
    if read_back:
        if retry_safe is not None or primary.method != "POST":
            raise ValueError(f"{route}: read_back=True is for a POST create, without retry_safe")
        retry_safe = True
    elif retry_safe is None:
        retry_safe = default
    if (retry_safe != default or not retry_safe) and not read_back and not why:
        raise ValueError(
            f"{route}: say why= it is {'safe' if retry_safe else 'not safe'} to retry "
            "(what makes a repeat harmless, or what a repeat could cause)"
        )

    def declare(fn: F) -> F:
        doc = (fn.__doc__ or "").strip().splitlines()
        fn.__prefect_sdk_operation__ = Operation(  # type: ignore[attr-defined]
            name=fn.__name__,
            route=primary,
            retry_safe=bool(retry_safe),
            routes=others,
            summary=doc[0] if doc else "",
            read_back=read_back,
            why=why,
        )
        return fn

    return declare


def collect(cls: type) -> dict[str, Operation]:
    """The operations declared on ``cls`` and its bases, by name."""
    found: dict[str, Operation] = {}
    for klass in reversed(cls.__mro__):
        for value in vars(klass).values():
            op = getattr(value, "__prefect_sdk_operation__", None)
            if isinstance(op, Operation):
                found[op.name] = op
    return found
