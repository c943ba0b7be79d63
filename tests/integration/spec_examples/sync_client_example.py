# The spec's SyncPrefectClient example; only the import lines are changed.
from prefect_sdk.states import Running
from prefect_sdk.sync import SyncPrefectClient


def sync_client_operations():
    client = SyncPrefectClient()

    # All operations are synchronous
    flows = client.read_flows(limit=5)

    if flows:
        flow_run = client.create_flow_run(flow=flows[0], parameters={"sync": True})

        # Update state
        client.set_flow_run_state(flow_run.id, Running(message="Started via sync client"))

        return flow_run
