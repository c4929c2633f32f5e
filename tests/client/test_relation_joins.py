"""relationJoins and nativeDistinct (Prisma's preview features): includes loaded in one statement
(LATERAL joins and JSON aggregation on PostgreSQL, correlated JSON_ARRAYAGG subqueries on MariaDB),
`distinct` as DISTINCT ON on PostgreSQL. Both strategies must give the same models: checked on
chosen cases and, with hypothesis, on random data and random include trees."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sys
from pathlib import Path

import psycopg

from lamina.client.runtime.fields import Base64
from tests.client.conftest import SCHEMA, _drop_pg, _mysql, empty_tables
from tests.client.helpers import create_tables, generate
from tests.dburls import with_database

# The client test schema with the preview features, and a model holding every scalar type on the
# far side of a relation (their values travel through JSON with the join strategy).
JOIN_SCHEMA = SCHEMA.replace(
    '  interface = "__INTERFACE__"\n',
    '  interface = "__INTERFACE__"\n  previewFeatures = ["relationJoins", "nativeDistinct"]\n',
) + """
model Shelf {
  id   Int   @id @default(autoincrement())
  jars Jar[]
}

model Jar {
  id      Int      @id @default(autoincrement())
  shelfId Int
  shelf   Shelf    @relation(fields: [shelfId], references: [id])
  big     BigInt
  dec     Decimal
  blob    Bytes
  data    Json?
  at      DateTime
  flt     Float
  flag    Boolean
  level   Level
}
"""
JOIN_PROVIDERS = ["postgresql", "mysql"]


@pytest.fixture(scope="module")
def join_packages(tmp_path_factory):
    made: dict[tuple[str, str], Any] = {}

    def get(provider: str, interface: str = "sync") -> Any:
        if (provider, interface) not in made:
            name = f"lamina_joins_{provider}_{interface}"
            made[provider, interface] = generate(JOIN_SCHEMA, tmp_path_factory.mktemp(name), name, provider, interface)
        return made[provider, interface][0]

    return get


@pytest.fixture(scope="module")
def join_databases(request, join_packages):
    """provider -> URL of a database with JOIN_SCHEMA's tables, made once per module."""
    made: dict[str, str] = {}
    drops = []

    def get(provider: str) -> str:
        if provider not in made:
            name = f"lamina_joins_{uuid.uuid4().hex[:10]}"
            if provider == "postgresql":
                server = request.getfixturevalue("postgres_server")
                with psycopg.connect(server, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                drops.append(lambda: _drop_pg(server, name))
            else:
                server = request.getfixturevalue("mysql_server")
                _mysql(server, f"CREATE DATABASE `{name}`")
                drops.append(lambda: _mysql(server, f"DROP DATABASE IF EXISTS `{name}`"))
            url = with_database(server, name)
            join_packages(provider)
            module = sys.modules[f"lamina_joins_{provider}_sync"]
            create_tables(_loaded(module), url)
            made[provider] = url
        return made[provider]

    yield get
    for drop in drops:
        drop()


def _loaded(module: Any) -> Any:
    from lamina.project import locate_schema
    from lamina.psl.load import load_datamodel

    folder = Path(module.__file__).resolve().parent.parent
    return load_datamodel(locate_schema(folder / "prisma" / "schema.prisma"))


@pytest.fixture(params=JOIN_PROVIDERS)
def jdb(request, join_packages, join_databases):
    provider = request.param
    url = join_databases(provider)
    empty_tables(provider, url)
    client = join_packages(provider).Prisma(datasource={"url": url}, log_queries=True)
    client.connect()
    yield client
    client.disconnect()


def dump(value: Any) -> Any:
    if isinstance(value, list):
        return [dump(v) for v in value]
    return value.model_dump() if value is not None else None


def statements(caplog: Any, run: Any) -> tuple[Any, list[str]]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lamina.client"):
        result = run()
    # (a MySQL client's first joined read asks once whether the server is MariaDB)
    return result, [r.getMessage() for r in caplog.records
                    if r.name == "lamina.client" and not r.getMessage().startswith("SELECT VERSION()")]


def both(db: Any, caplog: Any, action: str, **args: Any) -> tuple[Any, list[str]]:
    """The result by the join strategy (with its statements), checked equal to the query strategy's."""
    method = getattr(db.user if "model" not in args else args.pop("model"), action)
    joined, sql = statements(caplog, lambda: method(relation_load_strategy="join", **args))
    queried = method(relation_load_strategy="query", **args)
    assert dump(joined) == dump(queried)
    return joined, sql


@pytest.fixture
def blog(jdb):
    at = datetime(2024, 5, 1, 12, 30, 15, 123000, tzinfo=UTC)
    cats = [jdb.category.create(data={"name": n}) for n in ("news", "tech", "art")]
    users = []
    for i, name in enumerate(["alice", "bob", "carol"]):
        u = jdb.user.create(data={"email": f"{name}@x.io", "name": name if i != 2 else None, "age": 20 + i,
                                  "role": "ADMIN" if i == 0 else "USER", "points": 1.5 * i})
        users.append(u)
        if i < 2:
            jdb.profile.create(data={"bio": f"bio {i}", "userId": u.id})
        for j in range(3 - i):
            jdb.post.create(data={
                "title": f"{name} post {j}", "published": j % 2 == 0, "views": (j * 7) % 5, "authorId": u.id,
                "createdAt": at + timedelta(days=j),
                "categories": {"connect": [{"id": c.id} for c in cats[: j + 1]]},
            })
    jdb.post.create(data={"title": "orphan", "views": 3})
    return users


def test_one_statement_with_the_same_models(jdb, blog, caplog):
    include = {
        "posts": {"include": {"categories": {"order_by": {"name": "desc"}}}, "order_by": {"views": "desc"}},
        "profile": True,
    }
    users, sql = both(jdb, caplog, "find_many", include=include, order={"email": "asc"})
    assert len(sql) == 1 and ("JOIN LATERAL" in sql[0] or "JSON_ARRAYAGG" in sql[0])
    assert [len(u.posts) for u in users] == [3, 2, 1]
    assert users[0].profile.bio == "bio 0" and users[2].profile is None
    assert [p.views for p in users[0].posts] == [4, 2, 0]  # (j * 7) % 5 for posts 0, 1, 2
    assert [c.name for c in users[0].posts[0].categories] == ["tech", "news", "art"]  # post 2 is in all three
    _, sql = statements(caplog, lambda: jdb.user.find_many(include=include, relation_load_strategy="query"))
    assert len(sql) == 4  # users, posts, categories, profiles
    _, sql = statements(caplog, lambda: jdb.user.find_many(include=include))  # join is the default with the feature
    assert len(sql) == 1


def test_include_arguments(jdb, blog, caplog):
    cases = [
        {"posts": {"where": {"published": True}, "take": 1}},
        {"posts": {"take": -2, "order_by": {"createdAt": "asc"}}},
        {"posts": {"skip": 1}},
        {"posts": {"skip": 1, "take": 1, "order_by": [{"published": "desc"}, {"title": "asc"}]}},
        {"posts": {"where": {"categories": {"some": {"name": "tech"}}}, "include": {"author": True}}},
        {"posts": {"include": {"categories": {"include": {"posts": {"take": 1}}}}}},
    ]
    for include in cases:
        both(jdb, caplog, "find_many", include=include, order={"email": "desc"}, take=2)
    post, _ = both(jdb, caplog, "find_first", model=jdb.post, where={"title": "orphan"}, include={"author": True})
    assert post.author is None
    user, sql = both(jdb, caplog, "find_unique", where={"email": "alice@x.io"}, include={"posts": {"take": 1}})
    assert len(sql) == 1 and len(user.posts) == 1
    found, _ = both(jdb, caplog, "find_first_or_raise", where={"email": "bob@x.io"}, include={"profile": True})
    assert found.profile.bio == "bio 1"


def test_writes_take_the_strategy_for_their_include(jdb, blog, caplog):
    """create, update, upsert and delete return their record with its include by either strategy,
    as Prisma's relationLoadStrategy on those actions; the joined read is one statement."""
    alice = blog[0]
    include = {"posts": {"order_by": {"title": "asc"}}, "profile": True}
    created, sql = statements(caplog, lambda: jdb.user.create(
        data={"email": "dan@x.io", "posts": {"create": [{"title": "d1"}, {"title": "d0"}]}},
        include=include, relation_load_strategy="join"))
    assert [p.title for p in created.posts] == ["d0", "d1"] and created.profile is None
    assert sum("JOIN LATERAL" in s or "JSON_ARRAYAGG" in s for s in sql) == 1
    for strategy in ("join", "query"):
        updated = jdb.user.update(where={"id": alice.id}, data={"age": 40}, include=include,
                                  relation_load_strategy=strategy)
        assert updated.age == 40 and len(updated.posts) == 3 and updated.profile.bio == "bio 0"
        upserted = jdb.user.upsert(where={"email": "erin@x.io"}, data={"create": {"email": "erin@x.io"}, "update": {}},
                                   include=include, relation_load_strategy=strategy)
        assert upserted.email == "erin@x.io" and upserted.posts == []
    deleted = jdb.user.delete(where={"email": "erin@x.io"}, include=include, relation_load_strategy="join")
    assert deleted.email == "erin@x.io" and deleted.posts == []
    with pytest.raises(Exception, match='expected "join" or "query"'):
        jdb.user.create(data={"email": "x@x.io"}, relation_load_strategy="lateral")
    assert jdb.user.count(where={"email": "x@x.io"}) == 0  # refused before any statement


def test_relation_kinds(jdb, caplog):
    """Implicit m:n (a self-relation, both sides), composite foreign keys, to-one and to-many."""
    for name in ("tiger", "goat", "grass"):
        jdb.animal.create(data={"name": name, "level": "HIGH" if name == "tiger" else "LOW"})
    jdb.animal.update(where={"name": "tiger"}, data={"a_eats": {"connect": [{"name": "goat"}]}})
    jdb.animal.update(where={"name": "goat"}, data={"a_eats": {"connect": [{"name": "grass"}]}})
    jdb.zoo.create(data={"city": "Berlin", "name": "Tierpark"})
    tiger = jdb.animal.find_unique_or_raise(where={"name": "tiger"})
    jdb.visit.create(data={"zooCity": "Berlin", "zooName": "Tierpark", "animalId": tiger.id})
    animals, sql = both(jdb, caplog, "find_many", model=jdb.animal, order={"name": "desc"},
                        include={"a_eats": {"include": {"b_eatenBy": True}}, "b_eatenBy": True,
                                 "visits": {"include": {"zoo": {"include": {"visits": True}}}}})
    assert len(sql) == 1
    assert [a.name for a in animals] == ["tiger", "grass", "goat"]
    assert [a.name for a in animals[0].a_eats] == ["goat"] and animals[0].visits[0].zoo.name == "Tierpark"
    assert [a.name for a in animals[2].b_eatenBy] == ["tiger"]
    zoos, _ = both(jdb, caplog, "find_many", model=jdb.zoo, include={"visits": {"include": {"animal": True}}})
    assert zoos[0].visits[0].animal.level == "HIGH"


def test_every_scalar_type_through_json(jdb, caplog):
    """BigInt, Decimal, Bytes, Json, DateTime, Float, Boolean and enums read through the JSON of an
    include equal what the query strategy reads from the columns."""
    shelf = jdb.shelf.create(data={})
    values = [
        {"big": 2**62 + 1, "dec": Decimal("12345678901234.5678"), "blob": b"\x00\xffbytes", "data": {"a": [1, "x", None]},
         "at": datetime(2020, 2, 29, 23, 59, 59, 999000, tzinfo=UTC), "flt": 0.1, "flag": True, "level": "HIGH"},
        {"big": -1, "dec": Decimal("0.5"), "blob": b"", "data": "just text", "at": datetime(1970, 1, 1, tzinfo=UTC),
         "flt": 1.0, "flag": False, "level": "LOW"},
        {"big": 0, "dec": Decimal("-7"), "blob": b"a" * 100, "data": None, "at": datetime(2099, 12, 31, 1, 2, 3, tzinfo=UTC),
         "flt": -2.5e-10, "flag": False, "level": "LOW"},
    ]
    for v in values:
        data = dict(v, shelfId=shelf.id)
        if v["data"] is None:
            del data["data"]
        elif isinstance(v["data"], str):
            data["data"] = json.dumps(v["data"])  # a str is JSON text for a Json field (prisma-client-py)
        data["blob"] = Base64.encode(v["blob"])
        jdb.jar.create(data=data)
    shelves, sql = both(jdb, caplog, "find_many", model=jdb.shelf, include={"jars": {"order_by": {"id": "asc"}}})
    assert len(sql) == 1
    jars = shelves[0].jars
    assert [j.big for j in jars] == [2**62 + 1, -1, 0]
    assert [j.dec for j in jars] == [Decimal("12345678901234.5678"), Decimal("0.5"), Decimal("-7")]
    assert [j.blob.decode() for j in jars] == [b"\x00\xffbytes", b"", b"a" * 100]
    assert [j.data for j in jars] == [{"a": [1, "x", None]}, "just text", None]
    assert jars[0].at == datetime(2020, 2, 29, 23, 59, 59, 999000, tzinfo=UTC)
    assert [j.flt for j in jars] == [0.1, 1.0, -2.5e-10] and all(type(j.flt) is float for j in jars)
    assert [j.flag for j in jars] == [True, False, False] and [j.level for j in jars] == ["HIGH", "LOW", "LOW"]
    back, _ = both(jdb, caplog, "find_many", model=jdb.jar, include={"shelf": {"include": {"jars": {"take": 1}}}})
    assert back[2].shelf.jars[0].big == 2**62 + 1


def test_strategy_argument_is_checked(jdb, packages, databases):
    with pytest.raises(Exception) as bad:
        jdb.user.find_many(include={"posts": True}, relation_load_strategy="lateral")
    assert "expected \"join\" or \"query\"" in str(bad.value)
    plain, _ = packages("postgresql")
    client = plain.Prisma(datasource={"url": databases("postgresql")})
    client.connect()
    try:
        with pytest.raises(Exception) as off:
            client.user.find_many(relation_load_strategy="join")  # type: ignore[call-arg]
        assert "unexpected keyword argument" in str(off.value)
    finally:
        client.disconnect()


def test_distinct_on_postgresql(jdb, blog, caplog):
    """nativeDistinct: DISTINCT ON on PostgreSQL, the same rows as the in-memory distinct."""
    cases = [
        {"distinct": ["published"]},
        {"distinct": ["published", "views"], "order": {"title": "desc"}},
        {"distinct": ["authorId"], "order": [{"views": "asc"}], "take": 2, "skip": 1},
        {"distinct": ["views"], "where": {"published": True}, "include": {"author": True}},
    ]
    for args in cases:
        native, sql = statements(caplog, lambda: jdb.post.find_many(**args))
        jdb._schema.native_distinct = False
        try:
            memory = jdb.post.find_many(**args)
        finally:
            jdb._schema.native_distinct = True
        assert dump(native) == dump(memory), args
        is_pg = jdb._active_provider == "postgresql"
        assert ("DISTINCT ON" in sql[0]) is is_pg


@pytest.mark.parametrize("provider", JOIN_PROVIDERS)
def test_asyncio_client_joins(provider, join_packages, join_databases):
    import asyncio

    url = join_databases(provider)
    empty_tables(provider, url)
    module = join_packages(provider, "asyncio")

    async def main() -> None:
        async with module.Prisma(datasource={"url": url}) as db:
            u = await db.user.create(data={"email": "a@x.io", "posts": {"create": [{"title": "p1"}, {"title": "p2"}]}})
            joined = await db.user.find_unique(where={"id": u.id}, include={"posts": True}, relation_load_strategy="join")
            queried = await db.user.find_unique(where={"id": u.id}, include={"posts": True}, relation_load_strategy="query")
            assert joined is not None and dump(joined) == dump(queried)
            assert [p.title for p in joined.posts] == ["p1", "p2"]

    asyncio.run(main())


# ---------------------------------------------------------------- property


def _spec(depth: int) -> Any:
    """A random include argument for User.posts / Post.categories / Post.author... trees."""
    return st.fixed_dictionaries({}, optional={
        "where": st.sampled_from([{"published": True}, {"views": {"gt": 1}}, {"title": {"contains": "1"}}]),
        "take": st.integers(-3, 3),
        "skip": st.integers(0, 2),
        "order_by": st.sampled_from([{"views": "asc"}, {"views": "desc"}, {"title": "desc"},
                                     [{"published": "asc"}, {"createdAt": "desc"}]]),
    })


_POST_INCLUDE = st.fixed_dictionaries({}, optional={
    "author": st.just(True),
    "categories": st.one_of(st.just(True), st.fixed_dictionaries({}, optional={
        "take": st.integers(-2, 2), "order_by": st.sampled_from([{"name": "asc"}, {"name": "desc"}])})),
})

_USER_INCLUDE = st.fixed_dictionaries({}, optional={
    "profile": st.booleans(),
    "posts": st.one_of(st.just(True), _spec(1).flatmap(
        lambda spec: _POST_INCLUDE.map(lambda inc: {**spec, **({"include": inc} if inc else {})}))),
})

_DATA = st.lists(
    st.tuples(st.booleans(), st.lists(st.tuples(st.booleans(), st.integers(0, 4), st.sets(st.integers(0, 3))),
                                      max_size=5)),
    min_size=1, max_size=6,
)


@pytest.mark.parametrize("provider", JOIN_PROVIDERS)
def test_join_equals_query_on_random_data(provider, join_packages, join_databases):
    url = join_databases(provider)
    module = join_packages(provider)

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(data=_DATA, include=_USER_INCLUDE, take=st.one_of(st.none(), st.integers(-4, 4)),
           order=st.sampled_from([None, {"email": "asc"}, {"age": "desc"}]))
    def check(data: Any, include: Any, take: Any, order: Any) -> None:
        empty_tables(provider, url)
        with module.Prisma(datasource={"url": url}) as db:
            cats = [db.category.create(data={"name": f"c{i}"}).id for i in range(4)]
            for i, (has_profile, posts) in enumerate(data):
                u = db.user.create(data={"email": f"u{i}-{uuid.uuid4().hex[:6]}@x.io", "age": i % 3})
                if has_profile:
                    db.profile.create(data={"bio": f"b{i}", "userId": u.id})
                for j, (published, views, in_cats) in enumerate(posts):
                    db.post.create(data={"title": f"t{j}", "published": published, "views": views, "authorId": u.id,
                                         "categories": {"connect": [{"id": cats[c]} for c in sorted(in_cats)]}})
            args: dict[str, Any] = {"include": include or {"posts": True}, "take": take,
                                    "order": order or {"email": "asc"}}
            joined = db.user.find_many(relation_load_strategy="join", **args)
            queried = db.user.find_many(relation_load_strategy="query", **args)
            assert dump(joined) == dump(queried)

    check()
