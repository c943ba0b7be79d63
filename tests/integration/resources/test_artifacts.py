"""Operations on artifacts against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import ObjectNotFound
from prefect_sdk.filters import ArtifactCollectionFilter, ArtifactFilter, FlowRunFilter
from prefect_sdk.schemas import Artifact, ArtifactCollection, ArtifactCreate, ArtifactUpdate

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


async def test_artifact_versions_and_the_latest_of_a_key(client: Any, unique: Unique) -> None:
    key = unique("report")  # keys: lowercase letters, digits and dashes
    run = await client.create_flow_run(unique("artifact-flow"))
    first = await client.create_artifact(
        ArtifactCreate(
            key=key,
            type="markdown",
            data="# v1",
            description="first",
            metadata_={"team": "data"},
            flow_run_id=run.id,
        )
    )
    assert isinstance(first, Artifact)
    assert (first.key, first.type, first.data, first.flow_run_id) == (
        key,
        "markdown",
        "# v1",
        run.id,
    )
    second = await client.create_artifact({"key": key, "type": "table", "data": [{"a": 1}]})
    read = await client.read_artifact(first.id)
    assert (read.description, read.metadata_) == ("first", {"team": "data"})

    # The newest version of the key. The server answers with the key's collection entry:
    # the newest version's data, but the collection's own id.
    latest = await client.read_latest_artifact(key)
    assert (latest.type, latest.data) == ("table", [{"a": 1}])
    (collection,) = await client.read_latest_artifacts(
        artifact_filter=ArtifactCollectionFilter(key=key)
    )
    assert isinstance(collection, ArtifactCollection)
    assert collection.latest_id == second.id and collection.id == latest.id != second.id
    assert (
        await client.count_latest_artifacts(artifact_filter=ArtifactCollectionFilter(key=key)) == 1
    )
    walked = [
        c.latest_id
        async for c in client.iter_latest_artifacts(
            artifact_filter=ArtifactCollectionFilter(key=key), page_size=1
        )
    ]
    assert walked == [second.id]

    # Every version.
    of_key = ArtifactFilter(key=key)
    found = await client.read_artifacts(artifact_filter=of_key, sort="CREATED_DESC")
    assert [a.id for a in found] == [second.id, first.id]
    assert len(await client.read_artifacts(limit=1, artifact_filter=of_key)) == 1
    assert await client.count_artifacts(artifact_filter=of_key) == 2
    of_run = FlowRunFilter(id=[run.id])
    assert [a.id for a in await client.read_artifacts(flow_run_filter=of_run)] == [first.id]
    assert await client.count_artifacts(flow_run_filter=of_run) == 1
    walked = [a.id async for a in client.iter_artifacts(artifact_filter=of_key, page_size=1)]
    assert sorted(walked) == sorted([first.id, second.id])

    await client.update_artifact(second.id, ArtifactUpdate(description="now", data={"x": 1}))
    changed = await client.read_artifact(second)
    assert (changed.description, changed.data, changed.type) == ("now", {"x": 1}, "table")

    # Deleting the newest version makes the previous one the latest.
    await client.delete_artifact(second.id)
    with pytest.raises(ObjectNotFound):
        await client.read_artifact(second.id)
    with pytest.raises(ObjectNotFound):
        await client.delete_artifact(second.id)
    with pytest.raises(ObjectNotFound):
        await client.update_artifact(second.id, {"description": "gone"})
    assert (await client.read_latest_artifact(key)).data == "# v1"
    assert await client.count_artifacts(artifact_filter=of_key) == 1
    await client.delete_artifact(first)
    assert await client.count_artifacts(artifact_filter=of_key) == 0
    with pytest.raises(ObjectNotFound):
        await client.read_latest_artifact(key)
    await client.delete_flow_run(run.id)


async def test_artifacts_without_a_key(client: Any, unique: Unique) -> None:
    run = await client.create_flow_run(unique("progress-flow"))
    progress = await client.create_artifact(
        ArtifactCreate(type="progress", data=12.5, flow_run_id=run.id)
    )
    assert progress.key is None and progress.data == 12.5
    of_run = FlowRunFilter(id=[run.id])
    assert [a.id for a in await client.read_artifacts(flow_run_filter=of_run)] == [progress.id]
    # Keyless artifacts have no "latest" entry.
    assert await client.count_latest_artifacts(flow_run_filter=of_run) == 0
    await client.update_artifact(progress.id, ArtifactUpdate(data=100.0))
    assert (await client.read_artifact(progress.id)).data == 100.0
    await client.delete_artifact(progress.id)
    assert await client.count_artifacts(flow_run_filter=of_run) == 0
    await client.delete_flow_run(run.id)
