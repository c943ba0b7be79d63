"""``PrefectClient``: every resource's operations on one async client, under flat names.

``tools/unasync.py`` rewrites this module into ``prefect_sdk.sync._client``.
"""

from __future__ import annotations

from prefect_sdk.client._params import HasId, HasName
from prefect_sdk.client._resources.admin import AdminAsyncClient
from prefect_sdk.client._resources.artifacts import ArtifactAsyncClient
from prefect_sdk.client._resources.automations import AutomationAsyncClient
from prefect_sdk.client._resources.block_documents import BlockDocumentAsyncClient
from prefect_sdk.client._resources.block_schemas import BlockSchemaAsyncClient
from prefect_sdk.client._resources.block_types import BlockTypeAsyncClient
from prefect_sdk.client._resources.concurrency_limits import ConcurrencyLimitAsyncClient
from prefect_sdk.client._resources.concurrency_limits_v2 import GlobalConcurrencyLimitAsyncClient
from prefect_sdk.client._resources.deployments import DeploymentAsyncClient
from prefect_sdk.client._resources.events import EventAsyncClient
from prefect_sdk.client._resources.flow_runs import FlowRunAsyncClient
from prefect_sdk.client._resources.flows import FlowAsyncClient
from prefect_sdk.client._resources.logs import LogAsyncClient
from prefect_sdk.client._resources.observed_states import ObservedStateAsyncClient
from prefect_sdk.client._resources.saved_searches import SavedSearchAsyncClient
from prefect_sdk.client._resources.server import ServerAsyncClient
from prefect_sdk.client._resources.task_runs import TaskRunAsyncClient
from prefect_sdk.client._resources.ui import UIAsyncClient
from prefect_sdk.client._resources.variables import VariableAsyncClient
from prefect_sdk.client._resources.work_pools import WorkPoolAsyncClient
from prefect_sdk.client._resources.work_queues import WorkQueueAsyncClient
from prefect_sdk.client._resources.workers import WorkerAsyncClient


class PrefectClient(
    ServerAsyncClient,
    DeploymentAsyncClient,
    FlowRunAsyncClient,
    FlowAsyncClient,
    TaskRunAsyncClient,
    WorkPoolAsyncClient,
    WorkQueueAsyncClient,
    WorkerAsyncClient,
    BlockTypeAsyncClient,
    BlockSchemaAsyncClient,
    BlockDocumentAsyncClient,
    VariableAsyncClient,
    ArtifactAsyncClient,
    LogAsyncClient,
    ConcurrencyLimitAsyncClient,
    GlobalConcurrencyLimitAsyncClient,
    AutomationAsyncClient,
    EventAsyncClient,
    SavedSearchAsyncClient,
    ObservedStateAsyncClient,
    AdminAsyncClient,
    UIAsyncClient,
):
    """Asynchronous client for the Prefect API.

    Use it as a context manager, or bare (it opens on first use; call ``aclose()`` when done)::

        async with PrefectClient() as client:
            flows = await client.read_flows(limit=10)

    ``api`` defaults to ``PREFECT_API_URL``, ``api_key`` to ``PREFECT_API_KEY`` (environment,
    then the active profile).  ``httpx_settings`` is passed to ``httpx.AsyncClient`` (a
    ``limits`` dict is turned into ``httpx.Limits``).  ``plugins`` are registered for this
    client in addition to the built-in and installed ones; ``blocked_plugins`` names plugins to
    leave out.  ``settings`` (a ``prefect_sdk.settings.Settings``) replaces reading the
    environment and profile; ``api`` and ``api_key`` still override it.

    One client may be shared: by the tasks of one event loop (async), or by many threads
    (sync; the underlying ``httpx.Client`` connection pool is thread-safe).
    """


__all__ = ["HasId", "HasName", "PrefectClient"]
