"""The command line's parts that need no server: value parsing, tables, what it imports.

(The commands themselves are tested against the real server in tests/integration/test_cli.py;
start-up time is measured by tools/bench_cli.py, not here.)
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from prefect_sdk.cli._output import Cell, format_table, short_time
from prefect_sdk.cli._parse import parse_param, parse_value, parse_when, state_filter_values

NOW = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("text", "ago"),
    [
        ("30s", dt.timedelta(seconds=30)),
        ("15m", dt.timedelta(minutes=15)),
        ("1h", dt.timedelta(hours=1)),
        ("1.5h", dt.timedelta(minutes=90)),
        ("2d", dt.timedelta(days=2)),
        ("1w", dt.timedelta(weeks=1)),
        (" 2D ", dt.timedelta(days=2)),
    ],
)
def test_a_time_ago(text: str, ago: dt.timedelta) -> None:
    assert parse_when(text, now=NOW) == NOW - ago


def test_iso_times() -> None:
    assert parse_when("2024-05-01T10:00:00Z") == dt.datetime(2024, 5, 1, 10, tzinfo=dt.timezone.utc)
    assert parse_when("2024-05-01T10:00:00+02:00") == dt.datetime(
        2024, 5, 1, 8, tzinfo=dt.timezone.utc
    )
    # Without an offset: the local time, made timezone-aware.
    local = parse_when("2024-05-01")
    assert local.tzinfo is not None
    assert local.replace(tzinfo=None) == dt.datetime(2024, 5, 1)


@pytest.mark.parametrize("text", ["yesterday", "1y", "h", "", "2024-13-01", "-1h"])
def test_not_a_time(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_when(text, now=NOW)


def test_values_are_json_when_they_parse_else_text() -> None:
    assert parse_value("3") == 3
    assert parse_value("2.5") == 2.5
    assert parse_value("true") is True
    assert parse_value("null") is None
    assert parse_value('["a", 1]') == ["a", 1]
    assert parse_value('{"a": {"b": 1}}') == {"a": {"b": 1}}
    assert parse_value('"007"') == "007"
    assert parse_value("2024-05-01") == "2024-05-01"
    assert parse_value("hello world") == "hello world"
    assert parse_value("") == ""


def test_params() -> None:
    assert parse_param("n=3") == ("n", 3)
    assert parse_param("query=a=b") == ("query", "a=b")
    assert parse_param(" day =2024-05-01") == ("day", "2024-05-01")
    assert parse_param("empty=") == ("empty", "")
    for bad in ("novalue", "=3"):
        with pytest.raises(ValueError, match="KEY=VALUE"):
            parse_param(bad)


def test_state_values() -> None:
    assert state_filter_values(("failed", "Completed")) == ["FAILED", "COMPLETED"]
    assert state_filter_values(("late", "awaitingretry", "Custom")) == [
        "Late",
        "AwaitingRetry",
        "Custom",
    ]


def test_tables_align_and_clip() -> None:
    lines = format_table(
        ["ID", "STATE", "TAGS"],
        [["1", Cell("Completed", fg="green"), "a, b"], ["22", "Failed", "x" * 60]],
        colour=False,
    )
    assert lines[0] == "ID  STATE      TAGS"
    assert lines[1] == "1   Completed  a, b"
    assert lines[2].startswith("22  Failed     " + "x" * 47 + "…")
    assert all(line == line.rstrip() for line in lines)
    assert not any("\x1b" in line for line in lines)


def test_tables_colour_after_padding() -> None:
    plain = format_table(["A", "B"], [[Cell("ok", fg="green"), "x"]], colour=False)
    coloured = format_table(["A", "B"], [[Cell("ok", fg="green"), "x"]], colour=True)
    assert "\x1b[32m" in coloured[1]
    # The same text once the colour codes are taken out: padding counts the text only.
    assert [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in coloured] == plain


def test_durations() -> None:
    assert [short_time(s) for s in (0.42, 12, 185, 7260)] == ["0.4s", "12s", "3m 05s", "2h 01m"]


def modules_after(code: str, tmp_path: Path) -> set[str]:
    from tests._support import fresh_python

    listing = "\nimport json, sys; print(json.dumps(sorted(sys.modules)))"
    return set(json.loads(fresh_python(code + listing, tmp_path).splitlines()[-1]))


def test_the_commands_load_without_the_client(tmp_path: Path) -> None:
    # Building every command (what --help needs) loads click, not the client, its models,
    # httpx or the event loop: those load inside the command that runs.
    modules = modules_after("import prefect_sdk.cli._app", tmp_path)
    assert "click" in modules
    for heavy in ("httpx", "pydantic", "anyio", "prefect_sdk.client", "prefect_sdk.schemas"):
        assert not {m for m in modules if m == heavy or m.startswith(heavy + ".")}, heavy


def test_importing_the_entry_point_loads_no_click(tmp_path: Path) -> None:
    modules = modules_after("from prefect_sdk.cli import main", tmp_path)
    assert "click" not in modules
