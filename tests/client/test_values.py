"""Values round-trip exactly: BigInt, Decimal, Bytes, Json, DateTime, Float, Boolean; compound uniques."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest


def row(module, **over):
    data = {
        "big": 9_007_199_254_740_993, "dec": Decimal("12345.678901"), "blob": module.Base64.encode(b"\x00\xffbytes"),
        "data": module.Json({"a": [1, 2.5, None, True], "nested": {"s": "é"}}),
        "at": datetime(2024, 2, 29, 23, 59, 58, 123000, tzinfo=timezone.utc), "flt": 0.1, "flag": False,
        "code": "k1", "region": "eu",
    }
    data.update(over)
    return data


def test_round_trip(db, client_module):
    created = db.kitchen.create(data=row(client_module))
    found = db.kitchen.find_unique_or_raise(where={"id": created.id})
    for k in (created, found):
        assert k.big == 9_007_199_254_740_993
        assert k.dec == Decimal("12345.678901")
        assert k.blob.decode() == b"\x00\xffbytes"
        assert k.data == {"a": [1, 2.5, None, True], "nested": {"s": "é"}}
        assert k.at == datetime(2024, 2, 29, 23, 59, 58, 123000, tzinfo=timezone.utc)
        assert k.flt == 0.1 and k.flag is False


def test_datetime_precision_and_zones(db, client_module):
    cet = timezone(timedelta(hours=1))
    k = db.kitchen.create(data=row(client_module, at=datetime(2024, 1, 1, 1, 0, 0, 999999, tzinfo=cet)))
    assert k.at == datetime(2024, 1, 1, 0, 0, 0, 999000, tzinfo=timezone.utc)  # milliseconds, UTC
    assert db.kitchen.count(where={"at": {"lt": datetime(2024, 1, 1, 0, 0, 1, tzinfo=timezone.utc)}}) == 1
    assert db.kitchen.count(where={"at": {"gt": datetime(2024, 1, 1, 0, 0, 1, tzinfo=timezone.utc)}}) == 0


def test_filters_on_typed_values(db, client_module):
    db.kitchen.create(data=row(client_module, code="a", big=1, dec=Decimal("1.10")))
    db.kitchen.create(data=row(client_module, code="b", big=2**62, dec=Decimal("2")))
    assert [k.code for k in db.kitchen.find_many(where={"big": {"gt": 2**40}})] == ["b"]
    assert [k.code for k in db.kitchen.find_many(where={"dec": {"lt": Decimal("1.5")}})] == ["a"]
    assert db.kitchen.find_first_or_raise(where={"code": "a"}).dec == Decimal("1.1")
    assert db.kitchen.count(where={"blob": client_module.Base64.encode(b"\x00\xffbytes")}) == 2
    assert db.kitchen.count(where={"flag": {"not": True}}) == 2


def test_compound_unique(db, client_module):
    db.kitchen.create(data=row(client_module))
    found = db.kitchen.find_unique(where={"code_region": {"code": "k1", "region": "eu"}})
    assert found is not None and found.code == "k1"
    assert db.kitchen.find_unique(where={"code_region": {"code": "k1", "region": "us"}}) is None
    updated = db.kitchen.update(where={"code_region": {"code": "k1", "region": "eu"}}, data={"big": {"increment": 1}})
    assert updated.big == 9_007_199_254_740_994
    from importlib import import_module

    errors = import_module(client_module.__name__ + ".errors")
    with pytest.raises(errors.UniqueViolationError):
        db.kitchen.create(data=row(client_module))


def test_json_update_and_null(db, client_module):
    k = db.kitchen.create(data=row(client_module, data=client_module.Json([1, "two"])))
    assert k.data == [1, "two"]
    k = db.kitchen.update(where={"id": k.id}, data={"data": client_module.Json({"k": "v"})})
    assert k.data == {"k": "v"}


def test_sqlite_timestamp_formats(tmp_path, sqlite_url):
    """Integer milliseconds by default (Prisma's native engine); ISO 8601 text when asked (Prisma 7 adapters)."""
    import sqlite3

    from tests.client.conftest import SCHEMA
    from tests.client.helpers import create_tables, generate

    text = SCHEMA.replace('interface = "__INTERFACE__"', 'interface = "__INTERFACE__"\n  sqlite_timestamp_format = "iso8601"')
    module, loaded = generate(text, tmp_path / "iso", "lamina_test_iso", "sqlite")
    create_tables(loaded, sqlite_url)
    at = datetime(2024, 5, 6, 7, 8, 9, 10_000, tzinfo=timezone.utc)
    with module.Prisma(datasource={"url": sqlite_url}) as db:
        k = db.kitchen.create(data=row(module, at=at))
        assert k.at == at
        assert db.kitchen.count(where={"at": {"gte": at}}) == 1
        db.execute_raw('INSERT INTO "Category" ("name") VALUES (?)', "c")
    path = sqlite_url.split(":", 1)[1]
    stored = sqlite3.connect(path).execute('SELECT "at" FROM "Kitchen"').fetchone()[0]
    assert stored == "2024-05-06T07:08:09.010Z"


def test_sqlite_default_stores_milliseconds(packages, sqlite_url):
    import sqlite3

    module, loaded = packages("sqlite")
    from tests.client.helpers import create_tables

    create_tables(loaded, sqlite_url)
    at = datetime(2024, 5, 6, 7, 8, 9, 10_000, tzinfo=timezone.utc)
    with module.Prisma(datasource={"url": sqlite_url}) as db:
        db.kitchen.create(data=row(module, at=at))
        conn = sqlite3.connect(sqlite_url.split(":", 1)[1])
        assert conn.execute('SELECT "at" FROM "Kitchen"').fetchone()[0] == 1714979289010
        conn.execute("UPDATE \"Kitchen\" SET \"at\" = '2024-05-06 07:08:09'")  # CURRENT_TIMESTAMP-style text
        conn.commit()
        assert db.kitchen.find_first_or_raise().at == datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
