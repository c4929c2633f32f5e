"""prisma-client-py drop-in details that user code and test suites touch: the helper modules
(`prisma._compat`, `prisma.utils`, `prisma.testing`), Base64 validation, JSON Schema of Json and
Bytes fields, batch members found by their `Actions` class suffix."""

from __future__ import annotations

import asyncio
import inspect

import pytest

from tests.client.compat_env import client, compat_envs, prisma  # noqa: F401  (fixtures)


@pytest.fixture(params=["sqlite"])
def provider(request) -> str:  # these checks do not depend on the database
    return request.param


def test_base64_from_bytes_is_already_encoded(prisma):
    """As prisma-client-py: bytes or str given to a model are the base64 text, not raw data."""
    from pydantic import BaseModel

    Base64 = prisma.Base64

    class M(BaseModel):
        value: Base64
        items: list[Base64] = []

    m = M.model_validate({"value": b"Zm9v", "items": ["YmFy", b"YmF6", Base64.encode(b"qux")]})
    assert m.value.decode() == b"foo" and [i.decode() for i in m.items] == [b"bar", b"baz", b"qux"]
    assert m.model_dump(mode="json") == {"value": "Zm9v", "items": ["YmFy", "YmF6", "cXV4"]}
    with pytest.raises(ValueError, match="Could not convert type"):
        M.model_validate({"value": 1})


@pytest.mark.parametrize("provider", ["postgresql"])  # Json fields: not on SQLite in this schema
def test_json_schema_of_json_and_bytes_fields(prisma):
    schema = prisma.models.Types.model_json_schema()["properties"]
    assert schema["bytes"] == {"format": "byte", "title": "Bytes", "type": "string"}
    assert schema["json_obj"] == {
        "anyOf": [{"contentMediaType": "application/json", "contentSchema": {}, "type": "string"}, {"type": "null"}],
        "default": None, "title": "Json Obj",
    }


def test_helper_modules(prisma):
    from prisma._compat import PYDANTIC_V2, model_dict, model_json, model_json_schema, model_parse, model_parse_json
    from prisma.testing import reset_client
    from prisma.utils import get_or_create_event_loop

    user = prisma.models.User(id="1", name="n", created_at="2024-01-01T00:00:00Z", updated_at="2024-01-01T00:00:00Z")
    assert PYDANTIC_V2 and model_dict(user)["name"] == "n"
    assert model_parse_json(prisma.models.User, model_json(user)) == model_parse(prisma.models.User, model_dict(user))
    assert "name" in str(model_json_schema(prisma.models.User))
    assert isinstance(get_or_create_event_loop(), asyncio.AbstractEventLoop)

    db = prisma.Prisma()
    prisma.register(db)
    try:
        def refuse():
            raise RuntimeError("no client here")

        with reset_client(refuse):  # a function in place of the client is called by get_client()
            with pytest.raises(RuntimeError, match="no client here"):
                prisma.get_client()
        assert prisma.get_client() is db
        with reset_client():
            with pytest.raises(prisma.errors.ClientNotRegisteredError):
                prisma.get_client()
        assert prisma.get_client() is db
    finally:
        from lamina.client.runtime.client import _REGISTRY

        _REGISTRY.pop(db._package, None)


def test_batch_members_are_actions_classes(client):
    """prisma-client-py code empties every model through a batch by the members' class suffix."""
    client.user.create({"name": "a"})
    client.post.create({"title": "t"})
    with client.batch_() as batcher:
        members = [item for _, item in inspect.getmembers(batcher) if item.__class__.__name__.endswith("Actions")]
        assert len(members) >= 3
        assert type(batcher.user).__name__ == "UserBatchActions" and type(batcher.custom_category).__name__ == "CategoryBatchActions"
        for item in members:
            item.delete_many()
    assert client.user.count() == 0 and client.post.count() == 0


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_distinct_inside_include(client, prisma):
    """`distinct` in an include keeps one related row per distinct value (it was ignored)."""
    user = client.user.create({"name": "Robert"})
    for title, published in [("a", True), ("b", True), ("c", False), ("d", False), ("e", True)]:
        client.post.create({"title": title, "published": published, "author": {"connect": {"id": user.id}}})
    found = client.user.find_first(include={"posts": {"distinct": ["published"], "order_by": {"title": "asc"}}})
    assert [(p.title, p.published) for p in found.posts] == [("a", True), ("c", False)]
    found = client.user.find_unique(where={"id": user.id}, include={"posts": {"distinct": ["published"], "take": 1,
                                                                         "order_by": {"title": "desc"}}})
    assert [p.title for p in found.posts] == ["e"]
    with pytest.raises(prisma.errors.FieldNotFoundError, match="nope"):
        client.user.find_first(include={"posts": {"distinct": ["nope"]}})


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_atomic_update_input_is_validated_before_the_query(client, prisma):
    """Two operations on one field are refused even when no row matches (MySQL returned None)."""
    bad = {"integer": {"increment": 1, "multiply": 2}}
    for where in ({"id": 1}, {"id": 123456}):
        with pytest.raises(prisma.errors.DataError, match="Expected exactly one field to be present, got 2"):
            client.types.update(where=where, data=bad)
    with pytest.raises(prisma.errors.DataError, match="Expected exactly one field to be present, got 2"):
        client.types.update_many(where={"id": 123456}, data=bad)
    with pytest.raises(prisma.errors.DataError, match="Unknown update operation `append`"):
        client.types.update(where={"id": 123456}, data={"integer": {"append": 1}})
    made = client.types.create({})
    assert client.types.update(where={"id": made.id}, data={"integer": {"increment": 5}}).integer == 5


@pytest.mark.parametrize("provider", ["sqlite", "mysql"])
def test_python_instance_name(client, prisma):
    """`/// @Python(instance_name: "custom_category")` names the model's client attribute."""
    made = client.custom_category.create({"name": "books"})
    assert not hasattr(client, "category")
    assert client.custom_category.find_unique(where={"id": made.id}).name == "books"
    with client.batch_() as batcher:
        batcher.custom_category.create({"name": "films"})
    assert sorted(c.name for c in prisma.models.Category.prisma().find_many()) == ["books", "films"]


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_query_on_a_closed_transaction(client, prisma):
    with client.tx() as transaction:
        pass
    with pytest.raises(prisma.errors.TransactionExpiredError, match="^Transaction already closed"):
        transaction.user.delete_many()


@pytest.mark.parametrize("provider", ["postgresql"])
def test_scalar_list_equals_on_integer_arrays(client):
    """psycopg sends [1, 2, 3] as smallint[]: the parameter is cast to the column's array type."""
    made = client.lists.create({"ints": [1, 2, 3], "bigints": [2**40, 3]})
    client.lists.create({"ints": [1, 2]})
    assert [r.id for r in client.lists.find_many(where={"ints": {"equals": [1, 2, 3]}})] == [made.id]
    assert [r.id for r in client.lists.find_many(where={"bigints": {"equals": [2**40, 3]}})] == [made.id]
    assert [r.id for r in client.lists.find_many(where={"ints": [1, 2, 3]})] == [made.id]


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_partial_models_from_the_generator_script(client, prisma):
    """The schema's partial_type_generator script ran at generation: `prisma.partials` has its
    models, each reads only its fields, and relations take the partial type they were given."""
    from prisma.partials import PostScalars, PostTitleAuthor, UserName

    post = PostTitleAuthor.prisma().create({"title": "t", "author": {"create": {"name": "Robert"}}})
    assert post.title == "t" and post.author is None and not hasattr(post, "views")
    found = PostTitleAuthor.prisma().find_first(where={"id": post.id}, include={"author": True})
    assert isinstance(found.author, UserName) and found.author.name == "Robert" and not hasattr(found.author, "id")
    assert [type(u).__name__ for u in UserName.prisma().find_many()] == ["UserName"]
    with pytest.raises(prisma.errors.UnknownRelationalFieldError,
                       match='Field: "posts" either does not exist or is not a relational field on the UserName model'):
        UserName.prisma().find_first(include={"posts": True})
    assert PostScalars.model_fields["title"].is_required() is False and "author" not in PostScalars.model_fields
    assert PostScalars.prisma().find_unique(where={"id": post.id}).views == 0
    with pytest.raises(RuntimeError, match="outside of client generation"):
        prisma.models.Post.create_partial("Late", include={"id"})


def _types_table(provider: str) -> str:
    return "`Types`" if provider == "mysql" else '"Types"'


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_raw_values_without_model_are_prisma_client_pys(client, prisma, provider):
    """query_raw/query_first without `model=`: DateTime as ISO text, Bytes as base64 text, Decimal
    as float, BigInt as int, SQLite Boolean columns as bools (the driver gave 0/1 and integer ms)."""
    import datetime
    from decimal import Decimal

    at = datetime.datetime(2022, 12, 25, 12, 1, 34, tzinfo=datetime.timezone.utc)
    made = client.types.create({"datetime_": at, "bytes": prisma.Base64.encode(b"foo"), "decimal_": Decimal("1.5"),
                                "bigint": 2**40, "bool_": True, "optional_datetime": at.replace(microsecond=123000)})
    ph = "$1" if provider == "postgresql" else "?"
    row = client.query_first(f"SELECT * FROM {_types_table(provider)} WHERE id = {ph}", made.id)
    assert row["datetime_"] == "2022-12-25T12:01:34+00:00"
    assert row["optional_datetime"] == "2022-12-25T12:01:34.123+00:00"
    assert row["bytes"] == "Zm9v" and row["decimal_"] == 1.5 and isinstance(row["decimal_"], float)
    assert row["bigint"] == 2**40 and row["bool_"] == 1
    if provider != "mysql":  # MySQL's BOOLEAN is TINYINT(1): 1, as prisma-client-py's suite expects there
        assert row["bool_"] is True
    if provider == "postgresql":
        assert client.query_first("SELECT '6f9619ff-8b86-d011-b42d-00cf4fc964ff'::uuid AS u, DATE '2024-01-02' AS d") == {
            "u": "6f9619ff-8b86-d011-b42d-00cf4fc964ff", "d": "2024-01-02"}
    typed = client.query_first(f"SELECT * FROM {_types_table(provider)} WHERE id = {ph}", made.id, model=prisma.models.Types)
    assert typed.datetime_ == at and typed.bytes.decode() == b"foo" and typed.decimal_ == Decimal("1.5")


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_raw_parameters_decimal_and_json(client, prisma, provider):
    from decimal import Decimal

    made = client.types.create({"decimal_": Decimal("1.24343336464224")})
    ph = "$1" if provider == "postgresql" else "?"
    cast = "::numeric" if provider == "postgresql" else ""
    found = client.query_first(f"SELECT id FROM {_types_table(provider)} WHERE decimal_ = {ph}{cast}", Decimal("1.24343336464224"))
    assert found["id"] == made.id
    if provider == "sqlite":
        return  # no Json column in this schema on SQLite
    client.types.create({"json_obj": prisma.Json({"a": 1})})
    json_eq = "json_obj = $1::jsonb" if provider == "postgresql" else "JSON_CONTAINS(json_obj, ?)"
    rows = client.query_raw(f"SELECT id FROM {_types_table(provider)} WHERE {json_eq}", {"a": 1})
    assert len(rows) == 1
    assert len(client.query_raw(f"SELECT id FROM {_types_table(provider)} WHERE {json_eq}", prisma.Json({"a": 1}))) == 1


@pytest.mark.parametrize("provider", ["postgresql"])
def test_raw_null_scalar_list_with_model_is_empty_list(client, prisma):
    made = client.lists.create({})
    client.execute_raw('UPDATE "Lists" SET strings = NULL, ints = NULL WHERE id = $1', made.id)
    found = client.query_first('SELECT * FROM "Lists" WHERE id = $1', made.id, model=prisma.models.Lists)
    assert found.strings == [] and found.ints == []


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_get_metrics(client, prisma):
    """get_metrics(): Prisma's metric names from the client's own statement timings."""
    before = client.get_metrics()
    client.user.create({"name": "Robert"})
    client.user.find_many()
    after = client.get_metrics(format="json", global_labels={"app": "shop"})
    counters = {c.key: c for c in after.counters}
    assert counters["prisma_client_queries_total"].value >= before.counters[0].value + 2
    assert counters["prisma_datasource_queries_total"].labels == {"app": "shop"}
    gauges = {g.key: g.value for g in after.gauges}
    assert gauges["prisma_pool_connections_open"] >= 1 and gauges["prisma_client_queries_active"] == 0
    hist = after.histograms[0].value
    assert hist.count == counters["prisma_client_queries_total"].value and hist.sum > 0
    assert [b.max_value for b in hist.buckets] == [0, 1, 5, 10, 50, 100, 500, 1000, 5000, 50000]
    assert hist.buckets[-1].total_count <= hist.count
    assert isinstance(after.model_dump_json(), str)
    with client.tx() as tx:  # statements of a transaction count too
        tx.user.create({"name": "Tegan"})
    assert client.get_metrics().counters[0].value >= counters["prisma_client_queries_total"].value + 2  # INSERT, COMMIT
    text = client.get_metrics(format="prometheus")
    assert "# TYPE prisma_client_queries_total counter" in text
    assert 'prisma_client_queries_duration_histogram_ms_bucket{le="+Inf"}' in text
    with pytest.raises(ValueError, match="Unknown metrics format"):
        client.get_metrics(format="xml")


@pytest.mark.parametrize("provider", ["sqlite"])
def test_create_many_skip_duplicates_refused_on_sqlite(client, prisma):
    with pytest.raises(prisma.errors.UnsupportedDatabaseError, match="create_many_skip_duplicates is not supported by sqlite"):
        with client.batch_() as batcher:
            batcher.user.create_many([{"name": "Robert"}], skip_duplicates=True)
    assert client.user.count() == 0


@pytest.mark.parametrize("provider", ["sqlite"])
def test_unknown_order_field_names_the_argument_path(client, prisma):
    with pytest.raises(prisma.errors.FieldNotFoundError, match=r"orderBy\.desc"):
        client.post.find_many(order={"desc": None})


@pytest.mark.parametrize("provider", ["sqlite", "postgresql", "mysql"])
def test_primary_key_breaks_order_ties(client):
    """Rows that tie on the asked order come by primary key (as Prisma's engine orders them), so
    pages never overlap or skip rows."""
    made = [client.types.create({"integer": 1 if i % 2 else 2}) for i in range(8)]
    ones = sorted(t.id for t in made if t.integer == 1)
    twos = sorted(t.id for t in made if t.integer == 2)
    assert [t.id for t in client.types.find_many(order={"integer": "asc"})] == ones + twos
    assert [t.id for t in client.types.find_many(order={"integer": "desc"})] == twos + ones
    pages = [t.id for skip in range(0, 8, 3) for t in client.types.find_many(order={"integer": "asc"}, take=3, skip=skip)]
    assert pages == ones + twos
    assert client.types.find_first(where={"integer": 2}).id == twos[0]


@pytest.mark.parametrize("provider", ["postgresql", "mysql"])
def test_full_text_search_and_relevance(client, prisma, provider):
    assert client._active_provider == provider
    client.post.create_many(data=[{"title": "cats are great pets. dogs are loyal companions."},
                                  {"title": "cats are independent and mysterious animals."},
                                  {"title": "rabbits and hamsters are small and cute pets."}])
    either, both = ("cats | dogs", "cats & dogs") if provider == "postgresql" else ("cats dogs", "+cats +dogs")
    assert len(client.post.find_many(where={"title": {"search": either}})) == 2
    assert [p.title[:4] for p in client.post.find_many(where={"title": {"search": both}})] == ["cats"]
    first = client.post.find_first(order={"_relevance": {"fields": ["title"], "search": either, "sort": "desc"}})
    assert "dogs" in first.title
    last = client.post.find_first(order={"_relevance": {"fields": ["title"], "search": either, "sort": "asc"}})
    assert "rabbits" in last.title


@pytest.mark.parametrize("provider", ["sqlite"])
def test_full_text_search_refused_on_sqlite(client, prisma):
    assert client._active_provider == "sqlite"
    with pytest.raises(prisma.errors.UnsupportedDatabaseError, match="full-text search is not supported by sqlite"):
        client.post.find_many(where={"title": {"search": "cats"}})


@pytest.mark.parametrize("provider", ["sqlite", "mysql"])
def test_raw_query_with_a_partial_model_decodes_by_column_type(client, prisma, provider):
    """A partial model given as model= reads its fields decoded as its model's columns (SQLite's
    integer-millisecond DateTime, MySQL's 0/1 Boolean), not validated from driver values."""
    import datetime

    from prisma.partials import PostScalars

    at = datetime.datetime(2022, 12, 25, 12, 1, 34, 5000, tzinfo=datetime.timezone.utc)
    made = client.post.create({"title": "t", "published": True})
    client.post.update(where={"id": made.id}, data={"created_at": at})
    table = "`Post`" if provider == "mysql" else '"Post"'
    found = client.query_first(f"SELECT * FROM {table} WHERE id = ?", made.id, model=PostScalars)
    assert type(found) is PostScalars and found.created_at == at and found.published is True


@pytest.mark.parametrize("provider", ["postgresql"])
def test_relevance_with_cursor_or_paginated_include_is_a_clear_error(client, prisma):
    relevance = {"_relevance": {"fields": ["title"], "search": "cats", "sort": "desc"}}
    post = client.post.create({"title": "cats"})
    with pytest.raises(prisma.errors.FieldNotFoundError, match="cursor"):
        client.post.find_many(order=relevance, cursor={"id": post.id})
    with pytest.raises(prisma.errors.FieldNotFoundError, match="take"):
        client.user.find_many(include={"posts": {"order_by": relevance, "take": 1}})
    user = client.user.create({"name": "r", "posts": {"create": [{"title": "cats"}, {"title": "dogs"}]}})
    found = client.user.find_unique(where={"id": user.id}, include={"posts": {"order_by": relevance}})
    assert [p.title for p in found.posts][0] == "cats"
