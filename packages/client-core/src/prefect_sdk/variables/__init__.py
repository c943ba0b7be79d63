"""Read and write variables by name, with Prefect's signatures for the common cases.

    from prefect_sdk.variables import get_variable, set_variable

    await set_variable("db_host", "10.0.0.5", overwrite=True)
    host = await get_variable("db_host", default="localhost")

A variable holds a JSON value: ``str``, ``int``, ``float``, ``bool``, ``None``, or a ``list``
/ ``dict`` of them (at most 5000 bytes as JSON).  ``client=`` is a ``PrefectClient``; without
one a client is made from the environment (``PREFECT_API_URL``) for the call.  On the blocking
client call the methods of the same name (``SyncPrefectClient.get_variable``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prefect_sdk.client import PrefectClient
    from prefect_sdk.schemas import Variable

__all__ = ["get_variable", "set_variable"]


async def get_variable(name: str, default: Any = None, client: PrefectClient | None = None) -> Any:
    """The value of the variable ``name``, or ``default`` if there is no such variable."""
    if client is None:
        from prefect_sdk.client import get_client

        async with get_client() as own:
            return await own.get_variable(name, default)
    return await client.get_variable(name, default)


async def set_variable(
    name: str,
    value: Any,
    overwrite: bool = False,
    client: PrefectClient | None = None,
    *,
    tags: list[str] | None = None,
) -> Variable:
    """Store ``value`` under ``name`` and return the variable.

    If it exists: ``ObjectAlreadyExists``, or with ``overwrite=True`` its value (and its tags,
    when ``tags`` is given) is replaced.
    """
    if client is None:
        from prefect_sdk.client import get_client

        async with get_client() as own:
            return await own.set_variable(name, value, overwrite, tags=tags)
    return await client.set_variable(name, value, overwrite, tags=tags)
