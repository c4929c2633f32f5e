"""Views (`previewFeatures = ["views"]`) in the generated client: read-only, as Prisma 7.10.1's
generated client (checked: a view gets findUnique(OrThrow), findFirst(OrThrow), findMany, count,
aggregate, groupBy; without a unique criterion no findUnique, but it is still there). The runtime
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

view Region {
  region String
}
"""

VIEW_SQL = {
    "sqlite": 'CREATE VIEW "Adult" AS SELECT id, name FROM "Person" WHERE id > 1;\n'
              'CREATE VIEW "Region" AS SELECT DISTINCT region FROM "Person"',
    "postgresql": 'CREATE VIEW "Adult" AS SELECT id, name FROM "Person" WHERE id > 1;\n'
                  'CREATE VIEW "Region" AS SELECT DISTINCT region FROM "Person"',
    "mysql": "CREATE VIEW `Adult` AS SELECT id, name FROM `Person` WHERE id > 1;\n"
             "CREATE VIEW `Region` AS SELECT DISTINCT region FROM `Person`",
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


def test_view_without_unique_criterion_has_reads_but_no_find_unique(client):
    provider, module, db = client
    assert not hasattr(db.region, "find_unique") and not hasattr(db.region, "create")
    for pid, region in ((1, "eu"), (2, "us"), (3, "eu")):
        db.person.create(data={"id": pid, "name": f"p{pid}", "region": region})
    assert sorted(r.region for r in db.region.find_many()) == ["eu", "us"]
    first = db.region.find_first(where={"region": "us"})
    assert first is not None and first.region == "us"
    assert db.region.count() == 2


def test_views_type_check_strict_and_writes_are_type_errors(tmp_path):
    """pyright strict on code using the views: reads type-check, a write on a view does not."""
    import subprocess
    import sys

    from tests.client.test_generate import pyright
    from tests.conftest import unavailable

    version = subprocess.run([sys.executable, "-m", "pyright", "--version"], capture_output=True, text=True)
    if version.returncode != 0 or "pyright" not in version.stdout:
        unavailable(f"pyright cannot start: {(version.stdout + version.stderr).strip()[-300:]}")
    generate(_schema("sqlite"), tmp_path, "views_typed", "sqlite")
    (tmp_path / "usage.py").write_text(
        "from views_typed.client import Prisma\n\n"
        "db = Prisma()\n"
        "a = db.adult.find_unique(where={'id': 1})\n"
        "name: str = a.name if a is not None else ''\n"
        "rows = db.region.find_many(where={'region': 'eu'}, order={'region': 'asc'})\n"
        "regions: list[str] = [r.region for r in rows]\n"
        "n: int = db.adult.count()\n"
    )
    good = pyright(tmp_path, "usage.py")
    assert good.returncode == 0, good.stdout + good.stderr
    (tmp_path / "bad.py").write_text(
        "from views_typed.client import Prisma\n\ndb = Prisma()\n"
        "db.adult.create(data={'id': 1, 'name': 'x'})\n"
        "db.region.find_unique(where={'region': 'eu'})\n"
    )
    bad = pyright(tmp_path, "bad.py")
    assert bad.returncode == 1
    assert 'Cannot access attribute "create" for class "AdultActions[Adult]"' in bad.stdout
    assert 'Cannot access attribute "find_unique" for class "RegionActions[Region]"' in bad.stdout
