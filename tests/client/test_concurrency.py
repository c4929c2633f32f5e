"""One client shared by many threads or asyncio tasks, and interactive transactions racing each
other: every write lands exactly once, nothing errors, and a transaction's increments are never
lost to another's (atomic `increment` under concurrent transactions)."""

from __future__ import annotations

import asyncio
import threading

import pytest

ALL = ["sqlite", "postgresql", "mysql"]


@pytest.mark.parametrize("provider", ALL)
def test_sixteen_threads_share_one_client(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": url})
    db.connect()
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(25):
                db.user.create(data={"email": f"t{t}-{i}@x.io", "name": str(t)})
                assert db.user.find_unique(where={"email": f"t{t}-{i}@x.io"}) is not None
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(120)
        assert errors == []
        assert db.user.count() == 16 * 25
        assert len({u.email for u in db.user.find_many()}) == 400
    finally:
        db.disconnect()


@pytest.mark.parametrize("provider", ALL)
def test_five_hundred_asyncio_tasks_share_one_client(packages, provider, url):
    module, _ = packages(provider, "asyncio")

    async def main() -> tuple[int, int]:
        db = module.Prisma(datasource={"url": url})
        await db.connect()
        try:
            made = await asyncio.gather(*(db.user.create(data={"email": f"a{i}@x.io"}) for i in range(500)))
            return len({u.id for u in made}), await db.user.count()
        finally:
            await db.disconnect()

    assert asyncio.run(main()) == (500, 500)


@pytest.mark.parametrize("provider", ALL)
def test_concurrent_transactions_lose_no_increment(packages, provider, url):
    module, _ = packages(provider)
    db = module.Prisma(datasource={"url": url})
    db.connect()
    db.user.create(data={"email": "counter@x.io"})
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(10):
                with db.tx(timeout=30000) as tx:
                    tx.user.update(where={"email": "counter@x.io"}, data={"points": {"increment": 1}})
                    tx.user.create(data={"email": f"{threading.get_ident()}-{_}@x.io"})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=work) for _ in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(180)
        assert errors == []
        assert db.user.find_unique_or_raise(where={"email": "counter@x.io"}).points == 80
        assert db.user.count() == 81
    finally:
        db.disconnect()
