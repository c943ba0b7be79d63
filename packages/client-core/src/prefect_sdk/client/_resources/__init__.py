"""One module per API resource, each an async mixin of that resource's operations.

``PrefectClient`` (``prefect_sdk.client._client``) composes them, so users call the flat
names they know (``client.read_flow_runs(...)``).  Each module is rewritten into its blocking
twin under ``prefect_sdk.sync._resources`` by ``tools/unasync.py``.
"""
