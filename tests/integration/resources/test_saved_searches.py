"""Operations on saved searches against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from prefect_sdk.exceptions import ObjectNotFound, ValidationError
from prefect_sdk.schemas import SavedSearch, SavedSearchCreate, SavedSearchFilter
from tests._support import call_with, respond

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]

FAILED = SavedSearchFilter(
    object="flow_run", property="state", type="string", operation="equals", value="FAILED"
)


async def test_saved_search_lifecycle(client: Any, unique: Unique) -> None:
    name = unique("failed-runs")
    search = await client.create_saved_search(name, [FAILED])
    assert isinstance(search, SavedSearch)
    assert search.name == name and search.filters == [FAILED]
    assert (await client.read_saved_search(search.id)).filters == [FAILED]

    # Saving under the same name replaces the filters of the same search.
    tagged = {
        "object": "flow",
        "property": "tags",
        "type": "array",
        "operation": "any",
        "value": ["x"],
    }
    again = await client.create_saved_search(name, [tagged])
    assert again.id == search.id
    (stored,) = (await client.read_saved_search(search)).filters
    assert stored.model_dump() == tagged

    other = await client.create_saved_search(SavedSearchCreate(name=unique("empty-search")))
    assert other.filters == []
    everything = [s async for s in client.iter_saved_searches(page_size=2)]
    names = [s.name for s in everything]
    assert {name, other.name} <= set(names) and names == sorted(names)  # by name
    listed = await client.read_saved_searches()
    assert [s.id for s in listed] == [s.id for s in everything][: len(listed)]
    assert len(await client.read_saved_searches(limit=1)) == 1
    position = names.index(name)
    (at,) = await client.read_saved_searches(limit=1, offset=position)
    assert at.id == search.id

    await client.delete_saved_search(search.id)
    with pytest.raises(ObjectNotFound):
        await client.read_saved_search(search.id)
    with pytest.raises(ObjectNotFound):
        await client.delete_saved_search(search.id)
    await client.delete_saved_search(other)
    remaining = {s.id async for s in client.iter_saved_searches()}
    assert {search.id, other.id}.isdisjoint(remaining)


# -- arguments are checked before any request (no server needed) ------------------------------


@pytest.fixture
def kind(flavour: str) -> str:
    return "sync" if flavour == "sync" else "async"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("",), "name"),
        ((None,), "name"),
        (("s", "not-a-list"), "filters"),
        (("s", [{"object": "flow_run"}]), "property"),
        (("s", [{**FAILED.model_dump(), "extra": 1}]), "extra"),
        ((SavedSearchCreate(name="s"), [FAILED]), "filters"),
    ],
)
async def test_bad_saved_search_arguments(kind: str, args: tuple[Any, ...], match: str) -> None:
    handler, seen = respond(httpx.Response(500))
    with pytest.raises(ValidationError, match=match):
        await call_with(kind, handler, "create_saved_search", *args)
    for op, bad in (("read_saved_search", "x"), ("delete_saved_search", 7)):
        with pytest.raises(ValidationError, match="saved_search_id"):
            await call_with(kind, handler, op, bad)
    with pytest.raises(ValidationError, match="limit"):
        await call_with(kind, handler, "read_saved_searches", limit=-1)
    assert seen == []
