"""PostgreSQL results as the client loads them (runtime/pg_results.py): timestamps as aware UTC
datetimes in psycopg's C loaders, and reads in binary format when every column's type loads to
the same value as in text. Users must get the same values either way."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from psycopg.pq import Format

from lamina.client.runtime import dialect as dialects, pg_results, reads
from tests.client.helpers import create_tables

# (expression, its type's OID) for every type pg_results.BINARY_SAME lets read in binary
SAME = [
    ("true", 16), ("NULL::bool", 16), ("'\\x00ff10'::bytea", 17), ("''::bytea", 17),
    ("9223372036854775807::int8", 20), ("(-32768)::int2", 21), ("2147483647::int4", 23), ("0::int4", 23),
    ("'héllo ☃ \"q\"'::text", 25), ("''::text", 25), ("'{\"a\": [1, 2.5, null, \"é\"]}'::json", 114),
    ("0.1::float8", 701), ("(1::float8 / 3)", 701), ("1e308::float8", 701), ("(-0.0)::float8", 701),
    ("5e-324::float8", 701), ("'NaN'::float8", 701), ("'-Infinity'::float8", 701),
    ("'ab'::char(4)", 1042), ("'abc'::varchar(9)", 1043), ("'2024-02-29'::date", 1082),
    ("'23:59:59.999'::time", 1083), ("'2024-02-29 23:59:59.999'::timestamp(3)", 1114),
    ("'0001-01-01 00:00:00'::timestamp", 1114), ("'9999-12-31 23:59:59.999'::timestamp(3)", 1114),
    ("'1969-12-31 23:59:59.001'::timestamp(3)", 1114), ("'2024-03-31 02:30:00+05:30'::timestamptz", 1184),
    ("1.50::numeric(10,2)", 1700), ("'NaN'::numeric", 1700), ("123456789012345678901234567890.123::numeric", 1700),
    ("0.000001::numeric", 1700), ("(-7)::numeric(65,30)", 1700),
    ("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid", 2950), ("'{\"b\": {\"c\": true}}'::jsonb", 3802),
]


def _cursor(conn):
    cur = conn.cursor()
    pg_results.utc_timestamps(cur)
    return cur


def test_every_binary_type_loads_as_in_text(postgres_url):
    assert {oid for _, oid in SAME} == pg_results.BINARY_SAME  # a type added there needs cases here
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("SET TIME ZONE 'America/New_York'")  # timestamps still come back in UTC
        cur = _cursor(conn)
        for expr, oid in SAME:
            text = cur.execute(f"SELECT {expr}").fetchone()[0]
            assert cur.pgresult.ftype(0) == oid
            binary = cur.execute(f"SELECT {expr}", binary=True).fetchone()[0]
            assert cur.pgresult.fformat(0) == Format.BINARY
            # repr: the same type, value, Decimal exponent, float sign and tzinfo
            assert repr(binary) == repr(text), expr


def test_the_types_left_out_load_otherwise_in_binary(postgres_url):
    """Why float4 and user-defined types (enums) are read in text."""
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TYPE mood AS ENUM ('happy')")
        cur = _cursor(conn)
        for expr in ("1.1::float4", "'happy'::mood"):
            text = cur.execute(f"SELECT {expr}").fetchone()[0]
            assert cur.pgresult.ftype(0) not in pg_results.BINARY_SAME
            assert cur.execute(f"SELECT {expr}", binary=True).fetchone()[0] != text


@pytest.mark.parametrize("binary", [False, True])
def test_timestamps_load_as_aware_utc_datetimes(postgres_url, binary):
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("SET TIME ZONE 'Asia/Kolkata'")
        cur = _cursor(conn)
        naive, aware = cur.execute("SELECT '2024-01-02 03:04:05.678'::timestamp(3), "
                                   "'2024-01-02 03:04:05.678+02'::timestamptz", binary=binary).fetchone()
        assert naive == datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc) and naive.tzinfo is timezone.utc
        assert aware == datetime(2024, 1, 2, 1, 4, 5, 678000, tzinfo=timezone.utc) and aware.tzinfo is timezone.utc
        plain = conn.cursor()  # other cursors of the connection keep psycopg's loaders
        assert plain.execute("SELECT '2024-01-02 03:04:05'::timestamp").fetchone()[0].tzinfo is None


def test_another_datestyle_in_text_gets_psycopgs_loaders(postgres_url):
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("SET DateStyle = 'SQL, DMY'")
        cur = _cursor(conn)
        value = cur.execute("SELECT '2024-01-02 03:04:05'::timestamp").fetchone()[0]
        assert value == datetime(2024, 1, 2, 3, 4, 5)  # not misread as ISO: psycopg's loader, naive


def _client(packages, url, interface="sync"):
    module, loaded = packages("postgresql", interface)
    create_tables(loaded, url)
    return module


def _binary(db, model: str) -> bool | None:
    """Whether the model's full reads come in binary format (None: no read yet)."""
    return pg_results.binary_choice.get(reads.record_maker(dialects.get("postgresql"), db._schema.models[model]))


def test_reads_of_plain_columns_come_in_binary_with_the_same_models(packages, postgres_url):
    db = _client(packages, postgres_url).Prisma(datasource={"url": postgres_url})
    db.connect()
    try:
        start = datetime(2024, 2, 29, 23, 59, 59, 999000, tzinfo=timezone.utc)
        db.kitchen.create_many(data=[
            {"big": 2**62 + i, "dec": "12.50", "blob": b"\x00\xff", "data": {"k": [i, None]}, "at": start + timedelta(days=i),
             "flt": i / 3, "flag": bool(i % 2), "code": f"c{i}", "region": "eu"} for i in range(2500)])
        db.user.create(data={"email": "a@x.io", "name": "A"})
        first = db.kitchen.find_many(order={"code": "asc"})  # in text: its columns are learnt
        assert _binary(db, "Kitchen") is True
        again = db.kitchen.find_many(order={"code": "asc"})  # in binary
        assert [k.__dict__ for k in again] == [k.__dict__ for k in first]
        assert [repr(v) for k in again for v in k.__dict__.values()] == [repr(v) for k in first for v in k.__dict__.values()]
        assert again[0] == type(again[0]).model_construct(**first[0].__dict__)
        seventh = next(k for k in again if k.code == "c7")
        assert seventh.at == start + timedelta(days=7) and seventh.at.tzinfo is timezone.utc and seventh.big == 2**62 + 7
        db.user.find_many()
        db.user.find_many()
        assert _binary(db, "User") is False  # an enum column
        assert db.user.find_many()[0].role == "USER"
    finally:
        db.disconnect()


def test_a_column_whose_type_changed_is_read_again_in_text(packages, postgres_url):
    db = _client(packages, postgres_url).Prisma(datasource={"url": postgres_url})
    db.connect()
    try:
        db.category.create(data={"name": "happy"})
        db.category.find_many()
        assert _binary(db, "Category") is True
        db.execute_raw("CREATE TYPE mood AS ENUM ('happy')")
        db.execute_raw('ALTER TABLE "Category" ALTER COLUMN "name" TYPE mood USING "name"::mood')
        assert [c.name for c in db.category.find_many()] == ["happy"]  # bytes in binary: sent again in text
        assert _binary(db, "Category") is False
        assert [c.name for c in db.category.find_many()] == ["happy"]
    finally:
        db.disconnect()


def test_asyncio_reads_in_binary_too(packages, postgres_url):
    module = _client(packages, postgres_url, "asyncio")

    async def main():
        db = module.Prisma(datasource={"url": postgres_url})
        await db.connect()
        try:
            await db.post.create_many(data=[{"title": f"t{i}", "views": i} for i in range(50)])
            first = await db.post.find_many(order={"id": "asc"})
            again = await db.post.find_many(order={"id": "asc"})
            assert _binary(db, "Post") is True
            assert [p.__dict__ for p in again] == [p.__dict__ for p in first]
            assert again[3].createdAt.tzinfo is timezone.utc and again[3].views == 3
        finally:
            await db.disconnect()

    asyncio.run(main())
