"""The docs describe the API that exists: every public operation has its section."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from prefect_sdk.client import PrefectClient

ROOT = Path(__file__).resolve().parents[2]


def test_every_operation_is_documented_with_its_signature() -> None:
    text = "\n".join(p.read_text() for p in sorted((ROOT / "docs/operations").glob("*.md")))
    sections = set(re.findall(r"^### (\w+)$", text, flags=re.M))
    lifecycle = {"aclose"}
    operations = {
        name
        for name, _ in inspect.getmembers(PrefectClient, inspect.isfunction)
        if not name.startswith("_") and name not in lifecycle
    }
    assert operations - sections == set(), "undocumented operations"
    assert sections - operations == set(), "documented operations that do not exist"
    for name in operations:
        params = inspect.signature(getattr(PrefectClient, name)).parameters
        section = text.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0].split("\n# ", 1)[0]
        for param in params:
            if param != "self":
                assert param in section, f"{name}: parameter {param!r} is not documented"


def test_generated_operation_pages_are_fresh() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, str(ROOT / "tools/gen_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
