#!/usr/bin/env python3
"""Write the downstream project's ``all_methods.py``: every public method of the four clients,
called as a user would, with ``assert_type`` on what it gives back.

    python tools/gen_downstream_types.py           # (re)write the module
    python tools/gen_downstream_types.py --check   # exit 1 if it is stale

For ``PrefectClient``, ``SyncPrefectClient``, ``CloudClient`` and ``SyncCloudClient`` it takes
each public method and property, resolves its annotations with ``typing.get_type_hints`` (the
names a module imports only under ``TYPE_CHECKING`` included) and writes one line per member:
``assert_type(await client.read_flows(), list[Flow])`` for a coroutine, without ``await`` for an
iterator, a stream or a blocking method.  Every type is imported from the public module that
exports it (``prefect_sdk.schemas``, ``prefect_sdk.filters``, ``collections.abc``, ``httpx``...);
a type no public module exports is imported from where it lives and listed in
``PRIVATE_TYPES`` -- a user cannot name it without a private import, so the list is a to-do.

Arguments are placeholders typed ``Any``: what is checked is what comes back.  The project lives
in ``tests/downstream/`` and is type-checked against the built wheels by
``tests/test_downstream_types.py`` (``tools/check_downstream_types.py`` runs it alone).

The introspection helpers (``public_members``, ``type_hints``) are shared with the check that
no public signature leaks ``Any`` (``tests/test_public_any.py``).
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "tests/downstream/src/prefect_sdk_downstream/all_methods.py"

# (module, class, the function written for it, is the client async?)
CLIENTS: list[tuple[str, str, str, bool]] = [
    ("prefect_sdk.client", "PrefectClient", "check_prefect_client", True),
    ("prefect_sdk.sync", "SyncPrefectClient", "check_sync_prefect_client", False),
    ("prefect_sdk.cloud", "CloudClient", "check_cloud_client", True),
    ("prefect_sdk.cloud", "SyncCloudClient", "check_sync_cloud_client", False),
]

# Where a user imports our types from, in order of preference.
PUBLIC_MODULES = [
    "prefect_sdk.schemas",
    "prefect_sdk.filters",
    "prefect_sdk.states",
    "prefect_sdk.client",
    "prefect_sdk.sync",
    "prefect_sdk.cloud",
    "prefect_sdk.settings",
    "prefect_sdk.exceptions",
    "prefect_sdk.events",
    "prefect_sdk.concurrency",
]

# Types of public signatures that no public module exports (module, name): users must import
# them from a private module to annotate a variable.  Fix by exporting them; then drop them here.
PRIVATE_TYPES: set[tuple[str, str]] = set()


# -- introspection (shared with tests/test_public_any.py) ---------------------------------------


@functools.cache
def type_checking_namespace(module_name: str) -> dict[str, object]:
    """The names ``module_name`` imports under ``if TYPE_CHECKING:``, imported for real."""
    module = sys.modules[module_name]
    source = inspect.getsource(module)
    namespace: dict[str, object] = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.If):
            continue
        test = node.test
        name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", None)
        if name != "TYPE_CHECKING":
            continue
        imports: list[ast.stmt] = [
            s for s in node.body if isinstance(s, ast.Import | ast.ImportFrom)
        ]
        code = compile(ast.Module(body=imports, type_ignores=[]), module_name, "exec")
        package = module_name if hasattr(module, "__path__") else module_name.rpartition(".")[0]
        exec(code, {"__name__": module_name, "__package__": package}, namespace)
    return namespace


def namespace_of(func: Callable[..., object]) -> dict[str, object]:
    """The globals annotations of ``func`` are written in, ``TYPE_CHECKING`` imports included."""
    func = inspect.unwrap(func)
    module = getattr(func, "__module__", None) or ""
    return {**type_checking_namespace(module), **func.__globals__}


def type_hints(func: Callable[..., object]) -> dict[str, object]:
    """``typing.get_type_hints`` of ``func``, resolving names imported under ``TYPE_CHECKING``."""
    return typing.get_type_hints(inspect.unwrap(func), globalns=namespace_of(func))


@dataclass(frozen=True)
class Member:
    name: str
    kind: str  # "method" | "property"
    func: Callable[..., object]


def public_members(cls: type) -> Iterator[Member]:
    """The public methods and properties of ``cls`` (inherited ones included), by name."""
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, property):
            assert raw.fget is not None
            yield Member(name, "property", raw.fget)
        elif isinstance(raw, staticmethod | classmethod):
            yield Member(name, "method", raw.__func__)
        elif inspect.isfunction(raw):
            yield Member(name, "method", raw)


# -- rendering ----------------------------------------------------------------------------------


class Imports:
    """The ``from module import name`` lines a generated module needs, one name per object."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, str]] = {}  # local name -> (module, name)
        self.private: set[tuple[str, str]] = set()

    def add(self, module: str, name: str) -> str:
        local = name
        while local in self.names and self.names[local] != (module, name):
            local = f"{local}_"
        self.names[local] = (module, name)
        return local

    def lines(self) -> list[str]:
        by_module: dict[str, list[str]] = {}
        for local, (module, name) in self.names.items():
            by_module.setdefault(module, []).append(name if local == name else f"{name} as {local}")
        return [
            f"from {module} import {', '.join(sorted(names))}"
            for module, names in sorted(by_module.items())
        ]


def _public_module_of(obj: object) -> tuple[str, str]:
    """(module, name) a user imports ``obj`` from."""
    name = getattr(obj, "__name__", None)
    if name is None:
        raise TypeError(f"cannot name {obj!r}")
    home = getattr(obj, "__module__", "") or ""
    if home.startswith("prefect_sdk"):
        for module_name in PUBLIC_MODULES:
            module = importlib.import_module(module_name)
            if name in getattr(module, "__all__", ()) and getattr(module, name, None) is obj:
                return module_name, name
        if (home, name) not in PRIVATE_TYPES:
            raise LookupError(
                f"{home}.{name} is used in a public signature but no public module exports it;"
                " export it (or add it to PRIVATE_TYPES in tools/gen_downstream_types.py)"
            )
        return home, name
    if home == "typing" or home == "collections.abc":
        return home, name
    # Third party / stdlib: the shallowest package that exposes the same object.
    parts = home.split(".")
    for depth in range(1, len(parts) + 1):
        candidate = ".".join(parts[:depth])
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        if getattr(module, name, None) is obj:
            return candidate, name
    return home, name


class _Renamer(ast.NodeTransformer):
    """Rewrites an annotation's names into the names the generated module imports."""

    def __init__(self, namespace: dict[str, object], imports: Imports) -> None:
        self.namespace = namespace
        self.imports = imports

    def _resolve(self, node: ast.expr) -> ast.expr:
        source = ast.unparse(node)
        if isinstance(node, ast.Name) and node.id in ("None",):
            return node
        obj = eval(compile(ast.Expression(node), "<annotation>", "eval"), self.namespace)
        if isinstance(node, ast.Name) and getattr(builtins, node.id, None) is obj:
            return node
        if isinstance(obj, typing.TypeVar):
            raise TypeError(f"a type variable ({source}) in a public signature: write it by hand")
        module, name = _public_module_of(obj)
        if module.startswith("prefect_sdk") and (module, name) in PRIVATE_TYPES:
            self.imports.private.add((module, name))
        return ast.Name(id=self.imports.add(module, name), ctx=ast.Load())

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self._resolve(node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
        return self._resolve(node)

    def visit_Constant(self, node: ast.Constant) -> ast.expr:
        if isinstance(node.value, str):  # a quoted forward reference inside an annotation
            inner: ast.expr = self.visit(ast.parse(node.value, mode="eval").body)
            return inner
        return node


def render_annotation(func: Callable[..., object], annotation: str, imports: Imports) -> str:
    tree = ast.parse(annotation, mode="eval").body
    renamed = _Renamer(namespace_of(func), imports).visit(tree)
    return ast.unparse(renamed)


def _call(member: Member, receiver: str) -> str:
    if member.kind == "property":
        return f"{receiver}.{member.name}"
    args: list[str] = []
    params = list(inspect.signature(member.func).parameters.values())[1:]  # without self
    for param in params:
        if param.default is not inspect.Parameter.empty:
            continue
        if param.kind in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD):
            args.append("_x")
        elif param.kind is param.KEYWORD_ONLY:
            args.append(f"{param.name}=_x")
    return f"{receiver}.{member.name}({', '.join(args)})"


def _return_annotation(member: Member) -> str:
    annotation = inspect.signature(member.func).return_annotation
    if annotation is inspect.Signature.empty:
        raise TypeError(f"{member.func.__qualname__} has no return annotation")
    if not isinstance(annotation, str):  # a module without ``from __future__ import annotations``
        annotation = inspect.formatannotation(annotation)
    return annotation


def _overloaded(func: Callable[..., object]) -> bool:
    get_overloads = getattr(typing, "get_overloads", None)  # 3.11+
    return bool(get_overloads and get_overloads(func))


def client_function(
    module_name: str, class_name: str, function: str, is_async: bool, imports: Imports
) -> list[str]:
    cls = getattr(importlib.import_module(module_name), class_name)
    imports.add(module_name, class_name)
    lines = [
        f"{'async ' if is_async else ''}def {function}(client: {class_name}) -> None:",
        f'    """Every public method and property of ``{class_name}``."""',
    ]
    for member in public_members(cls):
        if _overloaded(member.func):
            raise TypeError(f"{class_name}.{member.name} is overloaded: check it by hand")
        type_hints(member.func)  # every name of the signature resolves at runtime
        returned = render_annotation(member.func, _return_annotation(member), imports)
        call = _call(member, "client")
        if inspect.iscoroutinefunction(inspect.unwrap(member.func)):
            call = f"await {call}"
        lines.append(f"    assert_type({call}, {returned})")
    return lines


HEADER = '''\
# GENERATED by tools/gen_downstream_types.py -- do not edit; rerun the tool.
"""Every public method and property of the clients, with the type a user's checker must see.

Arguments are placeholders typed ``Any``: what is checked is each return type, as a project
that installed the wheels sees it (``mypy --strict`` and ``basedpyright``, strict).
"""

import sys
from typing import Any
'''


def generate() -> str:
    imports = Imports()
    bodies: list[str] = []
    for module_name, class_name, function, is_async in CLIENTS:
        bodies.append(
            "\n".join(client_function(module_name, class_name, function, is_async, imports))
        )
    stale = PRIVATE_TYPES - imports.private
    if stale:
        raise LookupError(f"PRIVATE_TYPES lists types no signature uses any more: {sorted(stale)}")
    out = [HEADER]
    out.append("\n".join(imports.lines()))
    out.append("")
    out.append("if sys.version_info >= (3, 11):")
    out.append("    from typing import assert_type")
    out.append("else:")
    out.append("    from typing_extensions import assert_type")
    out.append("")
    if imports.private:
        out.append("# Not exported by any public module (see PRIVATE_TYPES in the tool):")
        out += [f"#   {module}.{name}" for module, name in sorted(imports.private)]
    out.append("_x: Any = None  # the placeholder argument")
    for body in bodies:
        out.append("\n")
        out.append(body)
    return _ruff_format("\n".join(out) + "\n")


def _ruff_format(source: str) -> str:
    """Sort the imports and format as the rest of the tree is."""
    ruff = [sys.executable, "-m", "ruff"]
    stdin = ["--stdin-filename", str(TARGET), "-"]
    for args in (["check", "--fix-only", "--select", "I", "--quiet"], ["format"]):
        source = subprocess.run(
            [*ruff, *args, *stdin],
            input=source,
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout
    return source


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print(__doc__)
        return 2
    text = generate()
    current = TARGET.read_text() if TARGET.exists() else None
    if check:
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python tools/gen_downstream_types.py")
            return 1
        return 0
    if current != text:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_text(text)
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
