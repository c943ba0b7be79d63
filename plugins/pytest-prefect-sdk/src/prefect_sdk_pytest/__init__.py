"""pytest fixtures for testing your Prefect automation against a real Prefect server.

Installed with ``pip install pytest-prefect-sdk``; pytest loads the plugin by itself (entry
point ``pytest11``).  Fixtures (see docs/testing.md):

- ``prefect_server`` (session): a real Prefect server, started once per test session in its own
  environment (``prefect_sdk.devserver.PrefectServer``) and stopped at the end, or the one
  given by ``--prefect-sdk-api-url``, ``PREFECT_SDK_TEST_API_URL`` or the ``prefect_sdk_api_url``
  ini option.  Its ``api_url`` is the URL to use.
- ``prefect_client``: an entered async ``PrefectClient`` for that server (anyio's pytest plugin
  runs it: mark async tests ``@pytest.mark.anyio``).
- ``sync_prefect_client``: an entered blocking ``SyncPrefectClient`` for that server.
- ``prefect_api_url``: points ``PREFECT_API_URL`` at the server for one test (with no other
  Prefect setting or profile in sight), for code that calls ``get_client()`` itself.

Nothing is started unless a test asks for one of these fixtures.
"""

from __future__ import annotations

from prefect_sdk_pytest._server import API_URL_ENV, PrefectTestServer

__all__ = ["API_URL_ENV", "PrefectTestServer"]
