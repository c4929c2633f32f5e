"""Scalar lists (PostgreSQL arrays): write, read, filter with has/has_every/has_some/is_empty, push."""

from __future__ import annotations

from datetime import datetime, timezone

from tests.client.helpers import create_tables, generate

SCHEMA = """
generator client {
  provider = "lamina"
  output   = "__OUTPUT__"
}

datasource db {
  provider = "__PROVIDER__"
  url      = env("DATABASE_URL")
}

model Tagged {
  id    Int        @id @default(autoincrement())
  tags  String[]
  nums  Int[]
  days  DateTime[]
}
"""


def test_scalar_lists(tmp_path, postgres_url):
    module, loaded = generate(SCHEMA, tmp_path / "lists", "lamina_test_lists", "postgresql")
    create_tables(loaded, postgres_url)
    day = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    with module.Prisma(datasource={"url": postgres_url}) as db:
        a = db.tagged.create(data={"tags": ["red", "blue"], "nums": [1, 2, 3], "days": [day]})
        db.tagged.create(data={"tags": [], "nums": [], "days": []})
        assert a.tags == ["red", "blue"] and a.nums == [1, 2, 3] and a.days == [day]
        assert [t.id for t in db.tagged.find_many(where={"tags": {"has": "red"}})] == [a.id]
        assert [t.id for t in db.tagged.find_many(where={"nums": {"has_every": [1, 3]}})] == [a.id]
        assert db.tagged.find_many(where={"nums": {"has_every": [1, 9]}}) == []
        assert [t.id for t in db.tagged.find_many(where={"tags": {"has_some": ["x", "blue"]}})] == [a.id]
        assert db.tagged.count(where={"tags": {"is_empty": True}}) == 1
        assert db.tagged.count(where={"tags": {"equals": ["red", "blue"]}}) == 1
        updated = db.tagged.update(where={"id": a.id}, data={"tags": {"push": "green"}, "nums": {"set": [7]}})
        assert updated is not None and updated.tags == ["red", "blue", "green"] and updated.nums == [7]
        updated = db.tagged.update(where={"id": a.id}, data={"tags": ["only"]})
        assert updated is not None and updated.tags == ["only"]
