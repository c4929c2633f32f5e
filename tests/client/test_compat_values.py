"""prisma-client-py compatibility: value types (Decimal, BigInt, Bytes as Base64, Json,
DateTime, Float, enums), insensitive string filters, PostgreSQL scalar lists, raw queries
returning models, batch_() and tx() semantics."""

from __future__ import annotations

import datetime
from decimal import Decimal, localcontext

import pytest

from tests.client.compat_env import client, compat_envs, prisma  # noqa: F401  (fixtures)

UTC = datetime.timezone.utc


def test_decimal(client):
    assert client.types.create({}).decimal_ == Decimal(1)
    with localcontext() as ctx:
        ctx.prec = 16
        value = Decimal(1) / Decimal(7)
    made = client.types.create(data={"decimal_": value})
    assert made.decimal_ == value and str(made.decimal_) == "0.1428571428571429"
    client.types.delete_many()
    for v in ("1", "2.1234", "3"):
        client.types.create({"decimal_": Decimal(v), "string": v})
    assert client.types.count(where={"decimal_": Decimal(1)}) == 1
    assert str(client.types.find_first_or_raise(where={"decimal_": {"equals": Decimal("2.1234")}}).decimal_) == "2.1234"
    assert [t.decimal_ for t in client.types.find_many(where={"decimal_": {"not_in": [Decimal(1), Decimal(3)]}})] == [Decimal("2.1234")]
    assert client.types.find_first(where={"decimal_": {"lte": Decimal("0.99999")}}) is None
    assert client.types.find_first_or_raise(where={"decimal_": {"gt": Decimal("0.99999")}}, order={"decimal_": "asc"}).decimal_ == 1
    found = client.types.find_many(where={"decimal_": {"in": [Decimal(3), Decimal(1), Decimal(2)]}}, order={"decimal_": "asc"})
    assert [t.decimal_ for t in found] == [Decimal(1), Decimal(3)]
    assert client.types.find_first_or_raise(where={"decimal_": {"not": {"equals": Decimal(1)}}}, order={"decimal_": "asc"}).string == "2.1234"
    client.types.update_many(where={"string": "1"}, data={"optional_decimal": None})
    assert client.types.count(where={"optional_decimal": None}) == 1
    assert client.types.count(where={"NOT": [{"optional_decimal": None}]}) == 2


def test_bigint_int_float(client):
    big = 2**62 + 7
    made = client.types.create({"bigint": big, "integer": 2**31 - 1, "float_": 1.5})
    assert (made.bigint, made.integer, made.float_) == (big, 2**31 - 1, 1.5)
    assert isinstance(made.bigint, int) and isinstance(made.float_, float)
    assert client.types.find_first_or_raise(where={"bigint": {"gt": 2**62}}).id == made.id
    updated = client.types.update(where={"id": made.id}, data={"bigint": {"increment": 3}, "float_": {"multiply": 2},
                                                               "integer": {"decrement": 1}})
    assert (updated.bigint, updated.float_, updated.integer) == (big + 3, 3.0, 2**31 - 2)
    updated = client.types.update(where={"id": made.id}, data={"integer": {"divide": 2}, "float_": {"divide": 4}})
    assert (updated.integer, updated.float_) == ((2**31 - 2) // 2, 0.75)
    assert client.types.find_first(where={"float_": {"lt": 0.75}}) is None


def test_bytes_base64(client, prisma):
    from prisma import Base64

    made = client.types.create({"bytes": Base64.encode(b"foo")})
    assert isinstance(made.bytes, Base64) and made.bytes.decode() == b"foo" and made.bytes.decode_str() == "foo"
    assert client.types.find_first_or_raise(where={"bytes": Base64.encode(b"foo")}).id == made.id
    assert client.types.find_first(where={"bytes": Base64.encode(b"bar")}) is None
    assert client.types.create({}).bytes.decode() == b""
    assert Base64.fromb64(b"Zm9v") == made.bytes and made.bytes.decode_str() == "foo"


def test_datetime(client):
    moment = datetime.datetime(2022, 2, 3, 4, 5, 6, 789123, tzinfo=UTC)
    made = client.types.create({"datetime_": moment})
    assert made.datetime_ == moment.replace(microsecond=789000) and made.datetime_.tzinfo is not None
    other_zone = datetime.timezone(datetime.timedelta(hours=2))
    assert client.types.find_first_or_raise(where={"datetime_": {"equals": moment.replace(microsecond=789000).astimezone(other_zone)}}).id == made.id
    assert client.types.count(where={"datetime_": {"gt": moment - datetime.timedelta(days=1), "lt": moment + datetime.timedelta(days=1)}}) == 1
    naive = client.types.create({"datetime_": datetime.datetime(2020, 1, 1, 12, 0)})
    assert naive.datetime_ == datetime.datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
    assert client.types.update(where={"id": naive.id}, data={"optional_datetime": None}).optional_datetime is None


# Json and enums: where prisma-client-py tests them (not SQLite).
@pytest.mark.parametrize("provider", ["postgresql", "mysql"])
def test_json_and_enum(client, prisma, provider):
    from prisma import Json
    from prisma.enums import Role

    made = client.types.create({"json_obj": Json({"foo": ["bar", 1, None, True]})})
    assert made.json_obj == {"foo": ["bar", 1, None, True]} and made.enum == Role.USER
    assert client.types.create({}).json_obj == {}
    assert client.types.create({"json_obj": Json("text")}).json_obj == "text"
    assert client.types.create({"json_obj": Json(None)}).json_obj is None
    updated = client.types.update(where={"id": made.id}, data={"json_obj": Json([1, 2]), "enum": Role.ADMIN})
    assert (updated.json_obj, updated.enum) == ([1, 2], Role.ADMIN)
    assert client.types.find_first_or_raise(where={"json_obj": {"equals": Json([1, 2])}}).id == made.id
    assert client.types.count(where={"enum": {"in": [Role.ADMIN, Role.EDITOR]}}) == 1
    user = client.user.create({"name": "Robert", "role": "EDITOR"})
    assert user.role == Role.EDITOR and str(user.role) == "EDITOR"


def test_insensitive_filters(client, provider):
    for name in ("Robert", "robert", "ROBERT", "Tegan"):
        client.user.create({"name": name})
    if provider == "sqlite":  # prisma-client-py's suite leaves case_sensitivity out on SQLite; Prisma refuses `mode`
        return
    names = lambda where: sorted(u.name for u in client.user.find_many(where=where))  # noqa: E731
    assert names({"name": {"equals": "robert", "mode": "insensitive"}}) == ["ROBERT", "Robert", "robert"]
    assert names({"name": {"contains": "OBE", "mode": "insensitive"}}) == ["ROBERT", "Robert", "robert"]
    assert names({"name": {"startswith": "t", "mode": "insensitive"}}) == ["Tegan"]
    if provider == "postgresql":  # the default mode is case sensitive where the database compares so
        assert names({"name": {"equals": "robert"}}) == ["robert"]
        assert names({"name": {"contains": "OBE", "mode": "default"}}) == ["ROBERT"]


# Scalar lists are PostgreSQL's.
@pytest.mark.parametrize("provider", ["postgresql"])
def test_scalar_lists(client, prisma, provider):
    from prisma import Base64, Json
    from prisma.enums import Role

    when = datetime.datetime(2021, 1, 1, tzinfo=UTC)
    made = client.lists.create({
        "strings": ["a", "b"], "bytes": [Base64.encode(b"x")], "dates": [when], "bools": [True, False],
        "ints": [1, 2], "floats": [1.5], "bigints": [2**40], "decimals": [Decimal("1.25")],
        "json_objects": [Json({"a": 1})], "roles": [Role.ADMIN],
    })
    assert (made.strings, made.ints, made.bools, made.bigints) == (["a", "b"], [1, 2], [True, False], [2**40])
    assert made.bytes[0].decode() == b"x" and made.dates == [when] and made.decimals == [Decimal("1.25")]
    assert made.json_objects == [{"a": 1}] and made.roles == [Role.ADMIN]
    empty = client.lists.create({})
    assert (empty.strings, empty.ints) == ([], [])
    ids = lambda where: sorted(x.id for x in client.lists.find_many(where=where))  # noqa: E731
    assert ids({"strings": {"has": "a"}}) == [made.id]
    assert ids({"ints": {"has_every": [1, 2]}}) == [made.id] and ids({"ints": {"has_every": [1, 3]}}) == []
    assert ids({"ints": {"has_some": [3, 2]}}) == [made.id]
    assert ids({"strings": {"is_empty": True}}) == [] and ids({"strings": {"equals": None}}) == [empty.id]
    assert ids({"strings": {"equals": ["a", "b"]}}) == [made.id]
    pushed = client.lists.update(where={"id": made.id}, data={"ints": {"push": [3]}, "strings": {"set": ["z"]}})
    assert (pushed.ints, pushed.strings) == ([1, 2, 3], ["z"])
    assert client.lists.update(where={"id": empty.id}, data={"roles": {"push": [Role.USER]}}).roles == [Role.USER]


def raw(provider: str, sql: str) -> str:
    """prisma-client-py's raw queries are written per database: `$1` on PostgreSQL."""
    if provider == "mysql":
        return sql.replace('"', "`").replace("$1", "?")
    return sql if provider == "postgresql" else sql.replace("$1", "?")


def test_raw_queries(client, prisma, provider):
    from prisma.models import Post, User

    errors = prisma.errors
    with pytest.raises(errors.RawQueryError):
        client.query_raw("SELECT * FROM bad_table")
    post = client.post.create({"title": "My post title!", "published": False})
    counted = client.query_raw(raw(provider, 'SELECT COUNT(*) AS count FROM "Post"'))
    assert counted == [{"count": 1}] and isinstance(counted[0]["count"], int)
    rows = client.query_raw(raw(provider, 'SELECT * FROM "Post" WHERE id = $1'), post.id)
    assert len(rows) == 1 and rows[0]["id"] == post.id
    # Known difference: without `model=`, SQLite and MySQL give booleans as 0/1 (the driver's values)
    assert rows[0]["published"] is False if provider == "postgresql" else rows[0]["published"] == 0
    posts = client.query_raw(raw(provider, 'SELECT * FROM "Post" WHERE id = $1'), post.id, model=Post)
    assert len(posts) == 1 and isinstance(posts[0], Post) and posts[0] == post
    assert client.query_raw(raw(provider, 'SELECT * FROM "Post" WHERE id = \'none\''), model=Post) == []
    with pytest.raises((errors.RawQueryError, errors.DataError)):
        client.query_raw(raw(provider, 'SELECT COUNT(*) AS count FROM "Post"'), 1)
    assert client.execute_raw(raw(provider, 'UPDATE "Post" SET title = \'My edited title\' WHERE id = $1'), post.id) == 1
    assert client.post.find_unique_or_raise(where={"id": post.id}).title == "My edited title"
    assert client.execute_raw(raw(provider, 'UPDATE "Post" SET title = \'x\' WHERE id = \'none\'')) == 0
    user = client.user.create({"name": "Robert"})
    found = client.query_first(raw(provider, 'SELECT * FROM "User" WHERE id = $1'), user.id)
    assert found["id"] == user.id and found["name"] == "Robert"
    as_model = client.query_first(raw(provider, 'SELECT * FROM "User" WHERE id = $1'), user.id, model=User)
    assert isinstance(as_model, User) and as_model == user
    assert client.query_first(raw(provider, 'SELECT * FROM "User" WHERE id = \'none\'')) == {}


def test_batch(client, prisma):
    batcher = client.batch_()
    batcher.user.create({"name": "Robert"})
    batcher.user.create({"name": "Tegan"})
    batcher.commit()
    assert client.user.count() == 2
    batcher.user.create({"name": "Robert 2"})  # a batcher is reused without repeating its queries
    batcher.commit()
    assert client.user.count() == 3
    client.user.delete_many()
    with pytest.raises(prisma.errors.UniqueViolationError, match="Unique constraint failed"):
        with client.batch_() as b:
            b.user.create({"id": "abc", "name": "Robert"})
            b.user.create({"id": "abc", "name": "Robert 2"})
    assert client.user.count() == 0
    with pytest.raises(RuntimeError, match="Example error"):
        with client.batch_() as b:
            b.user.create({"name": "Robert"})
            raise RuntimeError("Example error")
    assert client.user.count() == 0
    with client.batch_() as b:
        b.user.create({"id": "abc", "name": "Robert"})
        b.profile.create({"user": {"connect": {"id": "abc"}}, "description": "bio", "country": "Scotland"})
        b.user.upsert(where={"id": "xyz"}, data={"create": {"id": "xyz", "name": "A"}, "update": {"name": "B"}})
        b.user.update(where={"id": "abc"}, data={"name": "Roberto"})
        b.user.update_many(where={"name": "A"}, data={"name": "C"})
    assert client.user.find_unique_or_raise(where={"id": "abc"}, include={"profile": True}).profile.description == "bio"
    assert sorted(u.name for u in client.user.find_many()) == ["C", "Roberto"]
    with client.batch_() as b:
        b.profile.delete_many()
        b.user.delete(where={"id": "xyz"})
        b.execute_raw(raw(client_provider(client), 'UPDATE "User" SET name = \'R\' WHERE id = $1'), "abc")
    assert [u.name for u in client.user.find_many()] == ["R"]
    with client.batch_() as b:
        for i in range(300):
            b.user.create({"name": f"User {i}"})
    assert client.user.count() == 301


def client_provider(client) -> str:
    return client._driver.url.provider


def test_transactions(client, prisma, provider):
    with client.tx() as tx:
        user = tx.user.create({"name": "Robert"})
        assert tx.user.find_unique(where={"id": user.id}) is not None
    assert client.user.count() == 1
    with pytest.raises(RuntimeError):
        with client.tx() as tx:
            tx.user.create({"name": "Tegan"})
            raise RuntimeError("stop")
    assert client.user.count() == 1
    with pytest.raises(prisma.errors.UniqueViolationError):
        with client.tx() as tx:
            tx.user.update(where={"id": user.id}, data={"name": "Changed"})
            tx.user.create({"id": user.id, "name": "dup"})
    assert client.user.find_unique_or_raise(where={"id": user.id}).name == "Robert"
    manager = client.tx(max_wait=2000, timeout=5000)
    tx = manager.start()
    tx.user.create({"name": "Kept"})
    manager.commit()
    assert client.user.count() == 2
    manager = client.tx()
    manager.start().user.create({"name": "Dropped"})
    manager.rollback()
    assert sorted(u.name for u in client.user.find_many()) == ["Kept", "Robert"]


# Scalar lists are PostgreSQL's.
@pytest.mark.parametrize("provider", ["postgresql"])
def test_null_scalar_lists(client, provider):
    with client.batch_() as b:
        b.lists.create({})
        b.lists.create({"strings": []})
        b.lists.create({"strings": ["a", "b", "c"]})
    assert client.lists.find_first_or_raise(where={"strings": {"equals": None}}).strings == []
    assert client.lists.count(where={"strings": {"is_empty": True}}) == 1
    unset = client.lists.find_first_or_raise(where={"strings": {"equals": None}})
    assert client.lists.update(where={"id": unset.id}, data={"strings": {"push": ["a", "B"]}}).strings == ["a", "B"]
    assert client.lists.update(where={"id": unset.id}, data={"strings": ["f"]}).strings == ["f"]


# Json: where prisma-client-py tests it (not SQLite).
@pytest.mark.parametrize("provider", ["postgresql", "mysql"])
def test_json_values_keys_and_filters(client, prisma, provider):
    from prisma import Json

    made = lambda value: client.types.create(data={"json_obj": value}).json_obj  # noqa: E731
    assert made(Json.keys(country="Scotland")) == {"country": "Scotland"}
    assert made(Json(["Scotland"])) == ["Scotland"] and made(Json(1)) == 1 and made(Json(19.3273823)) == 19.3273823
    assert made(Json({"hello": None})) == {"hello": None}
    assert made(Json({None: "hello"})) == {"null": "hello"} and made(Json({True: 2})) == {"true": 2}
    assert made(Json({1: 2})) == {"1": 2} and made(Json({3.1415: [1, 2]})) == {"3.1415": [1, 2]}
    client.types.delete_many()
    assert client.types.find_first(where={"json_obj": {"equals": Json.keys(country="Scotland")}}) is None
    model = client.types.create(data={"json_obj": Json.keys(country="Scotland")})
    assert client.types.find_first_or_raise(where={"json_obj": {"equals": Json.keys(country="Scotland")}}).id == model.id
    assert client.types.find_first(where={"json_obj": {"not": Json.keys(country="Scotland")}}) is None
    assert client.types.find_first_or_raise(where={"json_obj": {"not": Json.keys(countries=["Scotland"])}}).id == model.id
    with pytest.raises(TypeError, match=r"Type <class 'prisma.client.Prisma'> not serializable"):
        client.types.create(data={"json_obj": Json.keys(foo=prisma.Prisma)})


# One SQLite writer at a time (prisma-client-py leaves SQLite out too).
@pytest.mark.parametrize("provider", ["postgresql", "mysql"])
def test_concurrent_transactions_and_tx_batch(client, provider):
    with client.tx(timeout=10000) as tx1, client.tx(timeout=10000) as tx2:
        user1 = tx1.user.create({"name": "Tegan"})
        user2 = tx2.user.create({"name": "Robert"})
        assert tx1.user.find_first(where={"name": "Robert"}) is None and tx2.user.find_first(where={"name": "Tegan"}) is None
        assert tx1.user.find_first_or_raise(where={"name": "Tegan"}).id == user1.id
        assert tx2.user.find_first_or_raise(where={"name": "Robert"}).id == user2.id
        assert client.user.count() == 0
    assert client.user.count() == 2
    with client.tx() as tx:
        user = tx.user.create({"name": "Robert"})
        tx.profile.create({"description": "Hello, there!", "country": "Scotland", "user": {"connect": {"id": user.id}}})
        assert client.user.count() == 2
    found = client.user.find_unique_or_raise(where={"id": user.id}, include={"profile": True})
    assert found.profile is not None and found.profile.description == "Hello, there!"


def test_datetime_filters_and_precision(client, prisma):
    from prisma.models import Types

    now = datetime.datetime.now(UTC)
    with client.batch_() as b:
        for i in range(10):
            b.types.create({"datetime_": now + datetime.timedelta(hours=i), "string": str(i)})
    hours = lambda *hs: [now + datetime.timedelta(hours=h) for h in hs]  # noqa: E731
    assert client.types.count(where={"datetime_": {"gte": hours(5)[0]}}) == 5
    assert client.types.find_first_or_raise(where={"datetime_": {"equals": now}}).string == "0"
    assert [t.string for t in client.types.find_many(where={"datetime_": {"in": hours(1, 4, 10)}}, order={"datetime_": "asc"})] == ["1", "4"]
    assert client.types.find_first_or_raise(where={"datetime_": {"not_in": hours(0, 1, 2)}}, order={"datetime_": "asc"}).string == "3"
    assert client.types.find_first_or_raise(where={"datetime_": {"not": now}}, order={"datetime_": "asc"}).string == "1"
    later = (hours(1)[0]).astimezone(datetime.timezone.max)
    assert client.types.find_first_or_raise(where={"datetime_": {"lt": later}}, order={"datetime_": "desc"}).string == "0"
    post = client.post.create(data={"title": "My first post", "created_at": now})
    assert client.post.find_first(where={"created_at": now}) is not None  # microseconds are cut as when stored
    assert client.post.find_first(where={"created_at": post.created_at}) is not None
    schema = Types.model_json_schema()["properties"]
    assert schema["datetime_"]["format"] == "date-time" and schema["optional_datetime"]["default"] is None
    assert schema["bytes"]["type"] == "string" and Types.model_json_schema(mode="serialization")["properties"]["bytes"]["type"] == "string"
