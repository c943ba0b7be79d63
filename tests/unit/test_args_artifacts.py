"""Artifact operations: bad arguments fail before any I/O; what is sent."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ValidationError
from prefect_sdk.filters import (
    ArtifactCollectionFilter,
    ArtifactFilter,
    FlowFilter,
    FlowRunFilter,
)
from prefect_sdk.schemas import ArtifactCreate, ArtifactUpdate
from tests._support import MOCK_API, call_with, flavour_fixtures, respond

pytestmark = pytest.mark.anyio

flavour, anyio_backend, kind = flavour_fixtures()

NEVER = httpx.Response(500, json={"detail": "no request should have been sent"})
ARTIFACT_ID = uuid.uuid4()
RUN_ID = uuid.uuid4()


def artifact(key: str | None = "k", **fields: Any) -> dict[str, Any]:
    return {"id": str(ARTIFACT_ID), "key": key, "type": "markdown", "data": "# x", **fields}


def collection(key: str = "k") -> dict[str, Any]:
    return {**artifact(key), "id": str(uuid.uuid4()), "latest_id": str(ARTIFACT_ID)}


async def walk(kind: str, handler: Any, op: str, *args: Any, **kwargs: Any) -> list[Any]:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.sync import SyncPrefectClient

    settings = {"transport": httpx.MockTransport(handler)}
    if kind == "sync":
        with SyncPrefectClient(api=MOCK_API, httpx_settings=settings) as sync_client:
            return list(getattr(sync_client, op)(*args, **kwargs))
    async with PrefectClient(api=MOCK_API, httpx_settings=settings) as client:
        return [item async for item in getattr(client, op)(*args, **kwargs)]


LATEST = ArtifactCollectionFilter(key="k")
EVERY = ArtifactFilter(key="k")

BAD_CALLS = [
    ("create_artifact", ({"key": "Daily_Report"},), {}, "lowercase letters"),
    ("create_artifact", ({"key": "a b"},), {}, "lowercase letters"),
    ("create_artifact", ({"key": "k", "data": object()},), {}, "JSON value"),
    ("create_artifact", ({"key": "k", "metadata_": {"a": 1}},), {}, "metadata_"),
    ("create_artifact", ({"flow_run_id": "not-a-uuid"},), {}, "flow_run_id"),
    ("create_artifact", ({"kye": "k"},), {}, "kye"),
    ("create_artifact", ("k",), {}, "ArtifactCreate"),
    ("read_artifact", ("nope",), {}, "artifact_id"),
    ("read_latest_artifact", ("",), {}, "key"),
    ("read_latest_artifact", ("..",), {}, "key"),
    ("read_artifacts", (), {"limit": -1}, "limit"),
    ("read_artifacts", (), {"sort": "NAME_ASC"}, "ArtifactSort"),
    ("read_artifacts", (), {"artifact_filter": LATEST}, "must be an ArtifactFilter"),
    ("read_artifacts", (), {"flow_run_filter": FlowFilter()}, "FlowRunFilter"),
    ("count_artifacts", (), {"artifact_filter": LATEST}, "must be an ArtifactFilter"),
    ("iter_artifacts", (), {"page_size": 0}, "page_size"),
    ("iter_artifacts", (), {"artifact_filter": LATEST}, "must be an ArtifactFilter"),
    ("read_latest_artifacts", (), {"artifact_filter": EVERY}, "ArtifactCollectionFilter"),
    ("read_latest_artifacts", (), {"offset": -2}, "offset"),
    ("read_latest_artifacts", (), {"sort": "LATEST"}, "ArtifactCollectionSort"),
    ("count_latest_artifacts", (), {"artifact_filter": EVERY}, "ArtifactCollectionFilter"),
    ("iter_latest_artifacts", (), {"artifact_filter": EVERY}, "ArtifactCollectionFilter"),
    ("iter_latest_artifacts", (), {"page_size": 500}, "page_size"),
    ("update_artifact", ("x", ArtifactUpdate(description="d")), {}, "artifact_id"),
    ("update_artifact", (ARTIFACT_ID, {"key": "k"}), {}, "key"),
    ("update_artifact", (ARTIFACT_ID, ArtifactCreate()), {}, "ArtifactUpdate"),
    ("delete_artifact", ("",), {}, "artifact_id"),
]


@pytest.mark.parametrize(("op", "args", "kwargs", "match"), BAD_CALLS)
async def test_bad_arguments_fail_before_any_request(
    kind: str, op: str, args: tuple[Any, ...], kwargs: dict[str, Any], match: str
) -> None:
    handler, seen = respond(NEVER)
    run = walk if op.startswith("iter_") else call_with
    with pytest.raises(ValidationError, match=match):
        await run(kind, handler, op, *args, **kwargs)
    assert seen == []


async def test_create_and_update_send_only_what_was_given(kind: str) -> None:
    handler, seen = respond(httpx.Response(201, json=artifact(flow_run_id=str(RUN_ID))))
    made = await call_with(
        kind,
        handler,
        "create_artifact",
        ArtifactCreate(key="k", type="markdown", data="# x", flow_run_id=RUN_ID),
    )
    assert made.flow_run_id == RUN_ID
    assert json.loads(seen[0].content) == {
        "key": "k",
        "type": "markdown",
        "data": "# x",
        "flow_run_id": str(RUN_ID),
    }
    handler, seen = respond(httpx.Response(204))
    await call_with(kind, handler, "update_artifact", ARTIFACT_ID, ArtifactUpdate(data=None))
    assert (seen[0].method, seen[0].url.path) == ("PATCH", f"/api/artifacts/{ARTIFACT_ID}")
    assert json.loads(seen[0].content) == {"data": None}


async def test_filtered_reads_send_the_servers_body_keys(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=[artifact()]))
    await call_with(
        kind,
        handler,
        "read_artifacts",
        artifact_filter=ArtifactFilter(type="table"),
        flow_run_filter=FlowRunFilter(id=[RUN_ID]),
        sort="KEY_ASC",
        limit=3,
        offset=1,
    )
    assert json.loads(seen[0].content) == {
        "artifacts": {"type": {"any_": ["table"]}, "operator": "and_"},
        "flow_runs": {"id": {"any_": [str(RUN_ID)]}, "operator": "and_"},
        "sort": "KEY_ASC",
        "offset": 1,
        "limit": 3,
    }
    handler, seen = respond(httpx.Response(200, json=[collection()]))
    (latest,) = await call_with(
        kind, handler, "read_latest_artifacts", artifact_filter=ArtifactCollectionFilter(key="k")
    )
    assert latest.latest_id == ARTIFACT_ID
    assert seen[0].url.path == "/api/artifacts/latest/filter"
    assert json.loads(seen[0].content)["artifacts"] == {
        "key": {"any_": ["k"]},
        "operator": "and_",
    }


async def test_counts_and_iteration(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=4))
    assert await call_with(kind, handler, "count_artifacts") == 4
    assert await call_with(kind, handler, "count_latest_artifacts", artifact_filter=LATEST) == 4
    assert [r.url.path for r in seen] == ["/api/artifacts/count", "/api/artifacts/latest/count"]
    assert json.loads(seen[0].content) == {}

    handler, seen = respond(
        httpx.Response(200, json=[artifact(), artifact()]), httpx.Response(200, json=[])
    )
    assert len(await walk(kind, handler, "iter_artifacts", page_size=2)) == 2
    assert [json.loads(r.content)["offset"] for r in seen] == [0, 2]
    assert json.loads(seen[0].content)["sort"] == "ID_DESC"

    handler, seen = respond(httpx.Response(200, json=[collection()]))
    assert len(await walk(kind, handler, "iter_latest_artifacts", "KEY_ASC")) == 1
    assert json.loads(seen[0].content)["sort"] == "KEY_ASC"


async def test_read_latest_artifact_quotes_the_key(kind: str) -> None:
    handler, seen = respond(httpx.Response(200, json=artifact("my-key")))
    assert (await call_with(kind, handler, "read_latest_artifact", "my-key")).key == "my-key"
    assert seen[0].url.path == "/api/artifacts/my-key/latest"
