"""Views (`previewFeatures = ["views"]`) in the generated client: read-only. The actions of a
`view` block have the reads (find_*, count, group_by, raw queries) and no writes; the runtime
refuses a write reaching a view another way (a batch). Shard keys (`shardKeys`, MySQL) reach the
client's metadata and change nothing else. Run on a view created by hand, as Prisma documents."""

from __future__ import annotations

import pytest

from lamina.client.runtime.errors import BuilderError
from lamina.db.connection import connect
from tests.client.helpers import create_tables, generate

SCHEMA = """generator client {
  provider        = "prisma-client-py"
  output          = "__OUTPUT__"
  interface       = "__INTERFACE__"
  previewFeatures = ["views", __SHARD__]
}

datasource db {
  provider = "__PROVIDER__"
}

model Person {
  id     Int    @id
  name   String
  region String __SHARD_ATTR__
}

view Adult {
  id   Int    @unique
  name String
}
"""

VIEW_SQL = {
    "sqlite": 'CREATE VIEW "Adult" AS SELECT id, name FROM "Person" WHERE id > 1',
    "postgresql": 'CREATE VIEW "Adult" AS SELECT id, name FROM "Person" WHERE id > 1',
    "mysql": "CREATE VIEW `Adult` AS SELECT id, name FROM `Person` WHERE id > 1",
}
WRITES = ("create", "create_many", "create_many_and_return", "update", "update_many", "upsert", "delete", "delete_many")


def _schema(provider: str) -> str:
    shard = provider == "mysql"  # shard keys exist on MySQL only
    return (SCHEMA.replace("__SHARD__", '"shardKeys"' if shard else "").replace(", ]", "]")
            .replace(" __SHARD_ATTR__", " @shardKey" if shard else ""))


@pytest.fixture(params=["sqlite", "postgresql", "mysql"])
def client(request, tmp_path):
    provider = request.param
    url = request.getfixturevalue({"sqlite": "sqlite_url", "postgresql": "postgres_url", "mysql": "mysql_url"}[provider])
    package = f"lamina_views_{provider}"
    module, loaded = generate(_schema(provider), tmp_path, package, provider)
    create_tables(loaded, url)
    with connect(url) as conn:
        conn.execute_script(VIEW_SQL[provider] + ";\n")
    db = module.client.Prisma(datasource={"url": url})
    db.connect()
    yield provider, module, db
    db.disconnect()


def test_view_actions_are_read_only(client):
    provider, module, db = client
    for name in WRITES:
        assert hasattr(db.person, name)
        assert not hasattr(db.adult, name), name
    for name in ("find_unique", "find_many", "find_first", "count", "group_by", "query_raw"):
        assert hasattr(db.adult, name)
    for pid, name in ((1, "Ann"), (2, "Bob"), (3, "Cy")):
        db.person.create(data={"id": pid, "name": name, "region": "eu"})
    assert [a.name for a in db.adult.find_many(order={"id": "asc"})] == ["Bob", "Cy"]
    found = db.adult.find_unique(where={"id": 3})
    assert found is not None and found.name == "Cy"
    assert db.adult.count(where={"name": {"startswith": "B"}}) == 1


def test_a_write_on_a_view_is_refused_before_any_sql(client):
    provider, module, db = client
    meta = module.client.SCHEMA.models["Adult"]
    assert meta.is_view and not module.client.SCHEMA.models["Person"].is_view
    with pytest.raises(BuilderError, match="`Adult` is a view and views are read-only"):
        db._execute("create", meta, module.models.Adult, {"data": {"id": 9, "name": "Zed"}})
    assert db.person.count() == 0


def test_shard_key_in_metadata(client):
    provider, module, db = client
    models = module.client.SCHEMA.models
    assert models["Person"].shard_key == (["region"] if provider == "mysql" else [])
    assert models["Adult"].shard_key == []
