#!/usr/bin/env python3
"""Generate ``prefect_sdk.filters._generated`` from the committed OpenAPI snapshot.

Usage::

    python tools/gen_filters.py           # (re)write the module
    python tools/gen_filters.py --check   # exit 1 if the committed module is stale

Standard library only. The output is emitted already formatted for ``ruff format``.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tools" / "openapi-prefect-3.8.8.json"
# Newer servers whose sort orders are offered too (a new sort, or new values of one), each
# documented with the first version that has it: (version, its OpenAPI snapshot).
NEWER = (("3.9.1", ROOT / "tools" / "openapi-prefect-3.9.1.json"),)
OUTPUT = ROOT / "packages" / "filters" / "src" / "prefect_sdk" / "filters" / "_generated.py"
ENUMS_OUTPUT = OUTPUT.with_name("_enums.py")

# Names a field may not take on a pydantic model (keywords are checked separately).
BASEMODEL_ATTRS = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "fields",
        "from_orm",
        "json",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
    }
)


def is_root(name: str) -> bool:
    return "Filter" in name or "Sort" in name


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def iter_refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield ref_name(value)
            else:
                yield from iter_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from iter_refs(value)


@dataclass
class Field:
    name: str  # Python attribute name
    wire: str  # name in the schema
    annotation: str
    default: str | None  # source of the default; None when required
    constraints: dict[str, Any]
    schema: dict[str, Any]
    # shorthand
    sub: str | None = None
    list_op: str | None = None
    list_item: str | None = None
    bool_op: str | None = None
    state_enum: str | None = None

    @property
    def has_shorthand(self) -> bool:
        return bool(self.list_op or self.bool_op or self.state_enum)


@dataclass
class Model:
    name: str
    fields: list[Field] = field(default_factory=list)
    extra_init: list[tuple[str, str]] = field(default_factory=list)


class Generator:
    def __init__(self, doc: dict[str, Any]) -> None:
        self.since: dict[str, dict[str, str]] = {}  # sort -> value -> first version with it
        self.schemas: dict[str, dict[str, Any]] = doc["components"]["schemas"]
        roots = sorted(n for n in self.schemas if is_root(n))
        self.closure = self._closure(roots)
        self.enums = [n for n in self.closure if self._is_enum(n) and not n.endswith("Sort")]
        self.sorts = [n for n in self.closure if self._is_enum(n) and n.endswith("Sort")]
        self.aliases = [n for n in self.closure if self._is_dict(n)]
        model_names = [n for n in self.closure if n not in self.enums + self.sorts + self.aliases]
        for name in model_names:
            kind = self.schemas[name].get("type")
            if kind != "object":
                raise SystemExit(f"gen_filters: unsupported schema {name}: type {kind!r}")
        self.model_order = self._topological(model_names)
        self.models = {n: self._model(n) for n in self.model_order}

    # ---------------------------------------------------------------- schema walking

    def _closure(self, roots: list[str]) -> list[str]:
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(iter_refs(self.schemas[name]))
        return sorted(seen)

    def _is_enum(self, name: str) -> bool:
        return "enum" in self.schemas[name]

    def _is_dict(self, name: str) -> bool:
        schema = self.schemas[name]
        return schema.get("type") == "object" and "properties" not in schema

    def _topological(self, names: list[str]) -> list[str]:
        order: list[str] = []
        done: set[str] = set()

        def visit(name: str) -> None:
            if name in done:
                return
            done.add(name)
            for dep in sorted(set(iter_refs(self.schemas[name]))):
                if dep in names:
                    visit(dep)
            order.append(name)

        for name in names:
            visit(name)
        return order

    # ---------------------------------------------------------------- types

    def py_type(self, schema: dict[str, Any]) -> str:
        if "$ref" in schema:
            return ref_name(schema["$ref"])
        if "anyOf" in schema:
            parts = [self.py_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
            if any(s.get("type") == "null" for s in schema["anyOf"]):
                parts.append("None")
            return " | ".join(parts)
        kind = schema.get("type")
        if kind == "string":
            return {"uuid": "UUID", "date-time": "datetime"}.get(schema.get("format", ""), "str")
        if kind == "integer":
            return "int"
        if kind == "number":
            return "float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            if "prefixItems" in schema:
                items = ", ".join(self.py_type(s) for s in schema["prefixItems"])
                return f"tuple[{items}]"
            return f"list[{self.py_type(schema.get('items', {}))}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            value = self.py_type(extra) if isinstance(extra, dict) else "Any"
            return f"dict[str, {value}]"
        if not schema or set(schema) <= {"title", "default"}:
            return "Any"
        raise SystemExit(f"gen_filters: unsupported property schema {schema!r}")

    def default_source(self, schema: dict[str, Any], annotation: str) -> str:
        value = schema["default"]
        target = schema.get("$ref")
        if target is None:
            refs = [s["$ref"] for s in schema.get("anyOf", []) if "$ref" in s]
            target = refs[0] if len(refs) == 1 else None
        if target is not None and value is not None:
            name = ref_name(target)
            if name in self.enums:
                return f"{name}.{self.member_name(value)}"
            if isinstance(value, dict):
                # A factory, so that importing the module does not build the sub-model.
                args = ", ".join(f"{k}={v!r}" for k, v in value.items())
                return f"lambda: {name}({args})"
        if isinstance(value, (bool, int, float, str)) or value is None:
            return repr(value)
        raise SystemExit(f"gen_filters: unsupported default {value!r} ({annotation})")

    @staticmethod
    def member_name(value: str) -> str:
        name = re.sub(r"\W", "_", value)
        if not name.isidentifier() or keyword.iskeyword(name):
            name = f"v_{name}"
        return name

    def sub_filter(self, schema: dict[str, Any]) -> str | None:
        """``{"anyOf": [{"$ref": X}, {"type": "null"}]}`` with X a model -> X."""
        parts = schema.get("anyOf")
        if not parts or len(parts) != 2 or parts[1] != {"type": "null"}:
            return None
        target = parts[0].get("$ref")
        if target is None:
            return None
        name = ref_name(target)
        return name if name in self.model_order else None

    def list_item(self, model: str, prop: str) -> str:
        return self.py_type(self.schemas[model]["properties"][prop]["anyOf"][0]["items"])

    # ---------------------------------------------------------------- models

    def _model(self, name: str) -> Model:
        schema = self.schemas[name]
        required = set(schema.get("required", []))
        model = Model(name)
        for wire, prop in schema["properties"].items():
            attr = wire
            if keyword.iskeyword(wire) or wire in BASEMODEL_ATTRS or wire.startswith("model_"):
                attr = f"{wire}_field"
            annotation = self.py_type(prop)
            constraints: dict[str, Any] = {}
            if "maxLength" in prop:
                constraints["max_length"] = prop["maxLength"]
            if attr != wire:
                constraints["alias"] = wire
            if wire in required:
                default = None
            elif "default" in prop:
                default = self.default_source(prop, annotation)
            else:
                if not annotation.endswith("| None"):
                    annotation += " | None"
                default = "None"
            f = Field(attr, wire, annotation, default, constraints, prop)
            self._plan_shorthand(f)
            model.fields.append(f)
        if name == "DeploymentFilter":
            model.extra_init = [
                ("is_schedule_active", "bool | None"),
                ("work_pool_name", "str | Sequence[str] | None"),
            ]
        return model

    def _plan_shorthand(self, f: Field) -> None:
        sub = self.sub_filter(f.schema)
        if sub is None:
            return
        f.sub = sub
        props = self.schemas[sub]["properties"]
        if "all_" in props:
            f.list_op = "all_"
        elif "any_" in props:
            f.list_op = "any_"
        if f.list_op:
            f.list_item = self.list_item(sub, f.list_op)
        if "eq_" in props:
            f.bool_op = "eq_"
        elif "exists_" in props:
            f.bool_op = "exists_"
        if f.list_op is None and "type" in props and "name" in props:
            type_sub = self.sub_filter(props["type"])
            name_sub = self.sub_filter(props["name"])
            if (
                type_sub
                and name_sub
                and "any_" in self.schemas[type_sub]["properties"]
                and "any_" in self.schemas[name_sub]["properties"]
            ):
                item = self.list_item(type_sub, "any_")
                if item in self.enums:
                    f.state_enum = item

    def init_annotation(self, f: Field) -> str:
        parts = [p for p in f.annotation.split(" | ") if p != "None"]
        if f.state_enum:
            parts += [f.state_enum, "str", f"Sequence[{f.state_enum} | str]"]
        elif f.list_item:
            item = f.list_item
            if item == "str":
                parts += ["str", "Sequence[str]"]
            elif item == "UUID":
                parts += ["UUID", "str", "Sequence[UUID | str]"]
            elif item in self.enums:
                parts += [item, "str", f"Sequence[{item} | str]"]
            else:
                raise SystemExit(f"gen_filters: no shorthand for items of type {item}")
        if f.bool_op:
            parts.append("bool")
        if len(parts) == 1 and parts[0] in self.enums:
            values = ", ".join(json.dumps(v) for v in self.schemas[parts[0]]["enum"])
            parts.append(f"Literal[{values}]")
        if "None" in f.annotation.split(" | ") or f.has_shorthand:
            parts.append("None")
        return " | ".join(parts)

    # ---------------------------------------------------------------- emit

    def render(self) -> str:
        out: list[str] = [
            f'"""Filter and sort models generated from {SPEC.name}.',
            "",
            "Do not edit: run ``python tools/gen_filters.py`` instead.",
            '"""',
            "",
            "from collections.abc import Mapping, Sequence",
            "from datetime import datetime",
            "from typing import TYPE_CHECKING, Any, ClassVar, Literal",
            "from uuid import UUID",
            "",
            "from pydantic import Field",
            "",
            "from prefect_sdk.filters._base import UNSET, FilterModel, OptionalStrList, typed_init",
            f"from prefect_sdk.filters._enums import {', '.join(self.enums)}",
            "from prefect_sdk.filters._sort import SortBase, install_members",
        ]
        for i, name in enumerate(self.aliases):
            out += [""] if i == 0 else ["", ""]  # one blank line after the imports
            out.append(f"{name} = {self.py_type(self.schemas[name])}")
            out.append(f'"""Mapping of resource label to value(s): schema ``{name}``."""')
        for name in self.model_order:
            out += self.render_model(self.models[name])
        for name in self.sorts:
            values = self.schemas[name]["enum"]
            out += ["", "", f"class {name}(SortBase):"]
            newer = self.since.get(name, {})
            if len(newer) == len(values):
                first = sorted(set(newer.values()))[0]
                since = f"(Prefect {first} and newer)"
                out += [f'    """Sort orders accepted for ``{name}`` {since}."""']
            elif newer:
                out += [f'    """Sort orders accepted for ``{name}``.', ""]
                for version in sorted(set(newer.values())):
                    these = ", ".join(f"``{v}``" for v, since in newer.items() if since == version)
                    out += [f"    {these}: Prefect {version} and newer servers only."]
                out += ['    """']
            else:
                out += [f'    """Sort orders accepted for ``{name}``."""']
            out += [""]
            out += ["    if TYPE_CHECKING:  # set by install_members() below"]
            out += [f'        {v}: ClassVar["{name}"]' for v in values]
        out += ["", ""]
        for name in self.sorts:
            values = ", ".join(json.dumps(v) for v in self.schemas[name]["enum"])
            line = f"install_members({name}, ({values}))"
            if len(line) <= 100:
                out.append(line)
            else:
                out.append("install_members(")
                out.append(f"    {name},")
                out.append("    (")
                out += [f"        {json.dumps(v)}," for v in self.schemas[name]["enum"]]
                out.append("    ),")
                out.append(")")
        return "\n".join(out) + "\n"

    def render_enums(self) -> str:
        """The server enums, in a module of their own: the schemas import them without the
        filter models (``prefect_sdk.filters`` loads those on first use)."""
        out: list[str] = [
            f'"""Server enums generated from {SPEC.name}.',
            "",
            "Do not edit: run ``python tools/gen_filters.py`` instead.",
            '"""',
            "",
            "import enum",
            "",
            f"__all__ = [{', '.join(json.dumps(name) for name in self.enums)}]",
        ]
        for name in self.enums:
            out += ["", "", f"class {name}(str, enum.Enum):"]
            out += [f'    """Values of the server enum ``{name}``."""', ""]
            for value in self.schemas[name]["enum"]:
                out.append(f"    {self.member_name(value)} = {json.dumps(value)}")
        return "\n".join(out) + "\n"

    def render_model(self, model: Model) -> list[str]:
        out = ["", "", f"class {model.name}(FilterModel):"]
        out += self.render_docstring(model)
        for f in model.fields:
            out.append(self.render_field(f))
        if model.name == "DeploymentFilter":
            out.append("    # Not a server field: filter_body() moves it to work_pools.name.any_.")
            out.append("    work_pool_name: OptionalStrList = Field(default=None, exclude=True)")
            out.append("")
            out.append("    _negated_aliases: ClassVar[Mapping[str, str]] = {")
            out.append('        "is_schedule_active": "paused",')
            out.append("    }")
        if any(f.has_shorthand for f in model.fields) or model.extra_init:
            out += self.render_init(model)
        return out

    def render_docstring(self, model: Model) -> list[str]:
        ops = ", ".join(f"``{f.wire}``" for f in model.fields)
        short = f'    """Server schema ``{model.name}``: {ops}."""'
        hints = []
        for f in model.fields:
            if f.state_enum:
                hints.append(f"``{f.name}`` -> ``type.any_`` (state types) or ``name.any_``")
            else:
                ops_ = [op for op in (f.list_op, f.bool_op) if op]
                if ops_:
                    hints.append(f"``{f.name}`` -> " + " / ".join(f"``{op}``" for op in ops_))
        if model.extra_init:
            hints.append("``is_schedule_active`` -> ``paused`` negated")
            hints.append("``work_pool_name`` -> ``work_pools.name.any_`` via filter_body()")
        if not hints and len(short) <= 100:
            return [short, ""]
        lines = [f'    """Server schema ``{model.name}``.', ""]
        lines += wrap(f"Fields: {ops}.", "    ")
        if hints:
            lines += ["", "    Plain values accepted (see docs/filters.md):", ""]
            lines += [f"    - {hint}" for hint in hints]
        lines += ['    """', ""]
        return lines

    def render_field(self, f: Field) -> str:
        args: list[str] = []
        factory = f.default is not None and f.default.startswith("lambda")
        if f.constraints or factory:
            if f.default is not None:
                args.append(f"default{'_factory' if factory else ''}={f.default}")
            args += [f"{k}={v!r}" for k, v in f.constraints.items()]
            value = f" = Field({', '.join(args)})"
        elif f.default is not None:
            value = f" = {f.default}"
        else:
            value = ""
        line = f"    {f.name}: {f.annotation}{value}"
        if len(line) > 100 and args:
            line = f"    {f.name}: {f.annotation} = Field(\n        {', '.join(args)}\n    )"
        if any(len(part) > 100 for part in line.splitlines()):
            raise SystemExit(f"gen_filters: line too long, teach the emitter: {line}")
        return line

    def render_init(self, model: Model) -> list[str]:
        out = ["", "    @typed_init", "    def __init__(", "        self,", "        *,"]
        names: list[str] = []
        for f in model.fields:
            default = "" if f.default is None else " = None" if f.default == "None" else " = UNSET"
            line = f"        {f.name}: {self.init_annotation(f)}{default},"
            if len(line) > 100:
                out.append(f"        {f.name}: (")
                out.append(f"            {self.init_annotation(f)}")
                out.append(f"        ){default},")
            else:
                out.append(line)
            names.append(f.name)
        for name, annotation in model.extra_init:
            out.append(f"        {name}: {annotation} = None,")
            names.append(name)
        out.append("    ) -> None:")
        out.append("        values: dict[str, Any] = {")
        for f in model.fields:
            key = f.constraints.get("alias", f.name)
            out.append(f'            "{key}": {f.name},')
        for name, _ in model.extra_init:
            out.append(f'            "{name}": {name},')
        out.append("        }")
        out.append("        super().__init__(**self._given(values))")
        for line in out:
            if len(line) > 100:
                raise SystemExit(f"gen_filters: line too long, teach the emitter: {line}")
        return out


def wrap(text: str, indent: str, width: int = 96) -> list[str]:
    lines: list[str] = []
    current = indent
    for word in text.split(" "):
        if current.strip() and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = indent + word
        else:
            current = current + (" " if current.strip() else "") + word
    lines.append(current)
    return lines


def generate() -> dict[Path, str]:
    """Each output file and its text."""
    doc, since = document()
    generator = Generator(doc)
    generator.since = since
    return {OUTPUT: generator.render(), ENUMS_OUTPUT: generator.render_enums()}


def document() -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """The 3.8.8 snapshot with the sort orders of the NEWER servers merged in, and for each
    sort the values only newer servers have (value -> the first version with it)."""
    doc: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    since: dict[str, dict[str, str]] = {}
    for version, path in NEWER:
        newer = json.loads(path.read_text(encoding="utf-8"))["components"]["schemas"]
        for name, schema in sorted(newer.items()):
            if not (name.endswith("Sort") and "enum" in schema):
                continue
            known = schemas.setdefault(name, {**schema, "enum": []})["enum"]
            for value in schema["enum"]:
                if value not in known:
                    known.append(value)
                    since.setdefault(name, {})[value] = version
    return doc, since


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the output is stale")
    args = parser.parse_args(argv)
    outputs = generate()
    if args.check:
        stale = False
        for path, text in outputs.items():
            rel = path.relative_to(ROOT)
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                print(f"{rel} is stale: run python tools/gen_filters.py", file=sys.stderr)
                stale = True
            else:
                print(f"{rel} is up to date")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
