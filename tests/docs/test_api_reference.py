"""The API reference (docs/reference/, rendered by mkdocstrings) leaves out no public name.

A page documents a name with ``::: module.Name``, or all the names of a module with
``::: module`` (unless its options say ``members: false``, or list the members). A name counts
as documented when the object it names is documented under any public path
(``prefect_sdk.sync.HasId`` is ``prefect_sdk.client.HasId``).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs/reference"

PUBLIC_MODULES = [
    "prefect_sdk.client",
    "prefect_sdk.sync",
    "prefect_sdk.schemas",
    "prefect_sdk.filters",
    "prefect_sdk.states",
    "prefect_sdk.exceptions",
    "prefect_sdk.settings",
    "prefect_sdk.flow_runs",
    "prefect_sdk.deployments",
    "prefect_sdk.variables",
    "prefect_sdk.events",
    "prefect_sdk.concurrency",  # prefect_sdk.concurrency.asyncio is the same module's names
    "prefect_sdk.concurrency.sync",
    "prefect_sdk.cloud",
    "prefect_sdk.otel",
    "prefect_sdk.devserver",
]
HOOKSPECS = "prefect_sdk.client._hookspecs"

DIRECTIVE = re.compile(r"^::: (?P<path>[\w.]+)\n(?P<options>(?:    .*\n)*)", re.M)


def resolve(path: str) -> Any:
    try:
        return importlib.import_module(path)
    except ImportError:
        module, _, name = path.rpartition(".")
        return getattr(importlib.import_module(module), name)


def documented() -> tuple[set[str], list[int], dict[str, list[str]]]:
    """Dotted names documented, ids of the objects documented, and for each module directive
    the members it lists (``[]`` for all of them)."""
    names: set[str] = set()
    objects: list[int] = []
    member_lists: dict[str, list[str]] = {}
    for page in sorted(REFERENCE.glob("*.md")):
        for match in DIRECTIVE.finditer(page.read_text()):
            path, options = match["path"], match["options"]
            target = resolve(path)
            if isinstance(target, ModuleType):
                if "members: false" in options:
                    continue
                listed = re.findall(r"^\s+- (\w+)$", options, re.M)
                member_lists[path] = listed
                for name in listed or getattr(target, "__all__", []):
                    names.add(f"{path}.{name}")
                    objects.append(id(getattr(target, name)))
            else:
                names.add(path)
                objects.append(id(target))
    return names, objects, member_lists


NAMES, OBJECTS, MEMBER_LISTS = documented()


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_is_in_the_reference(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = [
        name
        for name in module.__all__
        if f"{module_name}.{name}" not in NAMES and id(getattr(module, name)) not in OBJECTS
    ]
    assert missing == [], f"add them to a page of docs/reference/: {missing}"


def test_every_hook_is_in_the_reference() -> None:
    hookspecs = importlib.import_module(HOOKSPECS)
    hooks = sorted(n for n in vars(hookspecs) if n.startswith("prefect_sdk_"))
    assert len(hooks) >= 8
    assert sorted(MEMBER_LISTS[HOOKSPECS]) == hooks


def test_the_reference_is_in_the_site_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    pages = sorted(p.relative_to(ROOT / "docs").as_posix() for p in REFERENCE.glob("*.md"))
    assert [p for p in pages if p not in nav] == []
