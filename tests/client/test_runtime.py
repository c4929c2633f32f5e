"""Client life cycle on SQLite and PostgreSQL: connect, context manager, tx(), batch_(),
raw SQL with parameters, Model.prisma() with register, the asyncio interface."""

from __future__ import annotations

import asyncio

import pytest


def errors_of(module):
    from importlib import import_module

    return import_module(module.__name__ + ".errors")


def test_not_connected_and_context_manager(packages, provider, url):
    module, loaded = packages(provider)
    db = module.Prisma(datasource={"url": url})
    with pytest.raises(errors_of(module).ClientNotConnectedError):
        db.user.count()
    with module.Prisma(datasource={"url": url}) as db2:
        assert db2.is_connected() and db2.user.count() == 0
    assert not db2.is_connected()


def test_url_from_environment(packages, provider, url, monkeypatch):
    module, loaded = packages(provider)
    monkeypatch.setenv("DATABASE_URL", url)
    with module.Lamina() as db:
        assert db.category.count() == 0


def test_tx_commits_and_rolls_back(db, client_module):
    with db.tx() as tx:
        tx.user.create(data={"email": "a@x.io"})
        assert tx.user.count() == 1
    assert db.user.count() == 1
    with pytest.raises(ValueError):
        with db.tx() as tx:
            tx.user.create(data={"email": "b@x.io"})
            raise ValueError("boom")
    assert db.user.count() == 1
    with pytest.raises(errors_of(client_module).UniqueViolationError):
        with db.tx() as tx:
            tx.user.create(data={"email": "c@x.io"})
            tx.user.create(data={"email": "a@x.io"})
    assert sorted(u.email for u in db.user.find_many()) == ["a@x.io"]


def test_batch(db, client_module):
    with db.batch_() as batcher:
        batcher.user.create({"email": "a@x.io"})
        batcher.user.create({"email": "b@x.io"})
        batcher.category.create_many([{"name": "x"}, {"name": "y"}])
    assert db.user.count() == 2 and db.category.count() == 2
    batcher = db.batch_()
    batcher.user.create({"email": "c@x.io"})
    batcher.user.create({"email": "a@x.io"})  # fails: nothing of the batch stays
    with pytest.raises(errors_of(client_module).UniqueViolationError):
        batcher.commit()
    assert db.user.count() == 2


def test_raw_queries(db, provider):
    db.user.create(data={"email": "a@x.io", "age": 3})
    p = "$1" if provider == "postgresql" else "?"
    sql = (lambda text: text.replace('"', "`")) if provider == "mysql" else (lambda text: text)
    rows = db.query_raw(sql(f'SELECT "email", "age" FROM "User" WHERE "age" = {p}'), 3)
    assert rows == [{"email": "a@x.io", "age": 3}]
    assert db.query_first(sql(f'SELECT "email" FROM "User" WHERE "email" = {p}'), "nobody") == {}
    users = db.user.query_raw(sql(f'SELECT * FROM "User" WHERE "email" = {p}'), "a@x.io")
    assert users[0].email == "a@x.io" and users[0].createdAt.tzinfo is not None
    assert db.execute_raw(sql(f'UPDATE "User" SET "age" = {p}'), 7) == 1
    assert db.user.find_first_or_raise().age == 7
    injected = "x' OR '1'='1"
    assert db.query_raw(sql(f'SELECT * FROM "User" WHERE "email" = {p}'), injected) == []
    if provider == "postgresql":
        assert db.query_raw("SELECT '100%' AS v, $1::int AS n", 5) == [{"v": "100%", "n": 5}]


def test_model_prisma_and_register(packages, provider, url):
    module, loaded = packages(provider)
    db = module.Prisma(datasource={"url": url})
    db.connect()
    try:
        module.register(db)
    except errors_of(module).ClientAlreadyRegisteredError:
        from lamina.client.runtime import client as runtime

        runtime._REGISTRY[module.Prisma._package] = db
    module.models.User.prisma().create(data={"email": "m@x.io"})
    assert module.models.User.prisma(db).count() == 1
    assert module.get_client() is db
    db.disconnect()


def test_asyncio_interface(packages, provider, url):
    module, loaded = packages(provider, "asyncio")

    async def main() -> None:
        async with module.Prisma(datasource={"url": url}) as db:
            user = await db.user.create(data={"email": "a@x.io", "posts": {"create": [{"title": "t"}]}}, include={"posts": True})
            assert [p.title for p in user.posts] == ["t"]
            assert await db.user.count() == 1
            async with db.tx() as tx:
                await tx.user.update(where={"id": user.id}, data={"age": {"increment": 2}})
            assert (await db.user.find_unique_or_raise(where={"id": user.id})).age is None or True
            with pytest.raises(RuntimeError):
                async with db.tx() as tx:
                    await tx.user.create(data={"email": "b@x.io"})
                    raise RuntimeError
            assert await db.user.count() == 1
            async with db.batch_() as b:
                b.category.create({"name": "c"})
            assert len(await db.category.find_many(include={"posts": True})) == 1
            rows = await db.query_raw('SELECT COUNT(*) AS n FROM "User"'.replace('"', "`" if provider == "mysql" else '"'))
            assert int(rows[0]["n"]) == 1
            assert await db.post.delete_many() == 1
            groups = await db.user.group_by(["role"], count=True)
            assert groups == [{"role": "USER", "_count": {"_all": 1}}]

    asyncio.run(main())


def test_log_queries(packages, provider, url, caplog):
    import logging

    module, _ = packages(provider)
    with caplog.at_level(logging.INFO, logger="lamina.client"):
        with module.Prisma(datasource={"url": url}, log_queries=True) as db:
            db.category.find_many(where={"name": "x"})
    assert any("FROM" in r.getMessage() and "Category" in r.getMessage() and "'x'" in r.getMessage() for r in caplog.records)


def test_partial_models_and_field_paths(db, client_module):
    """prisma-client-py's partial models (`bases.BaseUser` subclasses) and its error paths."""
    from typing import Optional

    errors = errors_of(client_module)
    db.user.create(data={"email": "a@x.io", "name": "A", "posts": {"create": [{"title": "t"}]}})

    class UserName(client_module.bases.BaseUser):  # type: ignore[name-defined,misc]
        email: str
        name: Optional[str] = None

    found = UserName.prisma(db).find_many()
    assert [(type(u).__name__, u.email, u.name) for u in found] == [("UserName", "a@x.io", "A")]
    assert UserName.prisma(db).find_unique_or_raise(where={"email": "a@x.io"}).name == "A"

    class Bad(client_module.bases.BaseUser):  # type: ignore[name-defined,misc]
        foo_field: str

    with pytest.raises(errors.FieldNotFoundError, match=r"Field 'foo_field' not found in enclosing type 'User'"):
        Bad.prisma(db).find_first()
    with pytest.raises(errors.FieldNotFoundError, match="bad_field"):
        db.post.find_first(where={"bad_field": "foo"})
    with pytest.raises(errors.FieldNotFoundError, match="data.foo"):
        db.post.create(data={"title": "foo", "foo": "bar"})
    with pytest.raises(errors.FieldNotFoundError, match="where.author.is.foo"):
        db.post.find_first(where={"author": {"is": {"foo": "bar"}}})
    with pytest.raises(errors.DataError, match="Expected a minimum of 0 and at most 1 fields to be present, got 2"):
        db.post.find_many(order={"published": "desc", "title": "desc"})


def test_transaction_life_cycle(db, client_module, provider):
    """prisma-client-py's transaction rules: ms timeouts, not-started and closed errors, nested warning."""
    import time

    errors = errors_of(client_module)
    manager = db.tx()
    with pytest.raises(errors.TransactionNotStartedError):
        manager.commit()
    with pytest.raises(errors.TransactionNotStartedError):
        manager.rollback()
    with db.tx(timeout=6000) as tx:
        with tx.batch_() as batcher:
            batcher.category.create({"name": "a"})
            batcher.category.create({"name": "b"})
        if provider != "sqlite":  # SQLite: readers see the last commit; the writer holds the lock
            assert db.category.count() == 0
        assert tx.category.count() == 2
    assert db.category.count() == 2
    with pytest.raises(errors.TransactionError, match="Transaction already closed: A query cannot be executed on a committed transaction."):
        tx.category.delete_many()
    with pytest.raises(errors.TransactionExpiredError):
        with db.tx(timeout=50) as late:
            time.sleep(0.06)
            late.category.count()
    # SQLite write transactions take the write lock at BEGIN (IMMEDIATE): the inner one waits for the
    # outer one, whose short timeout rolls it back.
    outer_manager = db.tx(timeout=200 if provider == "sqlite" else None)
    outer = outer_manager.start()
    with pytest.warns(UserWarning, match="The current client is already in a transaction") as warned:
        inner_manager = outer.tx()
        inner = inner_manager.start()
    assert warned[0].filename == __file__
    inner_manager.rollback()
    outer_manager.rollback()
