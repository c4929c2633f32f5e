"""Lamina client per-query time beside the raw driver and SQLAlchemy 2 ORM, same work, same run.

Queries: find_unique by id; find_many of 100 rows with one include (to-one author);
create (insert one row, read it back). SQLite (sqlite3), PostgreSQL (psycopg 3) and MySQL/MariaDB
(PyMySQL; the server at 127.0.0.1:3306 or LAMINA_TEST_MYSQL, user root). PostgreSQL and MySQL run
in a temporary database, dropped at the end.
Each figure is the best of 5 rounds of N calls, in microseconds per call. Appends to results.md.

    python bench/client_bench.py [--quick]
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Mapped  # module level: the ORM models' annotations are resolved here

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SCHEMA = """
generator client {
  provider = "lamina"
  output   = "../benchclient___PROVIDER__"
}

datasource db {
  provider = "__PROVIDER__"
  url      = env("DATABASE_URL")
}

model User {
  id        String   @id @default(cuid())
  email     String   @unique
  name      String
  createdAt DateTime @default(now())
  posts     Post[]
}

model Post {
  id        Int      @id @default(autoincrement())
  title     String
  views     Int      @default(0)
  authorId  String
  author    User     @relation(fields: [authorId], references: [id])
}
"""

PG_SERVER = os.environ.get("LAMINA_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL_SERVER = os.environ.get("LAMINA_TEST_MYSQL", "mysql://root@127.0.0.1:3306/mysql")
QUICK = "--quick" in sys.argv
N = {"find_unique": 300 if QUICK else 2000, "find_many": 30 if QUICK else 300, "create": 100 if QUICK else 500}
ROUNDS = 3 if QUICK else 5


def interleaved(contenders: dict[tuple[str, str], object]) -> dict[str, dict[str, tuple[float, float]]]:
    """Best (wall, CPU) µs per call of each (implementation, query). Rounds alternate between the
    implementations so that a noisy moment on a shared machine hits all of them alike; CPU time
    is this process's own work (the client's overhead), which a busy database server does not inflate."""
    best: dict[tuple[str, str], tuple[float, float]] = {}
    for _ in range(ROUNDS):
        for (impl, query), fn in contenders.items():
            n = N[query]
            start, cpu = time.perf_counter(), time.process_time()
            for i in range(n):
                fn(i)  # type: ignore[operator]
            t = (time.perf_counter() - start) / n * 1e6
            c = (time.process_time() - cpu) / n * 1e6
            old = best.get((impl, query), (t, c))
            best[(impl, query)] = (min(t, old[0]), min(c, old[1]))
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for (impl, query), tc in best.items():
        out.setdefault(impl, {})[query] = tc
    return out


def setup(provider: str, root: Path, url: str):
    from tests.client.helpers import create_tables, generate

    module, loaded = generate(SCHEMA, root, f"benchclient_{provider}", provider)
    create_tables(loaded, url)
    return module


def seed(db) -> list[str]:
    ids = [db.user.create(data={"email": f"u{i}@x.io", "name": f"User {i}"}).id for i in range(10)]
    db.post.create_many(data=[{"title": f"post {i}", "authorId": ids[i % 10], "views": i} for i in range(100)])
    return ids


def sqlalchemy_models():
    from sqlalchemy import DateTime, ForeignKey, Integer, String
    from sqlalchemy.orm import DeclarativeBase, mapped_column, relationship

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "User"
        id: Mapped[str] = mapped_column(String, primary_key=True)
        email: Mapped[str] = mapped_column(String)
        name: Mapped[str] = mapped_column(String)
        createdAt: Mapped[dt.datetime] = mapped_column(DateTime)
        posts: Mapped[list["Post"]] = relationship(back_populates="author")

    class Post(Base):
        __tablename__ = "Post"
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        title: Mapped[str] = mapped_column(String)
        views: Mapped[int] = mapped_column(Integer)
        authorId: Mapped[str] = mapped_column(ForeignKey("User.id"))
        author: Mapped[User] = relationship(back_populates="posts")

    return User, Post


def run_provider(provider: str, url: str, raw_connect, sa_url: str, root: Path, ph: str) -> dict[str, dict[str, float]]:
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session, selectinload

    from lamina.client.runtime import ids as idgen

    module = setup(provider, root / provider, url)
    db = module.Prisma(datasource={"url": url})
    db.connect()
    user_ids = seed(db)
    contenders: dict[tuple[str, str], object] = {}

    # ---- Lamina
    contenders[("lamina", "find_unique")] = lambda i: db.user.find_unique(where={"id": user_ids[i % 10]})
    contenders[("lamina", "find_many")] = lambda i: db.post.find_many(take=100, include={"author": True})
    contenders[("lamina", "create")] = lambda i: db.user.create(data={"email": f"l{uuid.uuid4().hex}", "name": "n"})

    # ---- raw driver: the same statements, rows as dicts
    conn = raw_connect()
    q = "`" if provider == "mysql" else '"'
    user, post = f"{q}User{q}", f"{q}Post{q}"
    cols = ", ".join(f"{q}{c}{q}" for c in ("id", "email", "name", "createdAt"))
    pcols = ", ".join(f"{q}{c}{q}" for c in ("id", "title", "views", "authorId"))
    by_id = f"SELECT {cols} FROM {user} WHERE {q}id{q} = {ph} LIMIT 1"
    insert = f"INSERT INTO {user} ({cols}) VALUES ({ph}, {ph}, {ph}, {ph})"

    def raw_unique(i: int) -> None:
        cur = conn.execute(by_id, (user_ids[i % 10],))
        row = cur.fetchone()
        dict(zip(("id", "email", "name", "createdAt"), row))

    def raw_many(i: int) -> None:
        posts = [dict(zip(("id", "title", "views", "authorId"), r))
                 for r in conn.execute(f"SELECT {pcols} FROM {post} LIMIT 100").fetchall()]
        keys = list({p["authorId"] for p in posts})
        marks = ", ".join([ph] * len(keys))
        authors = {r[0]: dict(zip(("id", "email", "name", "createdAt"), r))
                   for r in conn.execute(f"SELECT {cols} FROM {user} WHERE {q}id{q} IN ({marks})", keys).fetchall()}
        for p in posts:
            p["author"] = authors.get(p["authorId"])

    def raw_create(i: int) -> None:
        now = idgen.now()
        value = int(now.timestamp() * 1000) if provider == "sqlite" else now.replace(tzinfo=None)
        new = (idgen.cuid(), f"r{uuid.uuid4().hex}", "n", value)
        if provider == "mysql":  # no RETURNING in MySQL: read the row back by its key, as the client does
            conn.execute(insert, new)
            row = conn.execute(by_id, new[:1]).fetchone()
        else:
            row = conn.execute(f"{insert} RETURNING {cols}", new).fetchone()
        dict(zip(("id", "email", "name", "createdAt"), row))

    contenders[("raw", "find_unique")] = raw_unique
    contenders[("raw", "find_many")] = raw_many
    contenders[("raw", "create")] = raw_create

    # ---- SQLAlchemy 2 ORM
    User, Post = sqlalchemy_models()
    engine = create_engine(sa_url)
    session = Session(engine)

    def sa_unique(i: int) -> None:
        session.expunge_all()
        session.execute(select(User).where(User.id == user_ids[i % 10])).scalar_one()

    def sa_many(i: int) -> None:
        session.expunge_all()
        session.scalars(select(Post).options(selectinload(Post.author)).limit(100)).all()

    def sa_create(i: int) -> None:
        u = User(id=idgen.cuid(), email=f"s{uuid.uuid4().hex}", name="n", createdAt=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
        session.add(u)
        session.commit()

    if provider == "sqlite":  # the ORM reads Prisma's integer-millisecond DateTime column as text otherwise
        from sqlalchemy import BigInteger
        User.__table__.c.createdAt.type = BigInteger()

        def sa_create(i: int) -> None:  # noqa: F811
            u = User(id=idgen.cuid(), email=f"s{uuid.uuid4().hex}", name="n", createdAt=int(time.time() * 1000))
            session.add(u)
            session.commit()

    contenders[("sqlalchemy", "find_unique")] = sa_unique
    contenders[("sqlalchemy", "find_many")] = sa_many
    contenders[("sqlalchemy", "create")] = sa_create
    out = interleaved(contenders)
    session.close()
    engine.dispose()
    conn.close()
    db.disconnect()
    return out


@contextmanager
def scratch_database(admin: Callable[[str], object], quote: str, drop_options: str = "") -> Iterator[str]:
    """The name of a new, empty database on the server `admin` runs statements on; dropped on exit."""
    name = f"lamina_bench_{uuid.uuid4().hex[:8]}"
    admin(f"CREATE DATABASE {quote}{name}{quote}")
    try:
        yield name
    finally:
        admin(f"DROP DATABASE IF EXISTS {quote}{name}{quote}{drop_options}")


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(sql)


def mysql_connect(database: str | None = None):
    """A PyMySQL connection (autocommit, utf8mb4, as the client's) with sqlite3's and psycopg's
    `conn.execute(sql, params)` returning the cursor, so the raw-driver contenders serve all three."""
    import pymysql

    from tests.conftest import _mysql_params

    class Connection(pymysql.connections.Connection):
        def execute(self, sql: str, params: object = None) -> pymysql.cursors.Cursor:
            cur = self._bench_cursor
            cur.execute(sql, params)
            return cur

    conn = Connection(database=database, autocommit=True, charset="utf8mb4", **_mysql_params(MYSQL_SERVER))
    conn._bench_cursor = conn.cursor()
    return conn


def mysql_admin(sql: str) -> tuple:
    conn = mysql_connect()
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def main() -> None:
    import psycopg

    from tests.dburls import with_database as _with_database

    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        path = root / "bench.db"
        results["SQLite"] = run_provider(
            "sqlite", f"file:{path}", lambda: sqlite3.connect(path, isolation_level=None),
            f"sqlite:///{path}", root, "?",
        )
        with scratch_database(pg_admin, '"', " WITH (FORCE)") as name:
            pg_url = _with_database(PG_SERVER, name)
            results["PostgreSQL"] = run_provider(
                "postgresql", pg_url, lambda: psycopg.connect(pg_url, autocommit=True),
                pg_url.replace("postgresql://", "postgresql+psycopg://"), root, "%s",
            )
        version = mysql_admin("SELECT VERSION()")[0][0].split("-")  # 10.11.19-MariaDB-0+deb12u1, 8.0.36
        with scratch_database(mysql_admin, "`") as name:
            my_url = _with_database(MYSQL_SERVER, name)
            results[f"MySQL ({' '.join(reversed(version[:2]))})"] = run_provider(
                "mysql", my_url, lambda: mysql_connect(name),
                my_url.replace("mysql://", "mysql+pymysql://") + "?charset=utf8mb4", root, "%s",
            )
    report(results)


def report(results: dict[str, dict[str, dict[str, tuple[float, float]]]]) -> None:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## client_bench.py — {stamp}{' (quick)' if QUICK else ''}", "",
             "µs per call, best of interleaved rounds: wall time, and in brackets this process's CPU time (the",
             "client's own work, which a loaded database server does not inflate). Goals: Lamina ≤ 1.5x the raw",
             "driver and faster than SQLAlchemy ORM.", "",
             "| database | query | raw driver | Lamina | SQLAlchemy ORM | Lamina/raw wall (CPU) | Lamina/ORM wall (CPU) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    labels = {"find_unique": "find_unique by id", "find_many": "find_many 100 rows + include", "create": "create"}
    for db_name, res in results.items():
        for q, label in labels.items():
            (rw, rc), (lw, lc), (sw, sc) = res["raw"][q], res["lamina"][q], res["sqlalchemy"][q]
            lines.append(
                f"| {db_name} | {label} | {rw:.1f} ({rc:.1f}) | {lw:.1f} ({lc:.1f}) | {sw:.1f} ({sc:.1f}) "
                f"| {lw / rw:.2f}x ({lc / rc:.2f}x) | {lw / sw:.2f}x ({lc / sc:.2f}x) |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    if QUICK:  # quick runs are for development; only full runs are recorded
        return
    with open(Path(__file__).parent / "results.md", "a", encoding="utf-8") as f:
        f.write("\n" + text)


if __name__ == "__main__":
    main()
