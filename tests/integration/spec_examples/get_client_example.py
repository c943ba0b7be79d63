# The spec's get_client example; only the import line is changed.
from prefect_sdk.client import get_client


# Get async client (default)
async def async_example():
    client = get_client()
    flows = await client.read_flows()
    return flows


# Get sync client explicitly
def sync_example():
    client = get_client(sync_client=True)
    flows = client.read_flows()
    return flows


# Client with custom HTTPX settings
client = get_client(httpx_settings={"timeout": 30.0, "limits": {"max_connections": 10}})
