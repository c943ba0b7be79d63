"""The import table of docs/migration.md promises only names that import.

Each row maps a prefect-client module (with some of its names) to a prefect-sdk module. When
the prefect-sdk cell lists names, those must import from its modules; when it lists none, the
prefect-client names of the row must import unchanged from the prefect-sdk module.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs/migration.md"

# `module` optionally followed by (`name`, `name` ...): names that are not identifiers
# (`Variable.get`, `PREFECT_API_URL.value()`) describe usage and are not imported.
MODULE = re.compile(r"`(?P<module>prefect(?:_sdk)?(?:\.\w+)+)`(?:\s*\((?P<names>[^)]*)\))?")
IDENTIFIER = re.compile(r"`([A-Za-z_]\w*)`")


def cell_modules(cell: str) -> list[tuple[str, list[str]]]:
    return [(m["module"], IDENTIFIER.findall(m["names"] or "")) for m in MODULE.finditer(cell)]


def import_rows() -> list[tuple[str, str]]:
    text = GUIDE.read_text()
    table = text.split("## Imports\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`prefect."):
            rows.append((cells[0], cells[1]))
    return rows


ROWS = import_rows()


def test_the_table_covers_the_modules_people_import() -> None:
    theirs = {module for left, _ in ROWS for module, _ in cell_modules(left)}
    assert theirs >= {
        "prefect.client.orchestration",
        "prefect.client.schemas.objects",
        "prefect.client.schemas.actions",
        "prefect.client.schemas.responses",
        "prefect.client.schemas.filters",
        "prefect.client.schemas.sorting",
        "prefect.states",
        "prefect.exceptions",
        "prefect.settings",
        "prefect.client.cloud",
    }


@pytest.mark.parametrize(("left", "right"), ROWS, ids=[r[0].split("`")[1] for r in ROWS])
def test_row_imports(left: str, right: str) -> None:
    ours = cell_modules(right)
    assert ours, f"no prefect_sdk module in {right!r}"
    missing = []
    for module_name, names in ours:
        assert module_name.startswith("prefect_sdk."), module_name
        module = importlib.import_module(module_name)
        if not names and len(ours) == 1:
            names = [n for _, theirs in cell_modules(left) for n in theirs]
        missing += [f"{module_name}.{n}" for n in names if not hasattr(module, n)]
    assert missing == []
