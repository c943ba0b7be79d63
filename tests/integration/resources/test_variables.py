"""Operations on variables against the real server, through both clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from prefect_sdk.exceptions import ObjectAlreadyExists, ObjectNotFound
from prefect_sdk.filters import VariableFilter
from prefect_sdk.schemas import Variable, VariableCreate, VariableUpdate

pytestmark = pytest.mark.anyio
Unique = Callable[[str], str]


def var_name(unique: Unique, prefix: str) -> str:
    return unique(prefix).replace("-", "_")  # names: lowercase letters, digits, '-' and '_'


async def test_variable_lifecycle(client: Any, unique: Unique) -> None:
    name = var_name(unique, "var")
    created = await client.create_variable(
        VariableCreate(name=name, value={"hosts": ["a", "b"], "port": 5432}, tags=["t1"])
    )
    assert isinstance(created, Variable)
    assert (created.name, created.value, created.tags) == (
        name,
        {"hosts": ["a", "b"], "port": 5432},
        ["t1"],
    )
    with pytest.raises(ObjectAlreadyExists) as info:
        await client.create_variable({"name": name, "value": 1})
    assert info.value.status_code == 409

    assert (await client.read_variable(created.id)).value == created.value
    assert (await client.read_variable(str(created.id))).name == name
    assert (await client.read_variable(created)).id == created.id  # anything with an .id
    by_name = await client.read_variable_by_name(name)
    assert by_name is not None and by_name.id == created.id
    assert await client.read_variable_by_name(var_name(unique, "missing")) is None

    only_this = VariableFilter(name=[name])
    assert [v.id for v in await client.read_variables(variable_filter=only_this)] == [created.id]
    assert await client.count_variables(only_this) == 1

    # update by name: an explicit None stores null; the tags are left alone
    await client.update_variable(VariableUpdate(name=name, value=None))
    updated = await client.read_variable(created.id)
    assert (updated.value, updated.tags) == (None, ["t1"])
    assert await client.get_variable(name, "default") is None  # null is a value, not "missing"

    # update by id can rename
    renamed = var_name(unique, "renamed")
    await client.update_variable_by_id(created.id, VariableUpdate(name=renamed, tags=["t2"]))
    after = await client.read_variable(created.id)
    assert (after.name, after.tags) == (renamed, ["t2"])
    assert await client.read_variable_by_name(name) is None
    with pytest.raises(ObjectNotFound):
        await client.update_variable(VariableUpdate(name=name, value=2))
    other = await client.create_variable(VariableCreate(name=name, value=0))
    with pytest.raises(ObjectAlreadyExists):  # the new name is taken
        await client.update_variable_by_id(other.id, {"name": renamed})

    await client.delete_variable_by_name(renamed)
    assert await client.read_variable_by_name(renamed) is None
    with pytest.raises(ObjectNotFound):
        await client.delete_variable_by_name(renamed)
    await client.delete_variable(other.id)
    with pytest.raises(ObjectNotFound):
        await client.read_variable(other.id)
    with pytest.raises(ObjectNotFound):
        await client.delete_variable(other)
    assert await client.count_variables(VariableFilter(name=[name, renamed])) == 0


VALUES: list[Any] = ["1", 1, 1.5, True, False, None, [1, "two", None], {"a": {"b": [True]}}]


async def test_every_json_value_round_trips_with_its_type(client: Any, unique: Unique) -> None:
    tag = unique("json-types")
    prefix = var_name(unique, "value")
    names = [f"{prefix}_{i}" for i in range(len(VALUES))]
    for name, value in zip(names, VALUES, strict=True):
        await client.set_variable(name, value, tags=[tag])
    for name, value in zip(names, VALUES, strict=True):
        got = await client.get_variable(name)
        assert got == value and type(got) is type(value)  # "1" stays a str, True a bool

    tagged = VariableFilter(tags=[tag])
    assert await client.count_variables(tagged) == len(VALUES)
    walked = [v.name async for v in client.iter_variables(variable_filter=tagged, page_size=3)]
    assert walked == sorted(names)  # by name, over three pages
    newest_first = await client.read_variables(sort="NAME_DESC", variable_filter=tagged)
    assert [v.name for v in newest_first] == sorted(names, reverse=True)
    page = await client.read_variables(2, 1, variable_filter=tagged)
    assert [v.name for v in page] == sorted(names)[1:3]
    for name in names:
        await client.delete_variable_by_name(name)
    assert await client.count_variables(tagged) == 0


async def test_set_and_get_variable(client: Any, unique: Unique, prefect_api: str) -> None:
    import prefect_sdk.variables as variables

    name = var_name(unique, "setting")
    assert await client.get_variable(name) is None
    assert await client.get_variable(name, default={"fallback": 1}) == {"fallback": 1}

    first = await client.set_variable(name, "v1", tags=["a"])
    assert (first.name, first.value, first.tags) == (name, "v1", ["a"])
    with pytest.raises(ObjectAlreadyExists):
        await client.set_variable(name, "v2")
    assert await client.get_variable(name) == "v1"  # unchanged

    second = await client.set_variable(name, ["v2"], overwrite=True)
    assert (second.id, second.value, second.tags) == (first.id, ["v2"], ["a"])  # tags kept
    third = await client.set_variable(name, 3, True, tags=[])
    assert (third.id, third.value, third.tags) == (first.id, 3, [])

    # The module functions: with this client, and with one made from PREFECT_API_URL.
    assert await variables.get_variable(name, client=client) == 3
    await variables.set_variable(name, {"k": "v"}, overwrite=True, client=client)
    assert await variables.get_variable(name) == {"k": "v"}
    with pytest.raises(ObjectAlreadyExists):
        await variables.set_variable(name, 4)
    made = await variables.set_variable(name, 5, overwrite=True)
    assert made.id == first.id and (await client.read_variable(first.id)).value == 5
    assert await variables.get_variable(var_name(unique, "absent"), "d") == "d"
    await client.delete_variable(first.id)
