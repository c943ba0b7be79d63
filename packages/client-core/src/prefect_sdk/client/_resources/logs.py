"""Logs: ``/logs/...``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import SERVER_PAGE_LIMIT, filtered_body
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.client._streams import AsyncStream
    from prefect_sdk.filters import LogFilter, LogSort
    from prefect_sdk.schemas import Log, LogCreate


class LogAsyncClient(AsyncAPIClient):
    """Operations on logs."""

    def subscribe_logs(
        self, log_filter: LogFilter | None = None, *, reconnect: bool = True
    ) -> AsyncStream[Log]:
        """A live stream of the log lines matching ``log_filter``, over the server's
        ``/logs/out`` websocket: ``async with client.subscribe_logs(f) as logs: async for ...``.

        Only lines stored after the subscription starts are delivered (the server keeps no
        backlog for this stream).  A dropped connection is reopened (``reconnect=False``
        raises instead); lines stored while it was down are not replayed, read them with
        ``read_logs``.  No line is delivered twice.  A server without the route, or one that
        does not stream logs (``PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED`` and
        ``PREFECT_SERVER_LOGS_STREAM_PUBLISHING_ENABLED`` are off by default), raises
        ``NotSupportedByServer``.
        """
        from prefect_sdk.filters import LogFilter
        from prefect_sdk.schemas import Log

        if log_filter is not None and not isinstance(log_filter, LogFilter):
            raise ValidationError(
                "log_filter must be a prefect_sdk.filters.LogFilter, got "
                f"{type(log_filter).__name__}"
            )
        wire = log_filter.to_wire() if log_filter is not None else {}
        return self._call_stream(
            "subscribe_logs",
            "/logs/out",
            "log",
            Log,
            {"filter": wire},
            reconnect=bool(reconnect),
            # Off by default on a Prefect server, which then accepts the subscription and
            # sends nothing: say so instead of waiting for ever.
            requires=("server.logs.stream_out_enabled", "server.logs.stream_publishing_enabled"),
        )

    @operation(
        "POST /logs/",
        why="log lines have no id the server deduplicates on: a repeat after a lost answer "
        "would store them twice",
    )
    async def create_logs(self, logs: Iterable[LogCreate | dict[str, Any]]) -> None:
        """Store log lines of flow and task runs (``LogCreate`` models or dicts of their fields).

        Every line is checked before anything is sent. Not retried on a lost answer: the server
        does not deduplicate logs, so a repeat could store them twice.
        """
        from pydantic import ValidationError as PydanticError

        from prefect_sdk.schemas import LogCreate

        if isinstance(logs, LogCreate | dict | str | bytes) or not isinstance(logs, Iterable):
            raise ValidationError(
                "logs must be a list (or other iterable) of LogCreate or dicts of its fields, "
                f"got {type(logs).__name__}; wrap a single log line in a list"
            )
        body: list[dict[str, Any]] = []
        for index, log in enumerate(logs):
            if not isinstance(log, LogCreate | dict):
                raise ValidationError(
                    f"logs[{index}] must be a LogCreate or a dict of its fields, "
                    f"got {type(log).__name__}"
                )
            try:
                model = log if isinstance(log, LogCreate) else LogCreate.model_validate(log)
            except PydanticError as exc:
                error = exc.errors()[0]
                where = ".".join(str(p) for p in error["loc"]) or "value"
                raise ValidationError(f"logs[{index}].{where}: {error['msg']}") from None
            body.append(model.model_dump(mode="json", exclude_none=True))
        if body:
            await self._call("create_logs", json=body)

    @operation("POST /logs/filter")
    async def read_logs(
        self,
        log_filter: LogFilter | None = None,
        limit: int | None = None,
        offset: int | None = None,
        sort: LogSort | str | None = None,
    ) -> list[Log]:
        """Read log lines matching ``log_filter``, oldest first unless ``sort`` says otherwise.

        ``limit`` above the server's page cap (200) is read in several pages.
        """
        from prefect_sdk.filters import LogSort
        from prefect_sdk.schemas import Log

        body = filtered_body(sort or LogSort.TIMESTAMP_ASC, LogSort, logs=log_filter)
        return await self._call_pages("read_logs", list[Log], body, limit, offset)

    @operation("POST /logs/filter")
    def iter_logs(
        self,
        log_filter: LogFilter | None = None,
        sort: LogSort | str | None = None,
        *,
        page_size: int = SERVER_PAGE_LIMIT,
    ) -> AsyncIterator[Log]:
        """Iterate over every matching log line (oldest first by default), ``page_size`` per
        request. Memory stays flat however many lines match."""
        from prefect_sdk.filters import LogSort
        from prefect_sdk.schemas import Log

        body = filtered_body(sort or LogSort.TIMESTAMP_ASC, LogSort, logs=log_filter)
        return self._call_iter("iter_logs", list[Log], body, page_size)


__all__ = ["LogAsyncClient"]
