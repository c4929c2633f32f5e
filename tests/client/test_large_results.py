"""Large results: find_many builds its models as the driver reads the rows, with the cyclic
garbage collector paused while thousands of them are made. What users get back must not change:
each model is exactly what pydantic's `model_construct` makes of the same values."""

from __future__ import annotations

import gc
from datetime import datetime, timedelta, timezone

import pytest

from lamina.client.runtime import reads
from lamina.client.runtime.dialect import _naive_as_utc, _utc

ROWS = reads._PAUSE_GC_FROM + 500  # past the size from which the collector is paused


def _seed(db) -> datetime:
    start = datetime(2024, 2, 29, 23, 59, 59, 999000, tzinfo=timezone.utc)
    db.user.create_many(data=[
        {"email": f"u{i}@x.io", "name": None if i % 3 else f"n{i}", "age": i if i % 2 else None, "points": i / 7,
         "createdAt": start + timedelta(milliseconds=i)}
        for i in range(ROWS)])
    return start


def test_find_many_returns_what_model_construct_makes(db):
    start = _seed(db)
    users = db.user.find_many(order={"email": "asc"})
    assert len(users) == ROWS
    model = type(users[0])
    for user in users:
        expected = model.model_construct(**user.__dict__)
        assert user == expected and user.__dict__ == expected.__dict__
        assert user.__pydantic_fields_set__ == expected.__pydantic_fields_set__
        assert user.__pydantic_extra__ is None and user.__pydantic_private__ is None
        assert user.createdAt.tzinfo is timezone.utc and user.posts is None and user.profile is None
    by_email = {u.email: u for u in users}
    assert by_email["u7@x.io"].createdAt == start + timedelta(milliseconds=7)
    assert (by_email["u7@x.io"].name, by_email["u7@x.io"].age, by_email["u6@x.io"].name) == (None, 7, "n6")
    assert users[0].model_dump() == db.user.find_unique(where={"email": users[0].email}).model_dump()


def test_a_large_read_leaves_the_garbage_collector_as_it_found_it(db):
    _seed(db)
    assert gc.isenabled()
    assert len(db.user.find_many()) == ROWS
    assert gc.isenabled()
    gc.disable()  # the application's choice is kept
    try:
        assert len(db.user.find_many(include={"posts": True})) == ROWS
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("value", [
    datetime(2024, 1, 2, 3, 4, 5, 678000),
    datetime(2024, 11, 3, 1, 30, fold=1),
    datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))),
    datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
])
def test_datetime_decoders_give_what_replace_and_astimezone_gave(value):
    def same(a: datetime, b: datetime) -> bool:
        return (a, a.tzinfo, a.fold, type(a)) == (b, b.tzinfo, b.fold, type(b))

    assert same(_naive_as_utc(value), value.replace(tzinfo=timezone.utc))
    old_pg = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    assert same(_utc(value), old_pg)
