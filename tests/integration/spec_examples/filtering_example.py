# The spec's filtering example; only the import lines are changed (the spec's snippet uses
# get_client without importing it, so its import is added).
from prefect_sdk.client import get_client
from prefect_sdk.filters import DeploymentFilter, FlowFilter
from prefect_sdk.filters import FlowSort


async def filtering_example():
    client = get_client()

    # Filter flows by tags
    flow_filter = FlowFilter(tags=["production", "etl"])
    flows = await client.read_flows(
        flow_filter=flow_filter, sort=FlowSort(field="name", direction="asc")
    )

    # Filter deployments by work pool
    deployment_filter = DeploymentFilter(work_pool_name="kubernetes-pool", is_schedule_active=True)
    deployments = await client.read_deployments(deployment_filter=deployment_filter, limit=20)
