"""Every filter/sort model's wire JSON validates against the LIVE server's OpenAPI schemas."""

from __future__ import annotations

from typing import Any

import pytest

try:
    from tests import _filter_samples as samples
except ImportError:  # tests/ itself is on sys.path (pytest's rootdir conftest insertion)
    import _filter_samples as samples  # type: ignore[import-not-found, no-redef]

pytestmark = pytest.mark.integration


def test_server_has_the_same_filter_schemas(server_openapi: dict[str, Any]) -> None:
    generated = {*samples.filter_models(), *samples.sort_classes()}
    assert generated == samples.filter_schema_names(server_openapi)


@pytest.mark.parametrize("name", samples.all_generated_names())
def test_wire_json_matches_live_schema(server_openapi: dict[str, Any], name: str) -> None:
    assert samples.model_wire_errors(server_openapi, name) == []
