"""An emulator of the Prefect Cloud API, for tests: Prefect Cloud cannot be reached from here.

It is meant to be faithful to the Cloud API's documented shape, not a convenience mock: the
same paths, JSON fields and status codes as the real service, as far as public sources show
them.  Where a source says nothing, the behaviour is our guess and is marked **guess** below.

Run it with :func:`run_emulator` (an ASGI app served by uvicorn on a free loopback port, in a
background thread); seed it through :class:`CloudState`.  Its API root is ``emulator.url``
(``http://127.0.0.1:<port>/api``), standing in for ``https://api.prefect.cloud/api``.

Sources (public):

[client]  Prefect's own Cloud client, ``src/prefect/client/cloud.py`` in PrefectHQ/prefect
          (3.x): the routes it calls and how it treats 401/403/404/204.
[cli]     Prefect's CLI tests ``tests/cli/cloud/test_cloud.py`` and ``test_ip_allowlist.py``
          (PrefectHQ/prefect): response bodies the CLI is tested against.
[schema]  ``Workspace`` in ``prefect.client.schemas.objects`` (PrefectHQ/prefect): the
          ``/me/workspaces`` item shape, ``api_url()``/``ui_url()``.
[tf]      The Terraform provider's Cloud client, ``internal/api/*.go`` and
          ``internal/client/*.go`` in PrefectHQ/terraform-provider-prefect: workspace creation,
          user and account shapes.
[docs]    docs.prefect.io: "Rate limits and data retention" (429 with ``Retry-After``), "Secure
          access by IP address" (25-entry allowlist; the caller's IP must stay on the list), API
          keys (``pnu_`` user keys, ``pnb_`` service-account keys; bearer authentication).
[oss]     The open-source Prefect 3.8.8 server of the test session: the body of a 422
          (``exception_message``/``exception_detail``/``request_body``) and of a 404
          (``{"detail": "Not Found"}``); the Cloud API is served by the same framework.

Routes (under ``/api``):

``GET /me/``
    The key's user: ``id``, ``actor_id``, ``handle``, ``first_name``, ``last_name``,
    ``email``, ``created``, ``updated`` [tf ``User``].  A service-account key gets 403
    (**guess**: bots have no user profile).
``GET /me/workspaces``
    List of ``account_id``, ``account_name``, ``account_handle``, ``workspace_id``,
    ``workspace_name``, ``workspace_description``, ``workspace_handle`` [schema, cli].
``POST /accounts/{account_id}/workspaces/``
    Body ``name``, ``handle``, ``description`` [tf ``WorkspaceCreate``]; 201 with ``id``,
    ``account_id``, ``name``, ``description``, ``handle``, ``default_workspace_role_id``,
    ``is_public``, ``created``, ``updated`` [tf ``Workspace``, success code 201].  422 for a
    missing name/handle or an unknown field [oss shape]; handle syntax and 409 for a taken
    handle are **guesses**.  Account admins only (403 otherwise, **guess**).
``GET /accounts/{account_id}/workspaces/{workspace_id}``
    The same account-scoped workspace shape [tf ``Get``].
``GET /accounts/{account_id}/workspaces/{workspace_id}/settings``
    The workspace's settings as one JSON object (**guess**: no public source shows this route).
``GET /accounts/{account_id}/workspaces/{workspace_id}/collections/work_pool_types``
    [client ``read_worker_metadata``]; answered with the upstream server's
    ``/collections/views/aggregate-worker-metadata`` (Prefect's CLI reads both the same way:
    collection -> worker type -> metadata).
``GET /accounts/{account_id}/settings`` / ``PATCH`` (204)
    A flat object; ``enforce_ip_allowlist`` is present only when the account's plan offers IP
    allowlisting [cli]; ``allow_public_workspaces``, ``ai_log_summaries``,
    ``managed_execution`` [tf ``Settings``].  PATCH takes a partial object [cli].
``GET /accounts/{account_id}/ip_allowlist`` / ``PUT`` (204)
    ``{"entries": [{"ip_network", "enabled", "description", "last_seen"}]}`` [cli].  PUT
    answers 422 ``{"detail": "Your current IP address (...) must be included in the IP allowlist
    to prevent account lockout."}`` when the caller's address would be left out [cli, docs];
    more than 25 entries is a 422 [docs limit; code **guess**].
``GET /accounts/{account_id}/ip_allowlist/my_access``
    ``{"allowed": bool, "detail": str}`` [cli].
``/accounts/{account_id}/workspaces/{workspace_id}/<rest>`` (any method)
    The workspace's Prefect API, forwarded to the real local server's ``<upstream>/<rest>``
    (the key is checked here and not forwarded).

Errors: no ``Authorization`` header -> 401 ``{"detail": "Not authenticated"}``; an unknown,
malformed or revoked key -> 401 [client and cli treat 401 and 403 alike; the split is a
**guess**]; a known key without access to the account or workspace -> 403; an unknown account
or workspace id -> 404 [client maps 404 to ``ObjectNotFound``]; an account that enforces its IP
allowlist refuses other addresses with 403 (**guess** on the code).  Rate limits: 429 with
``Retry-After`` [docs], switched on by :meth:`CloudState.throttle` (the next N requests) or
:meth:`CloudState.rate_limit` (N requests per window per key).
"""

from ._app import build_app
from ._seed import Tenant, seed_tenant
from ._server import Emulator, run_emulator
from ._state import Account, Actor, CloudState, WorkspaceRecord

__all__ = [
    "Account",
    "Actor",
    "CloudState",
    "Emulator",
    "Tenant",
    "WorkspaceRecord",
    "build_app",
    "run_emulator",
    "seed_tenant",
]
