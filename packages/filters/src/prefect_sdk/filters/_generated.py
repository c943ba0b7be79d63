"""Filter and sort models generated from openapi-prefect-3.8.8.json.

Do not edit: run ``python tools/gen_filters.py`` instead.
"""

import enum
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar, Literal
from uuid import UUID

from pydantic import Field

from prefect_sdk.filters._base import UNSET, FilterModel, OptionalStrList, typed_init
from prefect_sdk.filters._sort import SortBase, install_members


class EventOrder(str, enum.Enum):
    """Values of the server enum ``EventOrder``."""

    ASC = "ASC"
    DESC = "DESC"


class Operator(str, enum.Enum):
    """Values of the server enum ``Operator``."""

    and_ = "and_"
    or_ = "or_"


class StateType(str, enum.Enum):
    """Values of the server enum ``StateType``."""

    SCHEDULED = "SCHEDULED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    CRASHED = "CRASHED"
    PAUSED = "PAUSED"
    CANCELLING = "CANCELLING"


class WorkerStatus(str, enum.Enum):
    """Values of the server enum ``WorkerStatus``."""

    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


ResourceSpecification = dict[str, str | list[str]]
"""Mapping of resource label to value(s): schema ``ResourceSpecification``."""


class ArtifactCollectionFilterFlowRunId(FilterModel):
    """Schema ``ArtifactCollectionFilterFlowRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactCollectionFilterKey(FilterModel):
    """Schema ``ArtifactCollectionFilterKey``: ``any_``, ``exists_``, ``like_``."""

    any_: list[str] | None = None
    exists_: bool | None = None
    like_: str | None = None


class ArtifactCollectionFilterLatestId(FilterModel):
    """Schema ``ArtifactCollectionFilterLatestId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactCollectionFilterTaskRunId(FilterModel):
    """Schema ``ArtifactCollectionFilterTaskRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactCollectionFilterType(FilterModel):
    """Schema ``ArtifactCollectionFilterType``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class ArtifactCollectionFilter(FilterModel):
    """Schema ``ArtifactCollectionFilter``."""

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
    """Schema ``ArtifactFilterFlowRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactFilterId(FilterModel):
    """Schema ``ArtifactFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactFilterKey(FilterModel):
    """Schema ``ArtifactFilterKey``: ``any_``, ``exists_``, ``like_``."""

    any_: list[str] | None = None
    exists_: bool | None = None
    like_: str | None = None


class ArtifactFilterTaskRunId(FilterModel):
    """Schema ``ArtifactFilterTaskRunId``: ``any_``."""

    any_: list[UUID] | None = None


class ArtifactFilterType(FilterModel):
    """Schema ``ArtifactFilterType``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class ArtifactFilter(FilterModel):
    """Schema ``ArtifactFilter``."""

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
    """Schema ``AutomationFilterCreated``: ``before_``."""

    before_: datetime | None = None


class AutomationFilterId(FilterModel):
    """Schema ``AutomationFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class AutomationFilterName(FilterModel):
    """Schema ``AutomationFilterName``: ``any_``."""

    any_: list[str] | None = None


class AutomationFilterTags(FilterModel):
    """Schema ``AutomationFilterTags``: ``all_``, ``any_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class AutomationFilter(FilterModel):
    """Schema ``AutomationFilter``: ``created``, ``id``, ``name``, ``operator``, ``tags``."""

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
    """Schema ``BlockDocumentFilterBlockTypeId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockDocumentFilterId(FilterModel):
    """Schema ``BlockDocumentFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockDocumentFilterIsAnonymous(FilterModel):
    """Schema ``BlockDocumentFilterIsAnonymous``: ``eq_``."""

    eq_: bool | None = None


class BlockDocumentFilterName(FilterModel):
    """Schema ``BlockDocumentFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class BlockDocumentFilter(FilterModel):
    """Schema ``BlockDocumentFilter``."""

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
    """Schema ``BlockSchemaFilterBlockTypeId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockSchemaFilterCapabilities(FilterModel):
    """Schema ``BlockSchemaFilterCapabilities``: ``all_``."""

    all_: list[str] | None = None


class BlockSchemaFilterId(FilterModel):
    """Schema ``BlockSchemaFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class BlockSchemaFilterVersion(FilterModel):
    """Schema ``BlockSchemaFilterVersion``: ``any_``."""

    any_: list[str] | None = None


class BlockSchemaFilter(FilterModel):
    """Schema ``BlockSchemaFilter``."""

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
    """Schema ``BlockTypeFilterName``: ``like_``."""

    like_: str | None = None


class BlockTypeFilterSlug(FilterModel):
    """Schema ``BlockTypeFilterSlug``: ``any_``."""

    any_: list[str] | None = None


class BlockTypeFilter(FilterModel):
    """Schema ``BlockTypeFilter``: ``name``, ``slug``."""

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
    """Schema ``DeploymentFilterConcurrencyLimit``: ``ge_``, ``is_null_``, ``le_``."""

    ge_: int | None = None
    is_null_: bool | None = None
    le_: int | None = None


class DeploymentFilterId(FilterModel):
    """Schema ``DeploymentFilterId``: ``any_``, ``not_any_``."""

    any_: list[UUID] | None = None
    not_any_: list[UUID] | None = None


class DeploymentFilterName(FilterModel):
    """Schema ``DeploymentFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class DeploymentFilterPaused(FilterModel):
    """Schema ``DeploymentFilterPaused``: ``eq_``."""

    eq_: bool | None = None


class DeploymentFilterTags(FilterModel):
    """Schema ``DeploymentFilterTags``: ``all_``, ``any_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class DeploymentFilterWorkQueueName(FilterModel):
    """Schema ``DeploymentFilterWorkQueueName``: ``any_``."""

    any_: list[str] | None = None


class DeploymentOrFlowNameFilter(FilterModel):
    """Schema ``DeploymentOrFlowNameFilter``: ``like_``."""

    like_: str | None = None


class DeploymentFilter(FilterModel):
    """Schema ``DeploymentFilter``."""

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
    """Schema ``EventAnyResourceFilter``: ``id``, ``id_prefix``, ``labels``."""

    id: list[str] | None = None
    id_prefix: list[str] | None = None
    labels: ResourceSpecification | None = None


class EventIDFilter(FilterModel):
    """Schema ``EventIDFilter``: ``id``."""

    id: list[UUID] | None = None


class EventNameFilter(FilterModel):
    """Schema ``EventNameFilter``: ``exclude_name``, ``exclude_prefix``, ``name``, ``prefix``."""

    exclude_name: list[str] | None = None
    exclude_prefix: list[str] | None = None
    name: list[str] | None = None
    prefix: list[str] | None = None


class EventOccurredFilter(FilterModel):
    """Schema ``EventOccurredFilter``: ``since``, ``until``."""

    since: datetime | None = None
    until: datetime | None = None


class EventRelatedFilter(FilterModel):
    """Schema ``EventRelatedFilter``: ``id``, ``labels``, ``resources_in_roles``, ``role``."""

    id: list[str] | None = None
    labels: ResourceSpecification | None = None
    resources_in_roles: list[tuple[str, str]] | None = None
    role: list[str] | None = None


class EventResourceFilter(FilterModel):
    """Schema ``EventResourceFilter``: ``distinct``, ``id``, ``id_prefix``, ``labels``."""

    distinct: bool = False
    id: list[str] | None = None
    id_prefix: list[str] | None = None
    labels: ResourceSpecification | None = None


class EventTextFilter(FilterModel):
    """Schema ``EventTextFilter``: ``query``."""

    query: str = Field(max_length=200)


class EventFilter(FilterModel):
    """Schema ``EventFilter``."""

    any_resource: EventAnyResourceFilter | list[EventAnyResourceFilter] | None = None
    event: EventNameFilter | None = None
    id: EventIDFilter | None = None
    occurred: EventOccurredFilter | None = None
    order: EventOrder = EventOrder.DESC
    related: EventRelatedFilter | list[EventRelatedFilter] | None = None
    resource: EventResourceFilter | None = None
    text: EventTextFilter | None = None


class FlowFilterDeployment(FilterModel):
    """Schema ``FlowFilterDeployment``: ``is_null_``, ``operator``."""

    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowFilterId(FilterModel):
    """Schema ``FlowFilterId``: ``any_``, ``not_any_``."""

    any_: list[UUID] | None = None
    not_any_: list[UUID] | None = None


class FlowFilterName(FilterModel):
    """Schema ``FlowFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class FlowFilterTags(FilterModel):
    """Schema ``FlowFilterTags``: ``all_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowFilter(FilterModel):
    """Schema ``FlowFilter``: ``deployment``, ``id``, ``name``, ``operator``, ``tags``."""

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
    """Schema ``FlowRunFilterCreatedBy``: ``id_``, ``is_null_``, ``operator``, ``type_``."""

    id_: list[UUID] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_
    type_: list[str] | None = None


class FlowRunFilterDeploymentId(FilterModel):
    """Schema ``FlowRunFilterDeploymentId``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilterEndTime(FilterModel):
    """Schema ``FlowRunFilterEndTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class FlowRunFilterExpectedStartTime(FilterModel):
    """Schema ``FlowRunFilterExpectedStartTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class FlowRunFilterFlowVersion(FilterModel):
    """Schema ``FlowRunFilterFlowVersion``: ``any_``."""

    any_: list[str] | None = None


class FlowRunFilterId(FilterModel):
    """Schema ``FlowRunFilterId``: ``any_``, ``not_any_``."""

    any_: list[UUID] | None = None
    not_any_: list[UUID] | None = None


class FlowRunFilterIdempotencyKey(FilterModel):
    """Schema ``FlowRunFilterIdempotencyKey``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class FlowRunFilterName(FilterModel):
    """Schema ``FlowRunFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class FlowRunFilterNextScheduledStartTime(FilterModel):
    """Schema ``FlowRunFilterNextScheduledStartTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class FlowRunFilterParentFlowRunId(FilterModel):
    """Schema ``FlowRunFilterParentFlowRunId``: ``any_``, ``operator``."""

    any_: list[UUID] | None = None
    operator: Operator = Operator.and_


class FlowRunFilterParentTaskRunId(FilterModel):
    """Schema ``FlowRunFilterParentTaskRunId``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilterStartTime(FilterModel):
    """Schema ``FlowRunFilterStartTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class FlowRunFilterStateName(FilterModel):
    """Schema ``FlowRunFilterStateName``: ``any_``, ``not_any_``."""

    any_: list[str] | None = None
    not_any_: list[str] | None = None


class FlowRunFilterStateType(FilterModel):
    """Schema ``FlowRunFilterStateType``: ``any_``, ``not_any_``."""

    any_: list[StateType] | None = None
    not_any_: list[StateType] | None = None


class FlowRunFilterState(FilterModel):
    """Schema ``FlowRunFilterState``: ``name``, ``operator``, ``type``."""

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
    """Schema ``FlowRunFilterTags``: ``all_``, ``any_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilterWorkQueueName(FilterModel):
    """Schema ``FlowRunFilterWorkQueueName``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class FlowRunFilter(FilterModel):
    """Schema ``FlowRunFilter``."""

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
    """Schema ``LogFilterFlowRunId``: ``any_``."""

    any_: list[UUID] | None = None


class LogFilterLevel(FilterModel):
    """Schema ``LogFilterLevel``: ``ge_``, ``le_``."""

    ge_: int | None = None
    le_: int | None = None


class LogFilterTaskRunId(FilterModel):
    """Schema ``LogFilterTaskRunId``: ``any_``, ``is_null_``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = None


class LogFilterTextSearch(FilterModel):
    """Schema ``LogFilterTextSearch``: ``query``."""

    query: str = Field(max_length=200)


class LogFilterTimestamp(FilterModel):
    """Schema ``LogFilterTimestamp``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class LogFilter(FilterModel):
    """Schema ``LogFilter``."""

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
    """Schema ``QueueFilter``: ``deployment_ids``, ``tags``."""

    deployment_ids: list[UUID] | None = None
    tags: list[str] | None = None


class SavedSearchFilter(FilterModel):
    """Schema ``SavedSearchFilter``."""

    object: str
    operation: str
    property: str
    type: str
    value: Any


class TaskRunFilterEndTime(FilterModel):
    """Schema ``TaskRunFilterEndTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class TaskRunFilterExpectedStartTime(FilterModel):
    """Schema ``TaskRunFilterExpectedStartTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class TaskRunFilterFlowRunId(FilterModel):
    """Schema ``TaskRunFilterFlowRunId``: ``any_``, ``is_null_``, ``operator``."""

    any_: list[UUID] | None = None
    is_null_: bool | None = False
    operator: Operator = Operator.and_


class TaskRunFilterId(FilterModel):
    """Schema ``TaskRunFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class TaskRunFilterName(FilterModel):
    """Schema ``TaskRunFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class TaskRunFilterStartTime(FilterModel):
    """Schema ``TaskRunFilterStartTime``: ``after_``, ``before_``, ``is_null_``."""

    after_: datetime | None = None
    before_: datetime | None = None
    is_null_: bool | None = None


class TaskRunFilterStateName(FilterModel):
    """Schema ``TaskRunFilterStateName``: ``any_``."""

    any_: list[str] | None = None


class TaskRunFilterStateType(FilterModel):
    """Schema ``TaskRunFilterStateType``: ``any_``."""

    any_: list[StateType] | None = None


class TaskRunFilterState(FilterModel):
    """Schema ``TaskRunFilterState``: ``name``, ``operator``, ``type``."""

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
    """Schema ``TaskRunFilterSubFlowRuns``: ``exists_``."""

    exists_: bool | None = None


class TaskRunFilterTags(FilterModel):
    """Schema ``TaskRunFilterTags``: ``all_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class TaskRunFilter(FilterModel):
    """Schema ``TaskRunFilter``."""

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
    """Schema ``TaskWorkerFilter``: ``task_keys``."""

    task_keys: list[str]


class VariableFilterId(FilterModel):
    """Schema ``VariableFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class VariableFilterName(FilterModel):
    """Schema ``VariableFilterName``: ``any_``, ``like_``."""

    any_: list[str] | None = None
    like_: str | None = None


class VariableFilterTags(FilterModel):
    """Schema ``VariableFilterTags``: ``all_``, ``is_null_``, ``operator``."""

    all_: list[str] | None = None
    is_null_: bool | None = None
    operator: Operator = Operator.and_


class VariableFilter(FilterModel):
    """Schema ``VariableFilter``: ``id``, ``name``, ``operator``, ``tags``."""

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
    """Schema ``WorkPoolFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class WorkPoolFilterName(FilterModel):
    """Schema ``WorkPoolFilterName``: ``any_``."""

    any_: list[str] | None = None


class WorkPoolFilterType(FilterModel):
    """Schema ``WorkPoolFilterType``: ``any_``."""

    any_: list[str] | None = None


class WorkPoolFilter(FilterModel):
    """Schema ``WorkPoolFilter``: ``id``, ``name``, ``operator``, ``type``."""

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
    """Schema ``WorkQueueFilterId``: ``any_``."""

    any_: list[UUID] | None = None


class WorkQueueFilterName(FilterModel):
    """Schema ``WorkQueueFilterName``: ``any_``, ``startswith_``."""

    any_: list[str] | None = None
    startswith_: list[str] | None = None


class WorkQueueFilter(FilterModel):
    """Schema ``WorkQueueFilter``: ``id``, ``name``, ``operator``."""

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
    """Schema ``WorkerFilterLastHeartbeatTime``: ``after_``, ``before_``."""

    after_: datetime | None = None
    before_: datetime | None = None


class WorkerFilterStatus(FilterModel):
    """Schema ``WorkerFilterStatus``: ``any_``, ``not_any_``."""

    any_: list[WorkerStatus] | None = None
    not_any_: list[WorkerStatus] | None = None


class WorkerFilter(FilterModel):
    """Schema ``WorkerFilter``: ``last_heartbeat_time``, ``operator``, ``status``."""

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

    CREATED_DESC: ClassVar["ArtifactCollectionSort"]
    UPDATED_DESC: ClassVar["ArtifactCollectionSort"]
    ID_DESC: ClassVar["ArtifactCollectionSort"]
    KEY_DESC: ClassVar["ArtifactCollectionSort"]
    KEY_ASC: ClassVar["ArtifactCollectionSort"]


class ArtifactSort(SortBase):
    """Sort orders accepted for ``ArtifactSort``."""

    CREATED_DESC: ClassVar["ArtifactSort"]
    UPDATED_DESC: ClassVar["ArtifactSort"]
    ID_DESC: ClassVar["ArtifactSort"]
    KEY_DESC: ClassVar["ArtifactSort"]
    KEY_ASC: ClassVar["ArtifactSort"]


class AutomationSort(SortBase):
    """Sort orders accepted for ``AutomationSort``."""

    CREATED_DESC: ClassVar["AutomationSort"]
    UPDATED_DESC: ClassVar["AutomationSort"]
    NAME_ASC: ClassVar["AutomationSort"]
    NAME_DESC: ClassVar["AutomationSort"]


class BlockDocumentSort(SortBase):
    """Sort orders accepted for ``BlockDocumentSort``."""

    NAME_DESC: ClassVar["BlockDocumentSort"]
    NAME_ASC: ClassVar["BlockDocumentSort"]
    BLOCK_TYPE_AND_NAME_ASC: ClassVar["BlockDocumentSort"]


class DeploymentSort(SortBase):
    """Sort orders accepted for ``DeploymentSort``."""

    CREATED_DESC: ClassVar["DeploymentSort"]
    UPDATED_DESC: ClassVar["DeploymentSort"]
    NAME_ASC: ClassVar["DeploymentSort"]
    NAME_DESC: ClassVar["DeploymentSort"]


class FlowRunSort(SortBase):
    """Sort orders accepted for ``FlowRunSort``."""

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

    CREATED_DESC: ClassVar["FlowSort"]
    UPDATED_DESC: ClassVar["FlowSort"]
    NAME_ASC: ClassVar["FlowSort"]
    NAME_DESC: ClassVar["FlowSort"]


class LogSort(SortBase):
    """Sort orders accepted for ``LogSort``."""

    TIMESTAMP_ASC: ClassVar["LogSort"]
    TIMESTAMP_DESC: ClassVar["LogSort"]


class TaskRunSort(SortBase):
    """Sort orders accepted for ``TaskRunSort``."""

    ID_DESC: ClassVar["TaskRunSort"]
    EXPECTED_START_TIME_ASC: ClassVar["TaskRunSort"]
    EXPECTED_START_TIME_DESC: ClassVar["TaskRunSort"]
    NAME_ASC: ClassVar["TaskRunSort"]
    NAME_DESC: ClassVar["TaskRunSort"]
    NEXT_SCHEDULED_START_TIME_ASC: ClassVar["TaskRunSort"]
    END_TIME_DESC: ClassVar["TaskRunSort"]


class VariableSort(SortBase):
    """Sort orders accepted for ``VariableSort``."""

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
    ),
)
install_members(VariableSort, ("CREATED_DESC", "UPDATED_DESC", "NAME_DESC", "NAME_ASC"))
