# The spec's PrefectClient example; only the import lines are changed.
from prefect_sdk.client import PrefectClient
from prefect_sdk.schemas import Deployment, Flow  # noqa: F401
from prefect_sdk.states import Completed


async def client_operations():
    client = PrefectClient()

    # List flows
    flows = await client.read_flows(limit=10)
    for flow in flows:
        print(f"Flow: {flow.name}")

    # Create a flow run
    flow_run = await client.create_flow_run(
        flow=flows[0], parameters={"param1": "value1"}, tags=["api-created"]
    )

    # List deployments
    deployments = await client.read_deployments()

    # Update flow run state
    result = await client.set_flow_run_state(flow_run.id, Completed(message="Completed via API"))

    return flow_run
