"""prisma-client-py compatibility with its default interface, asyncio: the same `prisma` import,
awaited actions, `async with` for batch_() and tx(), errors raised from awaits."""

from __future__ import annotations

import asyncio

import pytest

from tests.client.compat_env import compat_envs, prisma  # noqa: F401  (fixtures)
from tests.client.conftest import empty_tables

INTERFACE = "asyncio"


def test_async_client(prisma, compat_envs, provider):
    from prisma import Prisma, errors
    from prisma.models import User

    _, url = compat_envs(provider, INTERFACE)
    empty_tables(provider, url)

    async def main() -> None:
        client = Prisma(datasource={"url": url})
        await client.connect()
        try:
            post = await client.post.create({"title": "Hi", "author": {"create": {"name": "Bob"}}}, include={"author": True})
            assert post.author is not None and post.author.name == "Bob"
            assert await client.post.find_unique(where={"id": post.id}) == post.model_copy(update={"author": None})
            with pytest.raises(errors.RecordNotFoundError):
                await client.post.find_unique_or_raise(where={"id": "missing"})
            async with client.batch_() as batcher:
                batcher.user.create({"id": "abc", "name": "Robert"})
                batcher.user.update(where={"id": "abc"}, data={"name": "Roberto"})
            assert (await client.user.find_unique_or_raise(where={"id": "abc"})).name == "Roberto"
            with pytest.raises(errors.UniqueViolationError):
                async with client.batch_() as batcher:
                    batcher.user.create({"id": "dup", "name": "a"})
                    batcher.user.create({"id": "dup", "name": "b"})
            async with client.tx() as tx:
                await tx.user.create({"name": "Zed"})
            assert await client.user.count() == 3
            assert await client.user.count(select={"_all": True}) == {"_all": 3}
            groups = await client.user.group_by(["name"], count=True, order={"name": "asc"})
            assert [g["name"] for g in groups] == ["Bob", "Roberto", "Zed"]
            found = await client.query_raw(
                'SELECT * FROM "User" WHERE id = ' + ("$1" if provider == "postgresql" else "?"), "abc", model=User
            ) if provider != "mysql" else await client.query_raw("SELECT * FROM `User` WHERE id = ?", "abc", model=User)
            assert [u.name for u in found] == ["Roberto"]
        finally:
            await client.disconnect()

    asyncio.run(main())
