"""Artifacts: ``/artifacts/...``.

An artifact with a ``key`` is one version of that key; the "latest" routes see, per key, the
newest version only (an ``ArtifactCollection``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any
from uuid import UUID

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import (
    SERVER_PAGE_LIMIT,
    HasId,
    dump,
    filtered_body,
)
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import (
        ArtifactCollectionFilter,
        ArtifactCollectionSort,
        ArtifactFilter,
        ArtifactSort,
        DeploymentFilter,
        FlowFilter,
        FlowRunFilter,
        TaskRunFilter,
    )
    from prefect_sdk.schemas import Artifact, ArtifactCollection, ArtifactCreate, ArtifactUpdate


class ArtifactAsyncClient(AsyncAPIClient):
    """Operations on artifacts."""

    @operation(
        "POST /artifacts/",
        why="the server has nothing to deduplicate artifacts on: a repeat after a lost answer "
        "would store a second artifact",
    )
    async def create_artifact(self, artifact: ArtifactCreate | dict[str, Any]) -> Artifact:
        """Create an artifact (an ``ArtifactCreate``, or a dict of its fields) and return it.

        With a ``key`` it becomes the newest version of that key.
        """
        from prefect_sdk.schemas import Artifact, ArtifactCreate

        body = dump(artifact, "artifact", ArtifactCreate)
        return await self._call("create_artifact", Artifact, json=body)

    @operation("GET /artifacts/{artifact_id:id}")
    async def read_artifact(self, artifact_id: UUID | str | HasId) -> Artifact:
        """Read one artifact by id. Raises ``ObjectNotFound`` if there is none."""
        from prefect_sdk.schemas import Artifact

        return await self._call("read_artifact", Artifact, artifact_id=artifact_id)

    @operation("GET /artifacts/{key}/latest")
    async def read_latest_artifact(self, key: str) -> Artifact:
        """Read the newest artifact of ``key``. Raises ``ObjectNotFound`` if there is none.

        The server answers with the key's collection entry: ``data``, ``type`` and the rest
        are the newest version's, but ``id`` is the collection's own, not the artifact's (use
        ``read_latest_artifacts`` for ``latest_id``).
        """
        from prefect_sdk.schemas import Artifact

        return await self._call("read_latest_artifact", Artifact, key=key)

    @operation("POST /artifacts/filter")
    async def read_artifacts(
        self,
        limit: int | None = None,
        offset: int | None = None,
        sort: ArtifactSort | str | None = None,
        *,
        artifact_filter: ArtifactFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        flow_filter: FlowFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> list[Artifact]:
        """Read artifacts (every version) matching the filters, sorted by ``sort`` (default:
        id descending). ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.filters import ArtifactSort
        from prefect_sdk.schemas import Artifact

        _check_filter(artifact_filter, "ArtifactFilter")
        body = filtered_body(
            sort,
            ArtifactSort,
            artifacts=artifact_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            flows=flow_filter,
            deployments=deployment_filter,
        )
        return await self._call_pages("read_artifacts", list[Artifact], body, limit, offset)

    @operation("POST /artifacts/count")
    async def count_artifacts(
        self,
        *,
        artifact_filter: ArtifactFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        flow_filter: FlowFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> int:
        """Count the artifacts (every version) matching the filters."""
        _check_filter(artifact_filter, "ArtifactFilter")
        body = filtered_body(
            None,
            None,
            artifacts=artifact_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            flows=flow_filter,
            deployments=deployment_filter,
        )
        return await self._call("count_artifacts", int, json=body)

    @operation("POST /artifacts/filter")
    def iter_artifacts(
        self,
        sort: ArtifactSort | str | None = None,
        *,
        artifact_filter: ArtifactFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        flow_filter: FlowFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[Artifact]:
        """Iterate over every matching artifact, ``page_size`` per request (default: by id).

        Memory stays flat however many artifacts match.
        """
        from prefect_sdk.filters import ArtifactSort
        from prefect_sdk.schemas import Artifact

        _check_filter(artifact_filter, "ArtifactFilter")
        body = filtered_body(
            sort or ArtifactSort.ID_DESC,
            ArtifactSort,
            artifacts=artifact_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            flows=flow_filter,
            deployments=deployment_filter,
        )
        return self._call_iter("iter_artifacts", list[Artifact], body, page_size)

    @operation("POST /artifacts/latest/filter")
    async def read_latest_artifacts(
        self,
        limit: int | None = None,
        offset: int | None = None,
        sort: ArtifactCollectionSort | str | None = None,
        *,
        artifact_filter: ArtifactCollectionFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        flow_filter: FlowFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> list[ArtifactCollection]:
        """Read the newest artifact of each key matching the filters (``latest_id`` is its
        id), sorted by ``sort`` (default: id descending).
        """
        from prefect_sdk.filters import ArtifactCollectionSort
        from prefect_sdk.schemas import ArtifactCollection

        _check_filter(artifact_filter, "ArtifactCollectionFilter")
        body = filtered_body(
            sort,
            ArtifactCollectionSort,
            artifacts=artifact_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            flows=flow_filter,
            deployments=deployment_filter,
        )
        return await self._call_pages(
            "read_latest_artifacts", list[ArtifactCollection], body, limit, offset
        )

    @operation("POST /artifacts/latest/count")
    async def count_latest_artifacts(
        self,
        *,
        artifact_filter: ArtifactCollectionFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        flow_filter: FlowFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
    ) -> int:
        """Count the keys (newest artifacts) matching the filters."""
        _check_filter(artifact_filter, "ArtifactCollectionFilter")
        body = filtered_body(
            None,
            None,
            artifacts=artifact_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            flows=flow_filter,
            deployments=deployment_filter,
        )
        return await self._call("count_latest_artifacts", int, json=body)

    @operation("POST /artifacts/latest/filter")
    def iter_latest_artifacts(
        self,
        sort: ArtifactCollectionSort | str | None = None,
        *,
        artifact_filter: ArtifactCollectionFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        flow_filter: FlowFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[ArtifactCollection]:
        """Iterate over the newest artifact of every matching key, ``page_size`` per request.

        Memory stays flat however many keys match.
        """
        from prefect_sdk.filters import ArtifactCollectionSort
        from prefect_sdk.schemas import ArtifactCollection

        _check_filter(artifact_filter, "ArtifactCollectionFilter")
        body = filtered_body(
            sort or ArtifactCollectionSort.ID_DESC,
            ArtifactCollectionSort,
            artifacts=artifact_filter,
            flow_runs=flow_run_filter,
            task_runs=task_run_filter,
            flows=flow_filter,
            deployments=deployment_filter,
        )
        return self._call_iter("iter_latest_artifacts", list[ArtifactCollection], body, page_size)

    @operation("PATCH /artifacts/{artifact_id:id}")
    async def update_artifact(
        self, artifact_id: UUID | str | HasId, artifact: ArtifactUpdate | dict[str, Any]
    ) -> None:
        """Change the fields of an artifact that ``artifact`` (an ``ArtifactUpdate``) sets.
        Raises ``ObjectNotFound`` if there is none.
        """
        from prefect_sdk.schemas import ArtifactUpdate

        body = dump(artifact, "artifact", ArtifactUpdate)
        await self._call("update_artifact", json=body, artifact_id=artifact_id)

    @operation("DELETE /artifacts/{artifact_id:id}")
    async def delete_artifact(self, artifact_id: UUID | str | HasId) -> None:
        """Delete an artifact. Raises ``ObjectNotFound`` if there is none."""
        await self._call("delete_artifact", artifact_id=artifact_id)


def _check_filter(artifact_filter: Any, expected: str) -> None:
    """Each artifact route takes its own filter type: refuse the other one before any I/O."""
    import prefect_sdk.filters

    if artifact_filter is not None and not isinstance(
        artifact_filter, getattr(prefect_sdk.filters, expected)
    ):
        where = "the newest artifact of each key" if "Collection" in expected else "artifacts"
        raise ValidationError(
            f"artifact_filter must be an {expected} on the routes reading {where}, "
            f"got {type(artifact_filter).__name__}"
        )


__all__ = ["ArtifactAsyncClient"]
