"""Logs: ``/logs/...``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from prefect_sdk.client._async import AsyncAPIClient
from prefect_sdk.client._operation import operation
from prefect_sdk.client._params import SERVER_PAGE_LIMIT, filtered_body
from prefect_sdk.exceptions import ValidationError

if TYPE_CHECKING:
    from prefect_sdk.filters import LogFilter, LogSort
    from prefect_sdk.schemas import Log, LogCreate


class LogAsyncClient(AsyncAPIClient):
    """Operations on logs."""

    @operation("POST /logs/")
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
                raise ValidationError(f"logs[{index}].{where}: {error['msg']}") from exc
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
    async def iter_logs(
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
        async for log in self._call_iter("iter_logs", list[Log], body, page_size):
            yield log


__all__ = ["LogAsyncClient"]
