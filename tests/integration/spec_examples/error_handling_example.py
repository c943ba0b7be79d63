# The spec's error-handling example; only the import lines are changed.
from prefect_sdk.client import get_client
from prefect_sdk.exceptions import AuthenticationError, ObjectNotFound


async def error_handling_example():
    client = get_client()

    try:
        # This might raise ObjectNotFound
        flow = await client.read_flow_by_name("non-existent-flow")
    except ObjectNotFound:
        print("Flow not found")
    except AuthenticationError:
        print("Authentication failed")
    except Exception as e:
        print(f"Unexpected error: {e}")
