"""Every declared operation was sent to the real server by both clients during this session.

It runs last (pytest runs modules in collection order) and only when the whole integration
suite ran: a ``-k`` selection or a single module would report gaps that are not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._support import OPERATIONS_SENT

RESOURCES = Path(__file__).resolve().parent / "resources"


def test_every_operation_was_sent_by_both_clients(request: pytest.FixtureRequest) -> None:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.client._operation import collect

    config = request.config
    ran = {Path(str(item.fspath)).name for item in request.session.items}
    if (
        config.option.keyword
        or config.option.markexpr
        or not {p.name for p in RESOURCES.glob("test_*.py")} <= ran
    ):
        pytest.skip("only meaningful when the whole integration suite runs")
    missing = sorted(
        f"{name} ({kind})"
        for name in collect(PrefectClient)
        for kind in ("async", "sync")
        if (name, kind) not in OPERATIONS_SENT
    )
    assert missing == [], "operations no integration test sent to the server"
