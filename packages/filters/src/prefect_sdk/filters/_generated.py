"""Filter and sort models generated from openapi-prefect-3.8.8.json.

Do not edit: run ``python tools/gen_filters.py`` instead.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from prefect_sdk.filters._base import UNSET, FilterModel, OptionalStrList, typed_init
from prefect_sdk.filters._enums import EventOrder, Operator, StateType, WorkerStatus
from prefect_sdk.filters._sort import SortBase, install_members

ResourceSpecification = dict[str, str | list[str]]
"""Mapping of resource label to value(s): schema ``ResourceSpecification``."""


class ArtifactCollectionFilterFlowRunId(FilterModel):
    """Server schema ``ArtifactCollectionFilterFlowRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactCollectionFilterKey(FilterModel):
    """Server schema ``ArtifactCollectionFilterKey``: ``any_``, ``exists_``, ``like_``."""

    any_: list[str] | None = None
    exists_: bool | None = None
    like_: str | None = None


class ArtifactCollectionFilterLatestId(FilterModel):
    """Server schema ``ArtifactCollectionFilterLatestId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactCollectionFilterTaskRunId(FilterModel):
    """Server schema ``ArtifactCollectionFilterTaskRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactCollectionFilterType(FilterModel):
    """Server schema ``ArtifactCollectionFilterType``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class ArtifactCollectionFilter(FilterModel):
    """Server schema ``ArtifactCollectionFilter``.

    Fields: ``flow_run_id``, ``key``, ``latest_id``, ``operator``, ``task_run_id``, ``type``.

    Plain values accepted (see docs/filters.md):

    - ``flow_run_id`` -> ``any_``
    - ``key`` -> ``any_`` / ``exists_``
    - ``latest_id`` -> ``any_``
    - ``task_run_id`` -> ``any_``
    - ``type`` -> ``any_``
    """

    flow_run_id: ArtifactCollectionFilterFlowRunId | None = None
    key: ArtifactCollectionFilterKey | None = None
    latest_id: ArtifactCollectionFilterLatestId | None = None
    operator: Operator = Operator.and_
    task_run_id: ArtifactCollectionFilterTaskRunId | None = None
    type: ArtifactCollectionFilterType | None = None

    @typed_init
    def __init__(
        self,
        *,
        flow_run_id: (
            ArtifactCollectionFilterFlowRunId | UUID | str | Sequence[UUID | str] | None
        ) = None,
        key: ArtifactCollectionFilterKey | str | Sequence[str] | bool | None = None,
        latest_id: (
            ArtifactCollectionFilterLatestId | UUID | str | Sequence[UUID | str] | None
        ) = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        task_run_id: (
            ArtifactCollectionFilterTaskRunId | UUID | str | Sequence[UUID | str] | None
        ) = None,
        type: ArtifactCollectionFilterType | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "flow_run_id": flow_run_id,
            "key": key,
            "latest_id": latest_id,
            "operator": operator,
            "task_run_id": task_run_id,
            "type": type,
        }
        super().__init__(**self._given(values))


class ArtifactFilterFlowRunId(FilterModel):
    """Server schema ``ArtifactFilterFlowRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactFilterId(FilterModel):
    """Server schema ``ArtifactFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactFilterKey(FilterModel):
    """Server schema ``ArtifactFilterKey``: ``any_``, ``exists_``, ``like_``."""

    any_: list[str] | None = None
    exists_: bool | None = None
    like_: str | None = None


class ArtifactFilterTaskRunId(FilterModel):
    """Server schema ``ArtifactFilterTaskRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactFilterType(FilterModel):
    """Server schema ``ArtifactFilterType``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class ArtifactFilter(FilterModel):
    """Server schema ``ArtifactFilter``.

    Fields: ``flow_run_id``, ``id``, ``key``, ``operator``, ``task_run_id``, ``type``.

    Plain values accepted (see docs/filters.md):

    - ``flow_run_id`` -> ``any_``
    - ``id`` -> ``any_``
    - ``key`` -> ``any_`` / ``exists_``
    - ``task_run_id`` -> ``any_``
    - ``type`` -> ``any_``
    """

    flow_run_id: ArtifactFilterFlowRunId | None = None
    id: ArtifactFilterId | None = None
    key: ArtifactFilterKey | None = None
    operator: Operator = Operator.and_
    task_run_id: ArtifactFilterTaskRunId | None = None
    type: ArtifactFilterType | None = None

    @typed_init
    def __init__(
        self,
        *,
        flow_run_id: ArtifactFilterFlowRunId | UUID | str | Sequence[UUID | str] | None = None,
        id: ArtifactFilterId | UUID | str | Sequence[UUID | str] | None = None,
        key: ArtifactFilterKey | str | Sequence[str] | bool | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        task_run_id: ArtifactFilterTaskRunId | UUID | str | Sequence[UUID | str] | None = None,
        type: ArtifactFilterType | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "flow_run_id": flow_run_id,
            "id": id,
            "key": key,
            "operator": operator,
            "task_run_id": task_run_id,
            "type": type,
        }
        super().__init__(**self._given(values))


class AutomationFilterCreated(FilterModel):
    """Server schema ``AutomationFilterCreated``: ``before_``."""

    before_: datetime | None = None


class AutomationFilterId(FilterModel):
    """Server schema ``AutomationFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class AutomationFilterName(FilterModel):
    """Server schema ``AutomationFilterName``: ``any_``."""

    any_: list[str] | None = None


class AutomationFilterTags(FilterModel):
    """Server schema ``AutomationFilterTags``: ``all_``, ``any_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class AutomationFilter(FilterModel):
    """Server schema ``AutomationFilter``.

    Fields: ``created``, ``id``, ``name``, ``operator``, ``tags``.

    Plain values accepted (see docs/filters.md):

    - ``id`` -> ``any_``
    - ``name`` -> ``any_``
    - ``tags`` -> ``all_``
    """

    created: AutomationFilterCreated | None = None
    id: AutomationFilterId | None = None
    name: AutomationFilterName | None = None
    operator: Operator = Operator.and_
    tags: AutomationFilterTags | None = None

    @typed_init
    def __init__(
        self,
        *,
        created: AutomationFilterCreated | None = None,
        id: AutomationFilterId | UUID | str | Sequence[UUID | str] | None = None,
        name: AutomationFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        tags: AutomationFilterTags | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "created": created,
            "id": id,
            "name": name,
            "operator": operator,
            "tags": tags,
        }
        super().__init__(**self._given(values))


class BlockDocumentFilterBlockTypeId(FilterModel):
    """Server schema ``BlockDocumentFilterBlockTypeId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockDocumentFilterId(FilterModel):
    """Server schema ``BlockDocumentFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockDocumentFilterIsAnonymous(FilterModel):
    """Server schema ``BlockDocumentFilterIsAnonymous``: ``eq_``."""

    eq_: bool | None = None


class BlockDocumentFilterName(FilterModel):
    """Server schema ``BlockDocumentFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class BlockDocumentFilter(FilterModel):
    """Server schema ``BlockDocumentFilter``.

    Fields: ``block_type_id``, ``id``, ``is_anonymous``, ``name``, ``operator``.

    Plain values accepted (see docs/filters.md):

    - ``block_type_id`` -> ``any_``
    - ``id`` -> ``any_``
    - ``is_anonymous`` -> ``eq_``
    - ``name`` -> ``any_``
    """

    block_type_id: BlockDocumentFilterBlockTypeId | None = None
    id: BlockDocumentFilterId | None = None
    is_anonymous: BlockDocumentFilterIsAnonymous | None = Field(
        default_factory=lambda: BlockDocumentFilterIsAnonymous(eq_=False)
    )
    name: BlockDocumentFilterName | None = None
    operator: Operator = Operator.and_

    @typed_init
    def __init__(
        self,
        *,
        block_type_id: (
            BlockDocumentFilterBlockTypeId | UUID | str | Sequence[UUID | str] | None
        ) = None,
        id: BlockDocumentFilterId | UUID | str | Sequence[UUID | str] | None = None,
        is_anonymous: BlockDocumentFilterIsAnonymous | bool | None = UNSET,
        name: BlockDocumentFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
    ) -> None:
        values: dict[str, Any] = {
            "block_type_id": block_type_id,
            "id": id,
            "is_anonymous": is_anonymous,
            "name": name,
            "operator": operator,
        }
        super().__init__(**self._given(values))


class BlockSchemaFilterBlockTypeId(FilterModel):
    """Server schema ``BlockSchemaFilterBlockTypeId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockSchemaFilterCapabilities(FilterModel):
    """Server schema ``BlockSchemaFilterCapabilities``: ``all_``."""

    all_: list[str] | None = None


class BlockSchemaFilterId(FilterModel):
    """Server schema ``BlockSchemaFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockSchemaFilterVersion(FilterModel):
    """Server schema ``BlockSchemaFilterVersion``: ``any_``."""

    any_: list[str] | None = None


class BlockSchemaFilter(FilterModel):
    """Server schema ``BlockSchemaFilter``.

    Fields: ``block_capabilities``, ``block_type_id``, ``id``, ``operator``, ``version``.

    Plain values accepted (see docs/filters.md):

    - ``block_capabilities`` -> ``all_``
    - ``block_type_id`` -> ``any_``
    - ``id`` -> ``any_``
    - ``version`` -> ``any_``
    """

    block_capabilities: BlockSchemaFilterCapabilities | None = None
    block_type_id: BlockSchemaFilterBlockTypeId | None = None
    id: BlockSchemaFilterId | None = None
    operator: Operator = Operator.and_
    version: BlockSchemaFilterVersion | None = None

    @typed_init
    def __init__(
        self,
        *,
        block_capabilities: BlockSchemaFilterCapabilities | str | Sequence[str] | None = None,
        block_type_id: (
            BlockSchemaFilterBlockTypeId | UUID | str | Sequence[UUID | str] | None
        ) = None,
        id: BlockSchemaFilterId | UUID | str | Sequence[UUID | str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        version: BlockSchemaFilterVersion | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "block_capabilities": block_capabilities,
            "block_type_id": block_type_id,
            "id": id,
            "operator": operator,
            "version": version,
        }
        super().__init__(**self._given(values))


class BlockTypeFilterName(FilterModel):
    """Server schema ``BlockTypeFilterName``: ``like_``."""

    like_: str | None = None


class BlockTypeFilterSlug(FilterModel):
    """Server schema ``BlockTypeFilterSlug``: ``any_``."""

    any_: list[str] | None = None


class BlockTypeFilter(FilterModel):
    """Server schema ``BlockTypeFilter``.

    Fields: ``name``, ``slug``.

    Plain values accepted (see docs/filters.md):

    - ``slug`` -> ``any_``
    """

    name: BlockTypeFilterName | None = None
    slug: BlockTypeFilterSlug | None = None

    @typed_init
    def __init__(
        self,
        *,
        name: BlockTypeFilterName | None = None,
        slug: BlockTypeFilterSlug | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "name": name,
            "slug": slug,
        }
        super().__init__(**self._given(values))


class DeploymentFilterConcurrencyLimit(FilterModel):
    """Server schema ``DeploymentFilterConcurrencyLimit``: ``ge_``, ``is_null_``, ``le_``."""

    ge_: int | None = None
    is_null_: bool | None = None
    le_: int | None = None


class DeploymentFilterId(FilterModel):
    """Server schema ``DeploymentFilterId``: ``any_``, ``not_any_``."""

    any_: list[UUID] | None = None
    not_any_: list[UUID] | None = None


class DeploymentFilterName(FilterModel):
    """Server schema ``DeploymentFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class DeploymentFilterPaused(FilterModel):
    """Server schema ``DeploymentFilterPaused``: ``eq_``."""

    eq_: bool | None = None


class DeploymentFilterTags(FilterModel):
    """Server schema ``DeploymentFilterTags``: ``all_``, ``any_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class DeploymentFilterWorkQueueName(FilterModel):
    """Server schema ``DeploymentFilterWorkQueueName``: ``any_``."""

    any_: list[str] | None = None


class DeploymentOrFlowNameFilter(FilterModel):
    """Server schema ``DeploymentOrFlowNameFilter``: ``like_``."""

    like_: str | None = None


class DeploymentFilter(FilterModel):
    """Server schema ``DeploymentFilter``.

    Fields: ``concurrency_limit``, ``flow_or_deployment_name``, ``id``, ``name``, ``operator``,
    ``paused``, ``tags``, ``work_queue_name``.

    Plain values accepted (see docs/filters.md):

    - ``id`` -> ``any_``
    - ``name`` -> ``any_``
    - ``paused`` -> ``eq_``
    - ``tags`` -> ``all_``
    - ``work_queue_name`` -> ``any_``
    - ``is_schedule_active`` -> ``paused`` negated
    - ``work_pool_name`` -> ``work_pools.name.any_`` via filter_body()
    """

    concurrency_limit: DeploymentFilterConcurrencyLimit | None = None
    flow_or_deployment_name: DeploymentOrFlowNameFilter | None = None
    id: DeploymentFilterId | None = None
    name: DeploymentFilterName | None = None
    operator: Operator = Operator.and_
    paused: DeploymentFilterPaused | None = None
    tags: DeploymentFilterTags | None = None
    work_queue_name: DeploymentFilterWorkQueueName | None = None
    # Not a server field: filter_body() moves it to work_pools.name.any_.
    work_pool_name: OptionalStrList = Field(default=None, exclude=True)

    _negated_aliases: ClassVar[Mapping[str, str]] = {
        "is_schedule_active": "paused",
    }

    @typed_init
    def __init__(
        self,
        *,
        concurrency_limit: DeploymentFilterConcurrencyLimit | None = None,
        flow_or_deployment_name: DeploymentOrFlowNameFilter | None = None,
        id: DeploymentFilterId | UUID | str | Sequence[UUID | str] | None = None,
        name: DeploymentFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        paused: DeploymentFilterPaused | bool | None = None,
        tags: DeploymentFilterTags | str | Sequence[str] | None = None,
        work_queue_name: DeploymentFilterWorkQueueName | str | Sequence[str] | None = None,
        is_schedule_active: bool | None = None,
        work_pool_name: str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "concurrency_limit": concurrency_limit,
            "flow_or_deployment_name": flow_or_deployment_name,
            "id": id,
            "name": name,
            "operator": operator,
            "paused": paused,
            "tags": tags,
            "work_queue_name": work_queue_name,
            "is_schedule_active": is_schedule_active,
            "work_pool_name": work_pool_name,
        }
        super().__init__(**self._given(values))


class EventAnyResourceFilter(FilterModel):
    """Server schema ``EventAnyResourceFilter``: ``id``, ``id_prefix``, ``labels``."""

    id: list[str] | None = None
    id_prefix: list[str] | None = None
    labels: ResourceSpecification | None = None


class EventIDFilter(FilterModel):
    """Server schema ``EventIDFilter``: ``id``."""

    id: list[UUID] | None = None


class EventNameFilter(FilterModel):
    """Server schema ``EventNameFilter``.

    Fields: ``exclude_name``, ``exclude_prefix``, ``name``, ``prefix``.
    """

    exclude_name: list[str] | None = None
    exclude_prefix: list[str] | None = None
    name: list[str] | None = None
    prefix: list[str] | None = None


class EventOccurredFilter(FilterModel):
    """Server schema ``EventOccurredFilter``: ``since``, ``until``."""

    since: datetime | None = None
    until: datetime | None = None


class EventRelatedFilter(FilterModel):
    """Server schema ``EventRelatedFilter``.

    Fields: ``id``, ``labels``, ``resources_in_roles``, ``role``.
    """

    id: list[str] | None = None
    labels: ResourceSpecification | None = None
    resources_in_roles: list[tuple[str, str]] | None = None
    role: list[str] | None = None


class EventResourceFilter(FilterModel):
    """Server schema ``EventResourceFilter``: ``distinct``, ``id``, ``id_prefix``, ``labels``."""

    distinct: bool = False
    id: list[str] | None = None
    id_prefix: list[str] | None = None
    labels: ResourceSpecification | None = None


class EventTextFilter(FilterModel):
    """Server schema ``EventTextFilter``: ``query``."""

    query: str = Field(max_length=200)


class EventFilter(FilterModel):
    """Server schema ``EventFilter``.

    Fields: ``any_resource``, ``event``, ``id``, ``occurred``, ``order``, ``related``,
    ``resource``, ``text``.
    """

    any_resource: EventAnyResourceFilter | list[EventAnyResourceFilter] | None = None
    event: EventNameFilter | None = None
    id: EventIDFilter | None = None
    occurred: EventOccurredFilter | None = None
    order: EventOrder = EventOrder.DESC
    related: EventRelatedFilter | list[EventRelatedFilter] | None = None
    resource: EventResourceFilter | None = None
    text: EventTextFilter | None = None


class FlowFilterDeployment(FilterModel):
    """Server schema ``FlowFilterDeployment``: ``is_null_``, ``operator``."""

    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowFilterId(FilterModel):
    """Server schema ``FlowFilterId``: ``any_``, ``not_any_``."""

    any_: list[UUID] | None = None
    not_any_: list[UUID] | None = None


class FlowFilterName(FilterModel):
    """Server schema ``FlowFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class FlowFilterTags(FilterModel):
    """Server schema ``FlowFilterTags``: ``all_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowFilter(FilterModel):
    """Server schema ``FlowFilter``.

    Fields: ``deployment``, ``id``, ``name``, ``operator``, ``tags``.

    Plain values accepted (see docs/filters.md):

    - ``id`` -> ``any_``
    - ``name`` -> ``any_``
    - ``tags`` -> ``all_``
    """

    deployment: FlowFilterDeployment | None = None
    id: FlowFilterId | None = None
    name: FlowFilterName | None = None
    operator: Operator = Operator.and_
    tags: FlowFilterTags | None = None

    @typed_init
    def __init__(
        self,
        *,
        deployment: FlowFilterDeployment | None = None,
        id: FlowFilterId | UUID | str | Sequence[UUID | str] | None = None,
        name: FlowFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        tags: FlowFilterTags | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "deployment": deployment,
            "id": id,
            "name": name,
            "operator": operator,
            "tags": tags,
        }
        super().__init__(**self._given(values))


class FlowRunFilterCreatedBy(FilterModel):
    """Server schema ``FlowRunFilterCreatedBy``: ``id_``, ``is_null_``, ``operator``, ``type_``."""

    id_: list[UUID] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_
    type_: list[str] | None = None


class FlowRunFilterDeploymentId(FilterModel):
    """Server schema ``FlowRunFilterDeploymentId``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilterEndTime(FilterModel):
    """Server schema ``FlowRunFilterEndTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class FlowRunFilterExpectedStartTime(FilterModel):
    """Server schema ``FlowRunFilterExpectedStartTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class FlowRunFilterFlowVersion(FilterModel):
    """Server schema ``FlowRunFilterFlowVersion``: ``any_``."""

    any_: list[str] | None = None


class FlowRunFilterId(FilterModel):
    """Server schema ``FlowRunFilterId``: ``any_``, ``not_any_``."""

    any_: list[UUID] | None = None
    not_any_: list[UUID] | None = None


class FlowRunFilterIdempotencyKey(FilterModel):
    """Server schema ``FlowRunFilterIdempotencyKey``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class FlowRunFilterName(FilterModel):
    """Server schema ``FlowRunFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class FlowRunFilterNextScheduledStartTime(FilterModel):
    """Server schema ``FlowRunFilterNextScheduledStartTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class FlowRunFilterParentFlowRunId(FilterModel):
    """Server schema ``FlowRunFilterParentFlowRunId``: ``any_``, ``operator``."""

    any_: list[UUID] | None = None
    operator: Operator = Operator.and_


class FlowRunFilterParentTaskRunId(FilterModel):
    """Server schema ``FlowRunFilterParentTaskRunId``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilterStartTime(FilterModel):
    """Server schema ``FlowRunFilterStartTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class FlowRunFilterStateName(FilterModel):
    """Server schema ``FlowRunFilterStateName``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class FlowRunFilterStateType(FilterModel):
    """Server schema ``FlowRunFilterStateType``: ``any_``, ``not_any_``."""

    any_: list[StateType] | None = None
    not_any_: list[StateType] | None = None


class FlowRunFilterState(FilterModel):
    """Server schema ``FlowRunFilterState``.

    Fields: ``name``, ``operator``, ``type``.

    Plain values accepted (see docs/filters.md):

    - ``name`` -> ``any_``
    - ``type`` -> ``any_``
    """

    name: FlowRunFilterStateName | None = None
    operator: Operator = Operator.and_
    type: FlowRunFilterStateType | None = None

    @typed_init
    def __init__(
        self,
        *,
        name: FlowRunFilterStateName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        type: FlowRunFilterStateType | StateType | str | Sequence[StateType | str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "name": name,
            "operator": operator,
            "type": type,
        }
        super().__init__(**self._given(values))


class FlowRunFilterTags(FilterModel):
    """Server schema ``FlowRunFilterTags``: ``all_``, ``any_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilterWorkQueueName(FilterModel):
    """Server schema ``FlowRunFilterWorkQueueName``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilter(FilterModel):
    """Server schema ``FlowRunFilter``.

    Fields: ``created_by``, ``deployment_id``, ``end_time``, ``expected_start_time``,
    ``flow_version``, ``id``, ``idempotency_key``, ``name``, ``next_scheduled_start_time``,
    ``operator``, ``parent_flow_run_id``, ``parent_task_run_id``, ``start_time``, ``state``,
    ``tags``, ``work_queue_name``.

    Plain values accepted (see docs/filters.md):

    - ``deployment_id`` -> ``any_``
    - ``flow_version`` -> ``any_``
    - ``id`` -> ``any_``
    - ``idempotency_key`` -> ``any_``
    - ``name`` -> ``any_``
    - ``parent_flow_run_id`` -> ``any_``
    - ``parent_task_run_id`` -> ``any_``
    - ``state`` -> ``type.any_`` (state types) or ``name.any_``
    - ``tags`` -> ``all_``
    - ``work_queue_name`` -> ``any_``
    """

    created_by: FlowRunFilterCreatedBy | None = None
    deployment_id: FlowRunFilterDeploymentId | None = None
    end_time: FlowRunFilterEndTime | None = None
    expected_start_time: FlowRunFilterExpectedStartTime | None = None
    flow_version: FlowRunFilterFlowVersion | None = None
    id: FlowRunFilterId | None = None
    idempotency_key: FlowRunFilterIdempotencyKey | None = None
    name: FlowRunFilterName | None = None
    next_scheduled_start_time: FlowRunFilterNextScheduledStartTime | None = None
    operator: Operator = Operator.and_
    parent_flow_run_id: FlowRunFilterParentFlowRunId | None = None
    parent_task_run_id: FlowRunFilterParentTaskRunId | None = None
    start_time: FlowRunFilterStartTime | None = None
    state: FlowRunFilterState | None = None
    tags: FlowRunFilterTags | None = None
    work_queue_name: FlowRunFilterWorkQueueName | None = None

    @typed_init
    def __init__(
        self,
        *,
        created_by: FlowRunFilterCreatedBy | None = None,
        deployment_id: FlowRunFilterDeploymentId | UUID | str | Sequence[UUID | str] | None = None,
        end_time: FlowRunFilterEndTime | None = None,
        expected_start_time: FlowRunFilterExpectedStartTime | None = None,
        flow_version: FlowRunFilterFlowVersion | str | Sequence[str] | None = None,
        id: FlowRunFilterId | UUID | str | Sequence[UUID | str] | None = None,
        idempotency_key: FlowRunFilterIdempotencyKey | str | Sequence[str] | None = None,
        name: FlowRunFilterName | str | Sequence[str] | None = None,
        next_scheduled_start_time: FlowRunFilterNextScheduledStartTime | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        parent_flow_run_id: (
            FlowRunFilterParentFlowRunId | UUID | str | Sequence[UUID | str] | None
        ) = None,
        parent_task_run_id: (
            FlowRunFilterParentTaskRunId | UUID | str | Sequence[UUID | str] | None
        ) = None,
        start_time: FlowRunFilterStartTime | None = None,
        state: FlowRunFilterState | StateType | str | Sequence[StateType | str] | None = None,
        tags: FlowRunFilterTags | str | Sequence[str] | None = None,
        work_queue_name: FlowRunFilterWorkQueueName | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "created_by": created_by,
            "deployment_id": deployment_id,
            "end_time": end_time,
            "expected_start_time": expected_start_time,
            "flow_version": flow_version,
            "id": id,
            "idempotency_key": idempotency_key,
            "name": name,
            "next_scheduled_start_time": next_scheduled_start_time,
            "operator": operator,
            "parent_flow_run_id": parent_flow_run_id,
            "parent_task_run_id": parent_task_run_id,
            "start_time": start_time,
            "state": state,
            "tags": tags,
            "work_queue_name": work_queue_name,
        }
        super().__init__(**self._given(values))


class LogFilterFlowRunId(FilterModel):
    """Server schema ``LogFilterFlowRunId``: ``any_``."""

    any_: list[UUID] | None = None


class LogFilterLevel(FilterModel):
    """Server schema ``LogFilterLevel``: ``ge_``, ``le_``."""

    ge_: int | None = None
    le_: int | None = None


class LogFilterTaskRunId(FilterModel):
    """Server schema ``LogFilterTaskRunId``: ``any_``, ``is_null_``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = None


class LogFilterTextSearch(FilterModel):
    """Server schema ``LogFilterTextSearch``: ``query``."""

    query: str = Field(max_length=200)


class LogFilterTimestamp(FilterModel):
    """Server schema ``LogFilterTimestamp``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class LogFilter(FilterModel):
    """Server schema ``LogFilter``.

    Fields: ``flow_run_id``, ``level``, ``operator``, ``task_run_id``, ``text``, ``timestamp``.

    Plain values accepted (see docs/filters.md):

    - ``flow_run_id`` -> ``any_``
    - ``task_run_id`` -> ``any_``
    """

    flow_run_id: LogFilterFlowRunId | None = None
    level: LogFilterLevel | None = None
    operator: Operator = Operator.and_
    task_run_id: LogFilterTaskRunId | None = None
    text: LogFilterTextSearch | None = None
    timestamp: LogFilterTimestamp | None = None

    @typed_init
    def __init__(
        self,
        *,
        flow_run_id: LogFilterFlowRunId | UUID | str | Sequence[UUID | str] | None = None,
        level: LogFilterLevel | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        task_run_id: LogFilterTaskRunId | UUID | str | Sequence[UUID | str] | None = None,
        text: LogFilterTextSearch | None = None,
        timestamp: LogFilterTimestamp | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "flow_run_id": flow_run_id,
            "level": level,
            "operator": operator,
            "task_run_id": task_run_id,
            "text": text,
            "timestamp": timestamp,
        }
        super().__init__(**self._given(values))


class QueueFilter(FilterModel):
    """Server schema ``QueueFilter``: ``deployment_ids``, ``tags``."""

    deployment_ids: list[UUID] | None = None
    tags: list[str] | None = None


class SavedSearchFilter(FilterModel):
    """Server schema ``SavedSearchFilter``.

    Fields: ``object``, ``operation``, ``property``, ``type``, ``value``.
    """

    object: str
    operation: str
    property: str
    type: str
    value: Any


class TaskRunFilterEndTime(FilterModel):
    """Server schema ``TaskRunFilterEndTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class TaskRunFilterExpectedStartTime(FilterModel):
    """Server schema ``TaskRunFilterExpectedStartTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class TaskRunFilterFlowRunId(FilterModel):
    """Server schema ``TaskRunFilterFlowRunId``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = False
    operator: Operator = Operator.and_


class TaskRunFilterId(FilterModel):
    """Server schema ``TaskRunFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class TaskRunFilterName(FilterModel):
    """Server schema ``TaskRunFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class TaskRunFilterStartTime(FilterModel):
    """Server schema ``TaskRunFilterStartTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class TaskRunFilterStateName(FilterModel):
    """Server schema ``TaskRunFilterStateName``: ``any_``."""

    any_: list[str] | None = None


class TaskRunFilterStateType(FilterModel):
    """Server schema ``TaskRunFilterStateType``: ``any_``."""

    any_: list[StateType] | None = None


class TaskRunFilterState(FilterModel):
    """Server schema ``TaskRunFilterState``.

    Fields: ``name``, ``operator``, ``type``.

    Plain values accepted (see docs/filters.md):

    - ``name`` -> ``any_``
    - ``type`` -> ``any_``
    """

    name: TaskRunFilterStateName | None = None
    operator: Operator = Operator.and_
    type: TaskRunFilterStateType | None = None

    @typed_init
    def __init__(
        self,
        *,
        name: TaskRunFilterStateName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        type: TaskRunFilterStateType | StateType | str | Sequence[StateType | str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "name": name,
            "operator": operator,
            "type": type,
        }
        super().__init__(**self._given(values))


class TaskRunFilterSubFlowRuns(FilterModel):
    """Server schema ``TaskRunFilterSubFlowRuns``: ``exists_``."""

    exists_: bool | None = None


class TaskRunFilterTags(FilterModel):
    """Server schema ``TaskRunFilterTags``: ``all_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class TaskRunFilter(FilterModel):
    """Server schema ``TaskRunFilter``.

    Fields: ``end_time``, ``expected_start_time``, ``flow_run_id``, ``id``, ``name``,
    ``operator``, ``start_time``, ``state``, ``subflow_runs``, ``tags``.

    Plain values accepted (see docs/filters.md):

    - ``flow_run_id`` -> ``any_``
    - ``id`` -> ``any_``
    - ``name`` -> ``any_``
    - ``state`` -> ``type.any_`` (state types) or ``name.any_``
    - ``subflow_runs`` -> ``exists_``
    - ``tags`` -> ``all_``
    """

    end_time: TaskRunFilterEndTime | None = None
    expected_start_time: TaskRunFilterExpectedStartTime | None = None
    flow_run_id: TaskRunFilterFlowRunId | None = None
    id: TaskRunFilterId | None = None
    name: TaskRunFilterName | None = None
    operator: Operator = Operator.and_
    start_time: TaskRunFilterStartTime | None = None
    state: TaskRunFilterState | None = None
    subflow_runs: TaskRunFilterSubFlowRuns | None = None
    tags: TaskRunFilterTags | None = None

    @typed_init
    def __init__(
        self,
        *,
        end_time: TaskRunFilterEndTime | None = None,
        expected_start_time: TaskRunFilterExpectedStartTime | None = None,
        flow_run_id: TaskRunFilterFlowRunId | UUID | str | Sequence[UUID | str] | None = None,
        id: TaskRunFilterId | UUID | str | Sequence[UUID | str] | None = None,
        name: TaskRunFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        start_time: TaskRunFilterStartTime | None = None,
        state: TaskRunFilterState | StateType | str | Sequence[StateType | str] | None = None,
        subflow_runs: TaskRunFilterSubFlowRuns | bool | None = None,
        tags: TaskRunFilterTags | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "end_time": end_time,
            "expected_start_time": expected_start_time,
            "flow_run_id": flow_run_id,
            "id": id,
            "name": name,
            "operator": operator,
            "start_time": start_time,
            "state": state,
            "subflow_runs": subflow_runs,
            "tags": tags,
        }
        super().__init__(**self._given(values))


class TaskWorkerFilter(FilterModel):
    """Server schema ``TaskWorkerFilter``: ``task_keys``."""

    task_keys: list[str]


class VariableFilterId(FilterModel):
    """Server schema ``VariableFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class VariableFilterName(FilterModel):
    """Server schema ``VariableFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class VariableFilterTags(FilterModel):
    """Server schema ``VariableFilterTags``: ``all_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class VariableFilter(FilterModel):
    """Server schema ``VariableFilter``.

    Fields: ``id``, ``name``, ``operator``, ``tags``.

    Plain values accepted (see docs/filters.md):

    - ``id`` -> ``any_``
    - ``name`` -> ``any_``
    - ``tags`` -> ``all_``
    """

    id: VariableFilterId | None = None
    name: VariableFilterName | None = None
    operator: Operator = Operator.and_
    tags: VariableFilterTags | None = None

    @typed_init
    def __init__(
        self,
        *,
        id: VariableFilterId | UUID | str | Sequence[UUID | str] | None = None,
        name: VariableFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        tags: VariableFilterTags | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "id": id,
            "name": name,
            "operator": operator,
            "tags": tags,
        }
        super().__init__(**self._given(values))


class WorkPoolFilterId(FilterModel):
    """Server schema ``WorkPoolFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class WorkPoolFilterName(FilterModel):
    """Server schema ``WorkPoolFilterName``: ``any_``."""

    any_: list[str] | None = None


class WorkPoolFilterType(FilterModel):
    """Server schema ``WorkPoolFilterType``: ``any_``."""

    any_: list[str] | None = None


class WorkPoolFilter(FilterModel):
    """Server schema ``WorkPoolFilter``.

    Fields: ``id``, ``name``, ``operator``, ``type``.

    Plain values accepted (see docs/filters.md):

    - ``id`` -> ``any_``
    - ``name`` -> ``any_``
    - ``type`` -> ``any_``
    """

    id: WorkPoolFilterId | None = None
    name: WorkPoolFilterName | None = None
    operator: Operator = Operator.and_
    type: WorkPoolFilterType | None = None

    @typed_init
    def __init__(
        self,
        *,
        id: WorkPoolFilterId | UUID | str | Sequence[UUID | str] | None = None,
        name: WorkPoolFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        type: WorkPoolFilterType | str | Sequence[str] | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "id": id,
            "name": name,
            "operator": operator,
            "type": type,
        }
        super().__init__(**self._given(values))


class WorkQueueFilterId(FilterModel):
    """Server schema ``WorkQueueFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class WorkQueueFilterName(FilterModel):
    """Server schema ``WorkQueueFilterName``: ``any_``, ``startswith_``."""

    any_: list[str] | None = None
    startswith_: list[str] | None = None


class WorkQueueFilter(FilterModel):
    """Server schema ``WorkQueueFilter``.

    Fields: ``id``, ``name``, ``operator``.

    Plain values accepted (see docs/filters.md):

    - ``id`` -> ``any_``
    - ``name`` -> ``any_``
    """

    id: WorkQueueFilterId | None = None
    name: WorkQueueFilterName | None = None
    operator: Operator = Operator.and_

    @typed_init
    def __init__(
        self,
        *,
        id: WorkQueueFilterId | UUID | str | Sequence[UUID | str] | None = None,
        name: WorkQueueFilterName | str | Sequence[str] | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
    ) -> None:
        values: dict[str, Any] = {
            "id": id,
            "name": name,
            "operator": operator,
        }
        super().__init__(**self._given(values))


class WorkerFilterLastHeartbeatTime(FilterModel):
    """Server schema ``WorkerFilterLastHeartbeatTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class WorkerFilterStatus(FilterModel):
    """Server schema ``WorkerFilterStatus``: ``any_``, ``not_any_``."""

    any_: list[WorkerStatus] | None = None
    not_any_: list[WorkerStatus] | None = None


class WorkerFilter(FilterModel):
    """Server schema ``WorkerFilter``.

    Fields: ``last_heartbeat_time``, ``operator``, ``status``.

    Plain values accepted (see docs/filters.md):

    - ``status`` -> ``any_``
    """

    last_heartbeat_time: WorkerFilterLastHeartbeatTime | None = None
    operator: Operator = Operator.and_
    status: WorkerFilterStatus | None = None

    @typed_init
    def __init__(
        self,
        *,
        last_heartbeat_time: WorkerFilterLastHeartbeatTime | None = None,
        operator: Operator | Literal["and_", "or_"] = UNSET,
        status: (
            WorkerFilterStatus | WorkerStatus | str | Sequence[WorkerStatus | str] | None
        ) = None,
    ) -> None:
        values: dict[str, Any] = {
            "last_heartbeat_time": last_heartbeat_time,
            "operator": operator,
            "status": status,
        }
        super().__init__(**self._given(values))


class ArtifactCollectionSort(SortBase):
    """Sort orders accepted for ``ArtifactCollectionSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        CREATED_DESC: ClassVar["ArtifactCollectionSort"]
        UPDATED_DESC: ClassVar["ArtifactCollectionSort"]
        ID_DESC: ClassVar["ArtifactCollectionSort"]
        KEY_DESC: ClassVar["ArtifactCollectionSort"]
        KEY_ASC: ClassVar["ArtifactCollectionSort"]


class ArtifactSort(SortBase):
    """Sort orders accepted for ``ArtifactSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        CREATED_DESC: ClassVar["ArtifactSort"]
        UPDATED_DESC: ClassVar["ArtifactSort"]
        ID_DESC: ClassVar["ArtifactSort"]
        KEY_DESC: ClassVar["ArtifactSort"]
        KEY_ASC: ClassVar["ArtifactSort"]


class AutomationSort(SortBase):
    """Sort orders accepted for ``AutomationSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        CREATED_DESC: ClassVar["AutomationSort"]
        UPDATED_DESC: ClassVar["AutomationSort"]
        NAME_ASC: ClassVar["AutomationSort"]
        NAME_DESC: ClassVar["AutomationSort"]


class BlockDocumentSort(SortBase):
    """Sort orders accepted for ``BlockDocumentSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        NAME_DESC: ClassVar["BlockDocumentSort"]
        NAME_ASC: ClassVar["BlockDocumentSort"]
        BLOCK_TYPE_AND_NAME_ASC: ClassVar["BlockDocumentSort"]


class DeploymentSort(SortBase):
    """Sort orders accepted for ``DeploymentSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        CREATED_DESC: ClassVar["DeploymentSort"]
        UPDATED_DESC: ClassVar["DeploymentSort"]
        NAME_ASC: ClassVar["DeploymentSort"]
        NAME_DESC: ClassVar["DeploymentSort"]


class FlowRunSort(SortBase):
    """Sort orders accepted for ``FlowRunSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        ID_DESC: ClassVar["FlowRunSort"]
        START_TIME_ASC: ClassVar["FlowRunSort"]
        START_TIME_DESC: ClassVar["FlowRunSort"]
        EXPECTED_START_TIME_ASC: ClassVar["FlowRunSort"]
        EXPECTED_START_TIME_DESC: ClassVar["FlowRunSort"]
        NAME_ASC: ClassVar["FlowRunSort"]
        NAME_DESC: ClassVar["FlowRunSort"]
        NEXT_SCHEDULED_START_TIME_ASC: ClassVar["FlowRunSort"]
        END_TIME_DESC: ClassVar["FlowRunSort"]


class FlowSort(SortBase):
    """Sort orders accepted for ``FlowSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        CREATED_DESC: ClassVar["FlowSort"]
        UPDATED_DESC: ClassVar["FlowSort"]
        NAME_ASC: ClassVar["FlowSort"]
        NAME_DESC: ClassVar["FlowSort"]


class LogSort(SortBase):
    """Sort orders accepted for ``LogSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        TIMESTAMP_ASC: ClassVar["LogSort"]
        TIMESTAMP_DESC: ClassVar["LogSort"]


class ObservedStateSort(SortBase):
    """Sort orders accepted for ``ObservedStateSort`` (Prefect 3.9.1 and newer)."""

    if TYPE_CHECKING:  # set by install_members() below
        NAME_ASC: ClassVar["ObservedStateSort"]
        LAST_SEEN_DESC: ClassVar["ObservedStateSort"]


class TaskRunSort(SortBase):
    """Sort orders accepted for ``TaskRunSort``.

    ``DURATION_DESC``, ``DURATION_ASC``: Prefect 3.9.1 and newer servers only.
    """

    if TYPE_CHECKING:  # set by install_members() below
        ID_DESC: ClassVar["TaskRunSort"]
        EXPECTED_START_TIME_ASC: ClassVar["TaskRunSort"]
        EXPECTED_START_TIME_DESC: ClassVar["TaskRunSort"]
        NAME_ASC: ClassVar["TaskRunSort"]
        NAME_DESC: ClassVar["TaskRunSort"]
        NEXT_SCHEDULED_START_TIME_ASC: ClassVar["TaskRunSort"]
        END_TIME_DESC: ClassVar["TaskRunSort"]
        DURATION_DESC: ClassVar["TaskRunSort"]
        DURATION_ASC: ClassVar["TaskRunSort"]


class VariableSort(SortBase):
    """Sort orders accepted for ``VariableSort``."""

    if TYPE_CHECKING:  # set by install_members() below
        CREATED_DESC: ClassVar["VariableSort"]
        UPDATED_DESC: ClassVar["VariableSort"]
        NAME_DESC: ClassVar["VariableSort"]
        NAME_ASC: ClassVar["VariableSort"]


install_members(
    ArtifactCollectionSort,
    (
        "CREATED_DESC",
        "UPDATED_DESC",
        "ID_DESC",
        "KEY_DESC",
        "KEY_ASC",
    ),
)
install_members(ArtifactSort, ("CREATED_DESC", "UPDATED_DESC", "ID_DESC", "KEY_DESC", "KEY_ASC"))
install_members(AutomationSort, ("CREATED_DESC", "UPDATED_DESC", "NAME_ASC", "NAME_DESC"))
install_members(BlockDocumentSort, ("NAME_DESC", "NAME_ASC", "BLOCK_TYPE_AND_NAME_ASC"))
install_members(DeploymentSort, ("CREATED_DESC", "UPDATED_DESC", "NAME_ASC", "NAME_DESC"))
install_members(
    FlowRunSort,
    (
        "ID_DESC",
        "START_TIME_ASC",
        "START_TIME_DESC",
        "EXPECTED_START_TIME_ASC",
        "EXPECTED_START_TIME_DESC",
        "NAME_ASC",
        "NAME_DESC",
        "NEXT_SCHEDULED_START_TIME_ASC",
        "END_TIME_DESC",
    ),
)
install_members(FlowSort, ("CREATED_DESC", "UPDATED_DESC", "NAME_ASC", "NAME_DESC"))
install_members(LogSort, ("TIMESTAMP_ASC", "TIMESTAMP_DESC"))
install_members(ObservedStateSort, ("NAME_ASC", "LAST_SEEN_DESC"))
install_members(
    TaskRunSort,
    (
        "ID_DESC",
        "EXPECTED_START_TIME_ASC",
        "EXPECTED_START_TIME_DESC",
        "NAME_ASC",
        "NAME_DESC",
        "NEXT_SCHEDULED_START_TIME_ASC",
        "END_TIME_DESC",
        "DURATION_DESC",
        "DURATION_ASC",
    ),
)
install_members(VariableSort, ("CREATED_DESC", "UPDATED_DESC", "NAME_DESC", "NAME_ASC"))
