"""`stream()`: the models find_many returns, read batch by batch from a database cursor on one
pooled connection (SQLite, PostgreSQL, MariaDB; sync and asyncio), given back when the iterator
ends or is closed early, inside an interactive transaction too, with memory that does not grow
with the row count."""

from __future__ import annotations

import asyncio
import contextlib
import tracemalloc

import pytest

from lamina.client.runtime.errors import FieldNotFoundError


def _posts(db, n: int) -> None:
    db.post.create_many(data=[{"title": f"post {i:05d}", "views": i} for i in range(n)])


def test_stream_yields_what_find_many_returns(db):
    _posts(db, 2_345)
    args = {"where": {"views": {"gte": 10}}, "order": {"views": "desc"}, "skip": 3, "take": 2_000}
    streamed = list(db.post.stream(**args, batch_size=100))
    assert streamed == db.post.find_many(**args)
    assert len(streamed) == 2_000
    assert type(streamed[0]) is type(db.post.find_many(take=1)[0])


def test_stream_gives_its_connection_back(db):
    _posts(db, 50)
    for _ in range(3):
        it = db.post.stream(batch_size=7)
        assert next(it).title == "post 00000"
        it.close()  # an abandoned stream: its cursor closed, its connection back in the pool
    assert sum(1 for _ in db.post.stream(batch_size=7)) == 50
    assert db.post.count() == 50  # the pool still answers


def test_stream_inside_a_transaction_sees_its_writes(db):
    _posts(db, 10)
    with db.tx() as tx:
        tx.post.create(data={"title": "uncommitted", "views": 99})
        titles = [p.title for p in tx.post.stream(order={"views": "asc"}, batch_size=3)]
    assert titles[-1] == "uncommitted" and len(titles) == 11


def test_stream_arguments_are_checked_before_any_query(db):
    with pytest.raises(FieldNotFoundError):
        db.post.stream(take=-5)
    with pytest.raises(FieldNotFoundError):
        db.post.stream(batch_size=0)


def test_stream_memory_does_not_grow_with_the_rows(db):
    _posts(db, 6_000)

    def peak(take: int) -> int:
        tracemalloc.start()
        try:
            for _ in db.post.stream(take=take, order={"id": "asc"}, batch_size=200):
                pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(200)  # caches (compiled row makers, prepared statements) filled first
    small, large = peak(1_000), peak(6_000)
    assert large < small * 1.5 + 200_000  # six times the rows, about the same memory


def test_async_stream(packages, provider, url):
    module, _ = packages(provider, "asyncio")

    async def main() -> None:
        db = module.Prisma(datasource={"url": url})
        await db.connect()
        try:
            await db.post.create_many(data=[{"title": f"p{i:04d}", "views": i} for i in range(1_234)])
            got = [p.views async for p in db.post.stream(order={"views": "asc"}, batch_size=100)]
            assert got == list(range(1_234))
            async with contextlib.aclosing(db.post.stream(batch_size=10)) as it:
                async for _ in it:
                    break  # closed early: the connection goes back
            async with db.tx() as tx:
                await tx.post.create(data={"title": "in tx", "views": 5_000})
                last = [p async for p in tx.post.stream(where={"views": {"gte": 1_233}}, batch_size=1)]
                assert [p.title for p in last] == ["p1233", "in tx"]
            assert await db.post.count() == 1_235
        finally:
            await db.disconnect()

    asyncio.run(main())
